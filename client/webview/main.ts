/**
 * The annotation view's page (runs in the webview; bundled by
 * scripts/build.mjs into dist/webview/view.js). It draws what the server laid
 * out — paragraphs with their own direction, entities as coloured spans with
 * their label at the end of the name for the paragraph's direction,
 * suggestions underlined with their confidence, boilerplate faded or struck
 * through — and turns clicks, selections and keys into messages for its host,
 * which runs the server commands. It computes no offsets of its own beyond
 * reading them off the elements it drew.
 */
import type { DocumentViewResult, LabelDefinition, LabelSchema, ViewParagraph, ViewPart } from '../../server/src/protocol';
import type { HostMessage, PageMessage, ViewColor } from './messages';

declare function acquireVsCodeApi(): { postMessage(m: PageMessage): void };

const host = acquireVsCodeApi();
const post = (m: PageMessage): void => host.postMessage(m);

const head = document.getElementById('head')!;
const orphans = document.getElementById('orphans')!;
const page = document.getElementById('doc')!;
const menu = document.getElementById('menu')!;

let strings: Record<string, string> = {};
let schema: LabelSchema = { source: 'settings', labels: [], boilerplate: [], tags: [] };
let colors: Record<string, { light: ViewColor; dark: ViewColor }> = {};
let data: DocumentViewResult | undefined;
let fileName = '';
/** Paragraph elements in text order, for finding a line or an offset quickly. */
let paragraphs: HTMLElement[] = [];
/** The current suggestion (its start, so it survives a redraw), and its index in `data.marks`. */
let currentStart = -1;
let current: number | undefined;
/** Scrolling the page because the editor scrolled must not scroll the editor back, and the reverse. */
let programmaticScrollUntil = 0;
let userScrollUntil = 0;

const t = (key: string, ...args: (string | number)[]): string => (strings[key] ?? key).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));

window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  const m = e.data;
  const received = performance.now();
  switch (m.type) {
    case 'init':
      strings = m.strings;
      schema = m.schema;
      colors = m.colors;
      if (data) draw(data, received);
      return;
    case 'document':
      fileName = m.fileName;
      draw(m.data, received);
      return;
    case 'empty':
      data = undefined;
      paragraphs = [];
      head.replaceChildren(el('div', 'hint', m.reason));
      orphans.hidden = true;
      page.replaceChildren();
      return;
    case 'scrollTo':
      if (Date.now() < userScrollUntil) return;
      scrollToLine(m.line);
      return;
    case 'cursor':
      markCursor(m.offset16);
      return;
  }
});

// ------------------------------------------------------------------------------------------ drawing

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function isDark(): boolean {
  const c = document.body.classList;
  return !(c.contains('vscode-light') || c.contains('vscode-high-contrast-light'));
}

function colorOf(name: string | undefined): ViewColor {
  const c = name ? colors[name] : undefined;
  if (!c) return { fg: 'var(--vscode-editorInfo-foreground)', bg: 'var(--vscode-editor-wordHighlightBackground)' };
  return isDark() ? c.dark : c.light;
}

function labelDef(name: string | undefined): LabelDefinition | undefined {
  return schema.labels.find((l) => l.name === name);
}

function pct(x: number | undefined): string {
  return x === undefined ? '' : `${Math.round(x * 100)}%`;
}

/** What is drawn at once: more than a screen. The rest follows in slices, so a long article shows at once. */
const FIRST_SLICE = { paragraphs: 60, chars: 8000 };
const SLICE = 120;
/** Increases with every drawing: slices of an older one stop. */
let drawing = 0;

function draw(d: DocumentViewResult, received: number): void {
  data = d;
  const run = ++drawing;
  closeMenu();
  drawHead(d);
  drawOrphans(d);
  paragraphs = [];
  let chars = 0;
  let k = 0;
  const frag = document.createDocumentFragment();
  // Replacing the content can move the scroll position: that is not the user scrolling.
  programmaticScrollUntil = Date.now() + 300;
  // At least a few paragraphs, then until the slice's paragraphs or characters are reached.
  while (k < d.paragraphs.length && (k < 8 || (k < FIRST_SLICE.paragraphs && chars < FIRST_SLICE.chars))) {
    const p = d.paragraphs[k++];
    const e = paragraph(d, p);
    paragraphs.push(e);
    frag.append(e);
    chars += p.end16 - p.start16;
  }
  page.replaceChildren(frag);
  pickCurrent();
  // Layout now, so the figure is the time until the first screen is laid out (the paint follows within a frame).
  void page.getBoundingClientRect().height;
  const first = performance.now() - received;
  const rest = (): void => {
    if (run !== drawing) return;
    const more = document.createDocumentFragment();
    for (const end = Math.min(d.paragraphs.length, k + SLICE); k < end; k++) {
      const e = paragraph(d, d.paragraphs[k]);
      paragraphs.push(e);
      more.append(e);
      chars += d.paragraphs[k].end16 - d.paragraphs[k].start16;
    }
    page.append(more);
    if (k < d.paragraphs.length) return void setTimeout(rest, 0);
    // The current suggestion may be in a later slice: mark it now that everything is there.
    setCurrent(current, false);
    void page.getBoundingClientRect().height;
    post({ type: 'rendered', ms: first, allMs: performance.now() - received, paragraphs: d.paragraphs.length, marks: d.marks.length, chars, version: d.version });
  };
  rest();
}

function paragraph(d: DocumentViewResult, p: ViewParagraph): HTMLElement {
  const e = el('p', 'para');
  e.dir = p.dir;
  e.dataset.line = String(p.line);
  e.dataset.o = String(p.start16);
  e.dataset.end = String(p.end16);
  if (p.inherited) e.classList.add('neutral');
  const ln = el('span', 'ln', String(p.line + 1));
  ln.title = t('line', p.line + 1);
  const txt = el('span', 'txt');
  for (const s of p.segments) {
    if (s.entity === undefined) {
      for (const part of s.parts) txt.append(partEl(d, part));
      continue;
    }
    const m = d.marks[s.entity];
    const ent = el('span', `ent ${m.status === 'accepted' ? 'acc' : 'sug'}`);
    ent.dataset.mark = String(s.entity);
    const c = colorOf(m.label);
    ent.style.setProperty('--c', c.fg);
    ent.style.setProperty('--bg', c.bg);
    const def = labelDef(m.label);
    ent.title = [`${m.label}${def?.description ? ` — ${def.description}` : ''}`, m.status === 'accepted' ? t('accepted') : `${t('suggestion')} · ${t('confidence', Math.round((m.confidence ?? 0) * 100))} · ${m.source ?? ''}`].join('\n');
    for (const part of s.parts) ent.append(partEl(d, part));
    const lab = el('span', 'lab', m.status === 'accepted' ? m.label : `${m.label} ${pct(m.confidence)}`);
    lab.dir = 'auto';
    lab.setAttribute('aria-hidden', 'true');
    ent.append(lab);
    txt.append(ent);
  }
  e.append(ln, txt);
  return e;
}

function partEl(d: DocumentViewResult, part: ViewPart): HTMLElement {
  const e = el('span', 'part', part.text);
  e.dataset.o = String(part.start16);
  if (part.boilerplate !== undefined) {
    const m = d.marks[part.boilerplate];
    e.classList.add('bp', m.status === 'accepted' ? 'acc' : 'sug');
    e.dataset.mark = String(part.boilerplate);
    const def = schema.boilerplate.find((c) => c.name === m.category);
    e.title = `${t('boilerplate')} (${m.category})${def?.description ? ` — ${def.description}` : ''}${m.reason ? `\n${m.reason}` : ''}${m.confidence !== undefined ? ` · ${pct(m.confidence)}` : ''}`;
  }
  return e;
}

function drawHead(d: DocumentViewResult): void {
  const status = d.review === 'done' ? t('done') : d.review === 'in-progress' ? t('inProgress') : t('todo');
  const suggestions = d.marks.filter((m) => m.status === 'suggested').length;
  const title = el('div', 'title');
  const name = el('span', 'file', fileName);
  name.dir = 'auto';
  title.append(name, el('span', `status ${d.review}`, status), el('span', 'count', t('suggestions', suggestions)));
  const tags = el('div', 'tags');
  const entries = Object.entries(d.tags).filter(([, v]) => v !== false);
  if (!entries.length) tags.append(el('span', 'none', t('noTags')));
  for (const [k, v] of entries) {
    const chip = el('span', 'chip', v === true ? k : `${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
    chip.dir = 'auto';
    tags.append(chip);
  }
  const actions = el('div', 'actions');
  actions.append(button(t('editTags'), () => post({ type: 'review', action: 'editTags' })));
  if (schema.guidelines) actions.append(button(t('guidelines'), () => post({ type: 'review', action: 'openGuidelines' })));
  actions.append(button(t('markDone'), () => post({ type: 'review', action: 'markDone' })), button(t('next'), () => post({ type: 'review', action: 'nextDocument' })));
  const rows: HTMLElement[] = [title, tags, actions];
  if (d.readOnly) rows.push(el('div', 'readonly', t('readOnly', d.readOnly)));
  rows.push(el('div', 'help', t('keysHelp')));
  head.replaceChildren(...rows);
}

function drawOrphans(d: DocumentViewResult): void {
  if (!d.orphans.length) {
    orphans.hidden = true;
    orphans.replaceChildren();
    return;
  }
  const list = el('ul');
  for (const o of d.orphans) {
    const li = el('li');
    const what = el('span', 'what', o.label ?? o.category ?? o.kind);
    const text = el('span', 'text', o.text);
    text.dir = 'auto';
    li.append(what, text, button(t('delete'), () => post({ type: 'remove', id: o.id })));
    list.append(li);
  }
  orphans.replaceChildren(el('p', 'note', t('orphans')), list);
  orphans.hidden = false;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', undefined, label);
  b.type = 'button';
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

// ------------------------------------------------------------------------------------------ the current suggestion

function suggestionIndexes(): number[] {
  if (!data) return [];
  const out: number[] = [];
  data.marks.forEach((m, i) => {
    if (m.status === 'suggested') out.push(i);
  });
  return out;
}

/** After a redraw: the suggestion at or after the previous current one (so a decision moves on to the next). */
function pickCurrent(): void {
  const all = suggestionIndexes();
  if (!data || !all.length) return setCurrent(undefined, false);
  const at = all.find((i) => data!.marks[i].start16 >= currentStart);
  setCurrent(at ?? all[0], false);
}

function setCurrent(i: number | undefined, reveal: boolean): void {
  for (const e of page.querySelectorAll('.current')) e.classList.remove('current');
  current = i;
  if (i === undefined || !data) return;
  currentStart = data.marks[i].start16;
  const elements = page.querySelectorAll<HTMLElement>(`[data-mark="${i}"]`);
  for (const e of elements) e.classList.add('current');
  if (reveal && elements[0]) {
    programmaticScrollUntil = Date.now() + 300;
    elements[0].scrollIntoView({ block: 'nearest' });
    post({ type: 'cursor', offset16: data.marks[i].start16 });
  }
}

function move(step: -1 | 1): void {
  const all = suggestionIndexes();
  if (!all.length) return;
  const k = current === undefined ? -1 : all.indexOf(current);
  setCurrent(all[(k + step + all.length) % all.length], true);
}

// ------------------------------------------------------------------------------------------ offsets from the DOM

/** The document offset (UTF-16) of a DOM point inside the page, or undefined. */
function offsetOf(node: Node, offset: number): number | undefined {
  if (node.nodeType === Node.TEXT_NODE) {
    const part = node.parentElement?.closest<HTMLElement>('.part');
    if (part) return Number(part.dataset.o) + offset;
    // Inside a label badge: the end of its entity.
    const ent = node.parentElement?.closest<HTMLElement>('.ent');
    return ent ? entityEnd(ent) : undefined;
  }
  const e = node as Element;
  const child = e.childNodes[offset];
  const part = child instanceof Element ? (child.matches('.part') ? child : child.querySelector('.part')) : null;
  if (part instanceof HTMLElement) return Number(part.dataset.o);
  const para = e.closest<HTMLElement>('.para');
  return para ? Number(para.dataset.end) : undefined;
}

function entityEnd(ent: HTMLElement): number {
  const parts = ent.querySelectorAll<HTMLElement>('.part');
  const last = parts[parts.length - 1];
  return Number(last.dataset.o) + (last.textContent ?? '').length;
}

function paragraphText(p: HTMLElement): { start: number; text: string } {
  let text = '';
  for (const part of p.querySelectorAll<HTMLElement>('.part')) text += part.textContent ?? '';
  return { start: Number(p.dataset.o), text };
}

/** The selection as a document span inside one paragraph, trimmed of spaces, or undefined. */
function selectedSpan(): { start16: number; end16: number; text: string } | undefined {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || !sel.rangeCount) return undefined;
  const r = sel.getRangeAt(0);
  const pa = r.startContainer.parentElement?.closest<HTMLElement>('.para') ?? (r.startContainer as Element).closest?.('.para');
  const pb = r.endContainer.parentElement?.closest<HTMLElement>('.para') ?? (r.endContainer as Element).closest?.('.para');
  if (!pa || pa !== pb) return undefined;
  let s = offsetOf(r.startContainer, r.startOffset);
  let e = offsetOf(r.endContainer, r.endOffset);
  if (s === undefined || e === undefined) return undefined;
  if (e < s) [s, e] = [e, s];
  const { start, text } = paragraphText(pa as HTMLElement);
  while (s < e && /\s/u.test(text[s - start] ?? '')) s++;
  while (e > s && /\s/u.test(text[e - 1 - start] ?? '')) e--;
  if (s === e) return undefined;
  return { start16: s, end16: e, text: text.slice(s - start, e - start) };
}

/** The word under a click (for "click a name, pick a label"), as a document span. */
function wordAt(p: HTMLElement, offset: number): { start16: number; end16: number; text: string } | undefined {
  const { start, text } = paragraphText(p);
  const at = offset - start;
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
  for (const s of segmenter.segment(text)) {
    if (s.index <= at && at < s.index + s.segment.length && s.isWordLike) return { start16: start + s.index, end16: start + s.index + s.segment.length, text: s.segment };
  }
  return undefined;
}

/** Shows a document span as the page's selection (the word a click picked). */
function select(span: { start16: number; end16: number }): Range | undefined {
  const parts = [...page.querySelectorAll<HTMLElement>('.part')];
  const find = (o: number, end: boolean) => parts.find((p) => Number(p.dataset.o) <= o && (end ? o <= Number(p.dataset.o) + (p.textContent ?? '').length : o < Number(p.dataset.o) + (p.textContent ?? '').length));
  const a = find(span.start16, false);
  const b = find(span.end16, true);
  if (!a?.firstChild || !b?.firstChild) return undefined;
  const r = document.createRange();
  r.setStart(a.firstChild, span.start16 - Number(a.dataset.o));
  r.setEnd(b.firstChild, span.end16 - Number(b.dataset.o));
  const sel = window.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(r);
  return r;
}

// ------------------------------------------------------------------------------------------ menus

interface MenuItem {
  text: string;
  hint?: string;
  detail?: string;
  color?: ViewColor;
  primary?: boolean;
  run: () => void;
  /** Keys that run it while the menu is open. */
  keys?: string[];
}

let menuItems: MenuItem[] = [];

function openMenu(at: DOMRect, title: string, items: MenuItem[]): void {
  menuItems = items;
  const list: HTMLElement[] = [el('div', 'menu-title', title)];
  for (const item of items) {
    if (item.text === '-') {
      list.push(el('div', 'sep'));
      continue;
    }
    const b = el('button', `item${item.primary ? ' primary' : ''}`);
    b.type = 'button';
    b.setAttribute('role', 'menuitem');
    if (item.color) {
      const sw = el('span', 'swatch');
      sw.style.setProperty('--c', item.color.fg);
      b.append(sw);
    }
    const name = el('span', 'name', item.text);
    name.dir = 'auto';
    b.append(name);
    if (item.hint) b.append(el('span', 'hint', item.hint));
    if (item.detail) {
      b.title = item.detail;
      const detail = el('span', 'detail', item.detail);
      detail.dir = 'auto';
      b.append(detail);
    }
    b.addEventListener('click', (e) => {
      e.stopPropagation();
      closeMenu();
      item.run();
    });
    list.push(b);
  }
  menu.replaceChildren(...list);
  menu.hidden = false;
  // Below the text, kept inside the window.
  const w = menu.offsetWidth;
  const h = menu.offsetHeight;
  const x = Math.max(4, Math.min(window.innerWidth - w - 4, document.documentElement.dir === 'rtl' ? at.right - w : at.left));
  const below = at.bottom + 4 + h < window.innerHeight;
  menu.style.left = `${x}px`;
  menu.style.top = `${below ? at.bottom + 4 : Math.max(4, at.top - h - 4)}px`;
  menu.querySelector<HTMLElement>('button')?.focus({ preventScroll: true });
}

function closeMenu(): void {
  menu.hidden = true;
  menuItems = [];
  // The word or selection the menu was for is done with: left selected, the next click on text that
  // cannot be selected (a line number) would open its menu again at mouseup.
  window.getSelection()?.removeAllRanges();
}

/** Keys of the labels: 1–9 by position, and each label's own key. */
function labelKeys(l: LabelDefinition, i: number): string[] {
  return [...(i < 9 ? [String(i + 1)] : []), ...(l.key ? [l.key] : [])];
}

function labelItems(run: (label: string) => void, exclude?: string): MenuItem[] {
  return schema.labels
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.name !== exclude)
    .map(({ l, i }) => ({ text: l.name, hint: labelKeys(l, i).join(' '), detail: l.description, color: colorOf(l.name), keys: labelKeys(l, i), run: () => run(l.name) }));
}

/** The menu of a selection (or a clicked word): annotate it with a label, or mark it as boilerplate. */
function selectionMenu(span: { start16: number; end16: number; text: string }, at: DOMRect): void {
  if (!data) return;
  const version = data.version;
  const items: MenuItem[] = labelItems((label) => post({ type: 'annotate', ...span, label, version }));
  items.push({ text: '-', run: () => undefined });
  items.push({ text: t('markBoilerplate'), keys: [], run: () => post({ type: 'markBoilerplate', ...span, category: 'user', version }) });
  for (const c of schema.boilerplate.slice(0, 12)) {
    if (c.name === 'user') continue;
    items.push({ text: `${t('boilerplate')}: ${c.name}`, hint: c.key, detail: c.description, keys: c.key ? [c.key.toUpperCase()] : [], run: () => post({ type: 'markBoilerplate', ...span, category: c.name, version }) });
  }
  openMenu(at, `${t('annotateAs')} “${span.text.length > 40 ? span.text.slice(0, 39) + '…' : span.text}”`, items);
}

/** The menu of a mark: accept / relabel / reject a suggestion, relabel / remove an annotation. */
function markMenu(i: number, at: DOMRect): void {
  if (!data) return;
  const m = data.marks[i];
  const version = data.version;
  const id = m.id;
  setCurrent(m.status === 'suggested' ? i : current, false);
  const items: MenuItem[] = [];
  if (m.kind === 'entity' && m.status === 'suggested') {
    items.push({ text: `${t('accept')}: ${m.label} ${pct(m.confidence)}`, primary: true, keys: ['a', 'Enter'], color: colorOf(m.label), detail: labelDef(m.label)?.description, run: () => post({ type: 'accept', mark: id, version }) });
    items.push({ text: '-', run: () => undefined });
    items.push(...labelItems((label) => post({ type: 'accept', mark: id, label, version }), m.label).map((x) => ({ ...x, text: `${t('acceptAs')} ${x.text}` })));
    items.push({ text: '-', run: () => undefined });
    items.push({ text: t('reject'), keys: ['x'], run: () => post({ type: 'reject', mark: id, version }) });
  } else if (m.kind === 'entity') {
    items.push(...labelItems((label) => post({ type: 'accept', mark: id, label, version }), m.label).map((x) => ({ ...x, text: `${t('relabel')} ${x.text}` })));
    items.push({ text: '-', run: () => undefined });
    items.push({ text: t('remove'), keys: ['x'], run: () => post({ type: 'remove', id }) });
  } else if (m.status === 'suggested') {
    items.push({ text: `${t('markBoilerplate')} (${m.category})`, primary: true, keys: ['a', 'Enter'], run: () => post({ type: 'accept', mark: id, version }) });
    items.push({ text: t('notBoilerplate'), keys: ['x'], run: () => post({ type: 'reject', mark: id, version }) });
  } else {
    items.push({ text: `${t('remove')}: ${t('boilerplate')} (${m.category})`, keys: ['x'], run: () => post({ type: 'remove', id }) });
  }
  const title = m.kind === 'entity' ? `${m.text} · ${m.label}${m.status === 'suggested' ? ` · ${t('suggestion')}` : ''}` : `${t('boilerplate')} · ${m.category}`;
  openMenu(at, title.length > 60 ? title.slice(0, 59) + '…' : title, items);
}

// ------------------------------------------------------------------------------------------ mouse

page.addEventListener('mouseup', (e) => {
  if (e.button !== 0 || !data) return;
  const target = e.target as HTMLElement;
  const span = selectedSpan();
  if (span) {
    const r = window.getSelection()!.getRangeAt(0).getBoundingClientRect();
    selectionMenu(span, r);
    return;
  }
  const markEl = target.closest<HTMLElement>('[data-mark]');
  const para = target.closest<HTMLElement>('.para');
  const sel = window.getSelection();
  const point = sel && sel.rangeCount ? offsetOf(sel.getRangeAt(0).startContainer, sel.getRangeAt(0).startOffset) : undefined;
  if (point !== undefined) post({ type: 'cursor', offset16: point });
  if (markEl) {
    // An entity inside a boilerplate block: the entity's menu (the innermost mark).
    const ent = target.closest<HTMLElement>('.ent');
    const i = Number((ent ?? markEl).dataset.mark);
    markMenu(i, (ent ?? markEl).getBoundingClientRect());
    return;
  }
  if (para && point !== undefined) {
    const word = wordAt(para, point);
    if (!word) return closeMenu();
    const range = select(word);
    selectionMenu(word, (range ?? para).getBoundingClientRect());
  }
});

document.addEventListener('mousedown', (e) => {
  if (!menu.hidden && !menu.contains(e.target as Node)) closeMenu();
});

// ------------------------------------------------------------------------------------------ keys

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const key = e.key;
  if (!menu.hidden) {
    if (key === 'Escape') {
      closeMenu();
      e.preventDefault();
      return;
    }
    const item = menuItems.find((x) => x.keys?.includes(key));
    if (item) {
      e.preventDefault();
      closeMenu();
      item.run();
    }
    return;
  }
  if (!data) return;
  const version = data.version;
  const cur = current !== undefined ? data.marks[current] : undefined;
  const labelIndex = /^[1-9]$/.test(key) ? Number(key) - 1 : schema.labels.findIndex((l) => l.key === key);
  const handled = ((): boolean => {
    if (labelIndex >= 0 && schema.labels[labelIndex]) {
      const label = schema.labels[labelIndex].name;
      const span = selectedSpan();
      if (span) post({ type: 'annotate', ...span, label, version });
      else if (cur?.kind === 'entity') post({ type: 'accept', mark: cur.id, label, version });
      else return false;
      return true;
    }
    switch (key) {
      case 'a':
      case 'Enter':
        if (cur) post({ type: 'accept', mark: cur.id, version });
        return !!cur;
      case 'x':
        if (cur) post({ type: 'reject', mark: cur.id, version });
        return !!cur;
      case 'n':
      case 'j':
        move(1);
        return true;
      case 'p':
      case 'k':
        move(-1);
        return true;
      case 'd':
        post({ type: 'review', action: 'markDone' });
        return true;
      case 'D':
        post({ type: 'review', action: 'markDoneAndNext' });
        return true;
      case ']':
        post({ type: 'review', action: 'nextDocument' });
        return true;
      case 'u':
        post({ type: 'review', action: 'undo' });
        return true;
      case 'U':
        post({ type: 'review', action: 'redo' });
        return true;
      case 'T':
        post({ type: 'review', action: 'editTags' });
        return true;
      case 'Escape':
        window.getSelection()?.removeAllRanges();
        return true;
    }
    return false;
  })();
  if (handled) e.preventDefault();
});

// ------------------------------------------------------------------------------------------ scrolling and the cursor

/** The paragraph at or before a line (binary search: paragraphs are in line order). */
function paragraphAtLine(line: number): HTMLElement | undefined {
  let lo = 0;
  let hi = paragraphs.length - 1;
  let best: HTMLElement | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (Number(paragraphs[mid].dataset.line) <= line) {
      best = paragraphs[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best ?? paragraphs[0];
}

function paragraphAtOffset(offset: number): HTMLElement | undefined {
  let lo = 0;
  let hi = paragraphs.length - 1;
  let best: HTMLElement | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (Number(paragraphs[mid].dataset.o) <= offset) {
      best = paragraphs[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** The line the view and the editor last agreed on: scroll events that leave it at the top are not sent back. */
let syncedLine = -1;

function scrollToLine(line: number): void {
  const p = paragraphAtLine(line);
  if (!p) return;
  syncedLine = Number(p.dataset.line);
  programmaticScrollUntil = Date.now() + 300;
  window.scrollTo({ top: p.offsetTop - head.offsetHeight - 4, behavior: 'auto' });
  // Paragraphs off screen had an estimated height (content-visibility): once laid out, the target may have moved.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const delta = p.getBoundingClientRect().top - head.offsetHeight - 4;
      if (Math.abs(delta) > 2) {
        programmaticScrollUntil = Date.now() + 300;
        window.scrollBy(0, delta);
      }
    }),
  );
}

function markCursor(offset: number): void {
  for (const e of page.querySelectorAll('.para.cur')) e.classList.remove('cur');
  const p = paragraphAtOffset(offset);
  if (!p) return;
  p.classList.add('cur');
  const r = p.getBoundingClientRect();
  if (r.bottom < head.offsetHeight || r.top > window.innerHeight) {
    programmaticScrollUntil = Date.now() + 300;
    p.scrollIntoView({ block: 'center' });
  }
}

/** The first paragraph whose bottom is below the sticky header: what the editor should show at its top. */
function topParagraph(): HTMLElement | undefined {
  const top = head.offsetHeight;
  let lo = 0;
  let hi = paragraphs.length - 1;
  let best: HTMLElement | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (paragraphs[mid].getBoundingClientRect().bottom > top) {
      best = paragraphs[mid];
      hi = mid - 1;
    } else lo = mid + 1;
  }
  return best;
}

let scrollTimer: number | undefined;
window.addEventListener('scroll', () => {
  if (Date.now() < programmaticScrollUntil) return;
  userScrollUntil = Date.now() + 500;
  if (scrollTimer !== undefined) return;
  scrollTimer = window.setTimeout(() => {
    scrollTimer = undefined;
    const p = topParagraph();
    const line = p ? Number(p.dataset.line) : -1;
    // Only a real move is sent: the layout settling around the line the editor shows is not one.
    if (p && line !== syncedLine) {
      syncedLine = line;
      post({ type: 'scrolled', line });
    }
  }, 80);
});

// A theme change (light ↔ dark) changes the label colours: draw again.
new MutationObserver(() => {
  if (data) draw(data, performance.now());
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

post({ type: 'ready' });
