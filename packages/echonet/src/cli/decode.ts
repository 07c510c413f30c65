#!/usr/bin/env node
/**
 * `pnpm --filter echonet decode < transcript`: the protocol cracker for dongle logs. See
 * `run-decode.ts` for what it reads and writes; this file only binds the process streams.
 */
import { runDecode } from './run-decode.js';

process.exitCode = await runDecode({
  argv: process.argv.slice(2),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
