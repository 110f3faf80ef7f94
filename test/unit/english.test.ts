import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { detectEntities } from '../../server/src/core/detect/entities';

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
    assert.equal(f['Securities and Exchange Commission'], 'ORG');
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
