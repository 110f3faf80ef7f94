import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { detectEntities } from '../../server/src/core/detect/entities';
import { latinStretches } from '../../server/src/core/detect/entities/english';
import { englishSentences, tokenizeEnglish, tokenizeEnglishByRegExp } from '../../server/src/core/detect/entities/englishTokens';
import { cueList, MID_CAPITAL } from '../../server/src/core/detect/entities/englishFeatures';
import { analyseEnglish } from '../../server/src/core/detect/entities/englishTagger';

function found(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of detectEntities(text)) out[text.slice(c.start, c.end)] = c.label;
  return out;
}

describe('English entities', () => {
  it('labels organisations by their head word, and persons by their title', () => {
    const f = found('The talks, held at the Ministry of Foreign Affairs, covered trade. Prime Minister Shehbaz Sharif will visit Harvard University in May.');
    assert.equal(f['Ministry of Foreign Affairs'], 'ORG');
    assert.equal(f['Shehbaz Sharif'], 'PER');
    assert.equal(f['Harvard University'], 'ORG');
  });
  it('keeps places and a titled person apart in one sentence', () => {
    const f = found("Secretary of State Antony Blinken met Pakistan's foreign minister in Islamabad on Monday, the United Nations said.");
    assert.equal(f['Antony Blinken'], 'PER');
    assert.equal(f['Pakistan'], 'LOC');
    assert.equal(f['Islamabad'], 'LOC');
    assert.equal(f['United Nations'], 'ORG');
  });
  it('leaves nationality words and titles out of a name, and splits "X and Y" unless it names one organisation', () => {
    const f = found('German Chancellor Olaf Scholz met French President Emmanuel Macron in Berlin. Pakistan and Iran agreed on a plan, and the Securities and Exchange Commission fined Microsoft.');
    assert.equal(f['Olaf Scholz'], 'PER');
    assert.equal(f['Emmanuel Macron'], 'PER');
    assert.ok(!('German Chancellor Olaf Scholz' in f) && !('French President Emmanuel Macron' in f), JSON.stringify(f));
    assert.equal(f['Pakistan'], 'LOC');
    assert.equal(f['Iran'], 'LOC');
    assert.ok(!('Pakistan and Iran' in f));
    assert.equal(f['German'], 'MISC', 'a nationality adjective is a name of its own (MISC), as in CoNLL and GUM');
    // The tagger reads the commission as one organisation, with less confidence than the
    // default threshold asks for (its training text has few "X and Y Commission" names).
    const text = 'Pakistan and Iran agreed on a plan, and the Securities and Exchange Commission fined Microsoft.';
    const low = detectEntities(text, { minConfidence: 0.4 }).map((e) => `${e.label} ${text.slice(e.start, e.end)}`);
    assert.ok(low.includes('ORG Securities and Exchange Commission'), low.join(' | '));
    assert.ok(!low.some((x) => /^\w+ (Securities|Exchange Commission)$/.test(x)), 'never cut in two');
  });
  it('finds a name at the start of a sentence: a news agency, or a word capitalised elsewhere in the text', () => {
    const f = found('Reuters reported the deal on Monday. Kerkhove said the outbreak was contained. The agency quoted Dr. Maria Van Kerkhove.');
    assert.equal(f['Reuters'], 'ORG');
    assert.equal(f['Kerkhove'], 'PER');
    assert.ok(!('The' in f) && !Object.keys(f).some((k) => k.startsWith('The ')), JSON.stringify(f));
    assert.equal(f['Maria Van Kerkhove'], 'PER');
  });

  it('finds Latin-script organisations and places that the lexicon knows inside Arabic sentences', () => {
    const text = 'وقالت CNN إن قوات NATO وصلت إلى New York أمس ، وأضافت Xyzzy أن الوضع هادئ .';
    const f = found(text);
    assert.equal(f['CNN'], 'ORG');
    assert.equal(f['NATO'], 'ORG');
    assert.equal(f['New York'], 'LOC', 'the longest run the lexicon knows');
    assert.equal(f['Xyzzy'], undefined, 'an unknown Latin word alone is not a name');
    const spans = detectEntities(text).map((e) => text.slice(e.start, e.end));
    assert.ok(!spans.includes('York'));
  });
});

describe('English tokens', () => {
  it('keeps abbreviations, inner hyphens and domains whole, and splits the possessive off', () => {
    const text = "The U.S. envoy met Dr. Kim Min-Woo's aide at Secunia.com in Washington D.C. on Friday. Then #IStandWithAhmed trended.";
    const toks = tokenizeEnglish(text).map((t) => t.text);
    for (const t of ['U.S.', 'Dr.', 'Min-Woo', "'s", 'Secunia.com', 'D.C.', '#IStandWithAhmed']) assert.ok(toks.includes(t), `${t} in ${toks.join(' | ')}`);
    const sentences = englishSentences(text, tokenizeEnglish(text));
    assert.equal(sentences.length, 2, 'U.S., Dr. and D.C. do not end a sentence; "Friday." does');
  });
  it('reads plain words without the regular expression, and every token as the expression alone would', () => {
    // The fast path (runs of ASCII letters and digits) must agree with TOKEN_RE on every text: pieces
    // that sit at its edges (full stops, joiners, colons, letters beyond ASCII, odd spaces) run together.
    const pieces = ['U', 'S', 'Dr', 'Inc', 'www', 'http', 'https', 'com', 'Kim', 'Min', 'O', 'Brien', 'Trump', 'it', '5', '2024', 'é', 'Ñ', 'ب', '\u0301',
      '.', '-', "'", '’', '&', ':', '/', '#', '@', ',', '"', 's', 'S', "'s", '’S', ' ', '  ', '\n', '\t', '\r', '\u00a0', '\u2009', '\v', '…', '(', ')'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), fc.nat(), fc.nat(), (parts, a, b) => {
        const text = parts.join('');
        const from = text.length ? a % (text.length + 1) : 0;
        const to = from + (text.length - from ? b % (text.length - from + 1) : 0);
        assert.deepEqual(tokenizeEnglish(text, from, to), tokenizeEnglishByRegExp(text, from, to));
      }),
      { numRuns: 3000 },
    );
    const page = "Visit https://example.org/x or www.bbc.co.uk. Mr. O'Brien's U.S. trip (Jan. 5) cost $3,000 — said Kim Min-Woo’s aide at Secunia.com, #Vote2024 @UN.";
    assert.deepEqual(tokenizeEnglish(page), tokenizeEnglishByRegExp(page));
  });
  it('finds the Latin-script lines of a mixed document', () => {
    const text = 'قال الرئيس إن المحادثات ستستمر\nThe talks will go on, the president said.\nوأضاف أن CNN نقلت الخبر';
    const s = latinStretches(text);
    assert.equal(s.length, 1);
    assert.equal(text.slice(s[0][0], s[0][1]), 'The talks will go on, the president said.');
  });
});

describe('English tagger', () => {
  it('labels people, places, organisations and nationalities in a news paragraph', () => {
    const f = found(
      'German Chancellor Angela Merkel met French President Emmanuel Macron in Paris on Tuesday. The two leaders discussed the European Union budget, the German government said in a statement. Merkel later flew to Brussels.',
    );
    assert.equal(f['Angela Merkel'], 'PER');
    assert.equal(f['Emmanuel Macron'], 'PER');
    assert.equal(f['Paris'], 'LOC');
    assert.equal(f['Brussels'], 'LOC');
    assert.equal(f['European Union'], 'ORG');
    assert.equal(f['Merkel'], 'PER', 'a surname alone at the start of a sentence is the person named before');
    assert.ok(!('Tuesday' in f) && !('The' in f), JSON.stringify(f));
  });
  it('gives a name one label throughout a document', () => {
    const text = 'Romelu Lukaku scored twice for Belgium against Panama. Lukaku now has four goals. The coach praised Lukaku after the match.';
    const labels = detectEntities(text)
      .filter((e) => text.slice(e.start, e.end).endsWith('Lukaku'))
      .map((e) => e.label);
    assert.equal(labels.length, 3, 'every mention is found');
    assert.deepEqual([...new Set(labels)], ['PER']);
  });
  it('reports confidences in [0, 1] and spans that lie on word boundaries', () => {
    const text = 'Officials at the World Health Organization in Geneva said the outbreak in Kenya was under control.';
    const es = detectEntities(text);
    assert.ok(es.length >= 2, JSON.stringify(es));
    for (const e of es) {
      assert.ok(e.confidence >= 0 && e.confidence <= 1);
      assert.ok(!/\w/.test(text[e.start - 1] ?? ' ') && !/\w/.test(text[e.end] ?? ' '), text.slice(e.start, e.end));
    }
  });
});

describe('English document cues', () => {
  const cuesOf = (text: string) => {
    const a = analyseEnglish(text, new Map());
    const out: Record<string, string[]> = {};
    for (const t of a.infos) if (t.doc) out[t.text] = t.doc;
    return { a, out };
  };
  it('gather what every occurrence of a capitalised word shows, as one sorted list per word', () => {
    const { a, out } = cuesOf(
      "Police said the minister met Mr. Khan in Lahore. Khan said the police would stay. The talks of Paris Club ended; Lahore's mayor and the Khan family left. A Bank of England official met John Smith in Gulberg.",
    );
    assert.deepEqual(out['Khan'], ['mc', 'said', 'ti'].concat(['run', 'solo', 'the']).sort());
    assert.deepEqual(out['Police'], ['lc', 'said'], 'written in lower case elsewhere');
    assert.deepEqual(out['Lahore'], ['in', 'mc', 'poss', 'solo']);
    assert.deepEqual(out['Paris'], ['mc', 'run']);
    assert.deepEqual(out['Bank'], ['mc', 'of'], 'capitalised before "of" and a capital; after the capital A, so not alone');
    assert.deepEqual(out['Gulberg'], ['in', 'mc', 'solo']);
    assert.deepEqual(out['Smith'], ['gn', 'mc', 'run'], 'after a given name');
    assert.deepEqual(out['The'], ['lc'], 'the sentence-opening The is written in lower case elsewhere');
    // One array per list, shared: both Khan tokens (and any word of the same cues) hold the same.
    const khans = a.infos.filter((t) => t.text === 'Khan');
    assert.ok(khans.length === 3 && khans.every((t) => t.doc === khans[0].doc && t.docId === khans[0].docId));
    assert.equal(cueList(khans[0].docId!), khans[0].doc);
  });
  it('number each list by its cues, the same in every document', () => {
    const one = cuesOf('Reporters met Ahmed in Cairo.').a.infos.find((t) => t.text === 'Cairo')!;
    const two = cuesOf('The delegation arrived in Riyadh yesterday.').a.infos.find((t) => t.text === 'Riyadh')!;
    assert.deepEqual(one.doc, ['in', 'mc', 'solo']);
    assert.equal(one.doc, two.doc);
    assert.equal(one.docId, two.docId);
    assert.ok((one.docId! & MID_CAPITAL) !== 0);
  });
});
