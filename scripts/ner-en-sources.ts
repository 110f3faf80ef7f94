/**
 * English entity training data, read from the public sources it comes from (nothing of it
 * is copied into the repository; see data/model/NOTICE.md for licences and attribution):
 *
 *  - GUM (amir-zeldes/gum, commit 72ce5ac): `dep/*.conllu`, converted to flat PER/ORG/LOC/MISC
 *    spans by the rules ../shared/eval/ner-en-dev/README.md states for the evaluation set
 *    (gumNames below). Only the genres whose text licence allows a derived model to ship
 *    (GUM_TRAIN_GENRES); never news or interviews, which the evaluation sets are made of.
 *  - wikigold (Balasuriya et al. 2009, CC BY 4.0): CoNLL-style IO tags on Wikipedia text.
 *  - UNER English-EWT (Mayhew et al. 2024, CC BY-SA 4.0): IOB2 tags, PER/ORG/LOC only.
 *
 * A source may be a checkout or a bare git directory (read with `git show`), so the
 * snapshots brought by a mirror work as they are.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import countries from 'i18n-iso-countries';
import { compromiseLexicon } from './compromise-lexicon';
import type { AnnotatedDoc } from '../server/src/core/detect/entities/train';

/** GUM genres whose texts are CC BY or CC BY-SA (GUM's LICENSE.txt); the others are NC, unclear, or absent (reddit). */
export const GUM_TRAIN_GENRES = ['academic', 'bio', 'court', 'voyage'];
/** Never trained on: the evaluation sets (ner-en-dev and its held-out part) are GUM news and interviews. */
const GUM_EVAL_GENRES = ['news', 'interview'];

/** Files of a source: a checkout (plain files) or a git directory (HEAD's tree). */
export class Source {
  private readonly git: boolean;
  constructor(readonly dir: string) {
    this.git = !fs.existsSync(path.join(dir, 'README.md')) && fs.existsSync(path.join(dir, 'HEAD'));
  }
  list(sub: string): string[] {
    if (!this.git) return fs.readdirSync(path.join(this.dir, sub)).map((f) => `${sub}/${f}`).sort();
    return execFileSync('git', ['--git-dir', this.dir, 'ls-tree', '--name-only', `HEAD:${sub}`], { encoding: 'utf8', maxBuffer: 1 << 26 })
      .split('\n')
      .filter(Boolean)
      .map((f) => `${sub}/${f}`)
      .sort();
  }
  read(file: string): string {
    if (!this.git) return fs.readFileSync(path.join(this.dir, file), 'utf8');
    return execFileSync('git', ['--git-dir', this.dir, 'show', `HEAD:${file}`], { encoding: 'utf8', maxBuffer: 1 << 28 });
  }
  commit(): string {
    return this.git ? execFileSync('git', ['--git-dir', this.dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim() : 'checkout';
  }
}

// ---------------------------------------------------------------------------------------
// GUM

interface UdToken {
  id: number;
  form: string;
  lemma: string;
  upos: string;
  xpos: string;
  head: number;
  deprel: string;
  spaceAfter: boolean;
  /** UTF-16 offsets in the document text. */
  start: number;
  end: number;
}

interface Mention {
  type: string;
  identity: string;
  /** Token indices in the sentence (0-based), inclusive. */
  first: number;
  last: number;
}

/** Reads one GUM conllu document: its text (sentences separated by blank lines, as in ner-en-dev) and its sentences. */
export function readConllu(conllu: string): { id: string; text: string; sentences: { tokens: UdToken[]; mentions: Mention[] }[] } {
  let id = '';
  const sentences: { tokens: UdToken[]; mentions: Mention[] }[] = [];
  let text = '';
  let tokens: UdToken[] = [];
  let mentions: Mention[] = [];
  const open = new Map<string, { type: string; identity: string; first: number }[]>();
  let rangeEnd = 0;
  let rangeSpace = true;
  const flush = () => {
    if (!tokens.length) return;
    if (text) text += '\n\n';
    for (const t of tokens) {
      t.start = text.length;
      text += t.form;
      t.end = text.length;
      if (t.spaceAfter) text += ' ';
    }
    text = text.replace(/ $/, '');
    sentences.push({ tokens, mentions });
    tokens = [];
    mentions = [];
    open.clear();
    rangeEnd = 0;
  };
  for (const line of conllu.split('\n')) {
    if (line.startsWith('# newdoc id = ')) id = line.slice(14).trim();
    if (!line.trim()) {
      flush();
      continue;
    }
    if (line.startsWith('#')) continue;
    const c = line.split('\t');
    const noSpace = (misc: string | undefined) => /(^|\|)SpaceAfter=No(\||$)/.test(misc ?? '');
    const range = /^(\d+)-(\d+)$/.exec(c[0]);
    if (range) {
      // A multiword token (Trump's = Trump + 's): its parts are written without spaces between them.
      rangeEnd = Number(range[2]);
      rangeSpace = !noSpace(c[9]);
      continue;
    }
    if (!/^\d+$/.test(c[0])) continue; // empty nodes
    const misc = c[9] ?? '_';
    const idx = tokens.length;
    const n = Number(c[0]);
    const spaceAfter = n < rangeEnd ? false : n === rangeEnd ? rangeSpace : !noSpace(misc);
    tokens.push({ id: n, form: c[1], lemma: c[2], upos: c[3], xpos: c[4], head: Number(c[6]), deprel: c[7], spaceAfter, start: 0, end: 0 });
    const ent = /(?:^|\|)Entity=([^|]*)/.exec(misc)?.[1];
    if (ent) parseEntity(ent, idx, open, mentions);
  }
  flush();
  return { id, text, sentences };
}

/** GUM's bracket notation: `(eid-etype-infstat-…-identity` opens, `eid)` closes, `(eid-…)` is one token. */
function parseEntity(s: string, idx: number, open: Map<string, { type: string; identity: string; first: number }[]>, out: Mention[]): void {
  let i = 0;
  while (i < s.length) {
    if (s[i] === '(') {
      let j = i + 1;
      while (j < s.length && s[j] !== '(' && s[j] !== ')') j++;
      const attrs = s.slice(i + 1, j).split('-');
      const eid = attrs[0];
      const m = { type: attrs[1] ?? '', identity: attrs.length > 7 ? attrs.slice(7).join('-') : '', first: idx };
      if (s[j] === ')') {
        out.push({ type: m.type, identity: m.identity, first: idx, last: idx });
        j++;
      } else {
        let stack = open.get(eid);
        if (!stack) open.set(eid, (stack = []));
        stack.push(m);
      }
      i = j;
    } else if (/\d/.test(s[i])) {
      let j = i;
      while (j < s.length && /\d/.test(s[j])) j++;
      const eid = s.slice(i, j);
      const m = open.get(eid)?.pop();
      if (m) out.push({ type: m.type, identity: m.identity, first: m.first, last: idx });
      i = s[j] === ')' ? j + 1 : j;
    } else i++;
  }
}

const TYPE_LABEL: Record<string, string | undefined> = { person: 'PER', organization: 'ORG', place: 'LOC', time: undefined, quantity: undefined };

/** Words that stand before a name as a title or role and stay out of its span (US President Barack Obama → Barack Obama). */
const TITLES = new Set(
  'president vice prime minister secretary ambassador senator sen. sen representative rep. rep congressman congresswoman governor gov. mayor king queen prince princess duke duchess lord lady sir dame pope cardinal bishop archbishop reverend rev. father sister brother saint st. dr. dr doctor professor prof. prof dean mr. mr mrs. mrs ms. ms miss chancellor chairman chairwoman chair ceo director general gen. colonel col. captain capt. lieutenant lt. major sergeant sgt. admiral commander judge justice coach manager chief officer spokesman spokeswoman emperor empress sultan sheikh emir ayatollah imam rabbi pastor councillor councilor commissioner minister deputy assistant'.split(
    ' ',
  ),
);

const demonyms = new Set<string>();
for (const [w, tags] of Object.entries(compromiseLexicon())) if (String(tags).includes('Demonym')) demonyms.add(w);
/** Nationality adjectives: compromise's demonyms, and the usual endings of the others (Gabonese, Estonian). */
function isDemonym(word: string): boolean {
  const w = word.toLowerCase();
  return demonyms.has(w) || /(?:ian|ean|an|ese|ish|i|ic)$/.test(w);
}

const countryNames = new Set<string>();
for (const names of Object.values(countries.getNames('en', { select: 'all' }))) for (const n of names) countryNames.add(n.toLowerCase());
for (const n of ['us', 'u.s.', 'usa', 'u.s.a.', 'uk', 'u.k.', 'america', 'britain', 'great britain', 'england', 'scotland', 'wales', 'northern ireland', 'korea', 'korea republic', 'south korea', 'north korea', 'russia', 'iran', 'syria', 'taiwan']) countryNames.add(n);

/**
 * Flat names of a GUM sentence, by the evaluation set's rules: a mention is a name when its
 * syntactic head is a proper noun; its span is the head's block of dependents within the
 * mention without determiners, possessive 's and leading titles; proper-noun runs inside
 * common-noun mentions count too; person → PER, organization → ORG, place → LOC, time and
 * quantity dropped, everything else MISC; countries acting as states or teams → LOC;
 * nationality adjectives → MISC; where spans overlap the longest wins.
 */
export function gumNames(tokens: UdToken[], mentions: Mention[]): { first: number; last: number; label: string }[] {
  const cands: { first: number; last: number; label: string }[] = [];
  const byId = new Map(tokens.map((t, i) => [t.id, i]));
  const parent = (i: number) => (tokens[i].head === 0 ? -1 : (byId.get(tokens[i].head) ?? -1));

  const isProper = (t: UdToken) => t.upos === 'PROPN' || t.xpos === 'NNP' || t.xpos === 'NNPS';
  const isTitle = (i: number) => TITLES.has(tokens[i].form.toLowerCase());
  for (const m of mentions) {
    const label = m.type in TYPE_LABEL ? TYPE_LABEL[m.type] : 'MISC';
    if (!label) continue;
    let head = -1;
    for (let i = m.first; i <= m.last; i++) {
      const p = parent(i);
      if (p < m.first || p > m.last) {
        head = i;
        break;
      }
    }
    if (head < 0) continue;
    if (isProper(tokens[head])) {
      if (isTitle(head)) continue; // "the President", "Governor of Virginia": a role, not a name
      const inName = (i: number) => i === head || (i >= m.first && i <= m.last && nameDependent(tokens, i, head, parent, isTitle, label === 'PER'));
      let a = head;
      while (a - 1 >= m.first && inName(a - 1)) a--;
      let b = head;
      while (b + 1 <= m.last && inName(b + 1)) b++;
      const span = trimName(tokens, a, b);
      if (span) cands.push({ ...span, label: nameLabel(tokens, span, label) });
    } else {
      // Proper-noun runs inside a common-noun mention (Yonhap news agency).
      for (let i = m.first; i <= m.last; i++) {
        if (tokens[i].upos !== 'PROPN' || isTitle(i) || TIME_WORDS.has(tokens[i].form.toLowerCase())) continue;
        let j = i;
        while (j + 1 <= m.last && tokens[j + 1].upos === 'PROPN' && !isTitle(j + 1)) j++;
        const span = trimName(tokens, i, j);
        if (span) cands.push({ ...span, label: nameLabel(tokens, span, label) });
        i = j;
      }
    }
  }
  // Nationality and other proper adjectives (Afghan team): capitalised lemma.
  tokens.forEach((t, i) => {
    if (t.upos === 'ADJ' && /^\p{Lu}/u.test(t.lemma) && /^\p{Lu}/u.test(t.form) && isDemonym(t.form)) cands.push({ first: i, last: i, label: 'MISC' });
  });
  // Longest first; a span overlapping a kept one is dropped.
  cands.sort((x, y) => y.last - y.first - (x.last - x.first) || x.first - y.first);
  const kept: typeof cands = [];
  for (const c of cands) if (!kept.some((k) => k.first <= c.last && c.first <= k.last)) kept.push(c);
  return kept.sort((x, y) => x.first - y.first);
}

/**
 * Is token `i` part of the name headed by `head`? Its path up to the head must run through
 * the relations that build a name (compounds, flat names, proper adjectives and numbers,
 * "of"/"for"/"on" complements, coordinated heads) and never through a title (the subtree of
 * "Ambassador" in "Ambassador to the United States Hamdullah Mohib" is not his name).
 */
function nameDependent(tokens: UdToken[], i: number, head: number, parent: (i: number) => number, isTitle: (i: number) => boolean, personHead: boolean): boolean {
  for (let k = i, n = 0; n < 50; n++) {
    const p = parent(k);
    if (p < 0) return false;
    if (isTitle(k)) return false;
    const rel = tokens[k].deprel.split(':')[0];
    if (p === head) {
      // "of" complements name organisations and places (Church of Scientology, Bay of Bengal),
      // not people (Matthew Ingram of The Globe and Mail), and a country after "of" is a place of its own.
      if (rel === 'nmod') {
        if (tokens[head].upos === 'PROPN' && personHead) return false;
        if (countryNames.has(tokens[k].form.toLowerCase())) return false;
        return tokens.some((t, c) => parent(c) === k && t.deprel === 'case' && NAME_CASES.has(t.form.toLowerCase()));
      }
      return NAME_RELATIONS.has(rel) || (rel === 'punct' && /^[-–&]$/.test(tokens[k].form));
    }
    if (/^(acl|appos|parataxis|advcl|nmod:poss)/.test(tokens[k].deprel)) return false;
    k = p;
  }
  return false;
}
const NAME_RELATIONS = new Set(['compound', 'flat', 'amod', 'nummod', 'det', 'fixed', 'goeswith']);
const NAME_CASES = new Set(['of', 'for', 'on', 'de', 'du', 'des', 'del', 'da', 'von', 'van']);
const TIME_WORDS = new Set('january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday'.split(' '));

function trimName(tokens: UdToken[], a: number, b: number): { first: number; last: number } | undefined {
  // A capitalised "The" inside a sentence is part of the name (The Globe and Mail); other determiners are not.
  const keepThe = (i: number) => tokens[i].form === 'The' && i > 0 && !/^["'“‘([]$/.test(tokens[i - 1].form);
  const drop = (i: number) => {
    const t = tokens[i];
    return (t.upos === 'DET' && !keepThe(i)) || t.upos === 'PUNCT' || t.upos === 'CCONJ' || t.upos === 'ADP' || (t.upos === 'PRON' && t.xpos === 'PRP$');
  };
  while (a <= b && drop(a)) a++;
  while (b >= a && (drop(b) || tokens[b].xpos === 'POS' || tokens[b].upos === 'PART')) b--;
  if (a > b) return undefined;
  if (!tokens.slice(a, b + 1).some((t) => /\p{Lu}|\d/u.test(t.form))) return undefined;
  return { first: a, last: b };
}

function nameLabel(tokens: UdToken[], span: { first: number; last: number }, label: string): string {
  const text = tokens
    .slice(span.first, span.last + 1)
    .map((t) => t.form)
    .join(' ')
    .toLowerCase();
  if ((label === 'ORG' || label === 'MISC') && countryNames.has(text)) return 'LOC';
  // Nationalities and religions named as a group of people (Muslims, Afghans): MISC, as in CoNLL.
  if (label === 'PER' && span.first === span.last && tokens[span.first].xpos === 'NNPS') return 'MISC';
  return label;
}

/** GUM documents of the training genres as annotated documents (UTF-16 spans). */
export function gumDocuments(src: Source, genres = GUM_TRAIN_GENRES): AnnotatedDoc[] {
  const out: AnnotatedDoc[] = [];
  for (const file of src.list('dep')) {
    const m = /GUM_([a-z]+)_[^/]*\.conllu$/.exec(file);
    if (!m || !genres.includes(m[1])) continue;
    if (GUM_EVAL_GENRES.includes(m[1]) && genres === GUM_TRAIN_GENRES) throw new Error('evaluation genre in the training genres');
    out.push(gumDocument(src.read(file)));
  }
  return out;
}

export function gumDocument(conllu: string): AnnotatedDoc {
  const doc = readConllu(conllu);
  const spans = doc.sentences.flatMap((s) => gumNames(s.tokens, s.mentions).map((n) => ({ start: s.tokens[n.first].start, end: s.tokens[n.last].end, label: n.label })));
  return { id: doc.id, text: doc.text, spans };
}

// ---------------------------------------------------------------------------------------
// CoNLL-style files: one token per line with its tag, blank line between sentences.

const NO_SPACE_BEFORE = /^(?:[.,;:!?%)\]}]|'s|'S|n't|'re|'ve|'ll|'d|'m|''|”|’s)$/;
const NO_SPACE_AFTER = /^(?:[([{$#]|``|“)$/;

/**
 * Sentences of (token, tag) rows → documents with ordinary spacing (no space before a
 * comma or 's), so the tagger trains on text as it reads in an article.
 */
export function conllDocuments(rows: string, opts: { id: string; column: number; scheme: 'io' | 'iob2'; docBreak?: RegExp; sentencesPerDoc?: number }): AnnotatedDoc[] {
  const docs: AnnotatedDoc[] = [];
  let text = '';
  let spans: { start: number; end: number; label: string }[] = [];
  let sentences = 0;
  let open: { start: number; end: number; label: string } | undefined;
  let quoteOpen = false;
  let needSpace = false;
  const closeSpan = () => {
    if (open) spans.push(open);
    open = undefined;
  };
  const flushDoc = () => {
    closeSpan();
    if (text.trim()) docs.push({ id: `${opts.id}-${docs.length + 1}`, text, spans });
    text = '';
    spans = [];
    sentences = 0;
  };
  const endSentence = () => {
    closeSpan();
    if (!text || text.endsWith('\n\n')) return;
    text += '\n\n';
    needSpace = false;
    quoteOpen = false;
    sentences++;
    if (opts.sentencesPerDoc && sentences >= opts.sentencesPerDoc) flushDoc();
  };
  for (const line of rows.split('\n')) {
    if (line.startsWith('#')) continue;
    const cols = line.split(/\t| /);
    if (!line.trim()) {
      endSentence();
      continue;
    }
    if (opts.docBreak?.test(line)) {
      endSentence();
      flushDoc();
      continue;
    }
    const form = opts.column === 1 ? cols[1] : cols[0];
    const tag = cols[opts.column + 1] ?? 'O';
    if (!form) continue;
    const isQuote = form === '"';
    const glue = NO_SPACE_BEFORE.test(form) || (isQuote && quoteOpen);
    if (needSpace && !glue) text += ' ';
    const start = text.length;
    text += form;
    const end = text.length;
    needSpace = !(NO_SPACE_AFTER.test(form) || (isQuote && !quoteOpen));
    if (isQuote) quoteOpen = !quoteOpen;
    const label = tag === 'O' ? '' : tag.slice(2);
    const begins = tag.startsWith('B-') || (opts.scheme === 'io' && label && open?.label !== label);
    if (!label || begins) closeSpan();
    if (label) {
      if (open && open.label === label) open.end = end;
      else open = { start, end, label };
    }
  }
  flushDoc();
  return docs;
}

/** wikigold.conll.txt's content: token, space, IO tag; `-DOCSTART-` between articles. */
export function wikigoldDocuments(conll: string): AnnotatedDoc[] {
  return conllDocuments(conll, { id: 'wikigold', column: 0, scheme: 'io', docBreak: /^-DOCSTART-/ });
}

/** UNER's `.iob2` files: id, token, tag columns; documents from `# newdoc` comments are not kept, 12 sentences make one. */
export function unerDocuments(src: Source, file: string): AnnotatedDoc[] {
  return conllDocuments(src.read(file), { id: path.basename(file, '.iob2'), column: 1, scheme: 'iob2', sentencesPerDoc: 12 });
}
