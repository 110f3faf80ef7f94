/** Boilerplate detector: flags on real and hand-written pages, duplicates, corpus repetition, user decisions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { blockKey, CorpusIndex, detectBoilerplate } from '../../server/src/core/detect/boilerplate/index';
import type { BoilerplateBlock } from '../../server/src/core/detect/types';
import { getCueMatcher } from '../../server/src/core/detect/boilerplate/cues';
import { lineFeatures, wordsByRegExp, wordsOf } from '../../server/src/core/detect/boilerplate/features';
import { headlineRuns, isHeadlineLed } from '../../server/src/core/detect/boilerplate/headlines';
import { isMarkup } from '../../server/src/core/detect/boilerplate/markup';
import { cueTokens, cueTokensByRegExp, foldText, foldTextBySteps } from '../../server/src/core/detect/boilerplate/fold';

const SAMPLE = readFileSync(join(__dirname, '..', 'fixtures', 'samples', '000_f74c9c0780b14a3d.txt'), 'utf8');

/** 1-based line number → block covering it (or undefined). */
function blockOfLine(text: string, blocks: BoilerplateBlock[], lineNo: number): BoilerplateBlock | undefined {
  const lines = text.split('\n');
  let start = 0;
  for (let i = 0; i < lineNo - 1; i++) start += lines[i]!.length + 1;
  const end = start + lines[lineNo - 1]!.trimEnd().length;
  return blocks.find((b) => b.start <= start + (lines[lineNo - 1]!.length - lines[lineNo - 1]!.trimStart().length) && b.end >= end);
}

/** needle → 1-based number of the first line of `text` holding it (0: none). */
function lineFinder(text: string): (needle: string) => number {
  const lines = text.split('\n');
  return (needle) => lines.findIndex((l) => l.includes(needle)) + 1;
}

function flaggedLines(text: string, blocks: BoilerplateBlock[]): Set<number> {
  const out = new Set<number>();
  text.split('\n').forEach((l, i) => {
    if (l.trim() && blockOfLine(text, blocks, i + 1)) out.add(i + 1);
  });
  return out;
}

test('sample 000: the tail (follow, source, related, comment form, captcha, back-to-top) is flagged, the article is not', () => {
  const blocks = detectBoilerplate(SAMPLE);
  const flagged = flaggedLines(SAMPLE, blocks);
  for (const n of [27, 28, 29, 31, 33, 35, 37, 39]) assert.ok(flagged.has(n), `line ${n} should be flagged`);
  for (const n of [3, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25]) assert.ok(!flagged.has(n), `line ${n} is article text`);
  const cat = (n: number): string | undefined => blockOfLine(SAMPLE, blocks, n)?.category;
  assert.equal(cat(5), 'duplicate');
  assert.equal(cat(27), 'share');
  assert.equal(cat(31), 'related');
  assert.equal(cat(33), 'comment-form');
  assert.equal(cat(37), 'captcha');
  assert.equal(cat(39), 'back-to-top');
  assert.match(blockOfLine(SAMPLE, blocks, 5)!.reason, /line 3/);
});

test('an article sentence opening with a byline word is article text; a byline label is not', () => {
  // Written for this test: كتب ("wrote") and نشر في ("published in") open bylines and sentences alike.
  const text = [
    'قال مسؤولون في العاصمة يوم الثلاثاء إن الجسر الجديد سيفتح أمام حركة المرور في الربيع المقبل، بعد ثلاث سنوات من التأخير وتجاوز التكاليف الذي أغضب السكان.',
    '',
    'وتتوقع الوزارة أن تنفق بحلول نهاية العام أكثر من ضعف الميزانية الأصلية على المشروع، بحسب المصادر نفسها.',
    '',
    'كتب كثير من الصحفيين عن الجسر، وانتقدوا التأخير الطويل.',
    '',
    'نشر في العام الماضي تقرير رسمي يحذر من ضعف التربة.',
    '',
    'ورفض المقاول التعليق على التأخير عندما اتصلت به الصحيفة هاتفيا مساء الثلاثاء، مشيرا إلى مراجعة جارية للعقود.',
    '',
    'وأضاف المسؤولون أن أعمال الصيانة ستستمر خلال الأشهر المقبلة لضمان سلامة المارة والسيارات على حد سواء.',
    '',
    'كتب: أحمد محمود',
  ].join('\n');
  const flagged = detectBoilerplate(text).map((b) => `${b.category} ${text.slice(b.start, b.end)}`);
  assert.deepEqual(flagged, ['byline كتب: أحمد محمود']);
});

test('blocks are sorted, disjoint, cover whole lines and never include the newline', () => {
  const check = (text: string): void => {
    const blocks = detectBoilerplate(text);
    let prev = -1;
    for (const b of blocks) {
      assert.ok(b.start < b.end && b.start >= prev, 'sorted and non-overlapping');
      prev = b.end;
      const s = text.slice(b.start, b.end);
      assert.equal(s, s.trim(), 'no surrounding whitespace or newline');
      assert.ok(b.start === 0 || /\s/.test(text[b.start - 1]!), 'starts a line');
      assert.ok(b.end === text.length || /[\s]/.test(text[b.end]!), 'ends a line');
      assert.ok(b.confidence >= 0 && b.confidence <= 1);
      assert.ok(b.reason.length > 0);
    }
  };
  check(SAMPLE);
  check(SAMPLE.replace(/\n/g, '\r\n'));
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.constantFrom('Home', 'Share', '', 'Follow us on Twitter', '© 2024 All rights reserved', 'اقرأ أيضا'), fc.lorem({ maxCount: 30 })), { maxLength: 30 }),
      (lines) => check(lines.join('\n')),
    ),
    { numRuns: 60 },
  );
});

const ARABIC_PAGE = `الرئيسية
أخبار
رياضة
اقتصاد
اتصل بنا

البرلمان يقر موازنة العام المقبل بعد نقاش طويل

أقر مجلس النواب مساء الثلاثاء مشروع قانون الموازنة العامة للدولة للعام المقبل، بعد جلسة استمرت أكثر من ثماني ساعات وشهدت نقاشا حادا بين الكتل السياسية حول بنود الإنفاق.

وقال رئيس لجنة المالية في المجلس إن الموازنة الجديدة تركز على دعم قطاعي التعليم والصحة، وإن الحكومة التزمت بخفض العجز تدريجيا خلال السنوات الثلاث المقبلة.

في المقابل، انتقد نواب من المعارضة غياب خطة واضحة لمعالجة البطالة بين الشباب، مؤكدين أن الأرقام المعلنة لا تعكس الواقع الاقتصادي الذي يعيشه المواطنون.

ومن المنتظر أن يصادق رئيس الدولة على القانون خلال الأيام المقبلة، ليدخل حيز التنفيذ مع بداية السنة المالية الجديدة.

شارك في الجلسة عدد من الوزراء، وتابع رئيس الوزراء النقاش من مقعده دون أن يتدخل، قبل أن يغادر القاعة عند بدء التصويت.

تابع النواب التصويت على المواد واحدة تلو الأخرى حتى ساعة متأخرة من الليل، وسط حضور إعلامي كبير.

شارك على فيسبوك
شارك على تويتر
تابعونا على تلغرام

اقرأ أيضا: الحكومة تعلن خطة جديدة للنقل العام

الأكثر قراءة

جميع الحقوق محفوظة © 2024
`;

test('Arabic page: menu, share lines, related teaser and copyright are flagged; the article is kept', () => {
  const blocks = detectBoilerplate(ARABIC_PAGE);
  const flagged = flaggedLines(ARABIC_PAGE, blocks);
  const lineOf = (needle: string): number => ARABIC_PAGE.split('\n').findIndex((l) => l.includes(needle)) + 1;
  for (const s of ['الرئيسية', 'اتصل بنا', 'شارك على فيسبوك', 'شارك على تويتر', 'تابعونا على تلغرام', 'اقرأ أيضا', 'الأكثر قراءة', 'جميع الحقوق محفوظة']) {
    assert.ok(flagged.has(lineOf(s)), `“${s}” should be flagged`);
  }
  for (const s of ['أقر مجلس النواب', 'وقال رئيس لجنة المالية', 'في المقابل', 'ومن المنتظر', 'شارك في الجلسة', 'تابع النواب']) {
    assert.ok(!flagged.has(lineOf(s)), `“${s}” is article text`);
  }
  assert.equal(blockOfLine(ARABIC_PAGE, blocks, lineOf('جميع الحقوق محفوظة'))!.category, 'copyright');
  assert.equal(blockOfLine(ARABIC_PAGE, blocks, lineOf('شارك على فيسبوك'))!.category, 'share');
  assert.equal(blockOfLine(ARABIC_PAGE, blocks, lineOf('اقرأ أيضا'))!.category, 'related');
});

const FRENCH_PAGE = `Nous utilisons des cookies pour améliorer votre expérience. En poursuivant votre navigation, vous acceptez leur utilisation.

Accueil
Politique
Économie

Grève des transports : le trafic reste perturbé jeudi

Par Marie Dupont
Publié le 12/03/2024 à 08h15

Le trafic restera fortement perturbé jeudi sur l'ensemble du réseau, a annoncé la direction de la société de transport, qui prévoit en moyenne un train sur trois.

Les syndicats, qui réclament une revalorisation des salaires, ont appelé à poursuivre le mouvement au moins jusqu'à la fin de la semaine, malgré une nouvelle réunion prévue avec la direction.

Selon le ministère, près de quatre millions de voyageurs sont concernés chaque jour par ces perturbations, qui touchent également les lignes régionales.

Partager sur Facebook
Partager sur Twitter

À lire aussi : Les prix de l'énergie repartent à la hausse

Laisser un commentaire

Votre adresse e-mail ne sera pas publiée.

© 2024 Le Quotidien. Tous droits réservés.
`;

test('French page: cookie notice, byline, share, related, comment form and copyright are flagged', () => {
  const blocks = detectBoilerplate(FRENCH_PAGE);
  const flagged = flaggedLines(FRENCH_PAGE, blocks);
  const lineOf = (needle: string): number => FRENCH_PAGE.split('\n').findIndex((l) => l.includes(needle)) + 1;
  for (const s of ['Nous utilisons des cookies', 'Accueil', 'Par Marie Dupont', 'Publié le', 'Partager sur Facebook', 'À lire aussi', 'Laisser un commentaire', 'Votre adresse e-mail', 'Tous droits réservés']) {
    assert.ok(flagged.has(lineOf(s)), `“${s}” should be flagged`);
  }
  for (const s of ['Le trafic restera', 'Les syndicats', 'Selon le ministère']) assert.ok(!flagged.has(lineOf(s)), `“${s}” is article text`);
  const cat = (s: string): string => blockOfLine(FRENCH_PAGE, blocks, lineOf(s))!.category;
  assert.equal(cat('Nous utilisons des cookies'), 'cookies');
  assert.equal(cat('Par Marie Dupont'), 'byline');
  assert.equal(cat('Laisser un commentaire'), 'comment-form');
  assert.equal(cat('Tous droits réservés'), 'copyright');
});

const GERMAN_PAGE = `Startseite
Politik
Wirtschaft
Suche

Bahn kündigt neue Verbindungen für den Winter an

Die Bahn will ab Dezember zusätzliche Fernverbindungen zwischen den großen Städten anbieten, wie ein Sprecher des Unternehmens am Montag mitteilte.

Nach Angaben des Konzerns sollen vor allem die Strecken im Osten des Landes profitieren, auf denen die Nachfrage in den vergangenen Jahren stark gestiegen ist.

Fahrgastverbände begrüßten die Pläne, forderten aber zugleich mehr Pünktlichkeit und eine bessere Information der Reisenden bei Verspätungen.

Artikel teilen
Newsletter abonnieren
Das könnte Sie auch interessieren
Alle Rechte vorbehalten
`;

test('German page: navigation, share, newsletter, related and copyright lines are flagged', () => {
  const blocks = detectBoilerplate(GERMAN_PAGE);
  const flagged = flaggedLines(GERMAN_PAGE, blocks);
  const lineOf = (needle: string): number => GERMAN_PAGE.split('\n').findIndex((l) => l.includes(needle)) + 1;
  for (const s of ['Startseite', 'Suche', 'Artikel teilen', 'Newsletter abonnieren', 'Das könnte Sie', 'Alle Rechte vorbehalten']) {
    assert.ok(flagged.has(lineOf(s)), `“${s}” should be flagged`);
  }
  for (const s of ['Die Bahn will', 'Nach Angaben', 'Fahrgastverbände']) assert.ok(!flagged.has(lineOf(s)), `“${s}” is article text`);
});

test('near-duplicate paragraphs: the later copy is flagged as duplicate, with a prefix or a small edit', () => {
  const lead = 'The city council approved the new housing plan on Tuesday after months of debate, officials said in a statement.';
  const body = [
    'Council approves housing plan',
    '',
    lead,
    '',
    `CITY NEWS: ${lead}`,
    '',
    'The plan provides for three thousand new homes over the next decade, most of them in the northern districts of the city, close to the new tram line.',
    '',
    'Critics said the plan did not do enough for tenants, while supporters praised its focus on public transport links.',
    '',
    'The plan provides for three thousand new homes over the coming decade, most of them in the northern districts of the city, close to the new tram line.',
  ].join('\n');
  const blocks = detectBoilerplate(body);
  const dups = blocks.filter((b) => b.category === 'duplicate');
  const dupText = dups.map((b) => body.slice(b.start, b.end));
  assert.ok(dupText.includes(`CITY NEWS: ${lead}`), 'prefixed copy');
  assert.ok(dupText.some((t) => t.includes('over the coming decade')), 'edited copy');
  assert.ok(!blocks.some((b) => body.slice(b.start, b.end) === lead), 'first copy kept');
});

test('near duplicates are found in a page of more than 2^17 words too (a 3-gram table of a million slots)', () => {
  const words = (from: number, n: number) => Array.from({ length: n }, (_, k) => `w${(from + k).toString(36)}`).join(' ');
  const paragraph = 'The plan provides for three thousand new homes over the next decade, most of them in the northern districts of the city.';
  const filler: string[] = [];
  // 1,400 paragraphs of 100 distinct words each: 140,000 words, all different.
  for (let p = 0; p < 1400; p++) filler.push(words(p * 100, 100) + '.', '');
  const text = [paragraph, '', ...filler, paragraph.replace('next decade', 'coming decade')].join('\n');
  const blocks = detectBoilerplate(text);
  const dups = blocks.filter((b) => b.category === 'duplicate').map((b) => text.slice(b.start, b.end));
  assert.deepEqual(dups, [paragraph.replace('next decade', 'coming decade')]);
});

const PLACES = ['Aldham', 'Brinkley', 'Corton', 'Dunmore', 'Eastwick', 'Farley', 'Glenham', 'Hollis', 'Ivybridge', 'Jarrow', 'Kelso', 'Lindley', 'Marden', 'Norley', 'Oxted', 'Penrith', 'Quorn', 'Redhill', 'Selby', 'Tring'];
function page(i: number, footer: string): string {
  const place = PLACES[i]!;
  return [
    `Unemployment falls again in ${place}`,
    '',
    `Officials in ${place} said on Monday that unemployment had fallen for the third month in a row, helped by new jobs in construction and retail.`,
    '',
    `The figures for ${place}, published by the regional statistics office, show a clear drop compared with the same period last year.`,
    '',
    footer,
  ].join('\n');
}

test('cross-corpus: a footer that recurs on many pages is `repeated`, with counts; thresholds are absolute and relative', () => {
  const footer = 'Send your tips to the newsroom at tips@example.org or call 555 0100';
  const corpus = new CorpusIndex();
  for (let i = 0; i < 10; i++) corpus.setDocument(`doc${i}`, page(i, footer));
  for (let i = 10; i < 20; i++) corpus.setDocument(`doc${i}`, page(i, `Unique closing remark number ${i} written for this page only, which appears nowhere else.`));
  assert.equal(corpus.size, 20);
  assert.equal(corpus.count(blockKey(footer)), 10);
  const text = page(0, footer);
  const blocks = detectBoilerplate(text, { corpus });
  const rep = blocks.find((b) => text.slice(b.start, b.end) === footer);
  assert.ok(rep, 'footer flagged');
  assert.equal(rep.category, 'repeated');
  assert.equal(rep.corpusCount, 10);
  assert.equal(rep.corpusSize, 20);
  // Article paragraphs differ per page.
  assert.ok(!blocks.some((b) => text.slice(b.start, b.end).startsWith('Officials in')));
  // Relative bar: 10 of 20 is below 60 %, so not `repeated` then.
  const strict = detectBoilerplate(text, { corpus, repeatedMinFraction: 0.6 });
  assert.ok(!strict.some((b) => b.category === 'repeated'));
  // Absolute bar.
  assert.ok(!detectBoilerplate(text, { corpus, repeatedMinDocs: 11 }).some((b) => b.category === 'repeated'));
});

test('cross-corpus: a syndicated story copied whole to many documents is not `repeated` article text', () => {
  const story = page(3, 'Share on Facebook');
  const corpus = new CorpusIndex();
  for (let i = 0; i < 6; i++) corpus.setDocument(`copy${i}`, story);
  for (let i = 6; i < 12; i++) corpus.setDocument(`other${i}`, page(i, `Closing note ${PLACES[i]} only`));
  const blocks = detectBoilerplate(story, { corpus });
  assert.ok(!blocks.some((b) => story.slice(b.start, b.end).startsWith('Officials in')), 'article paragraph kept');
  assert.ok(blocks.some((b) => story.slice(b.start, b.end) === 'Share on Facebook'), 'share line still flagged');
});

test('CorpusIndex: re-indexing replaces a document, removal forgets it', () => {
  const corpus = new CorpusIndex();
  corpus.setDocument('a', 'Footer line\nBody of A');
  corpus.setDocument('b', 'Footer line\nBody of B');
  assert.equal(corpus.count(blockKey('Footer line')), 2);
  corpus.setDocument('a', 'Another footer\nBody of A');
  assert.equal(corpus.count(blockKey('Footer line')), 1);
  assert.equal(corpus.count(blockKey('Another footer')), 1);
  assert.equal(corpus.size, 2);
  corpus.removeDocument('b');
  corpus.removeDocument('missing');
  assert.equal(corpus.count(blockKey('Footer line')), 0);
  assert.equal(corpus.size, 1);
});

test('user decisions override the classifier: true → `user`, false → never flagged', () => {
  const base = detectBoilerplate(SAMPLE);
  const lines = SAMPLE.split('\n');
  const telegram = lines[26]!;
  const article = lines[8]!;
  assert.ok(base.some((b) => SAMPLE.slice(b.start, b.end).includes(telegram)));
  const decisions = new Map<string, boolean>([
    [blockKey(telegram), false],
    [blockKey(article), true],
  ]);
  const blocks = detectBoilerplate(SAMPLE, { decisions });
  assert.ok(!blocks.some((b) => SAMPLE.slice(b.start, b.end).includes(telegram)), 'unmarked line not flagged');
  const user = blocks.find((b) => SAMPLE.slice(b.start, b.end) === article);
  assert.equal(user?.category, 'user');
  assert.equal(user?.confidence, 1);
  // Keys fold case, diacritics, digits and spacing, so a decision carries over to variants.
  assert.equal(blockKey('  Follow US   on Télégram 2024 '), blockKey('follow us on telegram 1999'));
  assert.equal(blockKey('اترك تعليقاً'), blockKey('اترك تعليقا'));
});

test('extra cues from settings add phrases by category', () => {
  const text = `Local news

Officials said on Monday that the bridge would reopen next week after repairs that took nearly a year to complete.

Residents welcomed the news, saying the closure had added long detours to their daily commute to work and school.

Brought to you by the Riverside Neighbourhood Association`;
  const line = 'Brought to you by the Riverside Neighbourhood Association';
  const without = detectBoilerplate(text).find((b) => text.slice(b.start, b.end) === line);
  assert.notEqual(without?.category, 'advertisement');
  const withCue = detectBoilerplate(text, { extraCues: { advertisement: ['^brought to you by'] } }).find((b) => text.slice(b.start, b.end) === line);
  assert.equal(withCue?.category, 'advertisement');
  assert.match(withCue!.reason, /brought to you by/);
});

test('empty and whitespace-only input', () => {
  assert.deepEqual(detectBoilerplate(''), []);
  assert.deepEqual(detectBoilerplate('\n\n  \n'), []);
});

test('ASCII lines fold as the steps fold them, white space of every kind at every place', () => {
  // foldText's ASCII path keeps a line whose white space is single spaces between words as it is
  // (lower-cased) and collapses the rest: every kind of ASCII white space, and controls that are not.
  const pieces = ['Home', 'NEWS', 'a', 'B', '1', '.', ' ', '  ', '\t', '\n', '\v', '\f', '\r', '\x00', '\x08', '\x0e', '\x1f', '\x7f', '_', '-'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
      const line = parts.join('');
      assert.equal(foldText(line), foldTextBySteps(line));
    }),
    { numRuns: 3000 },
  );
});

test('line folding, words, cue tokens and Title Case by units agree with the regular expressions', () => {
  // Lines are folded and tokenised by loops over tables of units (units.ts) instead of the
  // expressions: pieces at their edges (joiners, underscores, digits, marks, invisible controls,
  // spaces of every kind, Arabic letter variants, Chinese, a capital sigma, surrogate pairs) run together.
  const pieces = ['Home', 'news', 'U', 's', '2024', '_', 'x_1', "'", '’', '-', '.', ',', ':', '|', '"', '(', ' ', '  ', '\t', '\v', '\f', '\r', '\u00a0', '\u2000', '\u3000',
    '\ufeff', '\u200f', '\u00ad', '@', '#', 'é', 'É', 'e\u0301', 'İ', 'Σ', 'ΟΔΟΣ', 'ß', 'ب', 'أخبار', 'إ', 'ى', 'ة', 'ـ', '\u064e', '٣', '新闻', 'カ', 'ー', '⺀', '😀', '𝐀', 'ﻻ'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 25 }), (parts) => {
      const line = parts.join('');
      const folded = foldText(line);
      assert.equal(folded, foldTextBySteps(line));
      assert.deepEqual(wordsOf(folded), wordsByRegExp(folded));
      assert.deepEqual(wordsOf(line), wordsByRegExp(line));
      assert.deepEqual(cueTokens(folded), cueTokensByRegExp(folded));
      assert.deepEqual(cueTokens(line), cueTokensByRegExp(line));
      // Title Case as the words of the line tell it (the expression's words, their first units).
      const words = line.match(/[\p{L}\p{N}_]+/gu) ?? [];
      const cased = words.filter((w) => w[0]!.toLowerCase() !== w[0]!.toUpperCase());
      const titled = cased.filter((w) => w[0] === w[0]!.toUpperCase());
      const head = cased.slice(0, 5).filter((w) => w[0] === w[0]!.toUpperCase());
      const l = { start: 0, end: line.length, text: line, folded, words: wordsOf(folded), cueTokens: cueTokens(folded), index: 0, lineNo: 0, paragraphStart: true, groupSize: 1 };
      const f = lineFeatures(l, -1, getCueMatcher());
      assert.equal(f.titleRatio, cased.length ? titled.length / cased.length : 0);
      assert.equal(f.headTitleRatio, cased.length >= 5 ? head.length / 5 : 0);
    }),
    { numRuns: 3000 },
  );
});

// Written for this test: a "Comments" link beside the share buttons under the headline (as on
// The Verge's pages), then the article; another page ends with a real comments thread.
const ARTICLE_PARAGRAPHS = [
  'The city council approved a plan on Tuesday to rebuild the old harbour bridge, ending a dispute that had delayed the project for almost three years.',
  'Engineers said the new bridge would carry twice as many vehicles as the current one, which was closed to trucks last spring after inspectors found cracks in two of its supports.',
  'Residents on both sides of the river welcomed the vote, although several shop owners warned that the construction work would keep customers away for months.',
  'The council expects the work to cost about 240 million dollars, most of it paid by the regional government, and to be finished before the end of 2029.',
  'Opposition members criticised the timetable, arguing that the same contractor had already missed two deadlines on the tunnel project in the north of the city.',
  'The mayor said a temporary ferry service would run every fifteen minutes during the construction, free of charge for pupils and pensioners.',
];

test('a "Comments" button beside the share buttons is not the start of the comments section', () => {
  const page = [
    'City approves new harbour bridge',
    'After three years of delays and rising costs, the council finally voted for a new crossing, and the mayor promised that the work would start before the summer.',
    'By Jane Miller, a city reporter who has covered the harbour, its bridges and its ferries for the paper since 2015.',
    'Jun 7, 2026, 8:54 PM UTC |',
    'Comments',
    'Share this story',
    ...ARTICLE_PARAGRAPHS,
    'Related',
    'Mayor promises more bus lanes',
    '© 2026 The City Paper. All rights reserved.',
  ].join('\n\n');
  const flagged = flaggedLines(page, detectBoilerplate(page));
  const lineOf = lineFinder(page);
  for (const p of ARTICLE_PARAGRAPHS) assert.ok(!flagged.has(lineOf(p.slice(0, 40))), `article text flagged: ${p.slice(0, 40)}`);
  for (const s of ['Share this story', 'All rights reserved']) assert.ok(flagged.has(lineOf(s)), `“${s}” should be flagged`);
});

test('the comments thread after an article is flagged, however article-like a comment reads', () => {
  const comment = 'I have crossed that bridge every morning for twenty years and I am glad that the council finally decided to do something about it before it falls down.';
  const page = [
    'City approves new harbour bridge',
    'By Jane Miller, city reporter',
    ...ARTICLE_PARAGRAPHS,
    'Share this story',
    'Comments',
    'harbourfan wrote:',
    comment,
    'Reply',
  ].join('\n\n');
  const blocks = detectBoilerplate(page);
  const flagged = flaggedLines(page, blocks);
  const lineOf = lineFinder(page);
  for (const p of ARTICLE_PARAGRAPHS) assert.ok(!flagged.has(lineOf(p.slice(0, 40))), `article text flagged: ${p.slice(0, 40)}`);
  assert.ok(flagged.has(lineOf(comment.slice(0, 40))), 'the comment is flagged');
  assert.equal(blockOfLine(page, blocks, lineOf(comment.slice(0, 40)))!.category, 'comment-form');
});

// Written for this test: three teasers of other stories after the article, each a headline, a
// byline, a date and the story's first paragraph.
const TEASERS = [
  ['Ferry fares to rise in January', 'Tom Baker', 'Wednesday November 20, 2026', 'The harbour ferry company will raise its fares by ten percent from the first of January, blaming the rising price of fuel and the cost of new boats.'],
  ['New library opens in the old post office', 'Ana Lopez', 'Tuesday November 19, 2026', 'The city library moved into the restored post office building on Monday, with twice the space for children and a café on the ground floor.'],
  ['Storm closes schools along the coast', 'Sam Reid', 'Monday November 18, 2026', 'Heavy rain and winds of up to ninety kilometres an hour closed forty schools along the coast on Monday, and the ferries stayed in port all day.'],
];

test('teasers of other stories after the article (headline, byline or date, one paragraph) are flagged as related', () => {
  const page = ['City approves new harbour bridge', 'By Jane Miller', ...ARTICLE_PARAGRAPHS, ...TEASERS.flat()].join('\n\n');
  const blocks = detectBoilerplate(page);
  const flagged = flaggedLines(page, blocks);
  const lineOf = lineFinder(page);
  for (const p of ARTICLE_PARAGRAPHS) assert.ok(!flagged.has(lineOf(p.slice(0, 40))), `article text flagged: ${p.slice(0, 40)}`);
  for (const [, , , p] of TEASERS) {
    assert.ok(flagged.has(lineOf(p.slice(0, 40))), `teaser kept: ${p.slice(0, 40)}`);
    assert.equal(blockOfLine(page, blocks, lineOf(p.slice(0, 40)))!.category, 'related');
  }
});

test('dated paragraphs from the top of the page (a live blog) are not taken for teasers', () => {
  const page = ['Storm live: the coast on Monday', ...TEASERS.flat(), ...TEASERS.map(([h, a, d, p]) => [h.replace(/^\w+/, 'Update'), a, d.replace('2026', '2025'), p.replace('Monday', 'Sunday')]).flat()].join('\n\n');
  const blocks = detectBoilerplate(page);
  const lineOf = lineFinder(page);
  for (const [, , , p] of TEASERS) assert.notEqual(blockOfLine(page, blocks, lineOf(p.slice(0, 40)))?.category, 'related', p.slice(0, 40));
});

test('HTML left in the text (a tracking pixel, a notice in its tags) is flagged; prose naming a tag is not', () => {
  const pixel = '<div style="position:absolute;"><img width=1 height=1 alt="" src="http://pixel.example.com/b?P=abc123&T=16lu7dcl9"></div>';
  const notice = '<div class="alertBox"> <div class="alert"> <i></i><p>JavaScript is <em>turned off</em> in your browser: some features of the site will not work.</p> </div> </div>';
  const prose = 'The page template now puts every <section> of the report in its own file, the council\'s web team said, so that readers can link to a single chapter.';
  const page = ['City approves new harbour bridge', pixel, 'By Jane Miller', notice, ARTICLE_PARAGRAPHS[0], prose, ...ARTICLE_PARAGRAPHS.slice(1)].join('\n\n');
  const blocks = detectBoilerplate(page);
  const flagged = flaggedLines(page, blocks);
  const lineOf = lineFinder(page);
  for (const p of ARTICLE_PARAGRAPHS) assert.ok(!flagged.has(lineOf(p.slice(0, 40))), `article text flagged: ${p.slice(0, 40)}`);
  assert.ok(!flagged.has(lineOf('every <section>')), 'prose naming a tag is article text');
  for (const m of [pixel, notice]) {
    assert.ok(flagged.has(lineOf(m.slice(0, 30))), `markup kept: ${m.slice(0, 30)}`);
    assert.equal(blockOfLine(page, blocks, lineOf(m.slice(0, 30)))!.category, 'non-article');
  }
});

test('isMarkup: mostly tags, or one tag that is the whole line', () => {
  assert.ok(isMarkup('<img src="//c.example.com/c.gif?rid=1" />'));
  assert.ok(isMarkup('<span class=brand>Sponsored by </span>Acme'));
  assert.ok(!isMarkup('Allowed values are <a> and <b> where the text of the rule is long enough to be prose, as in a manual.'));
  assert.ok(!isMarkup('He said that 3 < 4 and 5 > 2 in the new scheme.'));
  assert.ok(!isMarkup('No tags here at all.'));
});

// Written for this test: stories recommended after an article, each its headline, its first
// lines, its source and the reader's buttons (no byline, no date), as a news portal lays them out.
const RECOMMENDED = [
  ['Ferry Fares to Rise in January as Fuel Costs Climb', 'The harbour ferry company will raise its fares by ten percent from the first of January, blaming the rising price of fuel and the cost of new boats. Season tickets for commuters will rise by less, the company said, and pupils will keep travelling free. The council, which owns a third of the company, said it had not been consulted.'],
  ['New Library Opens in the Old Post Office on Market Street', 'The city library moved into the restored post office building on Monday, with twice the space for children and a café on the ground floor. The old building on Market Street will be sold next year. Librarians said that more than two thousand people visited on the first day, three times as many as on an ordinary Monday.'],
  ['Storm Closes Forty Schools Along the Coast', 'Heavy rain and winds of up to ninety kilometres an hour closed forty schools along the coast on Monday, and the ferries stayed in port all day. Power was cut to six thousand homes for several hours. Forecasters expect calmer weather from Wednesday, but warned that the rivers would stay high until the weekend.'],
];

test('paragraphs standing alone among the recommended stories after an article are flagged as related', () => {
  const page = [
    'City approves new harbour bridge',
    'By Jane Miller',
    ...ARTICLE_PARAGRAPHS,
    'Recommended for You',
    ...RECOMMENDED.flatMap(([h, p]) => [h, p, 'City Paper', 'Save', 'More like this', 'Fewer like this']),
  ].join('\n\n');
  const blocks = detectBoilerplate(page);
  const flagged = flaggedLines(page, blocks);
  const lineOf = lineFinder(page);
  for (const p of ARTICLE_PARAGRAPHS) assert.ok(!flagged.has(lineOf(p.slice(0, 40))), `article text flagged: ${p.slice(0, 40)}`);
  // The stories' paragraphs are long enough to carry the article region over them. Whether a
  // story's headline and buttons are read as page text is the classifier's call; a paragraph
  // between a flagged headline and its flagged source and buttons is a teaser.
  let checked = 0;
  for (const [h, p] of RECOMMENDED) {
    if (![0, 4, 6].every((d) => flagged.has(lineOf(h) + d))) continue;
    checked++;
    assert.ok(flagged.has(lineOf(p.slice(0, 40))), `teaser kept: ${p.slice(0, 40)}`);
    assert.equal(blockOfLine(page, blocks, lineOf(p.slice(0, 40)))!.category, 'related');
  }
  assert.ok(checked > 0, 'no story with a flagged headline: the page no longer tests the rule');
});

test('an article\'s own sections after an inline "Related" box are not taken for teasers', () => {
  const page = [
    'City approves new harbour bridge',
    'By Jane Miller',
    ...ARTICLE_PARAGRAPHS.slice(0, 3),
    'Related stories',
    'Mayor promises more bus lanes',
    ...ARTICLE_PARAGRAPHS.slice(3).flatMap((p, k) => [`Part ${k + 2}: the plan`, p]),
    '© 2026 The City Paper. All rights reserved.',
  ].join('\n');
  const flagged = flaggedLines(page, detectBoilerplate(page));
  const lineOf = lineFinder(page);
  for (const p of ARTICLE_PARAGRAPHS) assert.ok(!flagged.has(lineOf(p.slice(0, 40))), `article text flagged: ${p.slice(0, 40)}`);
});

// Written for this test: a newswire article with nothing around it (a cleaned corpus such as
// ANERcorp) that ends in a list of short recommendations without final punctuation.
const PLAIN_ARABIC_ARTICLE = [
  'اختتم الاجتماع التنسيقي العربي للملكية الفكرية أعماله في الدوحة أمس بمشاركة ممثلين عن اثنتي عشرة دولة عربية وخبراء من المنظمة العالمية للملكية الفكرية، وناقش المشاركون على مدى ثلاثة أيام تقارير الدول عن أوضاع حق المؤلف والعلامات التجارية وبراءات الاختراع.',
  'وقدم وفد كل دولة عرضا عن التشريعات النافذة لديه والتعديلات التي أدخلت عليها في السنوات الأخيرة، وعن عدد القضايا التي نظرتها المحاكم في مجال التعدي على حقوق المؤلفين والفنانين والمبتكرين، والعقبات التي تواجه تطبيق القوانين على الأرض.',
  'وأشار رئيس الاجتماع في كلمته الختامية إلى أن الدول العربية قطعت شوطا كبيرا في تحديث قوانينها، لكنها ما زالت بحاجة إلى تدريب القضاة ورجال الجمارك وإلى حملات توعية تخاطب الجمهور والطلاب وأصحاب المتاجر على حد سواء.',
  'وبعد مناقشات مستفيضة أصدر الاجتماع عدة توصيات تضمنت أن تسعى الدول العربية إلى توحيد إجراءات تسجيل العلامات التجارية وتبادل المعلومات بين مكاتبها',
  'وأن تعمل الجامعات على وضع برامج أكاديمية في مجالات الملكية الفكرية',
  'والاستفادة من برامج التطوير التي توفرها المنظمة في هذا الجانب',
  'وتشجيع إنتاج برامج إعلامية تلفزيونية وإذاعية عن حقوق المؤلف',
  'وتستهدف النهوض بالوعي العام في مجالات الملكية الفكرية',
  'والتأكيد على تكثيف الجهود المبذولة لحماية التراث والمعارف التقليدية',
  'وأن تتابع الدولة المضيفة تنفيذ هذه التوصيات مع الأمانة العامة',
].join('\n\n');

test('a plain article with no page around it has nothing flagged for where it stands', () => {
  assert.deepEqual(detectBoilerplate(PLAIN_ARABIC_ARTICLE), []);
  // The same article on a page with a menu and a footer: the page is still found.
  const page = ['الرئيسية', 'أخبار', 'رياضة', PLAIN_ARABIC_ARTICLE, 'تابعونا على تلغرام', 'جميع الحقوق محفوظة'].join('\n\n');
  const flagged = flaggedLines(page, detectBoilerplate(page));
  const lineOf = lineFinder(page);
  for (const s of ['تابعونا على تلغرام', 'جميع الحقوق محفوظة']) assert.ok(flagged.has(lineOf(s)), `“${s}” should be flagged`);
});

test('isHeadlineLed: a Title Case headline run into its first sentence, not a sentence opening with a name', () => {
  assert.ok(isHeadlineLed('Harbour Ferry Fares To Rise After Fuel Costs Climb Again The harbour ferry company will raise its fares by ten percent from January.'));
  assert.ok(isHeadlineLed('Storm Forces Forty Schools To Close Along The Coast Heavy rain and strong winds closed forty schools along the coast on Monday morning.'));
  // Capitalised names opening prose, with no word only a headline capitalises.
  assert.ok(!isHeadlineLed('Berrien County Health Department officials said on Monday that the victim was one of two people who contracted the virus.'));
  assert.ok(!isHeadlineLed('Dr. Jane Khaldun of the Michigan Department of Health and Human Services says the risk from the virus continues until the first frost.'));
  assert.ok(!isHeadlineLed('Ferry Fares To Rise In January'));
});

// Written for this test: a site's menu of latest stories, each headline run into its first
// sentence on one line (as a scraper flattens it), above a short wire story.
const LATEST = [
  'Harbour Ferry Fares To Rise After Fuel Costs Climb Again The harbour ferry company will raise its fares by ten percent from the first of January, blaming the price of fuel and the cost of its two new boats.',
  'New Library Opens In The Old Post Office On Market Street The city library moved into the restored post office building on Monday, with twice the space for children and a café on the ground floor.',
  'Storm Closes Forty Schools Along The Coast For Second Day Heavy rain and winds of up to ninety kilometres an hour closed forty schools along the coast, and the ferries stayed in port all day.',
  'Council Votes To Keep Bus Lanes On The Bridge During Works The council voted on Thursday to keep the two bus lanes open during the construction, against the advice of the contractor and the police.',
];

test('headlines of other stories run into their first lines are flagged as related; a short article below them is kept', () => {
  // The last story stands alone between two section names of the menu.
  const page = ['Home', 'News', 'Latest Headlines', ...LATEST.slice(0, 3), 'Weather', LATEST[3], 'Sports', 'City approves new harbour bridge', ...ARTICLE_PARAGRAPHS.slice(0, 3), '© 2026 The City Paper. All rights reserved.'].join('\n\n');
  const blocks = detectBoilerplate(page);
  const flagged = flaggedLines(page, blocks);
  const lineOf = lineFinder(page);
  for (const p of ARTICLE_PARAGRAPHS.slice(0, 3)) assert.ok(!flagged.has(lineOf(p.slice(0, 40))), `article text flagged: ${p.slice(0, 40)}`);
  for (const l of LATEST) {
    assert.ok(flagged.has(lineOf(l.slice(0, 40))), `headline kept: ${l.slice(0, 40)}`);
    assert.equal(blockOfLine(page, blocks, lineOf(l.slice(0, 40)))!.category, 'related');
  }
});

test('headlineRuns: lines led by a headline count only when two of them stand in a row somewhere', () => {
  const film = 'The Infinite Man Returns To The Screen In Spring After a romantic weekend goes wrong, a scientist tries to fix it with a time machine of his own making.';
  const lines = (texts: string[]) => texts.map((text) => ({ text }));
  assert.deepEqual(headlineRuns(lines(['A list of films of the decade, with a line on each:', film, 'Game Over 2019: a thriller.', LATEST[0]!])), []);
  assert.deepEqual(headlineRuns(lines([LATEST[0]!, '', LATEST[1]!, 'Weather', LATEST[2]!])), [0, 2, 4]);
});

test('a numbered list an article introduces goes on past a blank line while its numbering does', () => {
  // Written for this test: picks numbered 1-8, each with its shop link; a link alone between 4 and 5.
  const items = ['Lego harbour bridge set with two ferries', 'Electric racing track with a bridge and a tunnel', 'Box set of the harbour films, remastered', 'Ferry captain cap, one size', 'Model of the old harbour bridge, scale 1:500', 'Jigsaw of the city skyline at night, 1000 pieces', 'Board game of the harbour, for two to six players', 'Poster of the bridge opening in 1931'];
  const link = (k: number) => `http://shop.example/p${k}`;
  const page = [
    'Home', 'Gifts', 'Deals',
    'Gifts for bridge lovers',
    ARTICLE_PARAGRAPHS[0],
    ARTICLE_PARAGRAPHS[1],
    'With the vote done, here are our picks for fans of the old bridge, all of them on sale this week:',
    items.slice(0, 4).flatMap((t, k) => [`${k + 1}) ${t}`, link(k + 1)]).join('\n'),
    link(99),
    items.slice(4).flatMap((t, k) => [`${k + 5}) ${t}`, link(k + 5)]).join('\n'),
    'Related', '1) Mayor promises more bus lanes', '2) Ferry fares to rise',
    '© 2026 The City Paper. All rights reserved.',
  ].join('\n\n');
  const flagged = flaggedLines(page, detectBoilerplate(page));
  const lineOf = lineFinder(page);
  for (const t of items) assert.ok(!flagged.has(lineOf(t)), `list item flagged: ${t}`);
  assert.ok(flagged.has(lineOf('All rights reserved')));
});

test('a photo caption that ends with its credit is flagged as a credit; an article sentence naming a credit is not', () => {
  // Written for this test, in the way news sites print captions under their pictures.
  const page = [
    'Bridge vote ends three-year dispute',
    ARTICLE_PARAGRAPHS[0],
    'The old harbour bridge seen from the ferry terminal on Tuesday morning Credit: Jane Doe/City Paper',
    ARTICLE_PARAGRAPHS[1],
    'Council members during the vote in the town hall (Image: GETTY )',
    'The mayor before the vote. Credit... John Roe/The City Paper',
    'FILE PHOTO: Cars cross the old harbour bridge at night in the city, March 3, 2025.',
    'Under the plan, the city will draw on a line of credit: a loan of 40 million from the regional bank, to be repaid over twenty years.',
    ARTICLE_PARAGRAPHS[2],
    '© 2026 The City Paper. All rights reserved.',
  ].join('\n\n');
  const blocks = detectBoilerplate(page);
  const lineOf = lineFinder(page);
  assert.equal(blockOfLine(page, blocks, lineOf('Credit: Jane Doe'))?.category, 'credit');
  assert.equal(blockOfLine(page, blocks, lineOf('(Image: GETTY )'))?.category, 'credit');
  assert.equal(blockOfLine(page, blocks, lineOf('Credit... John Roe'))?.category, 'credit');
  assert.equal(blockOfLine(page, blocks, lineOf('FILE PHOTO: Cars'))?.category, 'credit');
  assert.equal(blockOfLine(page, blocks, lineOf('line of credit')), undefined, 'an article sentence flagged');
  for (const p of ARTICLE_PARAGRAPHS.slice(0, 3)) assert.equal(blockOfLine(page, blocks, lineOf(p.slice(0, 40))), undefined);
});
