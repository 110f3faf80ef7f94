/**
 * The client's UI strings are localisable (vscode.l10n.t) and translated: every message of
 * client/src has an entry in l10n/bundle.l10n.ar.json with the same placeholders, none is
 * stale, and no message reaches the user without going through l10n.t.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const CLIENT = path.join(ROOT, 'client', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

interface Found {
  messages: Map<string, string>;
  /** Calls whose first argument is not a string literal, and user-visible strings outside l10n.t. */
  problems: string[];
}

/** Functions whose text argument(s) the user reads (index of the argument, or a property name). */
const SHOWN = new Map<string, (number | string)[]>(Object.entries({
  showInformationMessage: [0],
  showWarningMessage: [0],
  showErrorMessage: [0],
  withProgress: ['title'],
  showQuickPick: ['placeHolder'],
  showWorkspaceFolderPick: ['placeHolder'],
  showInputBox: ['prompt', 'placeHolder'],
}));

function scan(): Found {
  const messages = new Map<string, string>();
  const problems: string[] = [];
  for (const file of sources(CLIENT)) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const where = (n: ts.Node) => `${path.relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const isLiteralText = (n: ts.Node | undefined) => !!n && (ts.isStringLiteralLike(n) || ts.isTemplateExpression(n));
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) {
        const callee = n.expression.getText(sf);
        if (/(^|\.)l10n\.t$/.test(callee)) {
          const first = n.arguments[0];
          if (first && ts.isStringLiteralLike(first)) messages.set(first.text, where(n));
          else problems.push(`${where(n)}: l10n.t needs a string literal message to be translatable`);
        }
        const name = callee.split('.').pop()!;
        for (const slot of SHOWN.get(name) ?? []) {
          if (typeof slot === 'number') {
            if (isLiteralText(n.arguments[slot])) problems.push(`${where(n)}: ${name} shows a literal string; wrap it in vscode.l10n.t`);
          } else {
            for (const arg of n.arguments.filter(ts.isObjectLiteralExpression)) {
              for (const prop of arg.properties) {
                if (ts.isPropertyAssignment(prop) && prop.name.getText(sf) === slot && isLiteralText(prop.initializer)) {
                  problems.push(`${where(prop)}: ${name} ${slot} is a literal string; wrap it in vscode.l10n.t`);
                }
              }
            }
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { messages, problems };
}

const placeholders = (s: string) => [...s.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort();

test('every UI message of the client goes through vscode.l10n.t with a literal message', () => {
  const { messages, problems } = scan();
  assert.deepEqual(problems, []);
  assert.ok(messages.size >= 20, `only ${messages.size} messages found: is the scan still looking at client/src?`);
});

test('l10n/bundle.l10n.ar.json translates every message, with the same placeholders, and holds no stale entry', () => {
  const { messages } = scan();
  const ar = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.ar.json'), 'utf8')) as Record<string, string>;
  const missing = [...messages.keys()].filter((m) => !(m in ar)).map((m) => `${messages.get(m)}: ${JSON.stringify(m)}`);
  assert.deepEqual(missing, [], 'messages without an Arabic translation');
  assert.deepEqual(Object.keys(ar).filter((m) => !messages.has(m)), [], 'translations of messages the client no longer has');
  for (const [en, text] of Object.entries(ar)) {
    assert.match(text, /[\u0600-\u06FF]/, `not Arabic: ${text}`);
    assert.deepEqual(placeholders(text), placeholders(en), `placeholders of ${JSON.stringify(en)}`);
  }
});
