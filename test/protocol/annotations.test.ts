/**
 * Annotations through the language server as text changes: edits before,
 * inside and after annotations; orphans and re-attaching; renames and
 * deletes; decisions applied across the corpus.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { Command, DiagnosticCode, Request, type Sidecar, type WorkspaceEntitiesResult } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { codeOf, cpSlice, indexed, makeWorkspace, open, startServer, uriOf, type Session } from './lspClient';

function sidecarOf(file: string): Sidecar {
  return JSON.parse(fs.readFileSync(file + '.ann.json', 'utf8')) as Sidecar;
}

function rangeOf(text: string, needle: string, from = 0) {
  const before = text.slice(0, text.indexOf(needle, from));
  const line = before.split('\n').length - 1;
  const character = before.length - (before.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

async function annotate(s: Session, uri: string, text: string, needle: string, label: string): Promise<void> {
  await s.connection.sendRequest('workspace/executeCommand', { command: Command.annotateRange, arguments: [{ uri, label, range: rangeOf(text, needle) }] });
}

async function change(s: Session, uri: string, version: number, range: ReturnType<typeof rangeOf>, text: string): Promise<void> {
  await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
}

async function saved(s: Session, uri: string, file: string, text: string): Promise<void> {
  fs.writeFileSync(file, text);
  await s.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
}

async function until(cond: () => boolean, ms = 10000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 40));
  }
}

describe('annotations follow the text', () => {
  const text = 'التقى وزير الخارجية الإيراني نظيره الباكستاني في إسلام آباد، ثم زار لاهور.\n';

  it('edits before, inside and after annotations keep every annotation on its exact text', async () => {
    const folder = makeWorkspace({ 'a.txt': text });
    const file = path.join(folder, 'a.txt');
    const s = await startServer(folder);
    try {
      const uri = await open(s, file);
      await s.waitForDiagnostics(uri);
      await annotate(s, uri, text, 'إسلام آباد', 'LOC');
      await annotate(s, uri, text, 'لاهور', 'LOC');
      let cur = text;
      let v = 2;
      // One line of text: LSP characters are the JS (UTF-16) indices.
      const apply = async (from: number, to: number, insert: string) => {
        await change(s, uri, v++, { start: { line: 0, character: from }, end: { line: 0, character: to } }, insert);
        cur = cur.slice(0, from) + insert + cur.slice(to);
      };
      await apply(0, 0, '🚨 عاجل: '); // before both
      const inIslamabad = cur.indexOf('إسلام آباد') + 'إسلام'.length;
      await apply(inIslamabad, inIslamabad + 1, '\u00A0'); // inside the first: its text is updated
      await apply(cur.length - 1, cur.length - 1, ' 𝕏'); // after both
      await saved(s, uri, file, cur);
      await until(() => sidecarOf(file).annotations.some((a) => a.text.includes('\u00A0')));
      const anns = sidecarOf(file).annotations;
      assert.equal(anns.length, 2);
      for (const a of anns) assert.equal(cpSlice(cur, a.start, a.end), a.text, 'every annotation covers its exact text');
      assert.deepEqual(anns.map((a) => a.text).sort(), ['إسلام\u00A0آباد', 'لاهور'].sort());
    } finally {
      await s.close();
    }
  });

  it('an annotation whose text is deleted becomes an orphan, is kept, and can be re-attached or deleted', async () => {
    const folder = makeWorkspace({ 'b.txt': text });
    const file = path.join(folder, 'b.txt');
    const s = await startServer(folder);
    try {
      const uri = await open(s, file);
      await s.waitForDiagnostics(uri);
      await annotate(s, uri, text, 'لاهور', 'LOC');
      const r = rangeOf(text, 'ثم زار لاهور');
      await change(s, uri, 2, r, '');
      const cur = text.replace('ثم زار لاهور', '');
      await saved(s, uri, file, cur);
      const diags = await s.waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === DiagnosticCode.orphan));
      const orphan = diags.find((x) => codeOf(x) === DiagnosticCode.orphan) as Diagnostic;
      assert.match(orphan.message as string, /لاهور/);
      await until(() => sidecarOf(file).annotations.some((a) => a.orphaned));
      assert.equal(sidecarOf(file).annotations[0].text, 'لاهور', 'the orphan keeps its text in the sidecar');

      const target = rangeOf(cur, 'إسلام آباد');
      const actions = (await s.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: target, context: { diagnostics: [orphan] } })) as CodeAction[];
      const reattach = actions.find((a) => a.command?.command === Command.reattach)!;
      assert.ok(reattach, 're-attach offered on a selection');
      assert.ok(actions.some((a) => a.command?.command === Command.removeAnnotation), 'delete offered');
      await s.connection.sendRequest('workspace/executeCommand', reattach.command!);
      const a = sidecarOf(file).annotations[0];
      assert.ok(!a.orphaned);
      assert.equal(a.text, 'إسلام آباد');
      assert.equal(a.label, 'LOC');
      assert.equal(cpSlice(cur, a.start, a.end), 'إسلام آباد');
      await s.waitForDiagnostics(uri, (d) => !d.some((x) => codeOf(x) === DiagnosticCode.orphan));
    } finally {
      await s.close();
    }
  });

  it('renaming a text file moves its sidecar; deleting one keeps the sidecar and says so', async () => {
    const folder = makeWorkspace({ 'c.txt': text });
    const file = path.join(folder, 'c.txt');
    const s = await startServer(folder);
    try {
      const uri = await open(s, file);
      await s.waitForDiagnostics(uri);
      await annotate(s, uri, text, 'لاهور', 'LOC');
      const moved = path.join(folder, 'sub', 'renamed.txt');
      fs.mkdirSync(path.dirname(moved));
      fs.renameSync(file, moved);
      await s.connection.sendNotification('workspace/didRenameFiles', { files: [{ oldUri: uri, newUri: uriOf(moved) }] });
      // The server writes the new sidecar, then removes the old one: wait for both steps.
      await until(() => fs.existsSync(moved + '.ann.json') && !fs.existsSync(file + '.ann.json'));
      assert.equal(sidecarOf(moved).document.path, 'renamed.txt');
      assert.equal(sidecarOf(moved).annotations[0].text, 'لاهور');

      fs.unlinkSync(moved);
      await s.connection.sendNotification('workspace/didDeleteFiles', { files: [{ uri: uriOf(moved) }] });
      await until(() => s.messages.some((m) => /renamed\.txt was deleted; its annotations are kept/.test(m.message)));
      assert.ok(fs.existsSync(moved + '.ann.json'), 'the sidecar of a deleted file is kept');
    } finally {
      await s.close();
    }
  });
});

describe('changes made outside the editor', () => {
  it('picks up a sidecar another tool (the CLI) wrote while the document is open', async () => {
    const text = 'قال رئيس الوزراء الباكستاني إن الحدود مع إيران آمنة.\n';
    const folder = makeWorkspace({ 'e.txt': text });
    const file = path.join(folder, 'e.txt');
    const s = await startServer(folder);
    try {
      const uri = await open(s, file);
      await s.waitForDiagnostics(uri);
      const cli = path.join(__dirname, '..', '..', 'dist', 'cli.js');
      const jsonl = path.join(folder, 'import.jsonl');
      const start = [...text].length - [...text.slice(text.indexOf('إيران'))].length;
      fs.writeFileSync(jsonl, JSON.stringify({ id: 'e.txt', text, label: [[start, start + 5, 'LOC']] }) + '\n');
      const r = spawnSync(process.execPath, [cli, 'import', '--format', 'jsonl', '--into', folder, jsonl], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file + '.ann.json'), type: 1 }] });
      type Anns = { annotations: { text: string; label?: string; status: string }[] };
      let got: Anns = { annotations: [] };
      await until(() => {
        void s.connection.sendRequest('newsAnnotator/documentAnnotations', { uri }).then((x) => (got = x as Anns));
        return got.annotations.some((a) => a.text === 'إيران' && a.label === 'LOC' && a.status === 'accepted');
      });
      // Once accepted elsewhere, it is no longer a suggestion here.
      await s.waitForDiagnostics(uri, (d) => !d.some((x) => codeOf(x) === 'entity' && (x.data as { text: string }).text === 'إيران'));
    } finally {
      await s.close();
    }
  });
});

describe('decisions across the corpus', () => {
  it('marking a block as boilerplate everywhere writes it into every sidecar of the corpus and survives a restart', async () => {
    const files: Record<string, string> = {};
    const line = 'اقرأ أيضا على موقعنا';
    for (let i = 0; i < 3; i++) files[`d${i}.txt`] = `خبر رقم ${'واحد اثنان ثلاثة'.split(' ')[i]} عن الاقتصاد والطاقة في المنطقة، وقال المسؤولون إن الوضع مستقر.\n\n${line}\n`;
    files['other.txt'] = 'نص بلا السطر المكرر، وفيه جملة كاملة عن الطقس.\n';
    const folder = makeWorkspace(files);
    let s = await startServer(folder);
    try {
      const uri = await open(s, path.join(folder, 'd0.txt'));
      await s.waitForDiagnostics(uri);
      const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.applyEverywhere, arguments: [{ text: line, boilerplate: true, category: 'related' }] })) as { documents: number; annotations: number };
      assert.deepEqual({ documents: r.documents, annotations: r.annotations }, { documents: 3, annotations: 3 });
      for (let i = 0; i < 3; i++) {
        const sc = sidecarOf(path.join(folder, `d${i}.txt`));
        assert.equal(sc.annotations.length, 1);
        assert.equal(sc.annotations[0].text, line);
        assert.equal(sc.annotations[0].category, 'related');
      }
      assert.ok(!fs.existsSync(path.join(folder, 'other.txt.ann.json')));
    } finally {
      await s.close();
    }
    // A new document with the same block, after a restart: flagged as the user decided.
    fs.writeFileSync(path.join(folder, 'd9.txt'), `خبر جديد عن الزراعة والمياه في الريف، وقال الخبراء إن الموسم جيد.\n\n${line}\n`);
    s = await startServer(folder);
    try {
      const uri = await open(s, path.join(folder, 'd9.txt'));
      const d = await s.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === 'boilerplate' && (y.data as { category: string }).category === 'user'));
      const b = d.find((y) => codeOf(y) === 'boilerplate' && (y.data as { category: string }).category === 'user')!;
      assert.equal(b.range.start.line, 2);
      assert.equal((b.data as { category: string }).category, 'user');
    } finally {
      await s.close();
    }
  });

  it('finds a block merged from several lines (a comment form) in every document, and only where all its lines are', async () => {
    const block = 'اترك تعليقاً\n\nلن يتم نشر عنوان بريدك الإلكتروني.';
    const files: Record<string, string> = {};
    for (let i = 0; i < 3; i++) files[`d${i}.txt`] = `خبر رقم ${'واحد اثنان ثلاثة'.split(' ')[i]} عن الاقتصاد والطاقة في المنطقة.\n\n${i === 2 ? block.replace('\n\n', '\n') : block}\n`;
    // Its first line alone is not the block.
    files['part.txt'] = 'خبر آخر عن الطقس والأمطار في الشمال.\n\nاترك تعليقاً\n\nتعليقات القراء أدناه.\n';
    const folder = makeWorkspace(files);
    const s = await startServer(folder);
    try {
      await s.waitForDiagnostics(await open(s, path.join(folder, 'd0.txt')));
      const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.applyEverywhere, arguments: [{ text: block, boilerplate: true, category: 'comment-form' }] })) as { documents: number; annotations: number };
      assert.deepEqual({ documents: r.documents, annotations: r.annotations }, { documents: 3, annotations: 3 });
      for (let i = 0; i < 3; i++) {
        const [a] = sidecarOf(path.join(folder, `d${i}.txt`)).annotations;
        assert.equal(a.text, i === 2 ? block.replace('\n\n', '\n') : block, 'the annotation covers the whole block, from its first line to its last');
        assert.equal(a.category, 'comment-form');
      }
      assert.ok(!fs.existsSync(path.join(folder, 'part.txt.ann.json')));
    } finally {
      await s.close();
    }
  });
});

describe('decisions across the corpus, from the corpus index', () => {
  it('skips the files the index knows lack the block, and reads those changed on disk since they were indexed', async () => {
    const line = 'تابعونا على تلغرام وفيسبوك';
    const article = (n: string) => `خبر رقم ${n} عن الاقتصاد والطاقة في المنطقة، وقال المسؤولون إن الوضع مستقر.`;
    const files: Record<string, string> = {
      'lf.txt': `${article('واحد')}\n\n${line}\n`,
      // Windows line ends: the index's keys and the block's are the same.
      'crlf.txt': `${article('اثنان')}\r\n\r\n${line}\r\n`,
      'other.txt': `${article('ثلاثة')}\n`,
      'late.txt': `${article('أربعة')}\n`,
    };
    const folder = makeWorkspace(files);
    const s = await startServer(folder);
    try {
      await indexed(s);
      // Changed after the scan, and the server is not told (no watched-file event): its index is stale
      // for this file, which must be read.
      fs.writeFileSync(path.join(folder, 'late.txt'), `${files['late.txt']}\n${line}\n`);
      const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.applyEverywhere, arguments: [{ text: line, boilerplate: true, category: 'social' }] })) as { documents: number; annotations: number };
      assert.deepEqual({ documents: r.documents, annotations: r.annotations }, { documents: 3, annotations: 3 });
      for (const f of ['lf.txt', 'crlf.txt', 'late.txt']) {
        const [a] = sidecarOf(path.join(folder, f)).annotations;
        assert.equal(a.text, line, f);
      }
      assert.ok(!fs.existsSync(path.join(folder, 'other.txt.ann.json')));
    } finally {
      await s.close();
    }
  });
});

/**
 * A workspace of one-sentence documents `co<i>.txt`, each naming an invented company
 * (unknown to the shipped model and gazetteers) accepted as ORG in its sidecar, plus `more` files.
 */
function companies(names: string[], more: Record<string, string> = {}): string {
  const files: Record<string, string> = { ...more };
  names.forEach((n, i) => (files[`co${i}.txt`] = `أعلنت مجموعة ${n} القابضة اليوم عن أرباح قياسية في الربع الثالث.\n`));
  const folder = makeWorkspace(files);
  for (const [i, n] of names.entries()) {
    const file = path.join(folder, `co${i}.txt`);
    const text = files[`co${i}.txt`];
    const name = `مجموعة ${n} القابضة`;
    const start = [...text.slice(0, text.indexOf(name))].length;
    const sc = emptySidecar(path.basename(file), text);
    sc.annotations.push(createAnnotation(text, start, start + [...name].length, { kind: 'entity', label: 'ORG', status: 'accepted', source: 'user' }));
    fs.writeFileSync(file + '.ann.json', serializeSidecar(sc));
  }
  return folder;
}

describe('learning from the annotator', () => {
  it('Learn from Annotations adapts the tagger to accepted names and reports its effect on documents set aside', async () => {
    // Invented company names in one pattern, unknown to the shipped model and gazetteers.
    const folder = companies(['زمردان', 'قرطوسة', 'بلنسار', 'دروانيق', 'سمرقوش', 'فيروزان', 'تلمسيك', 'مرجانة', 'كهرمار', 'ياقوتين']);
    const s = await startServer(folder);
    try {
      await open(s, path.join(folder, 'co0.txt'));
      const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.learn, arguments: [] })) as { documents: number; annotations: number; before?: number; after?: number };
      assert.equal(r.documents, 10);
      assert.equal(r.annotations, 10);
      assert.equal(typeof r.before, 'number');
      assert.equal(typeof r.after, 'number');
      assert.ok(r.after! > r.before!, `the adapted tagger finds the set-aside names better (before ${r.before}, after ${r.after})`);
      assert.ok(fs.existsSync(path.join(folder, '.news-annotator', 'adapted-model.json')), 'the adapted tagger is saved');
    } finally {
      await s.close();
    }
    // After a restart the adapted tagger is used: a new document in the same pattern, without any sidecar,
    // in which the shipped tagger finds nothing (checked first, in a folder of its own).
    const sentence = 'أعلنت مجموعة عقيقان القابضة اليوم عن أرباح قياسية في الربع الثالث.\n';
    const control = makeWorkspace({ 'new.txt': sentence });
    const shipped = await startServer(control);
    try {
      const uri = await open(shipped, path.join(control, 'new.txt'));
      const d = await shipped.waitForDiagnostics(uri);
      assert.ok(!d.some((y) => codeOf(y) === 'entity'), 'the shipped tagger does not know the pattern');
    } finally {
      await shipped.close();
    }
    fs.writeFileSync(path.join(folder, 'new.txt'), sentence);
    // A file that is never opened: the start-up scan reads it with the adapted tagger too (it
    // used the shipped one), so the corpus-wide lists and suggestions see the name found there.
    fs.writeFileSync(path.join(folder, 'unopened.txt'), 'أعلنت مجموعة بلورين القابضة اليوم عن أرباح قياسية في الربع الثالث.\n');
    const again = await startServer(folder);
    try {
      const uri = await open(again, path.join(folder, 'new.txt'));
      const d = await again.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === 'entity' && (y.data as { text: string }).text.includes('عقيقان')));
      assert.equal((d.find((y) => (y.data as { text: string }).text.includes('عقيقان'))!.data as { label: string }).label, 'ORG');
      const listed = (await again.connection.sendRequest(Request.workspaceEntities.method, {})) as WorkspaceEntitiesResult;
      const found = listed.entities.find((e) => e.text.includes('بلورين'));
      assert.equal(found?.label, 'ORG', JSON.stringify(listed.entities.map((e) => [e.text, e.label])));
      assert.ok(found!.documents.some((d) => d.uri.endsWith('unopened.txt')));
      assert.ok(!again.messages.some((m) => /cannot load/.test(m.message)));
    } finally {
      await again.close();
    }
  });
});

describe('documents that are not files', () => {
  it('an untitled buffer gets suggestions, but annotating it asks the user to save it first', async () => {
    const folder = makeWorkspace({});
    const s = await startServer(folder);
    try {
      const uri = 'untitled:Untitled-1';
      const text = 'زار وزير الخارجية الإيراني باكستان 😀 يوم الاثنين.\n';
      await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text } });
      const d = await s.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === 'entity'));
      const pk = d.find((y) => (y.data as { text: string }).text === 'باكستان')!;
      assert.ok(pk);
      const hover = await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: pk.range.start });
      assert.ok(hover);
      await assert.rejects(
        s.connection.sendRequest('workspace/executeCommand', { command: Command.annotateRange, arguments: [{ uri, label: 'LOC', range: pk.range }] }),
        /save it before annotating/,
      );
      assert.deepEqual(fs.readdirSync(folder), []);
    } finally {
      await s.close();
    }
  });
});

describe('settings', () => {
  const article = 'زار وزير الخارجية الإيراني باكستان يوم الاثنين وبحث مع نظيره الباكستاني الوضع في المنطقة والعلاقات بين البلدين.\n\nشارك المقال\n\nتابعونا على تلغرام\n';
  for (const [off, on] of [['boilerplate', 'entity'], ['entities', 'boilerplate']] as const) {
    it(`${off}.enabled = false: no ${off === 'entities' ? 'entity' : 'boilerplate'} diagnostics, the other detector still reports`, async () => {
      const folder = makeWorkspace({ 'a.txt': article });
      const s = await startServer(folder, { [off]: { enabled: false } });
      try {
        const uri = await open(s, path.join(folder, 'a.txt'));
        const d = await s.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === on));
        const silenced = off === 'entities' ? 'entity' : 'boilerplate';
        assert.ok(!d.some((y) => codeOf(y) === silenced), JSON.stringify(d.map(codeOf)));
      } finally {
        await s.close();
      }
    });
  }

  it('a model file that cannot be loaded is reported, and the shipped model keeps working', async () => {
    const folder = makeWorkspace({ 'm.txt': 'زار وزير الخارجية الإيراني باكستان يوم الاثنين.\n', 'bad-model.json': '{"not": "a model"' });
    const s = await startServer(folder, { entities: { modelPath: 'bad-model.json' } });
    try {
      const uri = await open(s, path.join(folder, 'm.txt'));
      const d = await s.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === 'entity'));
      assert.ok(d.some((y) => codeOf(y) === 'entity' && (y.data as { text: string }).text === 'باكستان'));
      await until(() => s.messages.some((m) => /modelPath: cannot load bad-model\.json/.test(m.message)));
    } finally {
      await s.close();
    }
  });
});

describe('learning from documents marked done', () => {
  it('a document marked done teaches even without a decision; one that is not, does not', async () => {
    // Three documents without a single decision: one marked done in its sidecar, one to be marked
    // done in the editor (its buffer's state), one never reviewed.
    const plain = 'وقال المتحدث إن الاجتماع سيعقد غدا في العاصمة لبحث الوضع الاقتصادي.\n';
    const folder = companies(['زمردان', 'قرطوسة', 'بلنسار', 'دروانيق', 'سمرقوش'], { 'done-on-disk.txt': plain, 'done-in-editor.txt': plain, 'todo.txt': plain });
    const done = emptySidecar('done-on-disk.txt', plain);
    done.review = { status: 'done' };
    fs.writeFileSync(path.join(folder, 'done-on-disk.txt.ann.json'), serializeSidecar(done));
    const s = await startServer(folder);
    try {
      const learn = async () => (await s.connection.sendRequest('workspace/executeCommand', { command: Command.learn, arguments: [] })) as { documents: number; annotations: number };
      const first = await learn();
      assert.equal(first.annotations, 5);
      assert.equal(first.documents, 6, 'the five annotated documents and the one marked done on disk');
      const uri = await open(s, path.join(folder, 'done-in-editor.txt'));
      await s.connection.sendRequest('workspace/executeCommand', { command: Command.setReviewStatus, arguments: [{ uri, status: 'done' }] });
      assert.equal((await learn()).documents, 7, 'and now the one marked done in the editor');
    } finally {
      await s.close();
    }
  });
});
