/**
 * news-annotator: the same core and the same Workspace as the language
 * server, headless, for batch pre-annotation, export, import and corpus
 * checks. Exit codes: 0 success, 1 some inputs could not be processed (each
 * reported on stderr), 2 usage error (on stderr, with the usage).
 */
import { AGREE_USAGE, agreeCommand } from './agree';
import { ANNOTATE_USAGE, annotateCommand } from './annotate';
import { CHECK_USAGE, checkCommand } from './check';
import { EXPORT_USAGE, exportCommand } from './export';
import { IMPORT_USAGE, importCommand } from './importing';
import { INDEX_USAGE, indexCommand } from './indexStats';
import { tuneCollector } from '../host/heapGrowth';
import { UsageError } from './options';
import { STATS_USAGE, statsCommand } from './stats';
import { VERSION } from '../version';
import { workerCommand } from './worker';

const COMMANDS: Record<string, { usage: string; run: (argv: string[]) => number | Promise<number> }> = {
  annotate: { usage: ANNOTATE_USAGE, run: annotateCommand },
  export: { usage: EXPORT_USAGE, run: exportCommand },
  import: { usage: IMPORT_USAGE, run: importCommand },
  index: { usage: INDEX_USAGE, run: indexCommand },
  stats: { usage: STATS_USAGE, run: statsCommand },
  check: { usage: CHECK_USAGE, run: checkCommand },
  agree: { usage: AGREE_USAGE, run: agreeCommand },
};

const USAGE = `news-annotator — annotate corpora of news articles (plain-text files)

Usage:
  ${Object.values(COMMANDS).map((c) => c.usage).join('\n  ')}

Options:
  -h, --help        show this help (or a sub-command's: news-annotator export --help)
  -v, --version     show the version

Exit codes: 0 success; 1 some files could not be processed; 2 usage error.
File and folder inputs may be - (standard input); see each command's --help.`;

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) return usage('no command given');
  if (first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    process.stdout.write((topic && COMMANDS[topic] ? COMMANDS[topic].usage : USAGE) + '\n');
    return 0;
  }
  if (first === '-v' || first === '--version') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  // The other end of --jobs (cli/workerPool.ts): not a command for people, so not in the usage.
  if (first === '__worker') return workerCommand();
  const command = COMMANDS[first];
  if (!command) return usage(first.startsWith('-') ? `unknown option "${first}" (the command comes first)` : `unknown command "${first}"`);
  if (rest.includes('-h') || rest.includes('--help')) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) return usage(err.message, command.usage);
    process.stderr.write(`news-annotator: ${(err as Error).message}\n`);
    return 1;
  }
}

function usage(message: string, commandUsage?: string): number {
  process.stderr.write(`news-annotator: ${message}\n${commandUsage ? `Usage: ${commandUsage}\n` : 'Run "news-annotator --help" for usage.\n'}`);
  return 2;
}

// `news-annotator annotate corpus/ | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
// A long annotate or export tags document after document: see host/heapGrowth.ts.
tuneCollector();
main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`news-annotator: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
