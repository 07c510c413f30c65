/**
 * The publishable packages as someone outside this repository gets them: `pnpm pack` (which
 * builds), `npm install` of the tarballs into an empty directory under the system's temp dir,
 * and a ten-line program under plain node that reads the meter of the simulator over TCP. No
 * workspace link, no TypeScript, no tsx: only what the tarballs hold and the registry serves.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const PACKAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages');

/** Workspace packages meant for the registry: those not marked private. */
async function publishable(): Promise<string[]> {
  const names: string[] = [];
  for (const dir of await readdir(PACKAGES)) {
    const manifest = JSON.parse(await readFile(join(PACKAGES, dir, 'package.json'), 'utf8'));
    if (!manifest.private) names.push(dir);
  }
  return names.sort();
}

const PROGRAM = `import { MeterClient } from '@b-route/echonet';
import { Simulator, serveTcp } from '@b-route/simulator';
const rbid = '00112233445566778899AABBCCDDEEFF', password = '0123456789AB';
const sim = new Simulator({ model: 'bp35c2', rbid, password, speed: 100 });
const tcp = await serveTcp(sim, { port: 0 });
const client = new MeterClient({ rbid, password, device: \`tcp://127.0.0.1:\${tcp.port}\` });
await client.open();
console.log(\`instantaneous power: \${await client.getInstantaneousPower()} W\`);
await client.close(); await tcp.close(); sim.close();
`;

describe('packed packages, installed with npm outside the workspace', () => {
  let dir: string;
  let tarballs: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'b-route-pack-'));
    const packed = join(dir, 'tarballs');
    for (const name of await publishable()) {
      await run('pnpm', ['pack', '--pack-destination', packed], { cwd: join(PACKAGES, name) });
    }
    tarballs = (await readdir(packed)).map((f) => join(packed, f));
    const app = join(dir, 'app');
    await run('mkdir', ['-p', app]);
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'try-b-route', private: true, type: 'module' }),
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], { cwd: app });
    await writeFile(join(app, 'read-meter.mjs'), PROGRAM);
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('packs echonet and simulator with their JavaScript and declarations, and no tests', async () => {
    const names = tarballs.map((t) => t.split('/').pop());
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^b-route-echonet-/),
        expect.stringMatching(/^b-route-simulator-/),
      ]),
    );
    for (const tarball of tarballs) {
      const { stdout } = await run('tar', ['-tzf', tarball]);
      const files = stdout.split('\n').filter(Boolean);
      expect(files, tarball).toContain('package/dist/index.js');
      expect(files, tarball).toContain('package/dist/index.d.ts');
      expect(
        files.filter((f) => /\.test\.|\/src\//.test(f)),
        tarball,
      ).toEqual([]);
    }
  });

  it('runs a ten-line program under plain node that reads the simulated meter over TCP', async () => {
    expect(PROGRAM.trim().split('\n')).toHaveLength(9);
    const { stdout } = await run(process.execPath, ['read-meter.mjs'], {
      cwd: join(dir, 'app'),
      timeout: 120_000,
      // Nothing of the workspace's: no source condition, no tsx.
      env: { PATH: process.env.PATH ?? '', HOME: dir },
    });
    expect(stdout).toMatch(/^instantaneous power: -?\d+ W$/m);
  });
});
