#!/usr/bin/python3
"""Clean and pre-annotate a news corpus larger than one machine with Dask.

The same program runs on a laptop (a LocalCluster), or on a cluster started
with ``dask-scheduler`` / ``dask-worker`` on many machines (or any of Dask's
deployment tools: Kubernetes, YARN, SSH). Every worker needs Node.js (>= 20)
and the bundled CLI ``dist/cli.js`` (one self-contained file): copy it to the
same path on every machine, or bake it into the workers' container image.

The job, over a JSON Lines corpus (``{"id": ..., "text": ..., "annotations": [...]?}``
per line) or a folder tree of ``.txt`` articles (and their sidecars):

1. computes the corpus statistics of every partition with
   ``news-annotator index --jsonl - --out -`` (a subprocess per partition,
   the partition streamed through its standard input), and merges them with
   a Dask tree reduction (``news-annotator index --merge``): the statistics
   are small (counts by hash), the texts never travel to one machine;
2. scatters the merged statistics to every worker;
3. annotates or exports every partition with ``--corpus-stats``, so each
   record is flagged exactly as one process holding the whole corpus flags it
   (``repeated`` boilerplate, names accepted in other documents' sidecars,
   decisions made elsewhere), and writes ``part-NNNNN.jsonl`` per partition:
   their concatenation in name order is the corpus in input order.

Paths (the input, ``--out``, ``--settings``, ``--cli``) are read and written by
the workers: on a real cluster they must name the same thing on every machine
(a shared file system), or the input may be any URL Dask's ``read_text``
reads (``s3://…`` with s3fs installed).

Run with Debian's Python (``/usr/bin/python3``; packages ``python3-dask`` and
``python3-distributed``)::

    /usr/bin/python3 examples/dask/clean_corpus.py corpus.jsonl --out cleaned/ --local-workers 2
    /usr/bin/python3 examples/dask/clean_corpus.py /shared/corpus.jsonl --out /shared/cleaned \\
        --scheduler tcp://10.0.0.5:8786 --cli /opt/news-annotator/cli.js --partitions 200
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dask
import dask.bag as db
from dask.distributed import Client, LocalCluster

HERE = Path(__file__).resolve().parent
DEFAULT_CLI = HERE.parent.parent / "dist" / "cli.js"
# Folders a corpus walk skips, as the CLI does.
SKIPPED_FOLDERS = {"node_modules", "annotations-export"}
# The most input one automatic partition takes. Each partition starts the CLI twice (statistics,
# then annotation), each start loading the taggers (about a second): small partitions spend
# their time starting; one per worker thread, and more only for inputs this large, keeps that
# a few percent (64 MB is a few minutes of one process's work) while the partitions still
# balance across the workers.
PARTITION_BYTES = 64 * 1024 * 1024


class CliFailed(RuntimeError):
    """The CLI refused the whole partition (exit 2: a usage error; or it crashed)."""


# --------------------------------------------------------------------------- the CLI as a subprocess

def run_cli(node: str, cli: str, args: list[str], stdin: bytes, where: str) -> tuple[bytes, int]:
    """Runs ``news-annotator`` with ``stdin``: its output and exit code; its messages go to this worker's stderr, named by ``where``."""
    proc = subprocess.run([node, cli, *args], input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    messages = proc.stderr.decode(errors="replace")
    # Exit 1: some records could not be read (named on stderr with their line in the
    # partition); the others are in stdout. Anything else loses the partition: stop.
    if proc.returncode not in (0, 1):
        raise CliFailed(f"{where}: news-annotator {' '.join(args)} exited {proc.returncode}: {messages.strip()}")
    for line in messages.splitlines():
        sys.stderr.write(f"{where}: {line}\n")
    return proc.stdout, proc.returncode


def as_stdin(lines: list[str]) -> bytes:
    # Lines were decoded with surrogateescape: invalid UTF-8 goes back as it came, and the CLI reports it.
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines).encode("utf-8", "surrogateescape")


def partition_stats(lines: list[str], index: int, node: str, cli: str, settings: list[str]) -> str:
    """Step 1: the corpus statistics of one partition (a JSON document, as text)."""
    return run_cli(node, cli, ["index", "--jsonl", "-", "--out", "-", *settings], as_stdin(lines), f"partition {index}")[0].decode()


def merge_stats(parts: list[str], node: str, cli: str) -> str:
    """Adds up statistics with the CLI itself (index --merge), so the rule is the one every other tool uses."""
    if len(parts) == 1:
        return parts[0]
    with tempfile.TemporaryDirectory(prefix="nca-merge-") as tmp:
        files = []
        for i, p in enumerate(parts):
            f = os.path.join(tmp, f"{i}.json")
            with open(f, "w", encoding="utf-8") as out:
                out.write(p)
            files.append(f)
        return run_cli(node, cli, ["index", "--merge", *files, "--out", "-"], b"", "merge")[0].decode()


def process_partition(lines: list[str], index: int, stats: str, node: str, cli: str, mode: list[str], out_dir: str,
                      settings: list[str]) -> dict:
    """Step 3: one partition annotated/exported with the whole corpus' statistics, written as part-NNNNN.jsonl."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="nca-stats-", delete=False, encoding="utf-8") as f:
        f.write(stats)
        stats_file = f.name
    try:
        # --jobs 1: Dask already runs one partition per worker thread.
        out, code = run_cli(node, cli, [*mode, "--jsonl", "-", "--out", "-", "--jobs", "1", "--corpus-stats", stats_file, *settings],
                      as_stdin(lines), f"partition {index}")
    finally:
        os.unlink(stats_file)
    target = Path(out_dir) / f"part-{index:05d}.jsonl"
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(out)
    os.replace(partial, target)  # a part file is whole or absent
    # Exit 1: bad records, named on stderr by pass 1 and again here (the same lines).
    return {"partition": index, "records": out.count(b"\n"), "bad_records": code == 1, "input_bytes": sum(len(l.encode("utf-8", "surrogateescape")) for l in lines)}


# --------------------------------------------------------------------------- input

def folder_files(folder: Path) -> list[str]:
    """The .txt articles under a folder (relative POSIX paths, sorted), without hidden and output folders."""
    found = []
    for path in folder.rglob("*.txt"):
        rel = path.relative_to(folder)
        if any(part.startswith(".") or part in SKIPPED_FOLDERS for part in rel.parts[:-1]):
            continue
        found.append(rel.as_posix())
    return sorted(found)


def folder_record(rel: str, folder: str) -> str:
    """One article and its sidecar's annotations as a JSON Lines record, id = its relative path (read on the worker)."""
    path = Path(folder) / rel
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: sent as it is, so that the CLI names the file's problem like any bad record.
        text = data.decode("utf-8", "surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    record = {"id": rel, "text": text}
    sidecar = path.with_name(path.name + ".ann.json")
    if sidecar.exists():
        try:
            record["annotations"] = json.loads(sidecar.read_text(encoding="utf-8")).get("annotations", [])
        except (ValueError, OSError) as err:
            # A damaged sidecar is reported and its record left out (never annotated as if it had no decisions).
            sys.stderr.write(f"{sidecar}: cannot be read ({err}): record left out\n")
            return ""
    return json.dumps(record, ensure_ascii=False) + "\n"


def input_size(source: str) -> int:
    """Bytes of the input: a JSON Lines file's size, a folder's articles' sizes; 0 when unknown (a URL)."""
    if "://" in source:
        return 0
    path = Path(source)
    if path.is_dir():
        return sum((path / rel).stat().st_size for rel in folder_files(path))
    return path.stat().st_size


def auto_partitions(source: str, worker_threads: int) -> int:
    """One partition per worker thread, or more for a large input: at most PARTITION_BYTES each."""
    return max(1, worker_threads, -(-input_size(source) // PARTITION_BYTES))


def input_bag(source: str, partitions: int) -> db.Bag:
    if "://" not in source and Path(source).is_dir():
        folder = str(Path(source).resolve())
        names = folder_files(Path(folder))
        return db.from_sequence(names, npartitions=max(1, min(partitions, len(names) or 1))) \
            .map(folder_record, folder).filter(lambda line: line != "")
    # JSON Lines: Dask cuts the file into blocks on line boundaries, each read by a worker.
    size = input_size(source)
    # Dask makes size // blocksize blocks (the rest joins the last one).
    blocksize = max(64 * 1024, size // max(1, partitions)) if size else 64 * 1024 * 1024
    return db.read_text(source, blocksize=blocksize, linedelimiter="\n", encoding="utf-8", errors="surrogateescape") \
        .filter(lambda line: line.strip() != "")


# --------------------------------------------------------------------------- the job

def run(args: argparse.Namespace) -> dict:
    cli = str(Path(args.cli).resolve())
    node = args.node
    mode = ["annotate"] if args.mode == "annotate" else ["export", "--format", args.format, "--include-suggestions"]
    settings = ["--settings", str(Path(args.settings).resolve())] if args.settings else []
    out_dir = Path(args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("part-*.jsonl"):
        old.unlink()  # parts of an earlier run with more partitions would be read as this one's

    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=args.local_workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, host="127.0.0.1")
        client = Client(cluster)
    try:
        t0 = time.perf_counter()
        if not args.partitions:
            # The workers a partition count is made for: those of the local cluster, or those of the
            # remote one at this moment (at least one: nothing runs without).
            client.wait_for_workers(args.local_workers if cluster is not None else 1)
        wanted = args.partitions or auto_partitions(args.input, sum(client.nthreads().values()))
        partitions = input_bag(args.input, wanted).to_delayed()
        # The partitions' texts are read twice (pass 1 and pass 2), never held by the client.
        level = [dask.delayed(partition_stats)(part, i, node, cli, settings) for i, part in enumerate(partitions)]
        # A tree reduction on the workers: never every partition's statistics in one call.
        while len(level) > 1:
            level = [dask.delayed(merge_stats)(level[i:i + args.split_every], node, cli)
                     for i in range(0, len(level), args.split_every)]
        merged = level[0].compute()
        t1 = time.perf_counter()
        stats = client.scatter(merged, broadcast=True)
        writes = [dask.delayed(process_partition)(part, i, stats, node, cli, mode, str(out_dir), settings)
                  for i, part in enumerate(partitions)]
        written = list(dask.compute(*writes))
        t2 = time.perf_counter()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    (out_dir / "corpus-stats.json").write_text(merged, encoding="utf-8")
    documents = json.loads(merged)["documents"]
    input_bytes = sum(w["input_bytes"] for w in written)
    return {
        "documents": documents,
        "partitions": len(written),
        "records": sum(w["records"] for w in written),
        "input_mb": round(input_bytes / 1e6, 3),
        "index_seconds": round(t1 - t0, 3),
        "process_seconds": round(t2 - t1, 3),
        "docs_per_second": round(documents / (t2 - t0), 1) if t2 > t0 else None,
        "mb_per_second": round(input_bytes / 1e6 / (t2 - t0), 3) if t2 > t0 else None,
        "out": str(out_dir),
        "partitions_with_bad_records": [w["partition"] for w in written if w["bad_records"]],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", help="a JSON Lines corpus (path or URL), or a folder tree of .txt articles")
    p.add_argument("--out", required=True, help="output folder: part-NNNNN.jsonl per partition and corpus-stats.json")
    p.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786); default: a LocalCluster")
    p.add_argument("--local-workers", type=int, default=os.cpu_count() or 2, help="worker processes of the LocalCluster")
    p.add_argument("--partitions", type=int, default=0,
                   help="how many partitions to cut the corpus into (default: one per worker thread, more for inputs over 64 MB)")
    p.add_argument("--split-every", type=int, default=8, help="fan-in of the statistics' tree reduction")
    p.add_argument("--mode", choices=["annotate", "export"], default="export")
    p.add_argument("--format", default="jsonl", choices=["jsonl", "spacy", "labelstudio", "text"], help="export format (--mode export)")
    p.add_argument("--settings", help="a JSON file of newsAnnotator settings, the same path on every worker")
    p.add_argument("--cli", default=str(DEFAULT_CLI), help="path of dist/cli.js on the workers (the same everywhere)")
    p.add_argument("--node", default="node", help="the Node.js executable on the workers")
    args = p.parse_args(argv)
    if args.partitions < 0 or args.split_every < 2 or args.local_workers < 1:
        p.error("--partitions must be at least 1 (or 0: automatic), --local-workers at least 1, --split-every at least 2")
    try:
        summary = run(args)
    except CliFailed as err:
        print(f"clean_corpus: {err}", file=sys.stderr)
        return 1
    print(json.dumps(summary, ensure_ascii=False))
    # As the CLI: 1 when some records could not be processed (named on stderr), the rest written.
    return 1 if summary["partitions_with_bad_records"] else 0


if __name__ == "__main__":
    sys.exit(main())
