import { describe, expect, it } from 'vitest';
import { EchonetError, isEchonetError } from '../errors.js';
import { DuplexTransport } from '../transport/duplex.js';
import { TransportBase } from '../transport/transport.js';
import { type Logger, maskSecrets } from './logger.js';
import { ManualClock, runUntil, settle } from './manual-clock.js';
import { METER_LLA, ScriptedDongle, TEST_PASSWORD, TEST_RBID } from './scripted-dongle.js';
import { SkLink } from './sk-link.js';

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const write = (obj: object, msg?: string) => lines.push(JSON.stringify({ ...obj, msg }));
  return { lines, logger: { debug: write, info: write, warn: write, error: write } };
}

async function setup(family: 'single-hop' | 'dual-stack' = 'single-hop', logger?: Logger) {
  const clock = new ManualClock();
  const peer = new ScriptedDongle(family);
  const transport = new DuplexTransport(peer.stream);
  await transport.open();
  const link = new SkLink({ transport, clock, family, logger: logger ?? capture().logger });
  link.attach();
  return { clock, peer, transport, link };
}

describe('SkLink', () => {
  it('collects the answer lines of a command up to OK', async () => {
    const { link, peer } = await setup();
    const events = await link.command({ name: 'SKVER' });
    expect(events.map((e) => e.type)).toEqual(['ever', 'ok']);
    expect(peer.names()).toEqual(['SKVER']);
  });

  it('turns FAIL ERxx into sk.fail with the code', async () => {
    const { link, peer } = await setup();
    peer.overrides.set('SKJOIN', (_c, p) => p.send({ type: 'fail', code: 'ER10' }));
    const err = await link.command({ name: 'SKJOIN', ipv6: METER_LLA }).catch((e: unknown) => e);
    expect(isEchonetError(err, 'sk.fail') && err.context).toEqual({ code: 'ER10', command: 'SKJOIN' });
  });

  it('times out with sk.timeout and ignores the late answer once the next command is echoed', async () => {
    const { link, peer, clock } = await setup();
    await link.command({ name: 'SKVER' }); // learns that the dongle echoes
    let late: (() => void) | undefined;
    peer.overrides.set('SKINFO', (_c, p) => {
      late = () => p.ok();
    });
    await expect(runUntil(clock, link.command({ name: 'SKINFO' }))).rejects.toMatchObject({
      code: 'sk.timeout',
    });
    peer.overrides.set('SKSREG', (_c, p) => {
      p.send({ type: 'esreg', value: '21' });
      p.ok();
    });
    late?.(); // the OK of SKINFO arrives before the echo of SKSREG
    const events = await link.command({ name: 'SKSREG', reg: 'S2' });
    expect(events.map((e) => e.type)).toEqual(['esreg', 'ok']);
  });

  it('stops waiting for echoes once a dongle answers without them (SFE=0)', async () => {
    const { link, peer, clock } = await setup();
    await link.command({ name: 'SKVER' }); // echoes: answers are expected after the echo
    peer.overrides.set('SKINFO', (_c, p) => p.ok());
    // From here the peer's echo is dropped: only answers reach the link.
    const push = peer.stream.push.bind(peer.stream);
    peer.stream.push = (chunk: unknown) =>
      chunk !== null &&
      Buffer.from(chunk as Uint8Array)
        .toString('latin1')
        .startsWith('SK')
        ? true
        : push(chunk);
    await expect(runUntil(clock, link.command({ name: 'SKINFO' }))).rejects.toMatchObject({
      code: 'sk.timeout',
    });
    expect((await runUntil(clock, link.command({ name: 'SKINFO' }))).map((e) => e.type)).toEqual(['ok']);
  });

  it('ends SKLL64 at the address line', async () => {
    const { link } = await setup();
    const events = await link.command({ name: 'SKLL64', mac: '001C6400601421A3' });
    expect(events.at(-1)).toEqual({ type: 'ipv6', address: METER_LLA });
  });

  it('sendTo returns the EVENT 21 param, waiting past PARAM 02, with the side on dual-stack', async () => {
    const { link, peer } = await setup('dual-stack');
    peer.overrides.set('SKSENDTO', (_c, p) => {
      p.event(0x21, 2);
      p.event(0x21, 1);
      p.ok();
    });
    expect(await link.sendTo(METER_LLA, Uint8Array.of(0x10, 0x81, 0x0d, 0x0a))).toBe(1);
    expect(peer.received[0]!.args).toEqual(['1', METER_LLA, '0E1A', '1', '0', '0004']);
    expect(peer.received[0]!.data).toEqual(Uint8Array.of(0x10, 0x81, 0x0d, 0x0a));
  });

  it('fails pending commands when the port closes', async () => {
    const { link, peer } = await setup();
    peer.overrides.set('SKINFO', () => {});
    const pending = link.command({ name: 'SKINFO' });
    await settle();
    peer.stream.push(null);
    await expect(pending).rejects.toMatchObject({ code: 'transport.closed' });
  });

  it('is not blocked by a write that never completes on a port going away', async () => {
    const clock = new ManualClock();
    const transport = new (class extends TransportBase {
      readonly description = 'stuck';
      isOpen = true;
      async open() {}
      async close() {}
      write() {
        return new Promise<void>(() => {}); // serialport on an unplugged device
      }
      lose() {
        this.emitClose(new EchonetError('transport.closed', 'gone'));
      }
    })();
    const link = new SkLink({ transport, clock, logger: capture().logger });
    link.attach();
    const stuck = link.command({ name: 'SKVER' });
    await settle();
    transport.lose();
    await expect(stuck).rejects.toMatchObject({ code: 'transport.closed' });
    link.detach();
    link.attach();
    // The next command is not queued behind the dead one.
    const next = link.command({ name: 'SKINFO' });
    await expect(runUntil(clock, next)).rejects.toMatchObject({ code: 'sk.timeout' });
  });

  it('logs wire traffic at debug in both directions without the secrets or their echo', async () => {
    const { logger, lines } = capture();
    const masked = maskSecrets(logger, [TEST_RBID, TEST_PASSWORD, TEST_RBID.slice(-8)]);
    const { link } = await setup('single-hop', masked);
    await link.command({ name: 'SKSETPWD', password: TEST_PASSWORD });
    await link.command({ name: 'SKSETRBID', id: TEST_RBID });
    await link.sendTo(METER_LLA, Uint8Array.of(1, 2, 3));
    const all = lines.join('\n');
    expect(all).toContain('"dir":"tx"');
    expect(all).toContain('"dir":"rx"');
    expect(all).toContain('SKSETPWD C ********');
    expect(all).not.toContain(TEST_PASSWORD);
    expect(all).not.toContain(TEST_RBID);
    expect(all).not.toContain(TEST_RBID.slice(-8));
  });
});
