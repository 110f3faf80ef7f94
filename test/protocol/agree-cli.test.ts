/**
 * `news-annotator agree` as a user runs it (the bundled dist/cli.js) on a
 * small Latin-script corpus with three annotator layers. The layer files are
 * written here by hand (plain JSON, as any tool could), and every figure is
 * recomputed by a deliberately different, simple implementation: whitespace
 * and punctuation tokens by regular expression, span sets, and the textbook
 * formulas of κ and α written out pair by pair.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, makeWorkspace } from './lspClient';


// ---------------------------------------------------------------------------
// The corpus: ASCII texts, so string offsets are code point offsets and tokens are unambiguous.

const TEXTS: Record<string, string> = {
  'politics.txt': 'Angela Merkel met Emmanuel Macron in Berlin on Monday.\nThe European Union welcomed the talks.\nShare this article on Facebook.\n',
  'sport.txt': 'Real Madrid beat Bayern Munich 2-1 in Madrid.\nCarlo Ancelotti praised Jude Bellingham.\n',
  'business.txt': 'Apple opened a store in Paris, said Tim Cook.\nRead more: Apple earnings.\n',
  'weather.txt': 'Storm Ciaran hit Brittany and Cornwall.\n',
  'untouched.txt': 'Nobody annotated this one.\n',
};

type Mark = [text: string, label: string, occurrence?: number];
interface LayerSpec {
  review?: 'todo' | 'in-progress' | 'done';
  entities: Mark[];
  boilerplate?: Mark[];
}

const LAYERS: Record<string, Record<string, LayerSpec>> = {
  'politics.txt': {
    alice: {
      review: 'done',
      entities: [['Angela Merkel', 'PER'], ['Emmanuel Macron', 'PER'], ['Berlin', 'LOC'], ['European Union', 'ORG'], ['Facebook', 'ORG']],
      boilerplate: [['Share this article on Facebook.', 'share']],
    },
    bob: {
      review: 'done',
      entities: [['Angela Merkel', 'PER'], ['Macron', 'PER'], ['Berlin', 'LOC'], ['The European Union', 'ORG'], ['Monday', 'MISC']],
      boilerplate: [['Share this article on Facebook.', 'share']],
    },
    carol: { review: 'done', entities: [['Angela Merkel', 'PER'], ['Emmanuel Macron', 'PER'], ['Berlin', 'ORG'], ['European Union', 'ORG']] },
  },
  'sport.txt': {
    alice: { review: 'done', entities: [['Real Madrid', 'ORG'], ['Bayern Munich', 'ORG'], ['Madrid', 'LOC', 1], ['Carlo Ancelotti', 'PER'], ['Jude Bellingham', 'PER']] },
    bob: { review: 'done', entities: [['Real Madrid', 'ORG'], ['Bayern Munich', 'ORG'], ['Madrid', 'LOC', 1], ['Carlo Ancelotti', 'PER'], ['Bellingham', 'PER']] },
    carol: { review: 'in-progress', entities: [['Real Madrid', 'ORG']] },
  },
  'business.txt': {
    alice: { review: 'done', entities: [['Apple', 'ORG'], ['Paris', 'LOC'], ['Tim Cook', 'PER'], ['Apple', 'ORG', 1]], boilerplate: [['Read more: Apple earnings.', 'related']] },
    bob: { review: 'done', entities: [['Apple', 'ORG'], ['Paris', 'LOC'], ['Tim Cook', 'PER']] },
    carol: { review: 'done', entities: [['Apple', 'ORG'], ['Paris', 'LOC'], ['Tim', 'PER']], boilerplate: [['Read more: Apple earnings.', 'related']] },
  },
  'weather.txt': {
    alice: { review: 'done', entities: [['Ciaran', 'MISC'], ['Brittany', 'LOC'], ['Cornwall', 'LOC']] },
    bob: { review: 'todo', entities: [['Storm Ciaran', 'MISC'], ['Brittany', 'LOC'], ['Cornwall', 'LOC']] },
  },
};

const ANNOTATORS = ['alice', 'bob', 'carol'];

interface Span {
  start: number;
  end: number;
  label: string;
}

function locate(text: string, [needle, label, occurrence = 0]: Mark): Span {
  let at = -1;
  for (let k = 0; k <= occurrence; k++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} #${occurrence}`);
  return { start: at, end: at + needle.length, label };
}

function writeLayerFile(dir: string, name: string, annotator: string, spec: LayerSpec): void {
  const text = TEXTS[name];
  const ann = (kind: 'entity' | 'boilerplate', m: Mark, i: number) => {
    const s = locate(text, m);
    return {
      id: `${annotator}-${kind}-${i}`,
      kind,
      ...(kind === 'entity' ? { label: s.label } : { category: s.label }),
      start: s.start,
      end: s.end,
      text: text.slice(s.start, s.end),
      prefix: text.slice(Math.max(0, s.start - 32), s.start),
      suffix: text.slice(s.end, s.end + 32),
      status: 'accepted',
      source: 'user',
      created: '2026-03-02T09:00:00.000Z',
      modified: '2026-03-02T09:00:00.000Z',
    };
  };
  const layer = {
    version: 1,
    annotator,
    document: { path: name, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), length: text.length },
    offsets: 'codepoint',
    ...(spec.review ? { review: { status: spec.review, modified: '2026-03-02T10:00:00.000Z' } } : {}),
    annotations: [...spec.entities.map((m, i) => ann('entity', m, i)), ...(spec.boilerplate ?? []).map((m, i) => ann('boilerplate', m, i))],
  };
  fs.writeFileSync(path.join(dir, `${name}.ann.${annotator}.json`), JSON.stringify(layer, null, 2));
}

function makeCorpus(): string {
  const dir = makeWorkspace(TEXTS);
  for (const [name, byAnnotator] of Object.entries(LAYERS)) for (const [who, spec] of Object.entries(byAnnotator)) writeLayerFile(dir, name, who, spec);
  // The adjudicated sidecar is not an annotator: it must be ignored by agree.
  fs.writeFileSync(path.join(dir, 'politics.txt.ann.json'), fs.readFileSync(path.join(dir, 'politics.txt.ann.alice.json'), 'utf8').replace('"annotator": "alice",', ''));
  return dir;
}

// ---------------------------------------------------------------------------
// The independent computation

/** Tokens: runs of letters/digits, or one punctuation mark (the texts are ASCII). */
function tokens(text: string): { start: number; end: number }[] {
  return [...text.matchAll(/[A-Za-z0-9]+|[^\sA-Za-z0-9]/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
}

function tagsOf(text: string, spans: Span[]): string[] {
  return tokens(text).map((t) => spans.find((s) => s.start <= t.start && t.end <= s.end)?.label ?? 'O');
}

function entitySpans(name: string, who: string, labels?: string[]): Span[] {
  return LAYERS[name][who].entities.map((m) => locate(TEXTS[name], m)).filter((s) => !labels || labels.includes(s.label));
}
function boilerplateSpans(name: string, who: string): Span[] {
  return (LAYERS[name][who].boilerplate ?? []).map((m) => locate(TEXTS[name], m));
}

/** Documents both annotators marked done (or both have, with --all), in name order. */
function shared(a: string, b: string, all: boolean): string[] {
  return Object.keys(LAYERS)
    .filter((n) => [a, b].every((w) => LAYERS[n][w] && (all || LAYERS[n][w].review === 'done')))
    .sort();
}

function spanF1(docs: string[], a: string, b: string, spansOf: (n: string, w: string) => Span[]): { matched: number; na: number; nb: number; f1: number } {
  let matched = 0;
  let na = 0;
  let nb = 0;
  for (const n of docs) {
    const A = spansOf(n, a).map((s) => `${s.start}-${s.end}-${s.label}`);
    const B = new Set(spansOf(n, b).map((s) => `${s.start}-${s.end}-${s.label}`));
    matched += A.filter((k) => B.has(k)).length;
    na += A.length;
    nb += B.size;
  }
  return { matched, na, nb, f1: (2 * matched) / (na + nb) };
}

function cohen(x: string[], y: string[]): number {
  const n = x.length;
  const cats = [...new Set([...x, ...y])];
  const po = x.filter((v, i) => v === y[i]).length / n;
  const pe = cats.reduce((s, c) => s + (x.filter((v) => v === c).length / n) * (y.filter((v) => v === c).length / n), 0);
  return (po - pe) / (1 - pe);
}

/** Krippendorff's α, nominal, from its definition: D_o over pairs within units, D_e over all pairable values. */
function alpha(units: (string | null)[][]): number {
  const pairable = units.map((u) => u.filter((v): v is string => v !== null)).filter((u) => u.length >= 2);
  const all = pairable.flat();
  const n = all.length;
  let dO = 0;
  for (const u of pairable) {
    let diff = 0;
    for (let i = 0; i < u.length; i++) for (let j = 0; j < u.length; j++) if (i !== j && u[i] !== u[j]) diff++;
    dO += diff / (u.length - 1);
  }
  let dE = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && all[i] !== all[j]) dE++;
  return 1 - ((n - 1) * dO) / dE;
}

/** Fleiss' κ from the per-unit category counts. */
function fleiss(units: string[][]): number {
  const r = units[0].length;
  const cats = [...new Set(units.flat())];
  const P = units.map((u) => (cats.reduce((s, c) => s + u.filter((v) => v === c).length ** 2, 0) - r) / (r * (r - 1)));
  const pBar = P.reduce((s, x) => s + x, 0) / units.length;
  const pe = cats.reduce((s, c) => s + (units.flat().filter((v) => v === c).length / (units.length * r)) ** 2, 0);
  return (pBar - pe) / (1 - pe);
}

function close(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: agree says ${actual}, independent computation ${expected}`);
}

// ---------------------------------------------------------------------------

describe('news-annotator agree', () => {
  it('compares the documents two or more annotators marked done; span F1, Cohen κ, Fleiss κ and α match an independent computation', () => {
    const dir = makeCorpus();
    const r = cli('agree', '--json', dir);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.selection, 'done');
    assert.deepEqual(out.annotators, ANNOTATORS);
    // politics and business (three done), sport (alice, bob done; carol in progress); weather: only alice done; untouched: no layer.
    assert.deepEqual(out.documents, { files: 5, compared: 3, notCompared: 2, unreadable: 0 });
    assert.deepEqual(out.perDocument.map((d: { document: string }) => path.basename(d.document)).sort(), ['business.txt', 'politics.txt', 'sport.txt']);

    for (const pair of out.entity.spans.pairs) {
      const docs = shared(pair.a, pair.b, false);
      const expected = spanF1(docs, pair.a, pair.b, (n, w) => entitySpans(n, w));
      assert.equal(pair.documents, docs.length, `${pair.a}~${pair.b} documents`);
      assert.deepEqual([pair.micro.matched, pair.micro.spansA, pair.micro.spansB], [expected.matched, expected.na, expected.nb], `${pair.a}~${pair.b} counts`);
      close(pair.micro.f1, expected.f1, `${pair.a}~${pair.b} span F1`);
      close(pair.micro.precision, expected.matched / expected.nb, `${pair.a}~${pair.b} precision`);
      close(pair.micro.recall, expected.matched / expected.na, `${pair.a}~${pair.b} recall`);
      for (const [label, s] of Object.entries(pair.labels) as [string, { f1: number | null }][]) {
        const l = spanF1(docs, pair.a, pair.b, (n, w) => entitySpans(n, w, [label]));
        if (l.na + l.nb) close(s.f1, l.f1, `${pair.a}~${pair.b} ${label} F1`);
      }
    }
    assert.deepEqual(out.entity.spans.pairs.map((p: { a: string; b: string }) => `${p.a}~${p.b}`), ['alice~bob', 'alice~carol', 'bob~carol']);

    for (const k of out.entity.tokens.cohen) {
      const docs = shared(k.a, k.b, false);
      const x = docs.flatMap((n) => tagsOf(TEXTS[n], entitySpans(n, k.a)));
      const y = docs.flatMap((n) => tagsOf(TEXTS[n], entitySpans(n, k.b)));
      assert.equal(k.units, x.length, `${k.a}~${k.b} tokens`);
      close(k.kappa, cohen(x, y), `${k.a}~${k.b} Cohen κ (entities)`);
    }
    for (const k of out.boilerplate.tokens.cohen) {
      const docs = shared(k.a, k.b, false);
      const x = docs.flatMap((n) => tagsOf(TEXTS[n], boilerplateSpans(n, k.a)));
      const y = docs.flatMap((n) => tagsOf(TEXTS[n], boilerplateSpans(n, k.b)));
      close(k.kappa, cohen(x, y), `${k.a}~${k.b} Cohen κ (boilerplate)`);
    }

    // Fleiss: the documents all three marked done; α: every compared document, carol missing on sport.
    const everyone = ['business.txt', 'politics.txt'];
    const fleissUnits = everyone.flatMap((n) => {
      const t = ANNOTATORS.map((w) => tagsOf(TEXTS[n], entitySpans(n, w)));
      return t[0].map((_, i) => t.map((tags) => tags[i]));
    });
    assert.equal(out.entity.tokens.fleiss.documents, 2);
    assert.equal(out.entity.tokens.fleiss.units, fleissUnits.length);
    close(out.entity.tokens.fleiss.kappa, fleiss(fleissUnits), "Fleiss' κ");
    const alphaUnits = ['business.txt', 'politics.txt', 'sport.txt'].flatMap((n) => {
      const t = ANNOTATORS.map((w) => (n === 'sport.txt' && w === 'carol' ? null : tagsOf(TEXTS[n], entitySpans(n, w))));
      return tokens(TEXTS[n]).map((_, i) => t.map((tags) => (tags ? tags[i] : null)));
    });
    assert.equal(out.entity.tokens.krippendorff.units, alphaUnits.length);
    close(out.entity.tokens.krippendorff.alpha, alpha(alphaUnits), "Krippendorff's α");

    // Per document: each pair's F1.
    const politics = out.perDocument.find((d: { document: string }) => d.document.endsWith('politics.txt'));
    for (const p of politics.pairs) close(p.entity.f1, spanF1(['politics.txt'], p.a, p.b, (n, w) => entitySpans(n, w)).f1, `politics ${p.a}~${p.b}`);
    close(politics.worstEntityF1, Math.min(...politics.pairs.map((p: { entity: { f1: number } }) => p.entity.f1)), 'worst pair');
  });

  it('--all takes every layer; --annotators and --labels narrow the comparison', () => {
    const dir = makeCorpus();
    const all = JSON.parse(cli('agree', '--json', '--all', dir).stdout);
    assert.equal(all.selection, 'all');
    assert.equal(all.documents.compared, 4);
    const ab = all.entity.spans.pairs.find((p: { a: string; b: string }) => p.a === 'alice' && p.b === 'bob');
    close(ab.micro.f1, spanF1(shared('alice', 'bob', true), 'alice', 'bob', (n, w) => entitySpans(n, w)).f1, 'alice~bob with --all');
    assert.equal(ab.documents, 4);

    const narrowed = cli('agree', '--json', '--all', '--annotators', 'bob,carol', '--labels', 'PER,LOC', dir);
    assert.equal(narrowed.status, 0, narrowed.stderr);
    const n = JSON.parse(narrowed.stdout);
    assert.deepEqual(n.annotators, ['bob', 'carol']);
    assert.deepEqual(n.labels, ['LOC', 'PER']);
    assert.equal(n.documents.compared, 3, 'politics, sport, business: bob and carol both have a layer');
    const docs = shared('bob', 'carol', true);
    const bc = n.entity.spans.pairs[0];
    close(bc.micro.f1, spanF1(docs, 'bob', 'carol', (d, w) => entitySpans(d, w, ['PER', 'LOC'])).f1, 'bob~carol PER+LOC');
    assert.deepEqual(Object.keys(bc.labels).sort(), ['LOC', 'PER']);
    const x = docs.flatMap((d) => tagsOf(TEXTS[d], entitySpans(d, 'bob', ['PER', 'LOC'])));
    const y = docs.flatMap((d) => tagsOf(TEXTS[d], entitySpans(d, 'carol', ['PER', 'LOC'])));
    close(n.entity.tokens.cohen[0].kappa, cohen(x, y), 'κ with --labels');

    const unknown = cli('agree', '--annotators', 'alice,dave', dir);
    assert.equal(unknown.status, 0);
    assert.match(unknown.stderr, /annotator dave has no layer/);
  });

  it('prints a readable table by default and CSV with the same figures', () => {
    const dir = makeCorpus();
    const json = JSON.parse(cli('agree', '--json', dir).stdout);
    const table = cli('agree', dir);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /Agreement of 3 annotators \(alice, bob, carol\) on 3 documents/);
    const ab = json.entity.spans.pairs[0];
    assert.match(table.stdout, new RegExp(`alice\\s+bob\\s+\\(micro\\)\\s+${ab.documents}\\s+${ab.micro.matched}\\s+${ab.micro.spansA}\\s+${ab.micro.spansB}\\s+${ab.micro.precision.toFixed(3)}\\s+${ab.micro.recall.toFixed(3)}\\s+${ab.micro.f1.toFixed(3)}`));
    assert.match(table.stdout, new RegExp(`Cohen's κ\\s+alice ~ bob\\s+${json.entity.tokens.cohen[0].kappa.toFixed(3)}`));
    assert.match(table.stdout, new RegExp(`Krippendorff's α \\(nominal\\)\\s+all, missing allowed\\s+${json.entity.tokens.krippendorff.alpha.toFixed(3)}`));
    assert.match(table.stdout, /Documents, lowest entity F1 first/);

    const csv = cli('agree', '--csv', dir);
    assert.equal(csv.status, 0, csv.stderr);
    const rows = csv.stdout.trimEnd().split('\r\n').map((l) => l.split(','));
    assert.deepEqual(rows[0], ['layer', 'statistic', 'document', 'annotator_a', 'annotator_b', 'label', 'value']);
    const value = (layer: string, statistic: string, a: string, b: string, label = '') =>
      Number(rows.find((r) => r[0] === layer && r[1] === statistic && r[2] === '' && r[3] === a && r[4] === b && r[5] === label)![6]);
    assert.equal(value('entity', 'f1', 'alice', 'bob'), ab.micro.f1);
    assert.equal(value('entity', 'f1', 'alice', 'bob', 'PER'), ab.labels.PER.f1);
    assert.equal(value('entity', 'cohen_kappa', 'alice', 'bob'), json.entity.tokens.cohen[0].kappa);
    assert.equal(value('entity', 'fleiss_kappa', '', ''), json.entity.tokens.fleiss.kappa);
    assert.equal(value('boilerplate', 'krippendorff_alpha', '', ''), json.boilerplate.tokens.krippendorff.alpha);
    assert.ok(rows.some((r) => r[2].endsWith('politics.txt') && r[1] === 'f1' && r[3] === 'alice' && r[4] === 'carol'), 'per-document rows');
  });

  it('names unreadable inputs and damaged layers on stderr and exits 1, comparing the rest; usage errors exit 2', () => {
    const dir = makeCorpus();
    fs.writeFileSync(path.join(dir, 'sport.txt.ann.bob.json'), '{"version": 1, "annotations": [');
    fs.writeFileSync(path.join(dir, 'binary.txt'), Buffer.from([0, 1, 2, 3]));
    for (const w of ['alice', 'bob']) fs.writeFileSync(path.join(dir, `binary.txt.ann.${w}.json`), '{}');
    const r = cli('agree', '--json', dir, path.join(dir, 'missing'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /missing: no such file or directory/);
    assert.match(r.stderr, /sport\.txt: layer of bob left out: sport\.txt\.ann\.bob\.json is damaged/);
    assert.match(r.stderr, /binary\.txt: .*binary/);
    const out = JSON.parse(r.stdout);
    assert.equal(out.documents.unreadable, 1);
    assert.equal(out.documents.compared, 2, 'sport has only alice left');
    assert.equal(fs.readFileSync(path.join(dir, 'sport.txt.ann.bob.json'), 'utf8'), '{"version": 1, "annotations": [', 'the damaged layer is left as it was');

    // Usage errors exit 2 (the other cases are checked in-process: test/unit/agree-command.test.ts).
    const u = cli('agree', '--annotators', '../x', dir);
    assert.equal(u.status, 2);
    assert.match(u.stderr, /--annotators: invalid name "\.\.\/x"/);
    assert.match(cli('--help').stdout, /news-annotator agree/);
  });

  it('says so when nothing is done yet, and exits 0', () => {
    const dir = makeWorkspace({ 'a.txt': 'Ann met Bob.\n' });
    const r = cli('agree', dir);
    assert.equal(r.status, 0);
    assert.match(r.stderr, /no document has two or more annotator layers marked done/);
    assert.match(r.stdout, /on 0 documents/);
  });
});
