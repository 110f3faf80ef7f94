/**
 * Glob patterns for choosing the corpus files (`workspace.include`,
 * `workspace.exclude`, VS Code's `files.exclude`), with VS Code's syntax:
 * `*` any characters within one path segment, `?` one character, `**` any
 * number of segments (none included), `{a,b}` alternatives, `[abc]`, `[a-z]`
 * and `[!abc]` character classes. Patterns match the path relative to the
 * workspace folder, with `/` separators.
 *
 * Compiled to RE2 syntax and run by re2js (linear-time matching), not by
 * JavaScript's backtracking RegExp as picomatch and minimatch do: patterns
 * come from the workspace's settings, i.e. from whoever made the folder, and
 * a pattern such as `a*a*a*a*a*a*a*b` takes seconds per file name with a
 * backtracking engine (measured: 2.4 s on a 61-character name with picomatch).
 * Pure: no file system.
 */
import { RE2JS } from 're2js';

export interface Glob {
  readonly pattern: string;
  /** Whether `relativePath` (slash-separated, no leading `./`) matches. */
  matches(relativePath: string): boolean;
}

/** Characters that make an `include` entry a glob rather than a file-name ending such as `.txt`. */
const GLOB_CHARS = /[*?[\]{}/]/;

export function isGlob(entry: string): boolean {
  return GLOB_CHARS.test(entry);
}

const MAX_BRACE_DEPTH = 8;

/** The RE2 source of a glob (unanchored); throws on a pattern it cannot read (unbalanced braces or brackets). */
export function globToRegExpSource(pattern: string): string {
  let p = pattern.replace(/\\/g, '/');
  if (p.startsWith('./')) p = p.slice(2);
  // Consecutive `**` segments mean the same as one.
  p = p.replace(/(?:^|\/)\*\*(?:\/\*\*)+(?=\/|$)/g, (m) => (m.startsWith('/') ? '/**' : '**'));
  let i = 0;
  const parse = (depth: number, inBraces: boolean): string => {
    let out = '';
    while (i < p.length) {
      const c = p[i];
      if (inBraces && (c === ',' || c === '}')) return out;
      if (c === '*') {
        const atSegmentStart = i === 0 || p[i - 1] === '/';
        if (p[i + 1] === '*' && atSegmentStart && (i + 2 === p.length || p[i + 2] === '/')) {
          // `**/` at the start of a segment: any leading folders (or none); a final `**`: anything.
          if (p[i + 2] === '/') {
            out += '(?:.*/)?';
            i += 3;
          } else {
            out += '.*';
            i += 2;
          }
          continue;
        }
        // `*` (and `**` inside a segment): within one segment.
        while (p[i] === '*') i++;
        out += '[^/]*';
        continue;
      }
      if (c === '?') {
        out += '[^/]';
        i++;
        continue;
      }
      if (c === '[') {
        const close = p.indexOf(']', i + 2);
        if (close < 0) throw new Error(`an unclosed "[" in "${pattern}"`);
        let body = p.slice(i + 1, close);
        let negate = false;
        if (body[0] === '!' || body[0] === '^') {
          negate = true;
          body = body.slice(1);
        }
        // Inside a class only `\`, `]`, `[` and `^` are special to RE2; `-` keeps its range meaning.
        const cls = body.replace(/[\\\]\[^]/g, (m) => `\\${m}`);
        out += negate ? `[^/${cls}]` : `[${cls}]`;
        i = close + 1;
        continue;
      }
      if (c === '{') {
        if (depth >= MAX_BRACE_DEPTH) throw new Error(`braces nested more than ${MAX_BRACE_DEPTH} deep in "${pattern}"`);
        i++;
        const alternatives: string[] = [];
        for (;;) {
          alternatives.push(parse(depth + 1, true));
          if (i >= p.length) throw new Error(`an unclosed "{" in "${pattern}"`);
          if (p[i] === '}') {
            i++;
            break;
          }
          i++; // ','
        }
        out += `(?:${alternatives.join('|')})`;
        continue;
      }
      if (c === '}' && !inBraces) throw new Error(`a "}" without "{" in "${pattern}"`);
      out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
    return out;
  };
  const source = parse(0, false);
  // A trailing slash names folders: the same path without it.
  return source.endsWith('/') ? source.slice(0, -1) : source;
}

/** Compiles a glob (see the module comment); throws with a message naming the pattern when it cannot be read. */
export function compileGlob(pattern: string): Glob {
  // (?s): `.` matches any character, a newline too (a file name may hold one).
  const re = RE2JS.compile(`(?s)^(?:${globToRegExpSource(pattern)})$`);
  return { pattern, matches: (relativePath) => re.matches(relativePath) };
}

const BASENAME = '$(basename)';

/**
 * A conditional entry of VS Code's `files.exclude` (`"**\/*.js": {"when": "$(basename).ts"}`):
 * `pattern` excludes a file or folder only where its folder also holds the entry named by `when`,
 * in which `$(basename)` stands for the name without its extension (as VS Code reads it: the
 * first `$(basename)`, basenameOf the name).
 */
export interface SiblingCondition {
  pattern: string;
  when: string;
}

/**
 * Which files of a folder are corpus documents: `include` entries are file
 * name endings (`.txt`) or globs (`articles/**\/*.txt`); `exclude` entries are
 * globs naming files or folders (a folder excludes everything under it), and
 * `conditional` ones exclude only beside a sibling (SiblingCondition).
 * Paths are relative to the folder, slash-separated. Entries that cannot be
 * read are left out and listed in `problems`.
 */
export class FileSelection {
  private readonly endings: string[] = [];
  private readonly includeGlobs: Glob[] = [];
  private readonly excludeGlobs: Glob[] = [];
  private readonly siblingGlobs: { glob: Glob; when: string }[] = [];
  readonly problems: string[] = [];

  constructor(include: readonly string[], exclude: readonly string[] = [], conditional: readonly SiblingCondition[] = []) {
    for (const e of include) {
      if (!isGlob(e)) this.endings.push(e);
      else this.add(this.includeGlobs, e);
    }
    for (const e of exclude) this.add(this.excludeGlobs, e);
    for (const c of conditional) {
      const globs: Glob[] = [];
      this.add(globs, c.pattern);
      if (globs.length) this.siblingGlobs.push({ glob: globs[0], when: c.when });
    }
  }

  /** Whether any exclusion depends on siblings (callers then look at the folder's other names). */
  get hasSiblingConditions(): boolean {
    return this.siblingGlobs.length > 0;
  }

  /**
   * Whether a conditional exclusion applies to the file or folder at `relativePath`, given
   * whether its folder holds an entry of a given name (`scripts/a.js` beside `a.ts`).
   */
  excludesBySibling(relativePath: string, hasSibling: (name: string) => boolean): boolean {
    if (!this.siblingGlobs.length) return false;
    const stem = basenameOf(relativePath.slice(relativePath.lastIndexOf('/') + 1));
    return this.siblingGlobs.some((c) => c.glob.matches(relativePath) && hasSibling(c.when.replace(BASENAME, () => stem)));
  }

  /**
   * Which entries of a folder a sibling named `name` decides (it appeared or went): those whose
   * name less its extension is in `stems` (`a` for `a.html` under `$(basename).html`), or, for a
   * condition without `$(basename)` naming exactly `name`, every entry (`all`).
   */
  decidedBySibling(name: string): { stems: Set<string>; all: boolean } {
    const stems = new Set<string>();
    let all = false;
    for (const { when } of this.siblingGlobs) {
      const at = when.indexOf(BASENAME);
      if (at < 0) {
        if (when === name) all = true;
        continue;
      }
      const prefix = when.slice(0, at);
      const suffix = when.slice(at + BASENAME.length);
      if (name.length >= prefix.length + suffix.length && name.startsWith(prefix) && name.endsWith(suffix)) stems.add(name.slice(prefix.length, name.length - suffix.length));
    }
    return { stems, all };
  }

  /** Globs of the siblings the conditional exclusions look for (`**\/*.html` for `$(basename).html`), for a file watcher. */
  siblingGlobPatterns(): string[] {
    const escape = (x: string) => x.replace(/[*?[\]{}]/g, '[$&]');
    return [...new Set(this.siblingGlobs.map(({ when }) => `**/${when.split(BASENAME).map(escape).join('*')}`))];
  }

  private add(to: Glob[], pattern: string): void {
    try {
      to.push(compileGlob(pattern));
    } catch (e) {
      this.problems.push((e as Error).message);
    }
  }

  /** Whether the file at `relativePath` is a document by its name or path (exclusions aside). */
  includes(relativePath: string): boolean {
    const slash = relativePath.lastIndexOf('/');
    const name = slash < 0 ? relativePath : relativePath.slice(slash + 1);
    return this.endings.some((x) => name.endsWith(x)) || this.includeGlobs.some((g) => g.matches(relativePath));
  }

  /** Whether the file or folder at `relativePath` is excluded (not looking at the folders above it). */
  excludes(relativePath: string): boolean {
    return this.excludeGlobs.length > 0 && this.excludeGlobs.some((g) => g.matches(relativePath));
  }

  /** Whether `relativePath` or any folder above it is excluded (conditional exclusions aside: excludesBySibling). */
  excludesWithFolders(relativePath: string): boolean {
    if (!this.excludeGlobs.length) return false;
    for (let i = relativePath.indexOf('/'); i >= 0; i = relativePath.indexOf('/', i + 1)) if (this.excludes(relativePath.slice(0, i))) return true;
    return this.excludes(relativePath);
  }
}

/** What `$(basename)` stands for in a conditional exclusion: the name less its extension (`a.tar.gz` → `a.tar`). */
export function basenameOf(name: string): string {
  return name.slice(0, name.length - extensionOf(name).length);
}

/** Node's `path.extname` of a file name (`a.tar.gz` → `.gz`, `.gitignore` → none), without importing `path` into the core. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 || name === '..' ? '' : name.slice(dot);
}
