/**
 * Against the Pub/Sub emulator (`gcloud beta emulators pubsub start`, on this project's CI
 * machines). Where gcloud or the emulator component (or Java) is missing, the test says so
 * and skips.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './testing/mosquitto.js';
import { ENTRIES, METER } from './testing/records.js';

const run = promisify(execFile);

const GCLOUD = ['/usr/bin/gcloud', '/usr/local/bin/gcloud', '/usr/lib/google-cloud-sdk/bin/gcloud'].find(
  (p) => existsSync(p),
);

/** Starts the emulator; resolves with its host:port, or with why it cannot run here. */
async function startEmulator(dir: string): Promise<{ host?: string; why?: string; child?: ChildProcess }> {
  if (!GCLOUD) return { why: 'gcloud is not installed' };
  const port = await freePort();
  const child = spawn(
    GCLOUD,
    ['beta', 'emulators', 'pubsub', 'start', `--host-port=127.0.0.1:${port}`, `--data-dir=${dir}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let log = '';
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => resolve({ why: `the emulator did not start in 60 s: ${log.slice(-300)}`, child }),
      60_000,
    );
    const onData = (b: Buffer): void => {
      log += b.toString();
      if (/Server started, listening on/.test(log)) {
        clearTimeout(timer);
        resolve({ host: `127.0.0.1:${port}`, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve({ why: `the emulator exited: ${log.slice(-300)}` });
    });
  });
}

describe('pubsubOutput against the Pub/Sub emulator', () => {
  let dir: string;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outputs-pubsub-'));
    emulator = await startEmulator(dir);
    if (emulator.why) console.warn(`pubsub-output.test: skipped, ${emulator.why}`);
  }, 70_000);

  afterAll(async () => {
    const c = emulator?.child;
    if (c?.pid && c.exitCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      // gcloud runs the emulator as a Java child: end the whole process group we started.
      process.kill(-c.pid, 'SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes each reading with meter, kind and id attributes', async (ctx) => {
    if (!emulator.host) return ctx.skip();
    const script = fileURLToPath(new URL('./testing/pubsub-roundtrip.ts', import.meta.url));
    const { stdout } = await run(
      process.execPath,
      ['--conditions=b-route-source', '--import', 'tsx', script, emulator.host],
      {
        env: { ...process.env, NODE_OPTIONS: '' },
        timeout: 60_000,
      },
    );
    const { got, stats } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      got: { data: Record<string, unknown>; attributes: Record<string, string> }[];
      stats: { offered: number; delivered: number }[];
    };
    expect(stats[0]).toMatchObject({ offered: ENTRIES.length, delivered: ENTRIES.length });
    const power = got.find((g) => g.attributes.kind === 'power')!;
    expect(power.attributes).toEqual({
      meter: METER,
      kind: 'power',
      id: `${METER}/power/2026-12-06T00:00:10.000Z`,
    });
    expect(power.data).toEqual({
      timestamp: '2026-12-06T00:00:10.000Z',
      instant_power_w: 512,
      current_r_a: 3.2,
      current_t_a: 2.1,
    });
    expect(new Set(got.map((g) => g.attributes.kind))).toEqual(
      new Set(['power', 'energy', 'interval', 'sensor', 'link']),
    );
  }, 70_000);
});
