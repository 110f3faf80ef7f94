/**
 * Issue 10.7 — a setting that hangs the server. `boilerplate.extraCues`
 * accepts `re:` patterns, and settings come from the workspace. They are
 * compiled with a linear-time engine (RE2), bounded in length and count, and
 * can be switched off (`extraCuePatterns: false`, for untrusted workspaces).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectBoilerplate } from '../../server/src/core/detect/boilerplate';
import { compileUserPatterns, getCueMatcher, MAX_PATTERN_LENGTH, MAX_USER_PATTERNS } from '../../server/src/core/detect/boilerplate/cues';
import { makeWorkspace, open, startServer } from '../protocol/lspClient';

const EVIL = ['re:^(a+)+$', 're:(a|aa)*b', 're:(x+x+)+y', 're:^(\\w+\\s?)*$', 're:(.*a){20}'];
const ARTICLE = 'قال وزير الخارجية إن المحادثات ستستمر الأسبوع المقبل في العاصمة.\n'.repeat(3);

test('catastrophic patterns finish on long hostile lines (they would not with backtracking)', { timeout: 120_000 }, () => {
  const text = ARTICLE + 'a'.repeat(32) + '\n' + 'a'.repeat(5000) + '!\n' + 'x'.repeat(3000) + '\n' + 'ab '.repeat(2000) + '\n';
  const extra = { share: EVIL };
  const hits = detectBoilerplate(text, { extraCues: extra });
  // `^(a+)+$` matches the line of 32 a's: flagged as a share line, like any cue.
  const lines = text.split('\n');
  const aLine = text.indexOf('a'.repeat(32));
  assert.ok(hits.some((h) => h.start <= aLine && h.end >= aLine + 32), JSON.stringify(hits.map((h) => [h.start, h.end, h.category])));
  assert.ok(lines.length > 4);
  assert.deepEqual(getCueMatcher(extra).problems, []);
});

test('patterns are bounded: too long, too many and malformed ones are reported, not used', () => {
  const many = Array.from({ length: MAX_USER_PATTERNS + 5 }, (_, i) => `re:cue${i}`);
  const r = compileUserPatterns({ share: ['re:' + 'a'.repeat(MAX_PATTERN_LENGTH + 1), 're:(a)\\1', 're:(?<=x)y', 're:(unclosed', 'plain phrase', ...many] });
  assert.equal(r.patterns.length, MAX_USER_PATTERNS);
  assert.equal(r.problems.filter((p) => /5 more pattern\(s\) ignored: at most/.test(p)).length, 1, r.problems.join('\n'));
  assert.equal(r.problems.filter((p) => /longer than/.test(p)).length, 1);
  assert.equal(r.problems.filter((p) => /RE2 syntax/.test(p)).length, 3, r.problems.join('\n'));
  // 100,000 patterns (a hostile settings file): one message for the overflow, nothing overflows.
  const flood = getCueMatcher({ share: Array.from({ length: 100_000 }, (_, i) => `re:x${i}`) });
  assert.equal(flood.problems.length, 1);
  assert.match(flood.problems[0], /99950 more/);
  // A malformed pattern breaks nothing else.
  assert.doesNotThrow(() => detectBoilerplate(ARTICLE + 'Partager sur Facebook\n', { extraCues: { share: ['re:(unclosed', 'Partager sur'] } }));
});

test('no patterns from an untrusted workspace: re: cues ignored (reported), phrases and the shipped patterns still used', () => {
  const extra = { share: ['re:^(a+)+$', 'Partager sur'] };
  const off = getCueMatcher(extra, { patterns: false });
  assert.match(off.problems.join('\n'), /untrusted workspace/);
  const text = ARTICLE + 'a'.repeat(32) + '\nPartager sur Facebook\n';
  const hits = detectBoilerplate(text, { extraCues: extra, extraCuePatterns: false });
  const aLine = text.indexOf('a'.repeat(32));
  assert.ok(!hits.some((h) => h.start <= aLine && h.end >= aLine + 32 && /share/.test(h.category) && /pattern/.test(h.reason)), 'the pattern did not fire');
  const share = text.indexOf('Partager');
  assert.ok(hits.some((h) => h.start <= share && h.end > share), 'the plain phrase still fires');
  // The shipped list's own patterns (e.g. "follow us on Telegram" in Arabic) work with RE2 too.
  const follow = ARTICLE + 'تابعونا على تلغرام للمزيد من الأخبار\n';
  assert.ok(detectBoilerplate(follow, { extraCuePatterns: false }).some((h) => follow.slice(h.start, h.end).includes('تلغرام')));
});

test('through the server: {"share": ["re:^(a+)+$"]} and a line of 32 a\'s — diagnostics and hovers still answer', { timeout: 120_000 }, async () => {
  const folder = makeWorkspace({ 'a.txt': ARTICLE + 'a'.repeat(32) + '\n' + ARTICLE });
  const s = await startServer(folder, { boilerplate: { extraCues: { share: EVIL } } });
  try {
    const uri = await open(s, path.join(folder, 'a.txt'));
    const diags = await s.waitForDiagnostics(uri, () => true, 60_000);
    assert.ok(diags.some((d) => d.range.start.line === 3), 'the a-line is flagged by the pattern');
    const hover = await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 5 } });
    assert.ok(hover !== undefined);
  } finally {
    await s.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
