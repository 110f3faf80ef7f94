/**
 * Cleaned text: the article without accepted boilerplate (minus explicit
 * keeps). A line that loses all its visible text to boilerplate is removed
 * with its line break; a partly cleaned line loses the trailing whitespace
 * the removal exposed (and the leading whitespace, when the removal was
 * at its start); runs of blank lines collapse to one and leading and
 * trailing blank lines go. Line breaks keep their original form (LF/CRLF/CR).
 * One output file per document, at the document's own relative path.
 */
import type { ExportOptions, StreamingExporter } from './index';
import { boilerplateMask, prepareDocument, type PreparedDocument } from './common';
import { isSeparator } from './tokenize';

export function textExporter(opts: ExportOptions): StreamingExporter {
  return {
    add(doc) {
      return [{ path: doc.name, content: cleanedText(prepareDocument(doc, opts.onProblem)) }];
    },
    finish: () => [],
  };
}

export function cleanedText(p: PreparedDocument): string {
  const cps = p.cps;
  const removed = boilerplateMask(p);
  // Split into lines, keeping each line's break (\r\n, \n or \r).
  const lines: { content: string; brk: string; touched: boolean; touchedStart: boolean }[] = [];
  let content = '';
  let touched = false;
  // Removal before any kept character of the line: the whitespace it exposes at the start goes too.
  let touchedStart = false;
  let visible = false;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    if (c === '\n' || c === '\r') {
      let brk = c;
      if (c === '\r' && cps[i + 1] === '\n') {
        brk = '\r\n';
        i++;
      }
      // A removed line break joins the line with the next one, like any removed text.
      if (removed[i]) {
        touched = true;
        continue;
      }
      lines.push({ content, brk, touched, touchedStart });
      content = '';
      touched = false;
      touchedStart = false;
      visible = false;
      continue;
    }
    if (removed[i]) {
      touched = true;
      if (!visible) touchedStart = true;
    } else {
      content += c;
      if (!isSeparator(c)) visible = true;
    }
  }
  lines.push({ content, brk: '', touched, touchedStart });

  const out: string[] = [];
  let pendingBlank = false;
  let lastBreak = '';
  for (const line of lines) {
    let text = line.content;
    if (line.touched) text = trimEndSeparators(text);
    if (line.touchedStart) text = trimStartSeparators(text);
    const blank = Array.from(text).every(isSeparator);
    if (blank) {
      // An originally blank line is a paragraph break; a line emptied by removal disappears.
      if (!line.touched && out.length > 0) pendingBlank = true;
      continue;
    }
    if (out.length > 0) out.push(lastBreak + (pendingBlank ? lastBreak : ''));
    pendingBlank = false;
    out.push(text);
    lastBreak = line.brk || lastBreak || '\n';
  }
  // Keep a final line break if the original had one.
  const last = lines[lines.length - 1];
  if (out.length > 0 && lines.length > 1 && last.content === '' && !last.touched) out.push(lastBreak);
  return out.join('');
}

function trimStartSeparators(s: string): string {
  const cps = Array.from(s);
  let b = 0;
  while (b < cps.length && isSeparator(cps[b])) b++;
  return cps.slice(b).join('');
}

function trimEndSeparators(s: string): string {
  const cps = Array.from(s);
  let e = cps.length;
  while (e > 0 && isSeparator(cps[e - 1])) e--;
  return cps.slice(0, e).join('');
}
