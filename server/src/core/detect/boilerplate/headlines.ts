/**
 * Headlines of other stories run into their first lines, one story per line: a site's menu of
 * latest stories as a scraper flattens it ("Police: 2 In Custody After Death Of … A 24-year-old
 * woman and …"). Each reads as a long sentence, and a few of them outweigh a short article, so
 * the region search took the menu for the article. What gives them away is English Title Case:
 * the words that only a headline capitalises (In, Of, To, After…) inside a run of capitalised
 * words, then a sentence in lower case. A single such line can be a list entry of the article (a
 * film and its summary); two or more in a row are a list of other stories.
 */

/** Words capitalised in Title Case but never inside a sentence of prose. */
const TITLE_ONLY = new Set([
  'In', 'Of', 'To', 'For', 'At', 'After', 'About', 'During', 'With', 'Without', 'From', 'On', 'Into', 'Over', 'Under',
  'Is', 'Are', 'Was', 'Were', 'Be', 'Has', 'Have', 'Its', 'And', 'Or', 'But', 'As', 'By', 'Than', 'Up', 'Out', 'Off',
  'Down', 'Back', 'Against', 'Before', 'Amid',
]);
/** Small words a Title Case headline may leave in lower case. */
const TITLE_LOWER = /^(a|an|the|of|in|on|at|to|for|and|or|vs\.?|with|by|from)$/;
/** A headline-led line: at least this many words… */
const MIN_WORDS = 14;
/** …of which at least this many capitalised ones open it… */
const MIN_CAPS = 4;
/** …(looked for among its first words)… */
const MAX_HEADLINE_WORDS = 20;
/** …and at least this many words of sentence after them, half of them in lower case. */
const MIN_SENTENCE_WORDS = 8;

/** A title-only word after a space: most lines have none and are answered without splitting them into words. */
const TITLE_ONLY_RE = new RegExp(`\\s(?:${[...TITLE_ONLY].join('|')})\\b`);
/** Shorter lines cannot hold MIN_WORDS words of a headline and a sentence. */
const MIN_CHARS = 60;

/** Does the line open with a Title Case headline and go on with a sentence? */
export function isHeadlineLed(text: string): boolean {
  if (text.length < MIN_CHARS || !TITLE_ONLY_RE.test(text)) return false;
  const w = text.trim().split(/\s+/);
  if (w.length < MIN_WORDS) return false;
  let caps = 0;
  let titleOnly = 0;
  let k = 0;
  for (; k < w.length && k < MAX_HEADLINE_WORDS; k++) {
    const word = w[k]!.replace(/^[‘'"“(]+/, '');
    if (/^[A-Z0-9$]/.test(word)) {
      caps++;
      if (k > 0 && TITLE_ONLY.has(word.replace(/[^A-Za-z]/g, ''))) titleOnly++;
    } else if (!TITLE_LOWER.test(word)) break;
  }
  const rest = w.length - k;
  let lower = 0;
  for (let j = k; j < w.length; j++) if (/^[a-z]/.test(w[j]!)) lower++;
  return caps >= MIN_CAPS && titleOnly >= 1 && rest >= MIN_SENTENCE_WORDS && lower * 2 >= rest;
}

/**
 * Indices of the headline-led lines when two or more of them stand in a row (blank lines
 * skipped): then the page lists other stories so, and its other headline-led lines, alone
 * between a menu's section names, are such stories too.
 */
export function headlineRuns(lines: readonly { text: string }[]): number[] {
  const led: number[] = [];
  let inRow = false;
  let prev = -1;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.text;
    if (!text.trim()) continue;
    if (isHeadlineLed(text)) {
      if (led.length && led[led.length - 1] === prev) inRow = true;
      led.push(i);
    }
    prev = i;
  }
  return inRow ? led : [];
}
