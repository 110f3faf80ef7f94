/**
 * Rules on trigger words for names the statistical tagger rarely sees:
 * - transliterated media names ending in a media word (… نيوز, … تايمز, … بوست):
 *   the rare words before it form an ORG (ميدل ايست نيوز);
 * - a quoted name right after an organisation word (تنظيم يسمي نفسه “جيش العدل”).
 */
import type { Analysis } from './pipeline';

export interface TriggerSpan {
  first: number;
  last: number;
  label: string;
  confidence: number;
}

const MEDIA_TAILS = new Set(['نيوز', 'تايمز', 'بوست', 'برس', 'تريبيون', 'جورنال', 'توداي', 'هيرالد', 'اكسبرس', 'تلغراف', 'نت', 'انفو', 'ميديا', 'تي في', 'نيوزويك']);
const OPEN_QUOTES = new Set(['"', '“', '«', '„', '‘', "'"]);
const CLOSE_QUOTES = new Set(['"', '”', '»', '“', '’', "'"]);
/** A word this common in the training text is an ordinary word, not part of a transliterated name. */
const RARE = 3;

export function triggerSpans(a: Analysis): TriggerSpan[] {
  const out: TriggerSpan[] = [];
  const { infos, tokens, ctx } = a;
  for (let i = 1; i < infos.length; i++) {
    if (tokens[i].kind !== 'word' || !MEDIA_TAILS.has(infos[i].folded)) continue;
    let s = i;
    while (s - 1 >= 0 && i - s < 2 && tokens[s - 1].kind === 'word' && ctx.freq(infos[s - 1].folded) <= RARE && !ctx.gazetteer.triggers.has(infos[s - 1].folded)) s--;
    if (s < i) out.push({ first: s, last: i + 1, label: 'ORG', confidence: 0.7 });
  }
  for (let i = 0; i < infos.length; i++) {
    if (!ctx.gazetteer.triggersAt(infos[i].folded, infos[i].clitic)?.includes('ORG')) continue;
    for (let q = i + 1; q <= i + 4 && q < tokens.length; q++) {
      if (!OPEN_QUOTES.has(tokens[q].text)) continue;
      let e = q + 1;
      while (e < tokens.length && e - q <= 5 && tokens[e].kind === 'word') e++;
      if (e > q + 1 && e - q <= 5 && e < tokens.length && CLOSE_QUOTES.has(tokens[e].text)) out.push({ first: q + 1, last: e, label: 'ORG', confidence: 0.65 });
      break;
    }
  }
  return out;
}
