/**
 * Other people's B-route clients against the simulator over a real PTY (socat + the serialport
 * package), every model. None of them can be installed here (node-wisunrb is not on the npm
 * registry, PyPI is unreachable), so each is emulated: the same bytes written and the answers read
 * exactly the way that client reads them (references per client below; none of their code is
 * copied). What each needs from a dongle:
 *
 * - momonga (Python, nbtk/momonga momonga_sk_wrapper.py / momonga_session_manager.py): `ROPT\r`
 *   read byte by byte until `OK ` and a CR; every later line by pyserial readline() (up to LF),
 *   decoded as strict UTF-8 (an undecodable byte kills its reader thread) and cut at CRLF; family
 *   from EINFO's fifth field (FFFE → BP35A1, 0/1 → BP35C2); `SKSREG SA2 1` must answer OK;
 *   SKSENDTO with SEC 2 and no line end after the data; waits for the line starting `OK`, reads
 *   `EVENT 21` as a line of its own; ERXUDP data in the 9th (BP35A1) or 11th field (BP35C2, SA2=1).
 * - Python scripts for BP35A1s (and Ratoc's RS-WSUHA-P sample, with the side): one readline() per
 *   answer, so after SKSENDTO exactly three: echo, `EVENT 21`, `OK`; one readline() after EVENT 25
 *   to skip the meter's instance list notification; strict UTF-8 decoding; ERXUDP data parsed as
 *   hex (the dongle set to ASCII once beforehand).
 * - node-wisunrb (futomi/node-wisunrb lib/wisunrb-adapter.js): lines split at CRLF by
 *   @serialport/parser-delimiter, matched with startsWith; SKSCAN and SKSENDTO always carry side
 *   0, SKSREG SA2 0; SKSENDTO data followed by CRLF; EVENT 21 result in the 5th column.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DONGLE_MODELS, type DongleModel, decodeFrame, MODEL_FAMILY } from '@b-route/echonet';
import { afterEach, describe, expect, it } from 'vitest';
import { attachPty } from '../attach/pty.js';
import { closeSerial, openSerial, type SerialPortLike } from '../attach/testing/serialport.js';
import { Simulator } from '../simulator.js';

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'PASSWORD1234';
/** Get E7 (instantaneous power), TID 0x5253: the frame the Ratoc sample sends. */
const GET_E7 = Uint8Array.from(Buffer.from('1081525305FF010288016201E700', 'hex'));

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A serial port read the way the emulated clients read: raw bytes, then lines their own way. */
class RawPort {
  #buf = Buffer.alloc(0);
  #wake: (() => void) | undefined;
  readonly received: Buffer[] = [];

  constructor(private readonly port: SerialPortLike) {
    port.on('data', (b: Buffer) => {
      this.received.push(b);
      this.#buf = Buffer.concat([this.#buf, b]);
      this.#wake?.();
    });
  }

  write(bytes: string | Uint8Array): void {
    this.port.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes));
  }

  /** Bytes up to and including the first place where `done(bytesSoFar)` holds. */
  async readUntil(
    done: (b: Buffer) => number | undefined,
    what: string,
    timeoutMs = 20_000,
  ): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = done(this.#buf);
      if (end !== undefined) {
        const out = this.#buf.subarray(0, end);
        this.#buf = this.#buf.subarray(end);
        return out;
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${what}; pending ${JSON.stringify(this.#buf.toString('latin1'))}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.#wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  /** pyserial readline(): up to and including LF. */
  readline(): Promise<Buffer> {
    return this.readUntil((b) => (b.indexOf(0x0a) === -1 ? undefined : b.indexOf(0x0a) + 1), 'a line (LF)');
  }

  /** @serialport/parser-delimiter with '\r\n': the next chunk before CRLF, CRLF dropped. */
  async crlfChunk(): Promise<string> {
    const b = await this.readUntil(
      (x) => (x.indexOf('\r\n') === -1 ? undefined : x.indexOf('\r\n') + 2),
      'CRLF',
    );
    return b.subarray(0, -2).toString('utf8');
  }

  /** Drops what arrived so far (momonga's buffer clearing after `\r\n`). */
  async drain(ms: number): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
    this.#buf = Buffer.alloc(0);
  }
}

/** Python's bytes.decode() (strict UTF-8): throws on what Python would raise UnicodeDecodeError for. */
const pyDecode = (b: Buffer) => new TextDecoder('utf-8', { fatal: true }).decode(b);

async function dongleOnPty(model: DongleModel): Promise<RawPort> {
  const sim = new Simulator({ model, rbid: RBID, password: PASSWORD, speed: 500, seed: 3 });
  cleanup.push(() => sim.close());
  const dir = mkdtempSync(join(tmpdir(), 'third-party-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const pty = await attachPty(sim, { path: join(dir, 'ttyWISUN') });
  cleanup.push(() => pty.close());
  const port = await openSerial(pty.path);
  cleanup.push(() => closeSerial(port));
  return new RawPort(port);
}

function instantaneousPower(hex: string): number {
  const frame = decodeFrame(Uint8Array.from(Buffer.from(hex, 'hex')));
  const prop = frame.properties.find((p) => p.epc === 0xe7);
  if (frame.tid !== 0x5253 || !prop) throw new Error(`not the answer to Get E7: ${hex}`);
  return Buffer.from(prop.edt).readInt32BE(0);
}

/**
 * momonga's `ROPT\r`: bytes read one by one until one is CR after `OK ` or `FAIL` arrived. The
 * mode, or undefined when ROPT is unsupported (FAIL ER04: momonga then assumes ASCII).
 */
async function ropt(port: RawPort): Promise<number | undefined> {
  port.write('ROPT\r');
  const res = (
    await port.readUntil((b) => {
      for (let i = 0; i < b.length; i++) {
        const head = b.subarray(0, i).toString('latin1');
        if (b[i] === 0x0d && (head.includes('OK ') || head.includes('FAIL'))) return i + 1;
      }
      return undefined;
    }, 'ROPT answer')
  ).toString('latin1');
  if (res.includes('FAIL ER04')) return undefined;
  if (!res.includes('OK ')) throw new Error(`unexpected ROPT answer ${JSON.stringify(res)}`);
  return Number(res.slice(res.indexOf('OK ') + 3, -1));
}

/** `WOPT 01\r`, then bytes until `OK\r` (momonga; the once-only setup the readline scripts assume). */
async function wopt01(port: RawPort): Promise<void> {
  port.write('WOPT 01\r');
  await port.readUntil((b) => (b.includes('OK\r') ? b.indexOf('OK\r') + 3 : undefined), 'WOPT OK');
}

/** momonga's open, detection and one Get, as momonga reads the answers. */
async function momongaStyle(port: RawPort): Promise<{ device: string; sent: string[]; watts: number }> {
  port.write('\r\n');
  await port.drain(300);
  const rwopt = await ropt(port);
  if (rwopt !== undefined && rwopt !== 1) await wopt01(port);
  // the publisher thread: readline(), strict decode, cut at CRLF
  const lines: string[] = [];
  const readLine = async () => {
    const line = pyDecode(await port.readline()).split('\r\n')[0]!;
    lines.push(line);
    return line;
  };
  const exec = async (command: string, waitUntil: string[] = ['OK'], payload?: Uint8Array) => {
    port.write(payload ? Buffer.concat([Buffer.from(`${command} `), payload]) : `${command}\r\n`);
    const res: string[] = [];
    for (;;) {
      const r = await readLine();
      if (r === '' || r.startsWith('ERXUDP')) continue;
      if (r.startsWith('FAIL')) throw new Error(`${r} on ${command}`);
      res.push(r);
      if (waitUntil.some((w) => r.startsWith(w))) return res;
    }
  };
  const einfo = (await exec('SKINFO')).find((l) => l.startsWith('EINFO'))!;
  const fifth = Number.parseInt(einfo.split(' ')[5]!, 16);
  const device = fifth === 0xfffe ? 'BP35A1' : fifth < 2 ? 'BP35C2' : 'UNKNOWN';
  const side = device === 'BP35A1' ? '' : ' 0';
  await exec('SKSREG SFE 1');
  await exec('SKSREG SA2 1');
  await exec(`SKSETRBID ${RBID}`);
  await exec(`SKSETPWD C ${PASSWORD}`);
  const scan = await exec(`SKSCAN 2 FFFFFFFF 6${side}`, ['EVENT 22']);
  const field = (key: string) => scan.find((l) => l.startsWith(`  ${key}:`))!.split(':')[1]!;
  await exec(`SKSREG S2 ${field('Channel')}`);
  await exec(`SKSREG S3 ${field('Pan ID')}`);
  const ll = (await exec(`SKLL64 ${field('Addr')}`, ['FE80:'])).at(-1)!;
  const joined = await exec(`SKJOIN ${ll}`, ['EVENT 24', 'EVENT 25']);
  if (!joined.at(-1)!.startsWith('EVENT 25')) throw new Error('PANA failed');
  const len = GET_E7.length.toString(16).toUpperCase().padStart(4, '0');
  const sent = await exec(`SKSENDTO 1 ${ll} 0E1A 2${side} ${len}`, ['OK'], GET_E7);
  const event21 = sent.find((l) => l.startsWith('EVENT 21'));
  if (!event21) throw new Error(`no EVENT 21 line among ${JSON.stringify(sent)}`);
  for (;;) {
    const l = await readLine();
    const parts = l.split(' ');
    if (parts[0] !== 'ERXUDP' || parts[3] !== '0E1A') continue;
    const data = device === 'BP35A1' ? parts[8] : parts.length >= 11 ? parts[10] : undefined;
    if (data === undefined) throw new Error(`ERXUDP with ${parts.length} fields: ${l}`);
    if (data.startsWith('1081000')) continue; // the meter's INF after join
    return { device, sent, watts: instantaneousPower(data) };
  }
}

/** A readline() script: one readline() per answer line, the side from EINFO's field count/value. */
async function readlineScript(port: RawPort): Promise<{ afterSendto: string[]; watts: number }> {
  // These scripts parse ERXUDP data as hex: the dongle was set to ASCII once beforehand
  if ((await ropt(port)) === 0) await wopt01(port);
  await port.drain(100);
  const readline = async () => pyDecode(await port.readline()).trimEnd();
  const command = async (cmd: string, answerLines: number) => {
    port.write(`${cmd}\r\n`);
    const out: string[] = [];
    for (let i = 0; i < answerLines; i++) out.push(await readline());
    return out;
  };
  const [, einfo] = await command('SKINFO', 3);
  const dual = einfo!.split(' ')[5]!.length === 1;
  const side = dual ? ' 0' : '';
  await command(`SKSETPWD C ${PASSWORD}`, 2);
  await command(`SKSETRBID ${RBID}`, 2);
  port.write(`SKSCAN 2 FFFFFFFF 6${side}\r\n`);
  const pan: Record<string, string> = {};
  for (let l = await readline(); !l.startsWith('EVENT 22'); l = await readline()) {
    if (l.startsWith('  ')) pan[l.trim().split(':')[0]!] = l.trim().split(':')[1]!;
  }
  await command(`SKSREG S2 ${pan.Channel}`, 2);
  await command(`SKSREG S3 ${pan['Pan ID']}`, 2);
  const [, ll] = await command(`SKLL64 ${pan.Addr}`, 2);
  port.write(`SKJOIN ${ll}\r\n`);
  for (let l = await readline(); !l.startsWith('EVENT 25'); l = await readline()) {
    if (l.startsWith('EVENT 24')) throw new Error('PANA failed');
  }
  // "the meter sends its instance list notification": one readline() to skip it
  const inf = await readline();
  expect(inf, inf).toMatch(/^ERXUDP .* 1081[0-9A-F]{4}0EF0010EF0017301D5/);
  const len = GET_E7.length.toString(16).toUpperCase().padStart(4, '0');
  port.write(Buffer.concat([Buffer.from(`SKSENDTO 1 ${ll} 0E1A 1${side} ${len} `), GET_E7]));
  const afterSendto = [await readline(), await readline(), await readline()];
  for (;;) {
    const cols = (await readline()).split(' ');
    if (cols[0] !== 'ERXUDP' || cols[3] !== '0E1A') continue;
    const data = cols.at(-1)!;
    if (data.startsWith('1081525')) return { afterSendto, watts: instantaneousPower(data) };
  }
}

/** node-wisunrb's connect() and sendUdpData(), reading CRLF-delimited chunks with startsWith. */
async function nodeWisunrbStyle(port: RawPort): Promise<{ version: string; srcmac: string; watts: number }> {
  const until = async (pred: (s: string) => boolean) => {
    for (;;) {
      const s = await port.crlfChunk();
      if (pred(s)) return s;
    }
  };
  port.write('SKVER\r\n');
  const version = (await until((s) => s.startsWith('EVER'))).replace(/^EVER\s*/, '');
  port.write('SKINFO\r\n');
  const srcmac = (await until((s) => s.startsWith('EINFO'))).split(' ')[2]!;
  for (const c of [`SKSETPWD C ${PASSWORD}`, `SKSETRBID ${RBID}`]) {
    port.write(`${c}\r\n`);
    await until((s) => s.startsWith('OK'));
  }
  port.write('SKSCAN 2 FFFFFFFF 6 0\r\n');
  const info: Record<string, string> = {};
  let found = false;
  for (let s = await port.crlfChunk(); !s.startsWith('EVENT 22'); s = await port.crlfChunk()) {
    if (s.startsWith('FAIL')) throw new Error(`${s} on SKSCAN 2 FFFFFFFF 6 0`);
    if (s.startsWith('EPANDESC')) found = true;
    const m = /\s+([^:]+):(.+)/.exec(s);
    if (found && s.startsWith('  ') && m) info[m[1]!] = m[2]!;
  }
  port.write(`SKLL64 ${info.Addr}\r\n`);
  const dst = await until((s) => s.startsWith('FE80'));
  for (const c of [`SKSREG S2 ${info.Channel}`, `SKSREG S3 ${info['Pan ID']}`, 'SKSREG SA2 0']) {
    port.write(`${c}\r\n`);
    await until((s) => s.startsWith('OK'));
  }
  port.write(`SKJOIN ${dst}\r\n`);
  await until((s) => s.startsWith('EVENT 25') || s.startsWith('EVENT 24'));
  const len = GET_E7.length.toString(16).toUpperCase().padStart(4, '0');
  port.write(Buffer.concat([Buffer.from(`SKSENDTO 1 ${dst} 0E1A 1 0 ${len} `), GET_E7, Buffer.from('\r\n')]));
  const e21 = await until((s) => s.startsWith('EVENT 21'));
  if (e21.split(' ')[4] !== '00') throw new Error(`UDP_SEND_FAILURE: ${e21}`);
  const erx = await until(
    (s) =>
      s.startsWith('ERXUDP') && s.includes(' 0E1A ') && s.endsWith('E700') === false && /1081525/.test(s),
  );
  return { version, srcmac, watts: instantaneousPower(erx.split(' ').at(-1)!) };
}

describe('third-party clients, emulated, on every simulated model over a PTY', () => {
  it.each(DONGLE_MODELS)(
    'momonga: detects the family from EINFO, SA2 1 is OK, EVENT 21 is a line (%s)',
    async (model) => {
      const port = await dongleOnPty(model);
      const { device, sent, watts } = await momongaStyle(port);
      expect(device).toBe(MODEL_FAMILY[model] === 'single-hop' ? 'BP35A1' : 'BP35C2');
      expect(sent[0]).toMatch(/^SKSENDTO 1 FE80:\S+ 0E1A 2( 0)? 000E $/);
      expect(sent.slice(1)).toEqual([expect.stringMatching(/^EVENT 21 FE80:\S+ (0 )?00$/), 'OK']);
      expect(Number.isInteger(watts)).toBe(true);
      // every byte the dongle printed decodes as UTF-8: no echoed raw data
      expect(() => pyDecode(Buffer.concat(port.received))).not.toThrow();
    },
  );

  it.each(DONGLE_MODELS)(
    'readline() script: echo, EVENT 21 and OK are three lines after SKSENDTO (%s)',
    async (model) => {
      const port = await dongleOnPty(model);
      const { afterSendto, watts } = await readlineScript(port);
      expect(afterSendto[0]).toMatch(/^SKSENDTO 1 FE80:\S+ 0E1A 1( 0)? 000E$/); // trimEnd()
      expect(afterSendto[1]).toMatch(
        MODEL_FAMILY[model] === 'single-hop' ? /^EVENT 21 \S+ 00$/ : /^EVENT 21 \S+ 0 00$/,
      );
      expect(afterSendto[2]).toBe('OK');
      expect(Number.isInteger(watts)).toBe(true);
    },
  );

  const dual = DONGLE_MODELS.filter((m) => MODEL_FAMILY[m] === 'dual-stack');
  it.each(dual)('node-wisunrb: connects and reads E7 with its fixed side 0 (%s)', async (model) => {
    const port = await dongleOnPty(model);
    const { version, srcmac, watts } = await nodeWisunrbStyle(port);
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(srcmac).toMatch(/^[0-9A-F]{16}$/);
    expect(Number.isInteger(watts)).toBe(true);
  });

  const single = DONGLE_MODELS.filter((m) => MODEL_FAMILY[m] === 'single-hop');
  it.each(single)(
    'node-wisunrb: its fixed side argument is refused by the single-hop stack (%s)',
    async (model) => {
      const port = await dongleOnPty(model);
      await expect(nodeWisunrbStyle(port)).rejects.toThrow(/^FAIL ER0[56] on SKSCAN/);
    },
  );
});
