/**
 * Entry of `pnpm --filter graph power|temp` (see `usage()` in args.ts). pnpm runs the script
 * inside packages/graph and tells the directory the command was typed in through INIT_CWD; the
 * default output, relative paths and the default configuration are taken from there.
 */
import { removeTemporariesNow } from '../output.js';
import { connectFromSettings } from './connect.js';
import { runCli } from './run.js';

// Ctrl-C or a stop during a render: no `finally` runs, so remove the half-written PNG here.
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
] as const) {
  process.on(signal, () => {
    removeTemporariesNow();
    process.exit(128 + number);
  });
}

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.env.INIT_CWD ?? process.cwd(),
    now: () => new Date(),
  },
  connectFromSettings,
);
process.exitCode = code;
// The pool is closed by now; a handle some library left open must not keep the command alive.
setTimeout(() => process.exit(code), 1000).unref();
