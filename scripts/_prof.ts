import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectEntities, loadModel } from '../server/src/core/detect/entities/index';
import { detectEnglish, loadEnglishModel, latinStretches } from '../server/src/core/detect/entities/english';
import { analyse } from '../server/src/core/detect/entities/pipeline';
import { analyseEnglish, tagEnglish } from '../server/src/core/detect/entities/englishTagger';
import { defaultGazetteer } from '../server/src/core/detect/entities/gazetteer';
import { detectBoilerplate } from '../server/src/core/detect/boilerplate/index';
function article(dir: string) { let a = ''; for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) { const t = fs.readFileSync(path.join(dir, f), 'utf8'); if (Buffer.byteLength(a + t) > 10240) break; a += t + '\n\n'; } return a; }
const en = article('/work/shared/eval/ner-en-dev');
const ar = article('/work/shared/eval/ner-dev');
const model = loadModel(); const em = loadEnglishModel();
function time(name: string, fn: () => void) { for (let i = 0; i < 5; i++) fn(); const xs: number[] = []; for (let b = 0; b < 10; b++) { const t0 = performance.now(); for (let i = 0; i < 5; i++) fn(); xs.push((performance.now() - t0) / 5); } xs.sort((a, b) => a - b); console.log(name.padEnd(34), xs[5].toFixed(2), 'ms'); }
time('ar detectEntities', () => detectEntities(ar));
time('ar boilerplate', () => detectBoilerplate(ar));
time('en detectEntities', () => detectEntities(en));
time('en boilerplate', () => detectBoilerplate(en));
time('en arabic analyse', () => analyse(en, model.freq, defaultGazetteer()));
const a0 = analyse(en, model.freq, defaultGazetteer());
time('en detectEnglish', () => detectEnglish(en, a0.tokens));
const st = latinStretches(en);
time('en analyseEnglish', () => analyseEnglish(en, em.freq, st));
time('en analyse+tag', () => tagEnglish(analyseEnglish(en, em.freq, st), em));
