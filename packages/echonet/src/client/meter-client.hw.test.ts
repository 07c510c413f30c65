import { describe, expect, it } from 'vitest';
import { MeterClient } from './meter-client.js';

/**
 * Against a real dongle and meter; runs only when asked:
 * `WISUN_PORT=/dev/ttyUSB0 B_ROUTE_ID=… B_ROUTE_PASSWORD=… npx vitest run --config /dev/null packages/echonet/src/client/meter-client.hw.test.ts`
 * (WISUN_PORT may be `tcp://host:port`; WISUN_PAN_CACHE keeps the PAN between runs).
 */
const port = process.env.WISUN_PORT;
const rbid = process.env.B_ROUTE_ID;
const password = process.env.B_ROUTE_PASSWORD;

describe.runIf(port && rbid && password)('MeterClient on real hardware', () => {
  it('opens, reads power, currents and both cumulative energies in one frame, and closes', {
    timeout: 300_000,
  }, async () => {
    await using client = new MeterClient({
      rbid: rbid!,
      password: password!,
      device: port!,
      ...(process.env.WISUN_PAN_CACHE ? { panCachePath: process.env.WISUN_PAN_CACHE } : {}),
    });
    await client.open();
    const before = client.stats.framesSent;
    const [power, currents, normal, reverse] = await Promise.all([
      client.getInstantaneousPower(),
      client.getInstantaneousCurrent(),
      client.getCumulativeEnergy(),
      client.getCumulativeEnergy({ reverse: true }),
    ]);
    expect(client.stats.framesSent - before).toBeGreaterThanOrEqual(1);
    expect(typeof power).toBe('number');
    expect(currents).toHaveProperty('r');
    expect(normal).toBeGreaterThanOrEqual(0);
    expect(reverse).toBeGreaterThanOrEqual(0);
  });
});
