/**
 * Boilerplate detector: which lines of a scraped news page are not the
 * article. Pure (no I/O); the server, the CLI and the eval script call it.
 *
 * Pipeline: split into lines → per-line signals and cue phrases → linear
 * classifier → main-region search (max-sum segment) → rules on what the
 * classifier kept (comments after the article, lists an article introduces,
 * HTML markup, teasers of other stories) → in-page duplicates → cross-corpus
 * repetition → user decisions → merge adjacent flagged lines of one category
 * into blocks.
 */
import type { BoilerplateBlock } from '../types';
import { maxSegment, neighbourMean, segmentSupport, type Region } from './context';
import type { CorpusIndex } from './corpusIndex';
import { getCueMatcher, type CueHit } from './cues';
import { isDateline } from './dateline';
import { findDuplicates, type DuplicateLink } from './duplicates';
import { blankLinesMeaningful, documentLanguage, featureVector, type Line, type LineFeatures, lineFeatures, splitLines, strongCues } from './features';
import { foldKey } from './fold';
import { headlineRuns } from './headlines';
import { isMarkup } from './markup';
import { numberedListEnd } from './lists';
import { DEFAULT_MODEL, type Model } from './model';
import { loneTeasers, teaserRuns } from './teasers';
import { hasGenericCategory, type Verdict } from './verdict';

export { blocksWithKeys, lineKeys } from './blockLines';
export { CorpusIndex, indexedHashes } from './corpusIndex';

export interface BoilerplateOptions {
  corpus?: CorpusIndex;
  /** A block is `repeated` when it occurs in at least this many corpus documents (default 3)… */
  repeatedMinDocs?: number;
  /**
   * …and in at least this fraction of the corpus (default 0.05): the bar is
   * max(repeatedMinDocs, ceil(repeatedMinFraction × corpus.size)). Counts
   * include the document itself when it is indexed.
   */
  repeatedMinFraction?: number;
  /** Decision threshold on the classifier's probability that a line is article text (default 0.5). */
  threshold?: number;
  /** User cue phrases by category (same syntax as data/boilerplate-cues.json). */
  extraCues?: Record<string, string[]>;
  /** Use the `re:` patterns of `extraCues` (default true); false in an untrusted workspace. */
  extraCuePatterns?: boolean;
  /** User-learned decisions: blockKey → true = boilerplate, false = article. */
  decisions?: Map<string, boolean>;
  /** Alternative weights (evaluation and tuning only). */
  model?: Model;
}

/** Folded key of a block: case, diacritics, letter variants, digits and whitespace folded. */
export function blockKey(blockText: string): string {
  return foldKey(blockText);
}

// Cue-file categories that are shown under a broader category.
const CATEGORY_ALIAS: Record<string, string> = {
  follow: 'share',
  form: 'comment-form',
  privacy: 'cookies',
};

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function describe(f: LineFeatures): string {
  const bits: string[] = [];
  bits.push(`${f.nWords} word${f.nWords === 1 ? '' : 's'}`);
  if (!f.endPunct) bits.push('no final punctuation');
  if (f.nWords >= 4 && f.stopDensity < 0.15) bits.push('few function words');
  if (f.hasLink) bits.push('link/handle');
  if (f.titleRatio > 0.7 && f.nWords > 1) bits.push('Title Case');
  if (f.separators >= 2) bits.push('separators');
  return bits.join(', ');
}

/** Everything the decision rests on, per non-empty line (exported for tuning). */
export interface Analysis {
  lines: Line[];
  feats: LineFeatures[];
  /** Stage-1 logit (own signals) and stage-2 logit (with context). */
  z1: number[];
  z2: number[];
  x1: number[][];
  x2: number[][];
  region: Region | undefined;
  dups: Map<number, DuplicateLink>;
  /** Short comments/related headings. */
  barrier: boolean[];
}

// Headings after which a page stops being the article (comments, related lists).
const BARRIER_CATEGORIES = new Set(['comment-form', 'related']);

export const CONTEXT_FEATURES = [
  'bias', 'z1', 'near1', 'near3', 'inRegion', 'outDist', 'barrier', 'short', 'shortIn', 'cue', 'dupLater', 'zIn', 'regionShare', 'wordPos', 'support', 'supportZ', 'groupCue',
] as const;

export function analyse(text: string, options: BoilerplateOptions = {}): Analysis {
  const lines = splitLines(text);
  const model = options.model ?? DEFAULT_MODEL;
  const cues = getCueMatcher(options.extraCues, { patterns: options.extraCuePatterns });
  const lang = documentLanguage(lines);
  const feats = lines.map((l) => lineFeatures(l, lang, cues));
  const dups = findDuplicates(lines);
  const dupSet = new Set<number>();
  for (const [i, d] of dups) {
    dupSet.add(i);
    dupSet.add(d.other);
  }
  const last = Math.max(1, lines.length - 1);
  const groups = blankLinesMeaningful(lines);
  const x1: number[][] = [];
  const z1 = feats.map((f, i) => {
    const x = featureVector(f, i / last, dupSet.has(i), groups ? lines[i]!.groupSize : 0);
    x1.push(x);
    let s = 0;
    for (let k = 0; k < x.length; k++) s += (model.stage1[k] ?? 0) * x[k]!;
    return Math.max(-10, Math.min(10, s));
  });

  const strong = feats.map((f) => strongCues(f).length > 0);
  const gains = lines.map((_, i) => {
    const g = (sigmoid(z1[i]!) - model.regionCentre) * Math.min(feats[i]!.nWords, model.regionCap) - model.linePenalty;
    return g < 0 ? g * model.negScale : g;
  });
  const isBarrier = feats.map((f) => f.nWords <= 6 && f.cues.some((c) => c.whole && BARRIER_CATEGORIES.has(c.category)));
  const region = chooseRegion(gains, feats, isBarrier);
  let core = -1;
  let regionWords = 0;
  let totalWords = 0;
  for (let i = 0; i < lines.length; i++) {
    totalWords += feats[i]!.nWords;
    if (region && i >= region.start && i <= region.end) {
      regionWords += feats[i]!.nWords;
      if (core < 0 || gains[i]! > gains[core]!) core = i;
    }
  }
  // Barriers seen so far from the core outwards, per line.
  const barrierBetween = new Array<number>(lines.length).fill(0);
  if (core >= 0) {
    let n = 0;
    for (let i = core + 1; i < lines.length; i++) {
      if (isBarrier[i]) n++;
      barrierBetween[i] = n;
    }
    n = 0;
    for (let i = core - 1; i >= 0; i--) {
      barrierBetween[i] = n;
      if (isBarrier[i]) n++;
    }
  }
  const laterCopy = new Set(dups.keys());
  const support = segmentSupport(gains);
  // A line grouped (no blank line between) with a cue line is a teaser or a
  // caption block: "Read more", "Share", a byline hang together with it.
  const groupCue = new Array<number>(lines.length).fill(0);
  if (groups) {
    for (let i = 0; i < lines.length; ) {
      const size = lines[i]!.groupSize;
      let cueLines = 0;
      for (let k = i; k < i + size; k++) if (strong[k]) cueLines++;
      for (let k = i; k < i + size; k++) groupCue[k] = size > 1 ? (cueLines - (strong[k] ? 1 : 0)) / (size - 1) : 0;
      i += size;
    }
  }
  const regionShare = totalWords ? regionWords / totalWords : 0;
  let wordsBefore = 0;
  const x2: number[][] = [];
  const z2: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const f = feats[i]!;
    const inside = !!region && i >= region.start && i <= region.end;
    const dist = !region ? 10 : i < region.start ? region.start - i : i > region.end ? i - region.end : 0;
    const short = f.nWords <= 3 ? 1 : 0;
    const x = [
      1,
      z1[i]! / 5,
      neighbourMean(z1, i, 1) / 5,
      neighbourMean(z1, i, 3) / 5,
      inside ? 1 : 0,
      Math.log1p(dist),
      barrierBetween[i]! > 0 ? 1 : 0,
      short,
      short && inside ? 1 : 0,
      strong[i] ? 1 : 0,
      laterCopy.has(i) ? 1 : 0,
      inside ? z1[i]! / 5 : 0,
      inside ? regionShare : 0,
      totalWords ? wordsBefore / totalWords : 0,
      support[i]!,
      (support[i]! * z1[i]!) / 5,
      groupCue[i]!,
    ];
    wordsBefore += f.nWords;
    let s = 0;
    for (let k = 0; k < x.length; k++) s += (model.stage2[k] ?? 0) * x[k]!;
    x2.push(x);
    z2.push(s);
  }
  return { lines, feats, z1, z2, x1, x2, region, dups, barrier: isBarrier };
}

/**
 * The article comes before its comments: when the best segment lies after a
 * comments heading and a decent segment precedes that heading, the earlier
 * one is the article (long comment threads outweigh short articles).
 */
function chooseRegion(gains: readonly number[], feats: readonly LineFeatures[], isBarrier: readonly boolean[]): Region | undefined {
  const commentsAt = (i: number): boolean => isBarrier[i]! && feats[i]!.cues.some((c) => c.category === 'comment-form');
  let best = maxSegment(gains);
  if (!best) return best;
  let b = -1;
  for (let i = best.start - 1; i >= 0; i--) {
    if (commentsAt(i) && !besideToolbar(i, feats)) {
      b = i;
      break;
    }
  }
  if (b > 0) {
    const before = maxSegment(gains.slice(0, b));
    if (before && before.score >= EARLIER_MIN_SCORE && before.score >= EARLIER_MIN_SHARE * best.score) best = before;
  }
  // Nor does the article run on past its comments heading (teasers and
  // comments follow it); re-search the part before the heading.
  // A toolbar's "Comments" button (besideToolbar) with more of the segment's article after it
  // than before it sits under the headline: the article goes on past it.
  const sum = (from: number, to: number): number => {
    let s = 0;
    for (let k = from; k < to; k++) s += gains[k]!;
    return s;
  };
  for (let i = best.start + 1; i <= best.end; i++) {
    if (commentsAt(i) && !(besideToolbar(i, feats) && sum(best.start, i) < sum(i + 1, best.end + 1))) {
      const head = maxSegment(gains.slice(best.start, i));
      if (head) best = { start: best.start + head.start, end: best.start + head.end, score: head.score };
      break;
    }
  }
  return best;
}
const EARLIER_MIN_SCORE = 15;

/**
 * A comments heading (line i) beside a share or follow button is one of a toolbar's buttons:
 * pages put a "Comments" link (the count, a jump to the thread) beside "Share" and "Follow"
 * under the headline. Taken for the thread's heading, the line before which the article must
 * lie, it made a teaser above it the article and the whole article below it "comments" (two
 * of the readability pages lost all their text that way). After the article region (chosen
 * with this in mind: chooseRegion), a comments heading starts the comments wherever it stands.
 */
function besideToolbar(i: number, feats: readonly LineFeatures[]): boolean {
  const toolbar = (j: number): boolean => j >= 0 && j < feats.length && feats[j]!.cues.some((c) => TOOLBAR_CATEGORIES.has(c.category));
  return toolbar(i - 1) || toolbar(i + 1);
}
const TOOLBAR_CATEGORIES = new Set(['share', 'follow']);

/**
 * Text that is all article: not one cue anywhere, and no line of three words or fewer but
 * perhaps a title. Such a document (a newswire corpus, text already cleaned) has no page around
 * the article, so nothing in it is flagged for where it stands: the region search had cut the
 * last paragraphs of ANERcorp articles that end in a list of short recommendations (0.6 % of
 * their words). Scraped pages always have menus or buttons: none of the 172 evaluation and
 * training pages but one is plain.
 */
function isPlainArticle(feats: readonly LineFeatures[]): boolean {
  let short = 0;
  for (const f of feats) {
    if (f.cues.length > 0) return false;
    if (f.nWords > 0 && f.nWords <= PLAIN_SHORT_WORDS && ++short > PLAIN_MAX_SHORT_LINES) return false;
  }
  return true;
}
const PLAIN_SHORT_WORDS = 3;
const PLAIN_MAX_SHORT_LINES = 1;
const SYNDICATED_SHARE = 0.5;
const COLON_END_RE = /[:：]\s*$/u;
/** A line opening with a label of one or two words and a colon (Published: ..., كتب : ...). */
const LABEL_RE = /^\S+(?:\s+\S+)?\s*[:：]/u;

/**
 * A sentence of more than eight words, read by the classifier as article text, whose only cues
 * are partial ones (a cue word opening it), and which does not open with a label.
 */
function isProse(f: LineFeatures, strong: readonly CueHit[], readAsArticle: boolean, text: string): boolean {
  return f.endPunct && f.nWords > 8 && readAsArticle && strong.every((c) => !c.whole && c.coverage < 0.5) && !LABEL_RE.test(text);
}
const EARLIER_MIN_SHARE = 0.1;

export function detectBoilerplate(text: string, options: BoilerplateOptions = {}): BoilerplateBlock[] {
  const a = analyse(text, options);
  const { lines, feats, z2, region, dups } = a;
  if (lines.length === 0) return [];
  const threshold = options.threshold ?? 0.5;
  const thrLogit = Math.log(threshold / (1 - threshold));
  const inRegion = (i: number): boolean => !!region && i >= region.start && i <= region.end;

  // Comments follow the article: past its end, everything after a comments
  // heading is the comments section, however article-like a comment reads.
  let commentsFrom = lines.length;
  if (region) {
    for (let i = region.end + 1; i < lines.length; i++) {
      if (a.barrier[i] && feats[i]!.cues.some((c) => c.category === 'comment-form')) {
        commentsFrom = i;
        break;
      }
    }
  }

  const plainArticle = isPlainArticle(feats);
  const verdicts: Verdict[] = lines.map((_, i) => {
    const f = feats[i]!;
    const strong = strongCues(f);
    const p = sigmoid(z2[i]!);
    // A cue word opening a sentence the classifier reads as article text (كتب كثير الأدباء عن
    // ..., "many writers wrote about ...": كتب also opens a byline) does not make it boilerplate;
    // a label (Published: ..., كتب: ...) does.
    if (strong.length > 0 && (f.nWords <= 25 || strong.some((c) => c.coverage >= 0.5)) && !isProse(f, strong, z2[i]! >= thrLogit, lines[i]!.text)) {
      const c = strong[0]!;
      return {
        boilerplate: true,
        category: CATEGORY_ALIAS[c.category] ?? c.category,
        reason: `cue “${c.phrase}” (${c.category})`,
        detail: describe(f),
        confidence: Math.max(0.6, 1 - p),
      };
    }
    if (i > commentsFrom) {
      return { boilerplate: true, category: 'comment-form', reason: `in the comments section (after line ${lines[commentsFrom]!.lineNo + 1})`, confidence: Math.max(0.6, 1 - p) };
    }
    if (z2[i]! >= thrLogit || plainArticle) return { boilerplate: false, category: '', reason: '', confidence: p };
    const where = !region
      ? 'no article region found'
      : i < region.start
        ? 'before the article'
        : i > region.end
          ? 'after the article'
          : 'weak line inside the article';
    // A weak cue is not enough on its own but names what the line is.
    const weak = f.cues[0];
    return {
      boilerplate: true,
      category: weak ? (CATEGORY_ALIAS[weak.category] ?? weak.category) : f.nWords <= 4 && !inRegion(i) ? 'navigation' : 'non-article',
      reason: weak ? `${where}; cue “${weak.phrase}” (${weak.category})` : where,
      detail: describe(f),
      confidence: 1 - p,
    };
  });

  // A date flagged for no cue of its own is a dateline (byline: "bylines and datelines"), not a
  // menu entry or other page text. Not inside a run of lines of its category: the run stays one
  // block (a list of related articles, each with its date).
  for (let i = 0; i < lines.length; i++) {
    const v = verdicts[i]!;
    if (!v.boilerplate || feats[i]!.cues.length || !hasGenericCategory(v)) continue;
    const same = (n: Verdict | undefined): boolean => n !== undefined && n.boilerplate && n.category === v.category;
    if (!same(verdicts[i - 1]) && !same(verdicts[i + 1]) && isDateline(lines[i]!.text)) verdicts[i] = { ...v, category: 'byline' };
  }

  // A paragraph of the article ending in a colon introduces a list (tour
  // dates, steps, results); the list, up to the next blank line, is article
  // text although its items look like menu entries.
  for (let i = 0; i + 1 < lines.length; i++) {
    const l = lines[i]!;
    if (!COLON_END_RE.test(l.text) || feats[i]!.nWords < 3 || strongCues(feats[i]!).length > 0) continue;
    const prevKept = i > 0 && !verdicts[i - 1]!.boilerplate;
    if (verdicts[i]!.boilerplate && !(prevKept && inRegion(i - 1))) continue;
    if (!verdicts[i]!.boilerplate && !inRegion(i)) continue;
    let j = i + 1;
    if (lines[j]!.paragraphStart && strongCues(feats[j]!).length === 0) j++;
    while (j < lines.length && !lines[j]!.paragraphStart && strongCues(feats[j]!).length === 0) j++;
    if (j - i < 3) continue;
    j = numberedListEnd(lines, feats, i + 1, j);
    for (let k = i; k < j; k++) verdicts[k] = { boilerplate: false, category: '', reason: '', confidence: 0.6 };
    i = j - 1;
  }

  // HTML left by the scraper, wherever it stands (after the list rule, which keeps list items).
  for (let i = 0; i < lines.length; i++) {
    if (verdicts[i]!.boilerplate || !isMarkup(lines[i]!.text)) continue;
    verdicts[i] = { boilerplate: true, category: 'non-article', reason: 'HTML markup left in the text', detail: describe(feats[i]!), confidence: 0.9 };
  }

  // Teasers of other stories, each a headline, its byline or date, and its first paragraph.
  for (const [from, to, units] of teaserRuns(lines, feats, verdicts, region?.start ?? 0)) {
    for (let k = from; k <= to; k++) {
      if (verdicts[k]!.boilerplate && !hasGenericCategory(verdicts[k]!)) continue;
      verdicts[k] = { boilerplate: true, category: 'related', reason: `teasers of other stories (a headline, a byline or date and one paragraph, ${units} in a row)`, detail: describe(feats[k]!), confidence: 0.6 };
    }
  }

  // A menu of latest stories, each headline run into its first lines (headlines.ts).
  for (const i of headlineRuns(lines)) {
    if (verdicts[i]!.boilerplate && !hasGenericCategory(verdicts[i]!)) continue;
    verdicts[i] = { boilerplate: true, category: 'related', reason: 'headlines of other stories, each with its first lines', detail: describe(feats[i]!), confidence: 0.6 };
  }
  // Paragraphs alone among the related stories (teasers.ts).
  if (region) for (const i of loneTeasers(lines, feats, verdicts, region.start)) verdicts[i] = { boilerplate: true, category: 'related', reason: 'a lone paragraph among the related stories', detail: describe(feats[i]!), confidence: 0.6 };

  // Of two copies of a paragraph keep the one inside the article (the earlier if both are).
  for (const [i, d] of dups) {
    const j = d.other;
    const drop = inRegion(j) || !inRegion(i) ? i : j;
    const keep = drop === i ? j : i;
    if (verdicts[drop]!.boilerplate && verdicts[drop]!.category !== 'non-article') continue;
    verdicts[drop] = {
      boilerplate: true,
      category: 'duplicate',
      reason: `${d.kind === 'exact' ? 'repeats' : d.kind === 'prefixed' ? 'repeats (after a prefix)' : 'nearly repeats'} line ${lines[keep]!.lineNo + 1}`,
      confidence: 0.6 + 0.35 * d.similarity,
    };
  }

  const corpus = options.corpus;
  if (corpus && corpus.size > 0) {
    const minDocs = Math.max(options.repeatedMinDocs ?? 3, Math.ceil((options.repeatedMinFraction ?? 0.05) * corpus.size), 2);
    const counts = lines.map((l) => corpus.count(foldKey(l.text)));
    // A wire story syndicated to many sites repeats whole: when most of what
    // the classifier keeps recurs elsewhere, the copies are articles, and
    // only lines it already rejected are marked as repeated.
    let keptWords = 0;
    let keptRepeated = 0;
    for (let i = 0; i < lines.length; i++) {
      if (verdicts[i]!.boilerplate) continue;
      keptWords += feats[i]!.nWords;
      if (counts[i]! >= minDocs) keptRepeated += feats[i]!.nWords;
    }
    const syndicated = keptWords > 0 && keptRepeated > SYNDICATED_SHARE * keptWords;
    for (let i = 0; i < lines.length; i++) {
      const n = counts[i]!;
      if (n < minDocs || (syndicated && !verdicts[i]!.boilerplate)) continue;
      verdicts[i] = {
        boilerplate: true,
        category: 'repeated',
        reason: `occurs in ${n} of ${corpus.size} documents`,
        confidence: Math.min(0.99, 0.6 + 0.4 * (n / corpus.size)),
        corpusCount: n,
        corpusSize: corpus.size,
      };
    }
  }

  const decisions = options.decisions;
  if (decisions && decisions.size > 0) {
    for (let i = 0; i < lines.length; i++) {
      const d = decisions.get(foldKey(lines[i]!.text));
      if (d === true) verdicts[i] = { boilerplate: true, category: 'user', reason: 'marked as boilerplate by the user', confidence: 1 };
      else if (d === false) verdicts[i] = { boilerplate: false, category: '', reason: '', confidence: 1 };
    }
  }

  return mergeBlocks(text, lines, verdicts, decisions);
}

function mergeBlocks(text: string, lines: readonly Line[], verdicts: readonly Verdict[], decisions?: Map<string, boolean>): BoilerplateBlock[] {
  const out: BoilerplateBlock[] = [];
  let cur: (BoilerplateBlock & { n: number }) | undefined;
  let detail: string | undefined;
  const flush = (): void => {
    if (!cur) return;
    const { n, ...block } = cur;
    if (n > 1) {
      // A decision taken on the merged block as a whole overrides its lines.
      const d = decisions?.get(foldKey(text.slice(block.start, block.end)));
      if (d === false) {
        cur = undefined;
        return;
      }
      if (d === true) Object.assign(block, { category: 'user', reason: 'marked as boilerplate by the user', confidence: 1 });
      else block.reason = `${block.reason} (${n} lines)`;
    } else if (detail) {
      block.reason = `${block.reason}; ${detail}`;
    }
    out.push(block);
    cur = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const v = verdicts[i]!;
    if (!v.boilerplate) {
      flush();
      continue;
    }
    const l = lines[i]!;
    // Lines of one category in a row are one block (a menu, a related list);
    // corpus counts differ per line, so `repeated` lines stay separate.
    if (cur && cur.category === v.category && v.category !== 'repeated' && v.category !== 'duplicate') {
      cur.end = l.end;
      cur.confidence = Math.min(cur.confidence, v.confidence);
      cur.n++;
      continue;
    }
    flush();
    cur = { start: l.start, end: l.end, category: v.category, reason: v.reason, confidence: round(v.confidence), n: 1 };
    detail = v.detail;
    if (v.corpusCount !== undefined) {
      cur.corpusCount = v.corpusCount;
      cur.corpusSize = v.corpusSize;
    }
  }
  flush();
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
