/**
 * package.json as VS Code and the marketplace read it: settings that match the server's defaults,
 * quiet opt-in activation, Restricted Mode, translations for every manifest string, and the
 * files of the .vsix and of the npm package.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import { vsixFiles, vsixManifest } from '../../scripts/package-vsix';

const ROOT = path.resolve(__dirname, '..', '..');
const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;

interface SettingSchema {
  type: string | string[];
  default: unknown;
  scope?: string;
  description?: string;
  markdownDescription?: string;
  minimum?: number;
  enum?: string[];
}
interface Manifest {
  license: string;
  icon: string;
  main: string;
  l10n: string;
  bin: Record<string, string>;
  files: string[];
  activationEvents: string[];
  capabilities: {
    untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[]; description?: string };
    virtualWorkspaces: { supported: boolean; description?: string };
  };
  contributes: {
    configuration: { properties: Record<string, SettingSchema> };
    configurationDefaults: Record<string, unknown>;
    keybindings: { when?: string }[];
    menus: Record<string, { when?: string }[]>;
    walkthroughs: { steps: { media: { image?: string; markdown?: string; svg?: string } }[] }[];
    grammars: { path: string }[];
    languages: { configuration?: string }[];
  };
  [key: string]: unknown;
}

const pkg = read<Manifest>('package.json');
const nls = read<Record<string, string>>('package.nls.json');
const settings = pkg.contributes.configuration.properties;
/** Settings only the VS Code client reads (the language server never sees them). */
// Read by the client only: the trace level, and the confidence above which Accept All in Document accepts.
const CLIENT_ONLY = new Set(['newsAnnotator.trace.server', 'newsAnnotator.review.acceptAllMinConfidence']);

/** `%key%` strings anywhere in the manifest. */
function nlsKeys(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = /^%(.+)%$/.exec(value);
    if (m) out.add(m[1]);
  } else if (Array.isArray(value)) value.forEach((v) => nlsKeys(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => nlsKeys(v, out));
  return out;
}
const english = (s: string | undefined) => (s && /^%(.+)%$/.test(s) ? nls[s.slice(1, -1)] : s);

describe('settings', () => {
  test("contributes.configuration defaults equal the server's DEFAULT_SETTINGS, both ways", () => {
    const seen = new Set<string>();
    const walk = (value: unknown, prefix: string) => {
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const id = `newsAnnotator.${prefix}${key}`;
        if (id in settings) {
          seen.add(id);
          // The manifest writes an absent value as null (JSON has no undefined).
          assert.deepEqual(settings[id].default, v === undefined ? null : v, `default of ${id}`);
        } else if (v && typeof v === 'object' && !Array.isArray(v)) {
          walk(v, `${prefix}${key}.`);
        } else {
          assert.fail(`DEFAULT_SETTINGS.${prefix}${key} has no setting ${id} in package.json`);
        }
      }
    };
    walk(DEFAULT_SETTINGS, '');
    const extra = Object.keys(settings).filter((id) => !seen.has(id) && !CLIENT_ONLY.has(id));
    assert.deepEqual(extra, [], 'settings in package.json that the server does not know');
  });

  test('every setting has a scope, a description, and Markdown descriptions where the text is Markdown', () => {
    for (const [id, s] of Object.entries(settings)) {
      assert.ok(['application', 'machine', 'machine-overridable', 'window', 'resource', 'language-overridable'].includes(s.scope!), `${id}: scope ${s.scope}`);
      const text = english(s.markdownDescription ?? s.description);
      assert.ok(text, `${id} has no description`);
      if (/`|\[.+\]\(|#[\w.]+#|\*\w/.test(text)) assert.ok(s.markdownDescription, `${id}: its description is Markdown (${text}) but is not a markdownDescription`);
    }
    for (const id of ['newsAnnotator.entities.modelPath', 'newsAnnotator.workspace.include']) assert.equal(settings[id].scope, 'resource', id);
  });

  test('whole-number settings are integers with a minimum; fractions are bounded', () => {
    for (const [id, s] of Object.entries(settings)) {
      if (typeof s.default !== 'number') continue;
      if (Number.isInteger(s.default) && s.type === 'number') assert.fail(`${id} defaults to ${s.default}: declare it "integer"`);
      assert.ok(s.minimum !== undefined, `${id} has no minimum`);
    }
    for (const id of ['newsAnnotator.maxFileSizeKB', 'newsAnnotator.boilerplate.repeatedMinDocs', 'newsAnnotator.workspace.maxFiles']) assert.equal(settings[id].type, 'integer', id);
  });

  test('newsAnnotator.trace.server follows the language-client convention', () => {
    const trace = settings['newsAnnotator.trace.server'];
    assert.deepEqual(trace.enum, ['off', 'messages', 'verbose']);
    assert.equal(trace.default, 'off');
    assert.equal(trace.scope, 'window');
    // vscode-languageclient reads `<client id>.trace.server`: the id must stay 'newsAnnotator'.
    assert.match(fs.readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8'), /new LanguageClient\('newsAnnotator'/);
  });
});

describe('activation and trust', () => {
  test('activation is opt-in: a marker folder, sidecars or the news-article language, never any .txt', () => {
    assert.deepEqual(pkg.activationEvents.filter((e) => e === '*' || e === 'onStartupFinished' || /plaintext|\*\*\/\*\.txt|\.txt$/.test(e)), []);
    for (const e of ['workspaceContains:.news-annotator', 'workspaceContains:**/*.ann.json', 'onLanguage:news-article']) assert.ok(pkg.activationEvents.includes(e), e);
  });

  test("editor defaults are for News Article documents only, and nothing is bound to plain text", () => {
    assert.deepEqual(Object.keys(pkg.contributes.configurationDefaults), ['[news-article]']);
    const whens = [...pkg.contributes.keybindings, ...Object.values(pkg.contributes.menus).flat()].map((m) => m.when ?? '');
    assert.deepEqual(whens.filter((w) => /plaintext/.test(w)), []);
  });

  test('limited support in Restricted Mode with the file-loading and pattern settings restricted; no virtual workspaces', () => {
    const trust = pkg.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    assert.deepEqual([...trust.restrictedConfigurations!].sort(), ['newsAnnotator.boilerplate.extraCues', 'newsAnnotator.entities.modelPath']);
    for (const id of trust.restrictedConfigurations!) assert.ok(id in settings, `${id} is not a setting`);
    assert.ok(english(trust.description));
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, false);
    assert.ok(english(pkg.capabilities.virtualWorkspaces.description));
  });
});

describe('translations of the manifest', () => {
  const used = nlsKeys(pkg);

  for (const file of fs.readdirSync(ROOT).filter((f) => /^package\.nls(\.[\w-]+)?\.json$/.test(f))) {
    test(`${file} has every %key% of package.json, and no other`, () => {
      const table = read<Record<string, string>>(file);
      assert.deepEqual(Object.keys(table).sort(), [...used].sort());
      for (const [k, v] of Object.entries(table)) assert.ok(typeof v === 'string' && v.trim(), `${file}: ${k} is empty`);
    });
  }

  test('the Arabic manifest is in Arabic and keeps the command links, setting links and code of the English', () => {
    const ar = read<Record<string, string>>('package.nls.ar.json');
    for (const [k, en] of Object.entries(nls)) {
      assert.match(ar[k], /[\u0600-\u06FF]/, `${k} is not translated`);
      const keep = (s: string) => [...s.matchAll(/\(command:[^)]+\)|#[\w.]+#|`[^`]+`/g)].map((m) => m[0]).sort();
      assert.deepEqual(keep(ar[k]), keep(en), `${k}: links and code spans`);
    }
  });
});

describe('what is shipped', () => {
  const vsix = new Set(vsixFiles());

  test('the .vsix holds the extension and its manifest media, translations and notices, not the CLI', () => {
    // The allow-list is the top-level .vscodeignore (the layout the project is built on).
    assert.ok(fs.existsSync(path.join(ROOT, '.vscodeignore')));
    assert.ok(!vsix.has('dist/cli.js'));
    for (const f of vsix) assert.ok(!/(^|\/)(node_modules|test|\.git)\/|\.map$|\.ts$/.test(f), `${f} has no place in the .vsix`);
    const needed = [
      pkg.main.replace(/^\.\//, ''),
      'dist/server.js',
      'dist/THIRD_PARTY_NOTICES.md',
      'LICENSE',
      'NOTICE.md',
      'CHANGELOG.md',
      pkg.icon,
      'package.nls.json',
      'package.nls.ar.json',
      `${pkg.l10n.replace(/^\.\//, '')}/bundle.l10n.ar.json`,
      ...pkg.contributes.grammars.map((g) => g.path.replace(/^\.\//, '')),
      ...pkg.contributes.languages.flatMap((l) => (l.configuration ? [l.configuration.replace(/^\.\//, '')] : [])),
      ...pkg.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.image ?? s.media.markdown ?? s.media.svg!)),
    ];
    for (const f of needed) {
      assert.ok(vsix.has(f), `${f} is not in the .vsix`);
      if (!f.startsWith('dist/')) assert.ok(fs.existsSync(path.join(ROOT, f)), `${f} does not exist`);
    }
    // The server reads its large data from dist/data (scripts/build.ts jsonAsSideFile): every file it names ships.
    // `join(__dirname, "data", ...["model", "ner-ar.json"])` in a development build; the production build
    // (npm run package) spreads the array into the call: `join(__dirname,"data","model","ner-ar.json")`.
    const server = fs.readFileSync(path.join(ROOT, 'dist/server.js'), 'utf8');
    const sideFiles = [...server.matchAll(/join\(__dirname, ?"data", ?([^)]*)\)/g)].map((m) => ['dist/data', ...[...m[1].matchAll(/"([^"]*)"/g)].map((q) => q[1])].join('/'));
    assert.ok(sideFiles.includes('dist/data/model/ner-ar.json'), `the server's data files: ${sideFiles.join(', ')}`);
    for (const f of sideFiles) {
      assert.ok(vsix.has(f), `${f} (read by dist/server.js) is not in the .vsix`);
      assert.ok(fs.existsSync(path.join(ROOT, f)), `${f} (read by dist/server.js) was not built`);
    }
    const installed = vsixManifest(pkg as unknown as Record<string, unknown>);
    assert.ok(!('files' in installed) && !('bin' in installed), 'the installed manifest still describes the npm package');
  });

  test('the npm package ships the CLI and the language server with their notices', () => {
    for (const f of ['dist/cli.js', 'dist/server.js', 'dist/data/', 'dist/THIRD_PARTY_NOTICES.md', 'NOTICE.md']) assert.ok(pkg.files.includes(f), `${f} not in "files"`);
    for (const [name, target] of Object.entries(pkg.bin)) assert.ok(pkg.files.includes(target.replace(/^\.\//, '')), `bin ${name} → ${target} is not in "files"`);
    assert.ok(!pkg.files.includes('dist/client.js'));
  });

  test('the icon is a 128×128 PNG; repository, bugs, homepage and keywords are set', () => {
    const png = fs.readFileSync(path.join(ROOT, pkg.icon));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.toString('latin1', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    for (const field of ['repository', 'bugs', 'homepage', 'keywords']) assert.ok(pkg[field], `${field} missing`);
  });
});
