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
});
