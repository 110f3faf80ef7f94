/**
 * Third-party notices, derived from what esbuild really bundled (its metafile), never from a
 * hand-kept list: every npm package whose code is in a bundle, and every file under `data/`
 * that a bundle inlines. Used by scripts/build.ts (writes dist/THIRD_PARTY_NOTICES.md) and by
 * test/unit/notices.test.ts (fails on any problem reported here).
 *
 * Rules a new package or data file must satisfy (each broken rule is a `problem`):
 * - an npm package ships a licence file (LICENSE*, LICENCE*, COPYING*, NOTICE*), or declares in
 *   its package.json an SPDX licence whose standard text is kept in `licenses/<id>.txt`;
 * - a bundled data file is named in a NOTICE.md in its folder or a parent folder inside `data/`;
 * - that NOTICE.md has an `SPDX-License-Identifier:` line, and each licence it names has its
 *   text in `licenses/<id>.txt` or a link (https://…) in the notice;
 * - an npm package that a NOTICE.md names as a data source (npm `name`) is installed and has a
 *   licence text, which is copied into the notices too;
 * - package.json `license` names every licence found (an SPDX expression joined with AND).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The part of an esbuild metafile read here (inputs are paths relative to the project root). */
export interface MetafileLike {
  inputs: Record<string, unknown>;
}

export interface BundledPackage {
  name: string;
  version: string;
  /** SPDX expression from its package.json. */
  license: string;
  /** Folder relative to the project root, e.g. `node_modules/compromise`. */
  dir: string;
  bundles: string[];
  author?: string;
  homepage?: string;
  /** Licence and notice files found in the package folder, with their text. */
  files: { name: string; text: string }[];
  /** When it ships no licence file: the standard text of the licence it declares (`licenses/<id>.txt`). */
  standardText?: string;
  copyright: string[];
}

export interface DataNotice {
  /** e.g. `data/gazetteers/NOTICE.md` */
  file: string;
  text: string;
  spdx?: string;
  /** npm packages the notice names as sources of the data (npm `name`). */
  npmSources: string[];
}

export interface BundledDataFile {
  /** e.g. `data/model/ner-ar.json` */
  file: string;
  bundles: string[];
  /** The NOTICE.md that names it. */
  notice?: string;
}

export interface NoticeReport {
  packages: BundledPackage[];
  data: BundledDataFile[];
  notices: DataNotice[];
  /** Packages whose data (not code) is inside, named by a data notice. */
  dataSources: BundledPackage[];
  /** Every SPDX licence id inside the bundles, the project's own MIT included. */
  licenseIds: string[];
  /** Texts of licences kept in `licenses/` that the data needs (id → text). */
  licenseTexts: Record<string, string>;
  problems: string[];
}

const LICENCE_FILE = /^(licen[cs]e|copying|notice|thirdpartynotices|third-party-notices)(\.[a-z]+)?$/i;
const COPYRIGHT_LINE = /^\s*(copyright\b|\(c\)\s*\d{4}|©)/i;
const SPDX_LINE = /^\s*SPDX-License-Identifier:\s*(.+?)\s*$/m;
const NPM_SOURCE = /npm\s+`([^`\s]+)`/g;

/** SPDX licence ids of an expression (`MIT AND (ISC OR Apache-2.0)` → MIT, ISC, Apache-2.0). */
export function spdxIds(expression: string): string[] {
  return expression
    .replace(/[()]/g, ' ')
    .split(/\s+/)
    .filter((t) => t && !/^(AND|OR|WITH)$/.test(t))
    .map((t) => t.replace(/\+$/, ''));
}

/** `node_modules/a/node_modules/@s/b/lib/x.js` → `node_modules/a/node_modules/@s/b`. */
export function packageDirOf(input: string): string | undefined {
  const parts = input.split('/');
  const last = parts.lastIndexOf('node_modules');
  if (last < 0 || last + 1 >= parts.length) return undefined;
  const scoped = parts[last + 1].startsWith('@');
  return parts.slice(0, last + (scoped ? 3 : 2)).join('/');
}

function readPackage(root: string, dir: string, bundles: string[], problems: string[]): BundledPackage {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const name = String(pkg.name ?? path.basename(dir));
  const license = typeof pkg.license === 'string' ? pkg.license : typeof (pkg.license as { type?: string })?.type === 'string' ? (pkg.license as { type: string }).type : '';
  const author = typeof pkg.author === 'string' ? pkg.author : (pkg.author as { name?: string } | undefined)?.name;
  const files = fs
    .readdirSync(path.join(root, dir))
    .filter((f) => LICENCE_FILE.test(f) && fs.statSync(path.join(root, dir, f)).isFile())
    .sort()
    .map((f) => ({ name: f, text: fs.readFileSync(path.join(root, dir, f), 'utf8').replace(/\r\n?/g, '\n').trim() }));
  const copyright = [...new Set(files.flatMap((f) => f.text.split('\n').filter((l) => COPYRIGHT_LINE.test(l)).map((l) => l.trim())))];
  const result: BundledPackage = {
    name,
    version: String(pkg.version ?? ''),
    license,
    dir,
    bundles,
    author,
    homepage: typeof pkg.homepage === 'string' ? pkg.homepage : undefined,
    files,
    copyright,
  };
  if (!license) problems.push(`npm package ${name} (${dir}) declares no licence in its package.json`);
  if (!files.length) {
    const ids = spdxIds(license);
    const texts = ids.map((id) => readLicenseText(root, id));
    if (ids.length === 1 && texts[0]) result.standardText = texts[0];
    else problems.push(`npm package ${name} (${dir}) ships no licence file and licenses/${ids.join('+') || '?'}.txt has no standard text for "${license}": add it`);
  }
  return result;
}

function readLicenseText(root: string, id: string): string | undefined {
  const file = path.join(root, 'licenses', `${id}.txt`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}

/** NOTICE.md files from the file's folder up to `data/`, nearest first. */
function noticesAbove(root: string, file: string): string[] {
  const out: string[] = [];
  for (let dir = path.posix.dirname(file); dir === 'data' || dir.startsWith('data/'); dir = path.posix.dirname(dir)) {
    const notice = `${dir}/NOTICE.md`;
    if (fs.existsSync(path.join(root, notice))) out.push(notice);
  }
  return out;
}

function readNotice(root: string, file: string, problems: string[]): DataNotice {
  const text = fs.readFileSync(path.join(root, file), 'utf8').replace(/\r\n?/g, '\n').trim();
  const spdx = SPDX_LINE.exec(text)?.[1];
  if (!spdx) problems.push(`${file} has no "SPDX-License-Identifier: <expression>" line saying under which licence(s) its data is`);
  const npmSources = [...new Set([...text.matchAll(NPM_SOURCE)].map((m) => m[1]))];
  return { file, text, spdx, npmSources };
}

/** Everything the bundles contain that needs a notice, and what is missing. */
export function analyseBundles(root: string, metafiles: Record<string, MetafileLike>): NoticeReport {
  const problems: string[] = [];
  const packageBundles = new Map<string, Set<string>>();
  const dataBundles = new Map<string, Set<string>>();
  for (const [bundle, meta] of Object.entries(metafiles)) {
    for (const input of Object.keys(meta.inputs)) {
      const rel = input.replace(/\\/g, '/');
      const dir = packageDirOf(rel);
      const target = dir ? packageBundles : rel.startsWith('data/') ? dataBundles : undefined;
      const key = dir ?? rel;
      if (!target) continue;
      if (!target.has(key)) target.set(key, new Set());
      target.get(key)!.add(bundle);
    }
  }

  const packages = [...packageBundles]
    .map(([dir, bundles]) => readPackage(root, dir, [...bundles].sort(), problems))
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));

  const notices = new Map<string, DataNotice>();
  const noticeOf = (file: string) => {
    if (!notices.has(file)) notices.set(file, readNotice(root, file, problems));
    return notices.get(file)!;
  };
  const data = [...dataBundles].sort(([a], [b]) => a.localeCompare(b)).map(([file, bundles]): BundledDataFile => {
    const name = path.posix.basename(file);
    const notice = noticesAbove(root, file).find((n) => noticeOf(n).text.includes(name));
    if (!notice) problems.push(`${file} is bundled but no NOTICE.md in data/ (its folder or a parent) names it: say where it comes from and under which licence`);
    return { file, bundles: [...bundles].sort(), notice };
  });
  const usedNotices = [...new Set(data.map((d) => d.notice).filter((n): n is string => !!n))].sort().map((n) => noticeOf(n));

  const dataSources: BundledPackage[] = [];
  const bundledNames = new Set(packages.map((p) => p.name));
  for (const name of [...new Set(usedNotices.flatMap((n) => n.npmSources))].sort()) {
    if (bundledNames.has(name)) continue; // its code is inside too: its notice is among the bundled packages
    const dir = `node_modules/${name}`;
    if (!fs.existsSync(path.join(root, dir, 'package.json'))) {
      problems.push(`a data notice names npm \`${name}\` as a source, but it is not installed (add it to devDependencies so its licence text can be copied)`);
      continue;
    }
    dataSources.push(readPackage(root, dir, ['data'], problems));
  }

  const licenseTexts: Record<string, string> = {};
  const ids = new Set<string>(['MIT']);
  for (const p of [...packages, ...dataSources]) for (const id of spdxIds(p.license)) ids.add(id);
  for (const n of usedNotices) {
    for (const id of spdxIds(n.spdx ?? '')) {
      ids.add(id);
      const text = readLicenseText(root, id);
      if (text) licenseTexts[id] = text;
      else if (!/https?:\/\//.test(n.text)) problems.push(`${n.file}: licence ${id} has neither its text in licenses/${id}.txt nor a link in the notice`);
    }
  }

  const declared = new Set(spdxIds(readProjectLicense(root)));
  const missing = [...ids].filter((id) => !declared.has(id));
  if (missing.length) problems.push(`package.json "license" does not name ${missing.join(', ')}, which the bundles contain`);

  return { packages, data, notices: usedNotices, dataSources, licenseIds: [...ids].sort(), licenseTexts, problems };
}

function readProjectLicense(root: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { license?: string };
  return pkg.license ?? '';
}

// ------------------------------------------------------------------------------------------ rendering

const fence = (text: string) => {
  // A fence longer than any backtick run inside, so licence texts are shown verbatim.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text}\n${f}`;
};

function renderPackage(p: BundledPackage, where: string): string {
  const lines = [`### ${p.name} ${p.version}`, '', `Licence: ${p.license || 'not declared'}. ${where}${p.homepage ? ` Home: ${p.homepage}.` : ''}`, ''];
  if (p.copyright.length) lines.push(...p.copyright.map((c) => `- ${c}`), '');
  if (p.files.length) {
    for (const f of p.files) lines.push(`From \`${p.name}/${f.name}\`:`, '', fence(f.text), '');
  } else if (p.standardText) {
    lines.push(
      `The package ships no licence file. Its package.json declares ${p.license}` +
        `${p.author ? ` and names ${p.author} as its author` : ''}; the standard ${p.license} text:`,
      '',
      fence(p.standardText),
      '',
    );
  }
  return lines.join('\n');
}

/** The text of THIRD_PARTY_NOTICES.md. */
export function renderNotices(report: NoticeReport, projectName: string, version: string): string {
  const out: string[] = [
    '# Third-party notices',
    '',
    `${projectName} ${version}. Generated at build time by \`scripts/notices.ts\` from esbuild's metafile of`,
    'the bundles (`dist/client.js`, `dist/server.js`, `dist/cli.js`): every npm package whose code is',
    'inside them and every data file they inline. Do not edit; run `npm run build`.',
    '',
    `The project's own code is under the MIT licence (\`LICENSE\`). Licences of what is inside, as an`,
    `SPDX expression: \`${report.licenseIds.join(' AND ')}\`.`,
    '',
    '## Summary',
    '',
    '| what | version | licence | inside |',
    '| --- | --- | --- | --- |',
  ];
  for (const d of report.data) {
    const spdx = report.notices.find((n) => n.file === d.notice)?.spdx ?? '?';
    out.push(`| data: \`${d.file}\` | — | ${spdx} | ${d.bundles.join(', ')} |`);
  }
  for (const p of report.packages) out.push(`| npm: \`${p.name}\` | ${p.version} | ${p.license} | ${p.bundles.join(', ')} |`);
  for (const p of report.dataSources) out.push(`| data source: npm \`${p.name}\` | ${p.version} | ${p.license} | (data in the files above) |`);
  out.push('', '## Data', '');
  out.push('Each data file below is inlined into the bundles named in the summary. Its notice, as kept next to it in the repository:', '');
  for (const n of report.notices) {
    const files = report.data.filter((d) => d.notice === n.file).map((d) => `\`${d.file}\``);
    out.push(`### ${n.file}`, '', `Covers ${files.join(', ')}. Licence: ${n.spdx ?? 'not declared'}.`, '', fence(n.text), '');
  }
  if (report.dataSources.length) {
    out.push('### Licences of the npm packages the data comes from', '');
    for (const p of report.dataSources) out.push(renderPackage(p, 'Only data derived from it is inside (see the notice above), not its code.'));
  }
  const texts = Object.entries(report.licenseTexts);
  if (texts.length) {
    out.push('### Licence texts', '');
    for (const [id, text] of texts) out.push(`#### ${id}`, '', fence(text), '');
  }
  out.push('## Bundled npm packages', '');
  for (const p of report.packages) out.push(renderPackage(p, `Inside ${p.bundles.map((b) => `\`${b}\``).join(', ')}.`));
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
