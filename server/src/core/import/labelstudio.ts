/**
 * Label Studio JSON import: an array of tasks (or one task), text in
 * `data.text`, spans in the first non-cancelled `annotations[].result`
 * (else `completions`, else `predictions`), results of type `labels`.
 * Offset unit: current Label Studio counts code points, older versions
 * counted UTF-16 code units. With `auto`, a task is read in code
 * points unless some `value.text` contradicts that and UTF-16 explains every
 * span (a file where both readings fit is ambiguous and read as code
 * points). A span whose text proves the other unit is read in that unit and
 * reported; one that matches under neither reading is skipped and reported.
 */
import { TextIndex } from '../text/offsets';
import { LS_BOILERPLATE_FROM_NAME } from '../export/labelstudio';
import type { ImportedDocument, ImportInputFile, ImportResult } from './index';
import { importedTags, isRecord, spanProblem } from './common';

type Unit = 'auto' | 'codepoint' | 'utf16';

export function importLabelStudio(files: ImportInputFile[], unit: Unit): ImportResult {
  const documents: ImportedDocument[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(file.content);
    } catch (e) {
      problems.push(`${file.path}: not valid JSON (${(e as Error).message})`);
      continue;
    }
    const tasks = Array.isArray(parsed) ? parsed : [parsed];
    tasks.forEach((task, k) => {
      const where = `${file.path}: task ${k + 1}`;
      if (!isRecord(task) || !isRecord(task.data) || typeof task.data.text !== 'string') {
        problems.push(`${where}: expected a task with a string data.text`);
        return;
      }
      documents.push(readTask(task, task.data, task.data.text as string, file.path, where, unit));
    });
  }
  return { documents, problems };
}

function firstResult(task: Record<string, unknown>): unknown[] | undefined {
  for (const key of ['annotations', 'completions', 'predictions']) {
    const list = task[key];
    if (!Array.isArray(list)) continue;
    const chosen = list.find((a) => isRecord(a) && a.was_cancelled !== true && Array.isArray(a.result));
    if (chosen) return (chosen as Record<string, unknown>).result as unknown[];
  }
  return undefined;
}

function readTask(task: Record<string, unknown>, data: Record<string, unknown>, text: string, path: string, where: string, unit: Unit): ImportedDocument {
  const meta = isRecord(task.meta) ? task.meta : {};
  const nameSource = [data.document, data.name, meta.name, meta.document].find((v) => typeof v === 'string');
  const name = typeof nameSource === 'string' ? nameSource : task.id !== undefined ? `${path}#${String(task.id)}` : where;
  const doc: ImportedDocument = { name, text, annotations: [], problems: [] };
  const index = new TextIndex(text);
  const cpLength = index.codePointLength;
  const results = firstResult(task) ?? [];
  type Reading = { start: number; end: number } | string;
  const parsed: { at: string; labels: unknown[]; fromName: unknown; cp: Reading; u16: Reading; hasText: boolean }[] = [];
  const tags = { ...(importedTags(data.tags, `${where}: data.tags`, doc.problems) ?? {}) };
  results.forEach((r, k) => {
    const at = `${where}: result ${k + 1}`;
    if (!isRecord(r) || !isRecord(r.value)) {
      doc.problems.push(`${at}: malformed result`);
      return;
    }
    if (r.type === 'choices' && typeof r.from_name === 'string' && Array.isArray(r.value.choices)) {
      const choices = r.value.choices.filter((c): c is string => typeof c === 'string' && c !== '');
      if (choices.length) tags[r.from_name] = choices.length === 1 ? choices[0] : choices;
      return;
    }
    if (r.type !== 'labels' || !Array.isArray(r.value.labels)) {
      doc.problems.push(`${at}: result type ${String(r.type)} is not imported`);
      return;
    }
    const v = r.value;
    const vtext = typeof v.text === 'string' ? v.text : undefined;
    // Both readings of the numbers: the span each gives, or why it fails.
    const cp = ((): Reading => {
      const bad = spanProblem(v.start, v.end, cpLength);
      if (bad) return `${bad} (code points)`;
      const s = v.start as number;
      const e = v.end as number;
      if (vtext !== undefined && index.sliceCodePoints(s, e) !== vtext) return `text ${JSON.stringify(vtext)} does not match at ${s}-${e} (code points)`;
      return { start: s, end: e };
    })();
    const u16 = ((): Reading => {
      const bad = spanProblem(v.start, v.end, text.length);
      if (bad) return `${bad} (UTF-16 units)`;
      const us = v.start as number;
      const ue = v.end as number;
      const start = index.toCodePoint(us);
      const end = index.toCodePoint(ue);
      if (index.toUtf16(start) !== us || index.toUtf16(end) !== ue) return `span ${us}-${ue} splits a surrogate pair (UTF-16 units)`;
      if (vtext !== undefined && text.slice(us, ue) !== vtext) return `text ${JSON.stringify(vtext)} does not match at ${us}-${ue} (UTF-16 units)`;
      return { start, end };
    })();
    parsed.push({ at, labels: v.labels as unknown[], fromName: r.from_name, cp, u16, hasText: vtext !== undefined });
  });
  const checked = importedTags(tags, where, doc.problems);
  if (checked) doc.tags = checked;
  // One unit per task (one tool wrote it): UTF-16 only when code points cannot explain every span and UTF-16 can.
  let taskUnit: 'codepoint' | 'utf16' = unit === 'utf16' ? 'utf16' : 'codepoint';
  if (unit === 'auto' && parsed.some((p) => typeof p.cp === 'string') && parsed.every((p) => typeof p.u16 !== 'string')) taskUnit = 'utf16';
  const name16 = (u: 'codepoint' | 'utf16'): string => (u === 'utf16' ? 'UTF-16 units' : 'code points');
  for (const p of parsed) {
    let span = taskUnit === 'utf16' ? p.u16 : p.cp;
    const other = taskUnit === 'utf16' ? p.cp : p.u16;
    if (typeof span === 'string' && p.hasText && typeof other !== 'string') {
      // The text proves the other unit: use it, and say so.
      doc.problems.push(`${p.at}: offsets are ${name16(taskUnit === 'utf16' ? 'codepoint' : 'utf16')}, not ${name16(taskUnit)}; read as such`);
      span = other;
    }
    if (typeof span === 'string') {
      doc.problems.push(`${p.at}: ${span}`);
      continue;
    }
    const boilerplate = p.fromName === LS_BOILERPLATE_FROM_NAME;
    for (const label of p.labels) {
      if (typeof label !== 'string' || label === '') {
        doc.problems.push(`${p.at}: label ${JSON.stringify(label)} is not a string`);
        continue;
      }
      doc.annotations.push(boilerplate ? { start: span.start, end: span.end, kind: 'boilerplate', category: label } : { start: span.start, end: span.end, kind: 'entity', label });
    }
  }
  return doc;
}
