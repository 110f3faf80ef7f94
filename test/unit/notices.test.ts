/**
 * Third-party notices: re-runs esbuild's analysis of the three bundles (in memory, nothing
 * written) and checks that everything they contain has a notice (scripts/notices.ts). A new npm
 * package or data file without one fails here, whoever adds it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { bundleOptions, ROOT } from '../../scripts/build';
import { analyseBundles, packageDirOf, renderNotices, spdxIds, type MetafileLike, type NoticeReport } from '../../scripts/notices';

type Metafile = esbuild.Metafile;

async function analyseRealBundles(): Promise<Record<string, Metafile>> {
  const options = bundleOptions({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'nca-notices-')) });
  const entries = await Promise.all(
    Object.entries(options).map(async ([name, o]) => [name, (await esbuild.build({ ...o, write: false, sourcemap: false, logLevel: 'silent' })).metafile!] as const),
  );
  return Object.fromEntries(entries);
}

describe('third-party notices of the real bundles', () => {
  let metafiles: Record<string, Metafile>;
  let report: NoticeReport;
  before(async () => {
    metafiles = await analyseRealBundles();
    report = analyseBundles(ROOT, metafiles);
  });

  test('every bundled npm package and data file has a notice, and package.json "license" names every licence inside', () => {
    assert.deepEqual(report.problems, []);
    // The analysis sees the bundles' real contents (not an empty metafile).
    const names = report.packages.map((p) => p.name);
    for (const expected of ['vscode-languageclient', 'vscode-languageserver', 'stopwords-iso']) assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    const data = report.data.map((d) => d.file);
    for (const expected of ['data/model/ner-ar.json', 'data/lexicon/ar-hunspell.json', 'data/gazetteers/gazetteer.json']) assert.ok(data.includes(expected), `${expected} in ${data.join(', ')}`);
  });

  test('each bundled data file is covered by a notice that names it and declares its licence', () => {
    for (const d of report.data) {
      const notice = report.notices.find((n) => n.file === d.notice);
      assert.ok(notice, `${d.file} has no notice`);
      assert.ok(notice.text.includes(path.posix.basename(d.file)), `${notice.file} does not name ${d.file}`);
      assert.ok(notice.spdx, `${notice.file} declares no licence`);
    }
    // What the issue names: the lexicon says where its MPL source is; CLDR's notice travels along.
    const lexicon = report.notices.find((n) => n.file === 'data/lexicon/NOTICE.md')!;
    assert.equal(lexicon.spdx, 'MPL-1.1');
    assert.match(lexicon.text, /sourceforge\.net\/projects\/ayaspell/);
    assert.ok(report.licenseTexts['MPL-1.1']?.includes('MOZILLA PUBLIC LICENSE'), 'the MPL 1.1 text travels with the lexicon');
    const gazetteer = report.notices.find((n) => n.file === 'data/gazetteers/NOTICE.md')!;
    assert.ok(spdxIds(gazetteer.spdx!).includes('Unicode-3.0'));
    const cldr = report.dataSources.find((p) => p.name === 'cldr-dates-modern');
    assert.ok(cldr?.files.some((f) => /UNICODE LICENSE V3/i.test(f.text)), 'the Unicode License v3 text of CLDR is copied');
  });

  test('the rendered THIRD_PARTY_NOTICES.md holds every package with its licence text and copyright, and every data notice', () => {
    const text = renderNotices(report, 'News Corpus Annotator', '0.0.0');
    for (const p of [...report.packages, ...report.dataSources]) {
      assert.ok(text.includes(`### ${p.name} ${p.version}`), `no section for ${p.name}`);
      const licence = p.files[0]?.text ?? p.standardText!;
      assert.ok(text.includes(licence), `licence text of ${p.name} missing`);
      for (const c of p.copyright) assert.ok(text.includes(c), `copyright line of ${p.name} missing: ${c}`);
    }
    for (const n of report.notices) assert.ok(text.includes(n.text), `${n.file} missing`);
    assert.ok(text.includes(report.licenseIds.join(' AND ')));
  });

  test('dependencies are exactly the packages the project code imports into the bundles; the rest are devDependencies', () => {
    const imported = new Set<string>();
    for (const meta of Object.values(metafiles)) {
      for (const [file, input] of Object.entries(meta.inputs)) {
        if (packageDirOf(file)) continue; // imports made by packages themselves are theirs to declare
        for (const imp of input.imports) {
          const dir = !imp.external ? packageDirOf(imp.path) : undefined;
          if (dir) imported.add(dir.slice('node_modules/'.length));
        }
      }
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), [...imported].sort());
    for (const name of imported) assert.ok(!(name in pkg.devDependencies), `${name} is bundled at run time but listed in devDependencies`);
  });
});

describe('the notice rules on a made-up project', () => {
  function project(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-notice-rules-'));
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), content);
    }
    return root;
  }
  const meta = (...inputs: string[]): Record<string, MetafileLike> => ({ 'dist/x.js': { inputs: Object.fromEntries(inputs.map((i) => [i, {}])) } });

  test('a data file nobody wrote a notice for, a notice without a licence line, a package without licence text are all reported', () => {
    const root = project({
      'package.json': JSON.stringify({ license: 'MIT AND Apache-2.0' }),
      'data/clusters/ar-clusters.json': '{}',
      'data/english/NOTICE.md': 'ner-en.json: trained on something.',
      'data/english/ner-en.json': '{}',
      'node_modules/nolicence/package.json': JSON.stringify({ name: 'nolicence', version: '1.0.0', license: 'Apache-2.0' }),
      'node_modules/nolicence/index.js': '',
    });
    const report = analyseBundles(root, meta('data/clusters/ar-clusters.json', 'data/english/ner-en.json', 'node_modules/nolicence/index.js', 'src/a.ts'));
    const problems = report.problems.join('\n');
    assert.match(problems, /data\/clusters\/ar-clusters\.json is bundled but no NOTICE\.md/);
    assert.match(problems, /data\/english\/NOTICE\.md has no "SPDX-License-Identifier/);
    assert.match(problems, /nolicence .*ships no licence file/);
    assert.equal(report.problems.length, 3, problems);
  });

  test('a notice in a parent folder covers the files it names; its licences must be in package.json "license"', () => {
    const root = project({
      'package.json': JSON.stringify({ license: 'MIT' }),
      'data/NOTICE.md': 'clusters/ar-clusters.json: Brown clusters of Arabic Wikipedia, https://creativecommons.org/licenses/by-sa/4.0/\n\nSPDX-License-Identifier: CC-BY-SA-4.0\n',
      'data/clusters/ar-clusters.json': '{}',
      'node_modules/@scope/lib/package.json': JSON.stringify({ name: '@scope/lib', version: '2.0.0', license: 'ISC' }),
      'node_modules/@scope/lib/LICENSE': 'ISC License\n\nCopyright (c) 2020 Someone\n\nPermission to use…',
      'node_modules/@scope/lib/index.js': '',
    });
    const report = analyseBundles(root, meta('data/clusters/ar-clusters.json', 'node_modules/@scope/lib/index.js'));
    assert.deepEqual(report.data.map((d) => d.notice), ['data/NOTICE.md']);
    assert.deepEqual(report.packages.map((p) => [p.name, p.copyright]), [['@scope/lib', ['Copyright (c) 2020 Someone']]]);
    assert.deepEqual(report.problems, ['package.json "license" does not name ISC, CC-BY-SA-4.0, which the bundles contain']);
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ license: 'MIT AND ISC AND CC-BY-SA-4.0' }));
    assert.deepEqual(analyseBundles(root, meta('data/clusters/ar-clusters.json', 'node_modules/@scope/lib/index.js')).problems, []);
  });

  test('package folders are found in nested and scoped node_modules paths', () => {
    assert.equal(packageDirOf('node_modules/vscode-languageclient/node_modules/minimatch/dist/index.js'), 'node_modules/vscode-languageclient/node_modules/minimatch');
    assert.equal(packageDirOf('node_modules/@scope/lib/index.js'), 'node_modules/@scope/lib');
    assert.equal(packageDirOf('server/src/server.ts'), undefined);
    assert.deepEqual(spdxIds('(MIT OR Apache-2.0) AND GPL-2.0+ WITH Classpath-exception-2.0'), ['MIT', 'Apache-2.0', 'GPL-2.0', 'Classpath-exception-2.0']);
  });
});
