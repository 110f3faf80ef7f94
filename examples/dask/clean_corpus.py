#!/usr/bin/python3
"""Clean and pre-annotate a news corpus larger than one machine with Dask.

The same program runs on a laptop (a LocalCluster), on a cluster started with
``dask-scheduler`` / ``dask-worker`` on many machines, or on Kubernetes / YARN
through Dask's deployment tools. Every worker needs Node.js (>= 20) and the
bundled CLI ``dist/cli.js`` (one self-contained file): copy it to the same path
on every machine, or bake it into the workers' container image.

The job, over a JSON Lines corpus (``{"id": ..., "text": ..., "annotations": [...]?}``
per line) or a folder tree of ``.txt`` articles:

1. computes the corpus statistics of every partition with
   ``news-annotator index --jsonl - --out -`` (a subprocess per partition,
   streaming the partition through stdin), and merges them with a Dask tree
   reduction (``news-annotator index --merge``), so the statistics never meet
   the texts on one machine;
2. scatters the merged statistics to every worker;
3. annotates and exports every partition with ``--corpus-stats``, so each
   record is flagged exactly as a single process holding the whole corpus would
   flag it (``repeated`` boilerplate, names found elsewhere, decisions made in
   other documents), writing one JSON Lines file per partition.

Run with Debian's Python (``/usr/bin/python3``; packages ``python3-dask`` and
``python3-distributed``)::

    /usr/bin/python3 examples/dask/clean_corpus.py corpus.jsonl --out cleaned/ --local-workers 2
    /usr/bin/python3 examples/dask/clean_corpus.py corpus/ --out cleaned/ --scheduler tcp://10.0.0.5:8786 \\
        --cli /opt/news-annotator/cli.js --partitions 200
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


# --------------------------------------------------------------------------- the CLI as a subprocess

def run_cli(node: str, cli: str, args: list[str], stdin: bytes) -> bytes:
    """Runs ``news-annotator`` with ``stdin``; raises with its stderr when it fails (exit 2: a usage error)."""
    proc = subprocess.run([node, cli, *args], input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    # Exit 1 means "some inputs could not be processed": the others are still in stdout, and stderr names them.
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"news-annotator {' '.join(args)} exited {proc.returncode}: {proc.stderr.decode(errors='replace')}")
    if proc.stderr:
        sys.stderr.write(proc.stderr.decode(errors="replace"))
    return proc.stdout


def partition_stats(lines, node: str, cli: str, settings: str | None) -> str:
    """Step 1: the corpus statistics of one partition (a JSON object, as text)."""
    extra = ["--settings", settings] if settings else []
    return run_cli(node, cli, ["index", "--jsonl", "-", "--out", "-", *extra], "".join(lines).encode()).decode()


def merge_stats(parts: list[str], node: str, cli: str) -> str:
    """Merges statistics with the CLI itself, so the rule is the one every other tool uses."""
    if len(parts) == 1:
        return parts[0]
    with tempfile.TemporaryDirectory(prefix="nca-merge-") as tmp:
        files = []
        for i, p in enumerate(parts):
            f = os.path.join(tmp, f"{i}.json")
            with open(f, "w", encoding="utf-8") as out:
                out.write(p)
            files.append(f)
        return run_cli(node, cli, ["index", "--merge", *files, "--out", "-"], b"").decode()


def annotate_partition(lines, index: int, stats: str, node: str, cli: str, mode: list[str], out_dir: str,
                       settings: str | None) -> dict:
    """Step 3: one partition annotated/exported with the whole corpus' statistics, written as part-NNNNN.jsonl."""
    extra = ["--settings", settings] if settings else []
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="nca-stats-", delete=False, encoding="utf-8") as f:
        f.write(stats)
        stats_file = f.name
    try:
        out = run_cli(node, cli, [*mode, "--jsonl", "-", "--out", "-", "--corpus-stats", stats_file, *extra], "".join(lines).encode())
    finally:
        os.unlink(stats_file)
    target = Path(out_dir) / f"part-{index:05d}.jsonl"
    target.write_bytes(out)
    return {"partition": index, "records": out.count(b"\n"), "bytes": len(out), "file": str(target)}


# --------------------------------------------------------------------------- input

def folder_records(folder: Path) -> list[str]:
    """A folder tree of .txt articles (and their sidecars) as JSON Lines records, id = relative path."""
    records = []
    for path in sorted(folder.rglob("*.txt")):
        if any(part.startswith(".") or part in ("node_modules", "annotations-export") for part in path.relative_to(folder).parts[:-1]):
            continue
        text = path.read_bytes().decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        record = {"id": path.relative_to(folder).as_posix(), "text": text}
        sidecar = path.with_name(path.name + ".ann.json")
        if sidecar.exists():
            try:
                record["annotations"] = json.loads(sidecar.read_text(encoding="utf-8")).get("annotations", [])
            except (ValueError, OSError) as err:
                print(f"{sidecar}: sidecar ignored ({err})", file=sys.stderr)
        records.append(json.dumps(record, ensure_ascii=False) + "\n")
    return records


def input_bag(source: Path, partitions: int) -> db.Bag:
    if source.is_dir():
        return db.from_sequence(folder_records(source), npartitions=partitions)
    # JSON Lines: each line is one record; Dask splits the file into blocks on line boundaries.
    size = source.stat().st_size
    blocksize = max(1 << 20, size // max(1, partitions) + 1)
    return db.read_text(str(source), blocksize=blocksize, linedelimiter="\n").filter(lambda line: line.strip() != "")


# --------------------------------------------------------------------------- the job

def run(args: argparse.Namespace) -> dict:
    cli = str(Path(args.cli).resolve())
    node = args.node
    mode = ["annotate"] if args.mode == "annotate" else ["export", "--format", args.format, "--include-suggestions"]
    out_dir = Path(args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)

    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.local_workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        t0 = time.perf_counter()
        partitions = input_bag(Path(args.input), args.partitions).to_delayed()
        level = [dask.delayed(partition_stats)(part, node, cli, args.settings) for part in partitions]
        # A tree reduction on the workers: never every partition's statistics in one call.
        while len(level) > 1:
            level = [dask.delayed(merge_stats)(level[i:i + args.split_every], node, cli) for i in range(0, len(level), args.split_every)]
        merged = level[0].compute()
        t1 = time.perf_counter()
        stats = client.scatter(merged, broadcast=True)
        writes = [dask.delayed(annotate_partition)(part, i, stats, node, cli, mode, str(out_dir), args.settings) for i, part in enumerate(partitions)]
        written = list(dask.compute(*writes))
        t2 = time.perf_counter()
    finally:
        client.close()
    documents = json.loads(merged)["documents"]
    summary = {
        "documents": documents,
        "partitions": len(written),
        "records": sum(w["records"] for w in written),
        "index_seconds": round(t1 - t0, 3),
        "annotate_seconds": round(t2 - t1, 3),
        "docs_per_second": round(documents / (t2 - t0), 1) if t2 > t0 else None,
        "files": sorted(w["file"] for w in written),
    }
    (out_dir / "corpus-stats.json").write_text(merged, encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", help="a JSON Lines corpus, or a folder tree of .txt articles")
    p.add_argument("--out", required=True, help="output folder: part-NNNNN.jsonl per partition and corpus-stats.json")
    p.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786); default: a LocalCluster")
    p.add_argument("--local-workers", type=int, default=os.cpu_count() or 2, help="worker processes of the LocalCluster")
    p.add_argument("--partitions", type=int, default=16, help="how many partitions to cut the corpus into")
    p.add_argument("--split-every", type=int, default=8, help="fan-in of the statistics' tree reduction")
    p.add_argument("--mode", choices=["annotate", "export"], default="export")
    p.add_argument("--format", default="jsonl", choices=["jsonl", "spacy", "labelstudio", "text"], help="export format (--mode export)")
    p.add_argument("--settings", help="a JSON file of newsAnnotator settings, the same path on every worker")
    p.add_argument("--cli", default=str(DEFAULT_CLI), help="path of dist/cli.js on the workers (the same everywhere)")
    p.add_argument("--node", default="node", help="the Node.js executable on the workers")
    args = p.parse_args(argv)
    summary = run(args)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
