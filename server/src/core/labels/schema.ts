/**
 * The team's label schema (`.news-annotator/labels.json`), validated with the
 * place of every problem in the file, so the editor can underline it in
 * labels.json itself. Like the settings, a schema is untrusted input: what is
 * wrong is reported and left out, what is right is used, and a file with no
 * usable label falls back to the `newsAnnotator.labels` setting. Never throws.
 *
 * Pure: the host reads the file and hands its text in (JSON with comments
 * and trailing commas is accepted, as VS Code's own settings files are).
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import {
  EXCLUDE_TAG,
  TAG_KEY_PATTERN,
  TAG_LIMITS,
  type CategoryDefinition,
  type LabelDefinition,
  type LabelSchema,
  type TagDefinition,
  type TagType,
  type TagValueDefinition,
  type ThemedColor,
} from '../../protocol';
import { defaultCategories, defaultColor, EXCLUDE_TAG_DEFINITION, schemaFromSettings, themed } from './defaults';

export interface SchemaProblem {
  message: string;
  severity: 'error' | 'warning';
  /** UTF-16 offsets into the file's text. */
  start: number;
  end: number;
}

export interface ResolvedSchema {
  schema: LabelSchema;
  problems: SchemaProblem[];
}

/** Bounds on a schema (it is read on every start and change, and shown in menus). */
export const SCHEMA_LIMITS = { bytes: 1024 * 1024, labels: 64, categories: 64, tags: 64, examples: 50, exampleLength: 200, description: 2000, renames: 20, path: 4096 } as const;

/** Label names: as in the labels setting (letters of any script, digits, `_ - . :`). */
const LABEL_NAME = /^[\p{L}\p{N}_\-.:]+$/u;
const CATEGORY_NAME = /^[\p{L}\p{N}_\-.]+$/u;
const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
/** Single keys of the review loop (Review Mode and the annotation view): a label cannot take them. */
export const REVIEW_KEYS: Record<string, string> = {
  a: 'Accept',
  x: 'Reject',
  n: 'Next suggestion',
  j: 'Next suggestion',
  p: 'Previous suggestion',
  k: 'Previous suggestion',
  d: 'Mark document done',
  u: 'Undo',
};
/** The keys a label or category may have: lower-case letters the review loop leaves free. */
export const LABEL_KEYS = 'bcefghilmoqrstvwyz'.split('');
const TOP_KEYS = new Set(['$schema', 'labels', 'boilerplate', 'tags', 'guidelines']);

/**
 * Resolves the schema in force from the labels.json text (undefined: there is
 * no file) and the labels setting (the fallback).
 */
export function resolveLabelSchema(fileText: string | undefined, settingsLabels: readonly string[], file?: string): ResolvedSchema {
  if (fileText === undefined) return { schema: schemaFromSettings(settingsLabels), problems: [] };
  const v = new Validator(fileText);
  const parsed = v.parse();
  const fallback = (why: string): ResolvedSchema => {
    v.problem(0, Math.min(fileText.length, 1), `${why} The newsAnnotator.labels setting is used until the file is fixed.`, 'error');
    return { schema: schemaFromSettings(settingsLabels), problems: v.problems };
  };
  if (!parsed) return fallback('labels.json is not valid JSON.');
  if (parsed.type !== 'object') return fallback('labels.json must hold a JSON object ({ "labels": [ … ] }).');
  const props = v.properties(parsed);
  for (const [key, p] of props) if (!TOP_KEYS.has(key)) v.problem(p.keyNode.offset, p.keyNode.offset + p.keyNode.length, `Unknown key "${key}" (ignored): expected labels, boilerplate, tags, guidelines.`, 'warning');
  const labels = v.labels(props.get('labels')?.value, 'label', LABEL_NAME, SCHEMA_LIMITS.labels);
  if (!labels.length) {
    const where = props.get('labels')?.value ?? parsed;
    v.problem(where.offset, where.offset + (where === parsed ? 1 : where.length), 'No usable label: the newsAnnotator.labels setting is used until the file declares some.', props.has('labels') ? 'error' : 'warning');
  }
  const categoriesNode = props.get('boilerplate')?.value;
  const categories = categoriesNode ? v.labels(categoriesNode, 'category', CATEGORY_NAME, SCHEMA_LIMITS.categories) : defaultCategories();
  v.uniqueKeys(labels, categoriesNode ? categories : []);
  const tags = v.tags(props.get('tags')?.value);
  const guidelines = v.guidelines(props.get('guidelines')?.value);
  const base = labels.length ? { source: 'file' as const, labels } : { ...schemaFromSettings(settingsLabels), source: 'settings' as const };
  return {
    schema: { ...base, ...(file ? { file } : {}), boilerplate: categories, tags, ...(guidelines ? { guidelines } : {}) },
    problems: v.problems,
  };
}

interface Property {
  keyNode: Node;
  value: Node | undefined;
}

class Validator {
  readonly problems: SchemaProblem[] = [];
  private palette = 0;
  /** Where each definition's key was written (for a clash found after all are read). */
  private readonly keyNodes = new Map<LabelDefinition, Node>();

  constructor(private readonly text: string) {}

  parse(): Node | undefined {
    const errors: ParseError[] = [];
    const root = parseTree(this.text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
    for (const e of errors.slice(0, 20)) this.problem(e.offset, e.offset + Math.max(1, e.length), `JSON syntax: ${describeParseError(printParseErrorCode(e.error))}.`, 'error');
    return errors.length ? undefined : root;
  }

  problem(start: number, end: number, message: string, severity: SchemaProblem['severity'] = 'error'): void {
    if (this.problems.length < 200) this.problems.push({ start, end: Math.max(end, start), message, severity });
  }

  private at(node: Node, message: string, severity: SchemaProblem['severity'] = 'error'): void {
    this.problem(node.offset, node.offset + node.length, message, severity);
  }

  /** An object's properties by key; a repeated key is reported (the last one counts, as in JSON.parse). */
  properties(node: Node): Map<string, Property> {
    const out = new Map<string, Property>();
    for (const p of node.children ?? []) {
      const [k, value] = p.children ?? [];
      if (!k || typeof k.value !== 'string') continue;
      if (out.has(k.value)) this.at(k, `"${k.value}" is given twice; the last one counts.`, 'warning');
      out.set(k.value, { keyNode: k, value });
    }
    return out;
  }

  private string(node: Node | undefined, what: string, max: number): string | undefined {
    if (!node) return undefined;
    if (node.type !== 'string') {
      this.at(node, `${what}: expected a string, got ${node.type}.`);
      return undefined;
    }
    const s = node.value as string;
    if (s.length > max) {
      this.at(node, `${what}: at most ${max} characters (this one has ${s.length}).`);
      return undefined;
    }
    return s;
  }

  private stringList(node: Node | undefined, what: string, maxItems: number, maxLength: number): string[] {
    if (!node) return [];
    if (node.type !== 'array') {
      this.at(node, `${what}: expected a list of strings.`);
      return [];
    }
    const out: string[] = [];
    for (const item of (node.children ?? []).slice(0, maxItems)) {
      const s = this.string(item, what, maxLength);
      if (s !== undefined && s.trim()) out.push(s);
    }
    if ((node.children?.length ?? 0) > maxItems) this.at(node, `${what}: at most ${maxItems} entries; the rest are ignored.`, 'warning');
    return out;
  }

  private color(node: Node | undefined, what: string): ThemedColor | undefined {
    if (!node) return undefined;
    const one = (n: Node | undefined, which: string): string | undefined => {
      if (!n) return undefined;
      if (n.type === 'string' && COLOR.test(n.value as string)) return n.value as string;
      this.at(n, `${what}${which}: expected a colour such as "#3cb44b" (#rgb, #rrggbb or #rrggbbaa).`);
      return undefined;
    };
    if (node.type === 'string') {
      const c = one(node, '');
      return c ? themed(c) : undefined;
    }
    if (node.type === 'object') {
      const props = this.properties(node);
      const light = one(props.get('light')?.value, '.light');
      const dark = one(props.get('dark')?.value, '.dark');
      if (!light && !dark) {
        if (!props.has('light') && !props.has('dark')) this.at(node, `${what}: give "light" and "dark" colours, or one colour for both.`);
        return undefined;
      }
      return { light: light ?? dark!, dark: dark ?? light! };
    }
    this.at(node, `${what}: expected a colour string or { "light": …, "dark": … }.`);
    return undefined;
  }

  /** The `labels` (or `boilerplate`) list: each entry checked, the bad ones left out. */
  labels(node: Node | undefined, what: 'label' | 'category', namePattern: RegExp, max: number): LabelDefinition[] {
    if (!node) return [];
    if (node.type !== 'array') {
      this.at(node, `Expected a list of ${what === 'label' ? 'labels' : 'categories'}: [{ "name": … }, …].`);
      return [];
    }
    const items = node.children ?? [];
    if (items.length > max) this.at(node, `At most ${max} ${what === 'label' ? 'labels' : 'categories'}; the rest are ignored.`);
    const out: LabelDefinition[] = [];
    const nodes = new Map<string, Node>();
    for (const item of items.slice(0, max)) {
      const def = this.label(item, what, namePattern);
      if (!def) continue;
      if (nodes.has(def.def.name)) {
        this.at(def.nameNode, `${what === 'label' ? 'Label' : 'Category'} "${def.def.name}" is declared twice; the first one counts.`);
        continue;
      }
      nodes.set(def.def.name, def.node);
      out.push(def.def);
    }
    this.checkParents(out, nodes, what);
    this.checkRenames(out, nodes, what);
    return out;
  }

  private label(item: Node, what: 'label' | 'category', namePattern: RegExp): { def: LabelDefinition; node: Node; nameNode: Node } | undefined {
    const Thing = what === 'label' ? 'A label' : 'A category';
    if (item.type === 'string') {
      // A bare name is allowed: `"labels": ["PER", "ORG"]` with default colours.
      const name = item.value as string;
      if (!namePattern.test(name) || name.length > 40) {
        this.at(item, `${Thing} name is 1–40 letters, digits${what === 'label' ? ', _ - . :' : ', _ - .'} (no spaces): ${JSON.stringify(name.slice(0, 50))}.`);
        return undefined;
      }
      return { def: { name, color: defaultColor(name, this.palette++) }, node: item, nameNode: item };
    }
    if (item.type !== 'object') {
      this.at(item, `${Thing} is an object: { "name": …, "description": …, "color": …, "key": … }.`);
      return undefined;
    }
    const props = this.properties(item);
    const known = new Set(['name', 'description', 'color', 'key', 'examples', 'parent', 'renamedFrom']);
    for (const [k, p] of props) if (!known.has(k)) this.at(p.keyNode, `Unknown key "${k}" (ignored): expected ${[...known].join(', ')}.`, 'warning');
    const nameNode = props.get('name')?.value;
    if (!nameNode) {
      this.at(item, `${Thing} needs a "name".`);
      return undefined;
    }
    const name = this.string(nameNode, 'name', 40);
    if (name === undefined) return undefined;
    if (!namePattern.test(name)) {
      this.at(nameNode, `${Thing} name is 1–40 letters, digits${what === 'label' ? ', _ - . :' : ', _ - .'} (no spaces): ${JSON.stringify(name.slice(0, 50))}.`);
      return undefined;
    }
    const def: LabelDefinition = { name, color: this.color(props.get('color')?.value, `${name}.color`) ?? defaultColor(name, this.palette++) };
    const description = this.string(props.get('description')?.value, `${name}.description`, SCHEMA_LIMITS.description);
    if (description?.trim()) def.description = description.trim();
    const keyNode = props.get('key')?.value;
    const key = this.string(keyNode, `${name}.key`, 1);
    if (key !== undefined && keyNode) {
      if (REVIEW_KEYS[key]) this.at(keyNode, `Key "${key}" is the review key for ${REVIEW_KEYS[key]}; choose one of ${LABEL_KEYS.join(' ')}.`);
      else if (!LABEL_KEYS.includes(key)) this.at(keyNode, `Key ${JSON.stringify(key)}: choose one lower-case letter of ${LABEL_KEYS.join(' ')} (the others are review keys; 1–9 pick labels by position).`);
      else {
        def.key = key;
        this.keyNodes.set(def, keyNode);
      }
    }
    const examples = this.stringList(props.get('examples')?.value, `${name}.examples`, SCHEMA_LIMITS.examples, SCHEMA_LIMITS.exampleLength);
    if (examples.length) def.examples = examples;
    const parentNode = props.get('parent')?.value;
    const parent = this.string(parentNode, `${name}.parent`, 40);
    if (parent !== undefined) def.parent = parent;
    const renamedFrom = this.stringList(props.get('renamedFrom')?.value, `${name}.renamedFrom`, SCHEMA_LIMITS.renames, 40).filter((r) => {
      if (namePattern.test(r)) return true;
      this.at(props.get('renamedFrom')!.value!, `${name}.renamedFrom: ${JSON.stringify(r.slice(0, 50))} is not a ${what} name.`);
      return false;
    });
    if (renamedFrom.length) def.renamedFrom = renamedFrom;
    return { def, node: item, nameNode };
  }

  /** A parent must be declared, and parents must not form a cycle. */
  private checkParents(defs: LabelDefinition[], nodes: Map<string, Node>, what: string): void {
    const byName = new Map(defs.map((d) => [d.name, d]));
    for (const d of defs) {
      if (d.parent === undefined) continue;
      const where = this.child(nodes.get(d.name)!, 'parent');
      if (!byName.has(d.parent)) {
        this.at(where, `Parent "${d.parent}" of ${d.name} is not a declared ${what}; it is ignored.`);
        delete d.parent;
        continue;
      }
      const seen = new Set<string>([d.name]);
      for (let p: string | undefined = d.parent; p; p = byName.get(p)?.parent) {
        if (seen.has(p)) {
          this.at(where, `The parents of ${d.name} form a cycle (${[...seen, p].join(' → ')}); its parent is ignored.`);
          delete d.parent;
          break;
        }
        seen.add(p);
      }
    }
  }

  /** A former name must not be a current one, nor be claimed by two labels. */
  private checkRenames(defs: LabelDefinition[], nodes: Map<string, Node>, what: string): void {
    const current = new Set(defs.map((d) => d.name));
    const claimed = new Map<string, string>();
    for (const d of defs) {
      if (!d.renamedFrom) continue;
      const where = this.child(nodes.get(d.name)!, 'renamedFrom');
      d.renamedFrom = d.renamedFrom.filter((old) => {
        if (current.has(old)) {
          this.at(where, `"${old}" is still a declared ${what}: it cannot also be a former name of ${d.name}.`);
          return false;
        }
        const other = claimed.get(old);
        if (other && other !== d.name) {
          this.at(where, `"${old}" is already a former name of ${other}.`);
          return false;
        }
        claimed.set(old, d.name);
        return true;
      });
      if (!d.renamedFrom.length) delete d.renamedFrom;
    }
  }

  /** Keys are unique across labels and categories (a key in the view must mean one thing). */
  uniqueKeys(labels: LabelDefinition[], categories: CategoryDefinition[]): void {
    const owner = new Map<string, string>();
    for (const d of [...labels, ...categories]) {
      if (!d.key) continue;
      const other = owner.get(d.key);
      if (other) {
        const where = this.keyNodes.get(d);
        this.problem(where?.offset ?? 0, where ? where.offset + where.length : 1, `Key "${d.key}" is given to both ${other} and ${d.name}; ${d.name} gets none.`, 'warning');
        delete d.key;
      } else owner.set(d.key, d.name);
    }
  }

  /** The `tags` list; `exclude` (boolean) is always there. */
  tags(node: Node | undefined): TagDefinition[] {
    const out: TagDefinition[] = [];
    if (node && node.type !== 'array') this.at(node, 'Expected a list of tags: [{ "name": "topic", "type": "multiple", "values": [ … ] }, …].');
    const items = node?.type === 'array' ? node.children ?? [] : [];
    if (items.length > SCHEMA_LIMITS.tags) this.at(node!, `At most ${SCHEMA_LIMITS.tags} tags; the rest are ignored.`);
    for (const item of items.slice(0, SCHEMA_LIMITS.tags)) {
      const def = this.tag(item);
      if (!def) continue;
      if (out.some((t) => t.name === def.name)) {
        this.at(item, `Tag "${def.name}" is declared twice; the first one counts.`);
        continue;
      }
      if (def.name === EXCLUDE_TAG && def.type !== 'boolean') {
        this.at(item, `The "${EXCLUDE_TAG}" tag is built in and boolean (true leaves the document out of exports); declare it with "type": "boolean" or not at all.`);
        continue;
      }
      out.push(def);
    }
    if (!out.some((t) => t.name === EXCLUDE_TAG)) out.push(EXCLUDE_TAG_DEFINITION);
    return out;
  }

  private tag(item: Node): TagDefinition | undefined {
    if (item.type !== 'object') {
      this.at(item, 'A tag is an object: { "name": …, "type": "single" | "multiple" | "boolean" | "text", "values": [ … ] }.');
      return undefined;
    }
    const props = this.properties(item);
    const known = new Set(['name', 'description', 'type', 'values']);
    for (const [k, p] of props) if (!known.has(k)) this.at(p.keyNode, `Unknown key "${k}" (ignored): expected ${[...known].join(', ')}.`, 'warning');
    const nameNode = props.get('name')?.value;
    const name = nameNode ? this.string(nameNode, 'name', TAG_LIMITS.keyLength) : undefined;
    if (!nameNode) this.at(item, 'A tag needs a "name".');
    if (name === undefined || !nameNode) return undefined;
    if (!TAG_KEY_PATTERN.test(name)) {
      this.at(nameNode, `A tag name is 1–${TAG_LIMITS.keyLength} letters, digits, _ - . : (no spaces): ${JSON.stringify(name.slice(0, 50))}.`);
      return undefined;
    }
    const valuesNode = props.get('values')?.value;
    const typeNode = props.get('type')?.value;
    const typeName = this.string(typeNode, `${name}.type`, 20);
    const types: TagType[] = ['single', 'multiple', 'boolean', 'text'];
    let type: TagType = valuesNode ? 'single' : 'text';
    if (typeName !== undefined) {
      if ((types as string[]).includes(typeName)) type = typeName as TagType;
      else {
        this.at(typeNode!, `${name}.type: one of ${types.map((t) => `"${t}"`).join(', ')}; the tag is left out.`);
        return undefined;
      }
    } else if (typeNode) return undefined;
    const values = this.tagValues(valuesNode, name);
    if ((type === 'single' || type === 'multiple') && !values.length) {
      this.at(valuesNode ?? item, `Tag "${name}" (${type}) needs a list of allowed "values".`);
      return undefined;
    }
    if ((type === 'boolean' || type === 'text') && valuesNode) this.at(valuesNode, `Tag "${name}" is ${type}: its "values" are ignored.`, 'warning');
    const def: TagDefinition = { name, type, values: type === 'single' || type === 'multiple' ? values : [] };
    const description = this.string(props.get('description')?.value, `${name}.description`, SCHEMA_LIMITS.description);
    if (description?.trim()) def.description = description.trim();
    return def;
  }

  private tagValues(node: Node | undefined, tag: string): TagValueDefinition[] {
    if (!node) return [];
    if (node.type !== 'array') {
      this.at(node, `${tag}.values: expected a list of values ("politics" or { "name": "politics", "description": … }).`);
      return [];
    }
    const out: TagValueDefinition[] = [];
    for (const item of (node.children ?? []).slice(0, TAG_LIMITS.values)) {
      let name: string | undefined;
      let description: string | undefined;
      if (item.type === 'object') {
        const props = this.properties(item);
        name = this.string(props.get('name')?.value, `${tag} value name`, TAG_LIMITS.valueLength);
        if (!props.has('name')) this.at(item, `A value of ${tag} needs a "name".`);
        description = this.string(props.get('description')?.value, `${tag} value description`, SCHEMA_LIMITS.description);
      } else name = this.string(item, `${tag} value`, TAG_LIMITS.valueLength);
      if (name === undefined) continue;
      if (!name.trim()) {
        this.at(item, `${tag}: a value cannot be empty.`);
        continue;
      }
      if (out.some((v) => v.name === name)) {
        this.at(item, `${tag}: value "${name}" is given twice.`, 'warning');
        continue;
      }
      out.push({ name, ...(description?.trim() ? { description: description.trim() } : {}) });
    }
    if ((node.children?.length ?? 0) > TAG_LIMITS.values) this.at(node, `${tag}: at most ${TAG_LIMITS.values} values; the rest are ignored.`);
    return out;
  }

  guidelines(node: Node | undefined): string | undefined {
    const p = this.string(node, 'guidelines', SCHEMA_LIMITS.path);
    if (p === undefined || !node) return undefined;
    if (!p.trim() || p.includes('\u0000')) {
      this.at(node, 'guidelines: the path of a Markdown file, relative to the workspace folder (e.g. "GUIDELINES.md").');
      return undefined;
    }
    return p;
  }

  private child(node: Node, key: string): Node {
    return node.type === 'object' ? this.properties(node).get(key)?.value ?? node : node;
  }
}

function describeParseError(code: string): string {
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
