/**
 * The client opening a real BP35C2-based dongle: the dongle's answers are the captured lines of
 * fixtures/sk-corpus.json, byte for byte (RS-WSUHA-P / node-wisunrb README, EVER 1.5.2): EVER,
 * the five-field EINFO whose fifth field is the side, ROPT `OK 01` ended by CR alone. Like the
 * real stack, it refuses SKSCAN and SKSENDTO without their side argument (FAIL ER05).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runUntil } from './manual-clock.js';
import { scriptedClient } from './scripted-client.js';
import { defaultHandler, type Handler, type ScriptedDongle } from './scripted-dongle.js';

interface Entry {
  readonly source: string;
  readonly text: string;
}
const ENTRIES = (
  JSON.parse(readFileSync(new URL('../../../../fixtures/sk-corpus.json', import.meta.url), 'utf8')) as {
    entries: Entry[];
  }
).entries;

/** The captured answer to `command`: the corpus text from `source` after the echo line. */
function capturedAnswer(source: string, command: string): Buffer {
  const entry = ENTRIES.find((e) => e.source === source && e.text.startsWith(`${command}\r\n`));
  if (!entry) throw new Error(`no ${command} in ${source}`);
  return Buffer.from(entry.text.slice(command.length + 2), 'latin1');
}

const replay =
  (bytes: Buffer): Handler =>
  (_cmd, peer) =>
    setImmediate(() => peer.stream.push(bytes));

/** Refuses the command like a dual-stack stack when its side argument is missing. */
const needsSide =
  (sideIndex: number): Handler =>
  (cmd, peer) =>
    cmd.args.length > sideIndex ? defaultHandler(cmd, peer) : peer.send('FAIL ER05');

function realBp35c2(peer: ScriptedDongle): void {
  peer.overrides.set('SKVER', replay(capturedAnswer('node-wisunrb', 'SKVER')));
  peer.overrides.set('SKINFO', replay(capturedAnswer('node-wisunrb', 'SKINFO')));
  peer.overrides.set('ROPT', replay(capturedAnswer('qiita-nerves', 'ROPT')));
  peer.overrides.set('SKSCAN', needsSide(3)); // SKSCAN 2 FFFFFFFF <duration> <side>
}

describe('MeterClient on a real BP35C2 / RS-WSUHA-P (captured answers)', () => {
  it('reads the family from the five-field EINFO: the first SKSCAN carries the side argument', async () => {
    const warnings: string[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: (_o: object, msg?: string) => warnings.push(msg ?? ''),
      error: (_o: object, msg?: string) => warnings.push(msg ?? ''),
    };
    const { client, clock, peer, configure } = scriptedClient({ family: 'dual-stack', logger });
    configure(realBp35c2);
    await runUntil(clock, client.open());
    const scans = peer().received.filter((r) => r.name === 'SKSCAN');
    expect(scans.map((r) => r.args)).toEqual([['2', 'FFFFFFFF', '6', '0']]);
    expect(client.dongle).toMatchObject({ family: 'dual-stack', payload: 'hex', version: '1.5.2' });
    const send = peer().received.findIndex((r) => r.name === 'SKSENDTO');
    expect(send).toBe(-1); // nothing sent before a reading is asked for
    expect(await runUntil(clock, client.getInstantaneousPower())).toBe(632);
    expect(peer().received.find((r) => r.name === 'SKSENDTO')?.args).toEqual([
      '1',
      expect.stringMatching(/^FE80:/),
      '0E1A',
      '1',
      '0',
      '000E',
    ]);
    expect(warnings).toEqual([]);
    await runUntil(clock, client.close());
  });
});
