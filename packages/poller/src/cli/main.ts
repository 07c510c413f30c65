/**
 * Entry of `pnpm --filter poller start`. pnpm runs the script inside packages/poller and tells
 * the directory the command was typed in through INIT_CWD; paths on the command line and the
 * default configuration are taken from there.
 */
// First: signals during start-up (see early-signals.ts) must not meet Node's defaults.
import './early-signals.js';
import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
process.exitCode = code;
// Everything is closed by now; a handle some library left open must not keep a stopped poller
// alive (systemd would wait for TimeoutStopSec and kill it).
setTimeout(() => process.exit(code), 1000).unref();
