import {
  type DongleFamily,
  formatCommand,
  type SkCommand,
  type SkEvent,
  SkLineParser,
} from '@b-route/echonet';

/**
 * A minimal host for attach tests: sends SK commands over any byte pipe and waits for parsed
 * events. Waits are bounded by real time only as a safety net (generous), never asserted.
 */
export class LineClient {
  readonly parser = new SkLineParser();
  readonly events: SkEvent[] = [];
  readonly #write: (bytes: Uint8Array) => void;
  readonly #family: DongleFamily;
  #waiters: { test: (e: SkEvent) => boolean; from: number; resolve: (i: number) => void }[] = [];

  constructor(write: (bytes: Uint8Array) => void, family: DongleFamily) {
    this.#write = write;
    this.#family = family;
  }

  /** Feed bytes received from the dongle. */
  feed(bytes: Uint8Array): void {
    for (const ev of this.parser.push(bytes)) {
      this.events.push(ev);
      const i = this.events.length - 1;
      this.#waiters = this.#waiters.filter((w) => {
        if (i >= w.from && w.test(ev)) {
          w.resolve(i);
          return false;
        }
        return true;
      });
    }
  }

  /** Sends a command (or a raw line) and resolves with the events up to the first matching `until`. */
  async send(
    cmd: SkCommand | string,
    until: (e: SkEvent) => boolean,
    timeoutMs = 20_000,
  ): Promise<SkEvent[]> {
    const from = this.events.length;
    const done = this.waitFor(until, from, timeoutMs);
    this.#write(
      typeof cmd === 'string' ? Buffer.from(`${cmd}\r\n`, 'latin1') : formatCommand(this.#family, cmd),
    );
    const end = await done;
    return this.events.slice(from, end + 1);
  }

  /** Resolves with the index of the first event at or after `from` that matches. */
  waitFor(test: (e: SkEvent) => boolean, from = this.events.length, timeoutMs = 20_000): Promise<number> {
    const found = this.events.findIndex((e, i) => i >= from && test(e));
    if (found >= 0) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching event within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#waiters.push({
        test,
        from,
        resolve: (i) => {
          clearTimeout(timer);
          resolve(i);
        },
      });
    });
  }
}

export const isOk = (e: SkEvent) => e.type === 'ok';
export const isEvent = (num: number) => (e: SkEvent) => e.type === 'event' && e.num === num;
export const isOkOrFail = (e: SkEvent) => e.type === 'ok' || e.type === 'fail';

/**
 * What a typical B-route client does, step by step, over `client`: credentials, active scan
 * (retrying with a longer duration), tune to the PAN, link-local address, PANA join, one Get of
 * instantaneous power (E7), SKTERM. Returns the scan result and the Get_Res frame bytes.
 */
export async function typicalSession(
  client: LineClient,
  credentials: { rbid: string; password: string },
): Promise<{ pan: Extract<SkEvent, { type: 'epandesc' }>; reply: Uint8Array }> {
  const { encodeFrame, decodeFrame, EOJ, ESV } = await import('@b-route/echonet');
  await client.send({ name: 'SKSETPWD', password: credentials.password }, isOkOrFail);
  await client.send({ name: 'SKSETRBID', id: credentials.rbid }, isOkOrFail);
  let pan: Extract<SkEvent, { type: 'epandesc' }> | undefined;
  for (const duration of [6, 7, 8]) {
    const evs = await client.send({ name: 'SKSCAN', duration }, isEvent(0x22), 120_000);
    pan = evs.find((e): e is Extract<SkEvent, { type: 'epandesc' }> => e.type === 'epandesc');
    if (pan) break;
  }
  if (!pan) throw new Error('no PAN found');
  await client.send(`SKSREG S2 ${pan.channel.toString(16).toUpperCase()}`, isOkOrFail);
  await client.send(`SKSREG S3 ${pan.panId.toString(16).toUpperCase().padStart(4, '0')}`, isOkOrFail);
  const ll = await client.send({ name: 'SKLL64', mac: pan.addr }, (e) => e.type === 'ipv6');
  const ipv6 = (ll.at(-1) as Extract<SkEvent, { type: 'ipv6' }>).address;
  const joined = await client.send(
    { name: 'SKJOIN', ipv6 },
    (e) => e.type === 'event' && (e.num === 0x25 || e.num === 0x24),
    60_000,
  );
  if ((joined.at(-1) as Extract<SkEvent, { type: 'event' }>).num !== 0x25) throw new Error('join failed');
  const request = encodeFrame({
    tid: 0x4242,
    seoj: EOJ.controller,
    deoj: EOJ.smartMeter,
    esv: ESV.Get,
    properties: [{ epc: 0xe7, edt: new Uint8Array(0) }],
  });
  const got = await client.send(
    { name: 'SKSENDTO', ipv6, data: request },
    (e) => e.type === 'erxudp' && e.rport === 0x0e1a && decodeFrame(e.data).tid === 0x4242,
    60_000,
  );
  const reply = (got.at(-1) as Extract<SkEvent, { type: 'erxudp' }>).data;
  await client.send(
    { name: 'SKTERM' },
    (e) => e.type === 'event' && (e.num === 0x27 || e.num === 0x28),
    60_000,
  );
  return { pan, reply };
}
