/** Entry of `pnpm --filter poller import-legacy` (paths from the directory it was typed in). */
import { runImportLegacy } from '../legacy/import-legacy-cli.js';

process.exitCode = await runImportLegacy(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
