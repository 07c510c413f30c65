/**
 * A transcript recorded from each dongle model — the raw bytes a serial capture of the whole
 * session would hold (echoes, EVENTs, EPANDESC, PANA and ECHONET Lite ERXUDP in the model's
 * layout and payload format) — goes through the real `pnpm --filter echonet decode` command and
 * comes out without a single error record.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DONGLE_MODELS } from '@b-route/echonet';
import { describe, expect, it } from 'vitest';
import { runFullSession, SCENARIO_EPCS } from './testing/scenario.js';

const echonetDir = fileURLToPath(new URL('../../../echonet/', import.meta.url));
const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

describe.each(DONGLE_MODELS)('%s transcript through the decode command', (model) => {
  it('decodes with no error record, every Get answered by the meter', () => {
    const transcript = runFullSession(model).bytes();
    const run = spawnSync(tsx, ['--conditions=b-route-source', 'src/cli/decode.ts'], {
      cwd: echonetDir,
      input: transcript,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const records = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; echonet?: { esv: string }; pana?: unknown });
    expect(records.filter((r) => r.type === 'error')).toEqual([]);
    const answers = records.filter((r) => r.type === 'erxudp' && r.echonet !== undefined);
    expect(answers.map((r) => r.echonet!.esv).filter((e) => e === 'Get_Res' || e === 'Get_SNA')).toHaveLength(
      SCENARIO_EPCS.length,
    );
    expect(records.some((r) => r.type === 'erxudp' && r.pana !== undefined)).toBe(true);
    expect(records.some((r) => r.type === 'epandesc')).toBe(true);
  }, 30_000);
});
