/**
 * Teasers of other stories that read as article text line by line: their rhythm (teaserRuns)
 * or their place among the related stories (loneTeasers) gives them away. Both read the
 * verdicts the classifier and the region search have given (index.ts detectBoilerplate).
 */
import { isDateline } from './dateline';
import type { Line, LineFeatures } from './features';
import type { Verdict } from './verdict';

/**
 * Runs of teasers from line `from` on: lists of other stories, each a headline, a byline or a
 * date, and the story's first paragraph. Each paragraph reads as article text and the list,
 * being long, may even extend the article region over it; what gives it away is the rhythm,
 * dated or signed units of one paragraph each, TEASER_MIN_RUN or more in a row (an article's
 * sections have no byline, and their paragraphs come in runs), after an article of
 * TEASER_MIN_ARTICLE_WORDS or more. Returns [first line, last line, units] of each run.
 */
export function teaserRuns(lines: readonly Line[], feats: readonly LineFeatures[], verdicts: readonly Verdict[], from: number): [number, number, number][] {
  // A paragraph: a sentence, kept, or flagged only for lying outside the article region (a
  // headline, however long, has no final punctuation).
  const paragraph = (i: number): boolean => i < feats.length && feats[i]!.nWords >= TEASER_MIN_WORDS && feats[i]!.endPunct && (!verdicts[i]!.boilerplate || verdicts[i]!.category === 'non-article');
  const meta = (i: number): boolean => verdicts[i]!.category === 'byline' || isDateline(lines[i]!.text);
  const runs: [number, number, number][] = [];
  let start = -1;
  let units = 0;
  // A list of teasers follows an article: the words kept from `from` up to the run are counted
  // (only for a run long enough), since dated paragraphs from the start of the page on may be
  // the article itself (a live blog).
  const articleBefore = (line: number): boolean => {
    let words = 0;
    for (let k = from; k < line && words < TEASER_MIN_ARTICLE_WORDS; k++) if (!verdicts[k]!.boilerplate) words += feats[k]!.nWords;
    return words >= TEASER_MIN_ARTICLE_WORDS;
  };
  const close = (end: number): void => {
    if (units >= TEASER_MIN_RUN && articleBefore(start)) runs.push([start, end, units]);
    start = -1;
    units = 0;
  };
  let i = from;
  while (i < lines.length) {
    // A unit: short lines, one of them a byline or a date, then one paragraph not followed by another.
    let j = i;
    let dated = false;
    while (j < lines.length && !paragraph(j) && feats[j]!.nWords <= TEASER_MAX_HEAD_WORDS && j - i < TEASER_MAX_HEAD_LINES) dated = meta(j++) || dated;
    if (j > i && dated && paragraph(j) && !paragraph(j + 1)) {
      if (start < 0) start = i;
      units++;
      i = j + 1;
      continue;
    }
    close(i - 1);
    i = j > i ? j : i + 1;
  }
  close(lines.length - 1);
  return runs;
}
/**
 * Once a heading of related stories has appeared after TEASER_MIN_ARTICLE_WORDS words of the
 * article ("Recommended for You", اقرأ أيضا), a paragraph standing alone between a story's
 * headline and its source and buttons ("Save", "More like this") is one more teaser. Without a
 * byline or a date (teaserRuns) it read as article text, long ones carried the article region
 * over themselves (so the heading is looked for from the region's start, not its end), and
 * such pages kept a dozen.
 */
export function loneTeasers(lines: readonly Line[], feats: readonly LineFeatures[], verdicts: readonly Verdict[], regionStart: number): number[] {
  const out: number[] = [];
  const worded = (i: number, step: 1 | -1): number => {
    for (let j = i + step; j >= 0 && j < lines.length; j += step) if (feats[j]!.nWords > 0) return j;
    return -1;
  };
  const flagged = (j: number): boolean => j < 0 || verdicts[j]!.boilerplate;
  // A story's headline: flagged for where it stands, not for a cue (an ad slot, "Continue reading"
  // between two paragraphs of the article itself are cues).
  const headline = (j: number): boolean => j >= 0 && verdicts[j]!.boilerplate && feats[j]!.cues.length === 0 && feats[j]!.nWords >= TEASER_HEADLINE_MIN_WORDS;
  let heading = false;
  let articleWords = 0;
  for (let i = regionStart; i < lines.length; i++) {
    const v = verdicts[i]!;
    if (!heading) {
      if (!v.boilerplate) articleWords += feats[i]!.nWords;
      heading = articleWords >= TEASER_MIN_ARTICLE_WORDS && v.boilerplate && v.category === 'related' && feats[i]!.nWords <= RELATED_HEADING_WORDS;
      continue;
    }
    if (v.boilerplate || !headline(worded(i, -1))) continue;
    // …and followed by the story's source and buttons, not by the next section of the article.
    const next = worded(i, 1);
    if (next < 0 || (flagged(next) && feats[next]!.cues.length === 0 && flagged(worded(next, 1)))) out.push(i);
  }
  return out;
}
const RELATED_HEADING_WORDS = 6;
const TEASER_HEADLINE_MIN_WORDS = 3;
const TEASER_MIN_WORDS = 12;
const TEASER_MIN_RUN = 3;
const TEASER_MAX_HEAD_WORDS = 20;
const TEASER_MAX_HEAD_LINES = 4;
const TEASER_MIN_ARTICLE_WORDS = 100;
