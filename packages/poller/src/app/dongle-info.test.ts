import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@b-route/echonet';
import { attachPty, Simulator } from '@b-route/simulator';
import { describe, expect, it } from 'vitest';
import { formatDongleInfo, readDongleInfo } from './dongle-info.js';
import { SIMULATED_PASSWORD, SIMULATED_RBID } from './simulate.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('readDongleInfo (-i) through a real serial port (PTY)', () => {
  it.each([
    ['bp35a1', 'single-hop'],
    ['bp35c2', 'dual-stack'],
    ['rl7023-dss', 'dual-stack'],
  ] as const)('%s: SKVER, SKINFO and ROPT without credentials; family %s', async (model, family) => {
    const dir = await mkdtemp(join(tmpdir(), 'dongle-info-'));
    const sim = new Simulator({ model, rbid: SIMULATED_RBID, password: SIMULATED_PASSWORD, seed: 2 });
    const path = join(dir, 'ttyWISUN');
    const pty = await attachPty(sim, { path });
    try {
      const info = await readDongleInfo({ device: path, clock: systemClock, logger: quiet });
      expect(info.version).toBe(sim.dongle.profile.version);
      expect(info.einfo?.mac).toBe(sim.dongle.mac);
      expect(info.family).toBe(family);
      expect(['binary', 'hex', 'hex (no ROPT)']).toContain(info.payload);
      const text = formatDongleInfo(info, path).join('\n');
      expect(text).toContain(`MAC:       ${sim.dongle.mac}`);
      expect(text).toContain(`family:    ${family}`);
      // Nothing was written to the dongle's flash (WOPT) and no session was started.
      expect(sim.flash.writes).toBe(0);
    } finally {
      await pty.close();
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a port that does not exist: a transport.open error naming it', async () => {
    await expect(
      readDongleInfo({ device: '/dev/ttyNOPE0', clock: systemClock, logger: quiet }),
    ).rejects.toMatchObject({
      code: 'transport.open',
    });
  });
});
