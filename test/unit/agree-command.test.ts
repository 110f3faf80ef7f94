/** `agree` in-process: argument checking (exit 2), and output that stays usable in a spreadsheet. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agreeCommand, formatAgreementCsv, type AgreeResult } from '../../server/src/cli/agree';
import { computeAgreement } from '../../server/src/core/agreement/report';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptyLayer, writeLayer } from '../../server/src/host/layers';

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = agreeCommand(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

test('usage errors exit 2 with a message and write nothing to stdout', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agree-cmd-'));
  for (const [args, message] of [
    [['--json', '--csv', dir], /choose one of --json and --csv/],
    [['--annotators', 'alice,b b', dir], /invalid name "b b"/],
    [['--annotators', ',', dir], /--annotators: give at least one name/],
    [['--labels', ' , ', dir], /--labels: give at least one label/],
    [[], /no input files or folders/],
    [['--frobnicate', dir], /Unknown option '--frobnicate'/],
    [['--max-size-kb', 'lots', dir], /--max-size-kb must be a positive number/],
  ] as [string[], RegExp][]) {
    const r = run(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.match(r.stderr, /agree --help/);
    assert.equal(r.stdout, '');
  }
  const help = run('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--annotators a,b/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('CSV: quoted where needed, text that a spreadsheet would run as a formula is defused, negative figures stay numbers', () => {
  const text = 'Ann met Bob, then Cy.';
  const ent = (w: string, label: string) => {
    const at = text.indexOf(w);
    return createAnnotation(text, at, at + w.length, { kind: 'entity', label, status: 'accepted', source: 'user' });
  };
  const report = computeAgreement([
    {
      name: 'dir,with "comma"/=cmd.txt',
      text,
      layers: [
        { annotator: '-x', annotations: [ent('Ann', '=SUM(A1)'), ent('Bob', 'P')] },
        { annotator: 'y', annotations: [ent('met', 'P'), ent('then', '=SUM(A1)')] },
      ],
    },
  ]);
  const result: AgreeResult = { selection: 'done', ...report, documents: { files: 1, compared: 1, notCompared: 0, unreadable: 0 } };
  const csv = formatAgreementCsv(result);
  assert.ok(csv.endsWith('\r\n'));
  assert.ok(csv.includes(`"dir,with ""comma""/=cmd.txt"`), 'RFC 4180 quoting');
  assert.ok(csv.includes(`,'=SUM(A1),`), 'formula-like label defused');
  assert.ok(csv.includes(`,'-x,y,`), 'annotator name starting with - defused');
  const kappa = csv.split('\r\n').find((l) => l.startsWith('entity,cohen_kappa,'))!;
  assert.ok(!/,'-\d/.test(csv), 'numbers are never prefixed');
  // 7 tokens, 3 agreements (",", Cy, "."); margins 1/1/5 each side: κ = (21/49 − 27/49)/(22/49) = −6/22.
  assert.ok(Math.abs(report.entity.tokens.cohen[0].kappa! + 6 / 22) < 1e-12, 'the case has a negative κ');
  assert.equal(kappa.split(',').pop(), String(report.entity.tokens.cohen[0].kappa), 'written as the plain number');
});

test('layers written for an older version of the text are re-anchored before comparing; what cannot be found is named and left out', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agree-cmd-'));
  const file = path.join(dir, 'a.txt');
  const before = 'Ann met Bob in Rome.\n';
  const ent = (text: string, w: string, label: string) => {
    const at = text.indexOf(w);
    return createAnnotation(text, at, at + w.length, { kind: 'entity', label, status: 'accepted', source: 'user' });
  };
  fs.writeFileSync(file, before);
  writeLayer(file, 'x', { ...emptyLayer(file, before, 'x'), review: { status: 'done' }, annotations: [ent(before, 'Ann', 'PER'), ent(before, 'Rome', 'LOC')] }, { fingerprint: null, sidecar: null });
  writeLayer(file, 'y', { ...emptyLayer(file, before, 'y'), review: { status: 'done' }, annotations: [ent(before, 'Ann', 'PER'), ent(before, 'Bob', 'PER'), ent(before, 'Rome', 'LOC')] }, { fingerprint: null, sidecar: null });
  // The text changed after annotation: a line before, and Bob is gone.
  fs.writeFileSync(file, 'Updated at noon.\nAnn met Carl in Rome.\n');
  const r = run('--json', dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /a\.txt: 1 annotation\(s\) of y no longer found in the text \(orphaned\); left out/);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.entity.spans.pairs[0].micro, { matched: 2, spansA: 2, spansB: 2, precision: 1, recall: 1, f1: 1 });
  assert.equal(out.entity.tokens.cohen[0].observed, 1, 'the moved spans still cover Ann and Rome for both');
  fs.rmSync(dir, { recursive: true, force: true });
});
