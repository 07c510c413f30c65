import { EchonetError, isEchonetError } from '../errors.js';
import { familyFromEvent } from '../sk/detect.js';
import { SK_EVENT } from '../sk/event-numbers.js';
import type { SkEvent, SkEventOf } from '../sk/events.js';
import type { DongleFamily } from '../sk/family.js';
import type { Logger } from './logger.js';
import { type PanCache, type PanCacheStore, panMatchesId } from './pan-cache.js';
import type { SkLink } from './sk-link.js';

/** What the open procedure needs to know. */
export interface OpenerSettings {
  readonly rbid: string;
  readonly password: string;
  /** Forces the family instead of reading it from EINFO. */
  readonly family?: DongleFamily;
  readonly resetDongle: boolean;
  readonly ensureAsciiPayload: boolean;
  readonly scanDurations: readonly number[];
  readonly joinTimeoutMs: number;
  readonly panStore: PanCacheStore;
}

/**
 * Progress of a scan, as the `scan` event reports it. A `beacon` carries the fields of the
 * meter's EPANDESC (`addr`: its MAC, 16 hex digits; `side`: dual-stack dongles only).
 */
export type ScanProgress =
  | { readonly type: 'start'; readonly duration: number; readonly attempt: number; readonly attempts: number }
  | ({ readonly type: 'beacon' } & Omit<SkEventOf<'epandesc'>, 'type'>)
  | { readonly type: 'done'; readonly duration: number; readonly found: boolean };

export interface OpenerHooks {
  readonly link: SkLink;
  readonly log: Logger;
  /** Tells the state machine that a scan or a join starts. */
  readonly step: (input: 'scan' | 'join') => void;
  readonly progress: (p: ScanProgress) => void;
  /** Aborted by `close()`. */
  readonly signal: AbortSignal;
  /** Epoch ms on the injected clock. */
  readonly now: () => number;
}

export interface DongleInfo {
  readonly version: string | undefined;
  readonly family: DongleFamily;
  readonly payload: 'hex' | 'binary' | 'auto';
}

/** Channels 0x21–0x3C (33–60) of the 920 MHz band that an active scan visits. */
const SCAN_CHANNELS = 28;

/** Simulated or real time one SKSCAN takes: 28 channels × 9.6 ms × (2^n + 1), plus margin. */
export function scanTimeoutMs(duration: number): number {
  return Math.ceil(SCAN_CHANNELS * 9.6 * (2 ** duration + 1) * 1.5) + 10_000;
}

/**
 * SKRESET, version, family (EINFO's side field), payload format (ROPT; WOPT 01 only when asked),
 * then the credentials. Everything a reset forgets, so it runs on every (re)initialisation.
 */
export async function prepareDongle(h: OpenerHooks, s: OpenerSettings): Promise<DongleInfo> {
  const { link } = h;
  if (s.resetDongle) await link.command({ name: 'SKRESET' });
  h.signal.throwIfAborted();
  const ever = (await link.command({ name: 'SKVER' })).find((e) => e.type === 'ever');
  let family = s.family;
  if (family === undefined) {
    const einfo = (await link.command({ name: 'SKINFO' })).find((e) => e.type === 'einfo');
    family = einfo ? familyFromEvent(einfo) : undefined;
    if (family === undefined) h.log.warn({}, 'no EINFO to tell the dongle family; assuming single-hop');
  }
  link.setFamily(family ?? 'single-hop');
  const payload = await payloadFormat(h, s);
  link.setPayload(payload);
  h.signal.throwIfAborted();
  await link.command({ name: 'SKSETPWD', password: s.password });
  await link.command({ name: 'SKSETRBID', id: s.rbid });
  const info: DongleInfo = {
    version: ever?.type === 'ever' ? ever.version : undefined,
    family: link.family,
    payload,
  };
  h.log.info({ ...info }, 'dongle ready');
  return info;
}

/** ROPT: `OK 00` binary, `OK 01` hex; stacks without it (Tessera RL7023: FAIL ER04) send hex. */
async function payloadFormat(h: OpenerHooks, s: OpenerSettings): Promise<'hex' | 'binary' | 'auto'> {
  let mode: 'hex' | 'binary' | 'auto';
  try {
    const ok = (await h.link.command({ name: 'ROPT' })).find((e) => e.type === 'ok');
    const value = ok?.type === 'ok' ? ok.value : undefined;
    mode = value === '01' ? 'hex' : value === '00' ? 'binary' : 'auto';
  } catch (err) {
    if (!isEchonetError(err, 'sk.fail')) throw err;
    return err.context.code === 'ER04' ? 'hex' : 'auto';
  }
  if (mode === 'binary' && s.ensureAsciiPayload) {
    // WOPT writes flash (limited cycles): only when asked, and only when the setting differs.
    await h.link.command({ name: 'WOPT', mode: 1 });
    h.log.info({}, 'ERXUDP payload switched to ASCII hex (WOPT 01)');
    mode = 'hex';
  }
  return mode;
}

/**
 * Joins `pan`: registers S2 (channel) and S3 (PAN ID), SKJOIN, then EVENT 25 or 24.
 * @returns `joined`, or `rejected` on EVENT 24.
 * @throws EchonetError `join.no-answer` when neither comes within the join timeout, `sk.fail`.
 */
export async function joinPan(
  h: OpenerHooks,
  s: OpenerSettings,
  pan: PanCache,
): Promise<'joined' | 'rejected'> {
  const { link } = h;
  await link.command({ name: 'SKSREG', reg: 'S2', value: hex(pan.channel, 2) });
  await link.command({ name: 'SKSREG', reg: 'S3', value: hex(pan.panId, 4) });
  h.signal.throwIfAborted();
  h.step('join');
  const outcome = link.waitFor(
    (e) => e.type === 'event' && (e.num === SK_EVENT.PANA_SUCCEEDED || e.num === SK_EVENT.PANA_FAILED),
    s.joinTimeoutMs,
    'EVENT 25/24 after SKJOIN',
  );
  outcome.catch(() => undefined);
  await link.command({ name: 'SKJOIN', ipv6: pan.ipv6 });
  let ev: SkEvent;
  try {
    ev = await outcome;
  } catch (err) {
    if (!isEchonetError(err, 'sk.timeout')) throw err;
    throw new EchonetError('join.no-answer', 'the meter did not answer the PANA join', { cause: err });
  }
  return ev.type === 'event' && ev.num === SK_EVENT.PANA_SUCCEEDED ? 'joined' : 'rejected';
}

/**
 * Active scans with growing durations until the meter answers. Reports progress as it goes.
 * A dongle that refuses the side argument (FAIL ER05/ER06) is switched to the other family once.
 * @throws EchonetError `scan.failed` when no scan found the meter.
 */
export async function scanForMeter(h: OpenerHooks, s: OpenerSettings): Promise<SkEventOf<'epandesc'>> {
  const { link } = h;
  h.step('scan');
  const durations = s.scanDurations;
  let flipped = s.family !== undefined;
  for (let i = 0; i < durations.length; i++) {
    const duration = durations[i]!;
    h.progress({ type: 'start', duration, attempt: i + 1, attempts: durations.length });
    const found: SkEventOf<'epandesc'>[] = [];
    const off = link.onEvent((e) => {
      if (e.type !== 'epandesc') return;
      // Only the meter paired with this ID should answer; a beacon of another contract is skipped.
      if (e.pairId !== undefined && e.pairId.toUpperCase() !== s.rbid.slice(-8).toUpperCase()) return;
      found.push(e);
      h.progress({
        type: 'beacon',
        channel: e.channel,
        channelPage: e.channelPage,
        panId: e.panId,
        addr: e.addr,
        lqi: e.lqi,
        ...(e.side === undefined ? {} : { side: e.side }),
        ...(e.pairId === undefined ? {} : { pairId: e.pairId }),
      });
    });
    try {
      const done = link.waitFor(
        (e) => e.type === 'event' && e.num === SK_EVENT.SCAN_DONE,
        scanTimeoutMs(duration),
        'EVENT 22',
      );
      done.catch(() => undefined);
      try {
        await link.command({ name: 'SKSCAN', duration });
      } catch (err) {
        const code = isEchonetError(err, 'sk.fail') ? err.context.code : undefined;
        if (flipped || (code !== 'ER05' && code !== 'ER06')) throw err;
        // The side argument betrays the family: try once with the other one.
        flipped = true;
        link.setFamily(link.family === 'single-hop' ? 'dual-stack' : 'single-hop');
        h.log.warn({ code, family: link.family }, 'SKSCAN refused its arguments; switching dongle family');
        i--;
        continue;
      }
      await done;
    } finally {
      off();
    }
    h.progress({ type: 'done', duration, found: found.length > 0 });
    const best = found.sort((a, b) => b.lqi - a.lqi)[0];
    if (best) return best;
    h.signal.throwIfAborted();
  }
  throw new EchonetError(
    'scan.failed',
    'no meter answered the scan (check the B-route ID and the distance)',
    {
      context: { durations },
    },
  );
}

/**
 * From a prepared dongle to a PANA session: the cached PAN first, a scan only when that fails.
 * @returns the PAN joined (already saved to the store).
 * @throws EchonetError `scan.failed`; `join.credentials` (EVENT 24 from a meter the scan found:
 *   wrong ID or password); `join.no-answer`; `sk.fail`, `sk.timeout`, `transport.closed`.
 */
export async function establishSession(h: OpenerHooks, s: OpenerSettings): Promise<PanCache> {
  const cached = await s.panStore.load();
  if (cached && panMatchesId(cached, s.rbid)) {
    try {
      if ((await joinPan(h, s, cached)) === 'joined') return cached;
      if (s.panStore.noScan) {
        throw new EchonetError(
          'join.credentials',
          'the meter at the configured channel/PAN ID/address refused the PANA authentication: check the B-route ID and password',
          { context: { channel: cached.channel, panId: cached.panId } },
        );
      }
      h.log.info({}, 'cached PAN refused the join; scanning');
    } catch (err) {
      if (!isEchonetError(err, 'join.no-answer') || s.panStore.noScan) throw err;
      h.log.info({}, 'cached PAN did not answer; scanning');
    }
  }
  const desc = await scanForMeter(h, s);
  const ll = (await h.link.command({ name: 'SKLL64', mac: desc.addr })).find((e) => e.type === 'ipv6');
  if (ll?.type !== 'ipv6') throw new EchonetError('sk.unexpected', 'SKLL64 gave no address');
  const pan: PanCache = {
    channel: desc.channel,
    panId: desc.panId,
    mac: desc.addr.toUpperCase(),
    ipv6: ll.address.toUpperCase(),
    ...(desc.pairId === undefined ? {} : { pairId: desc.pairId.toUpperCase() }),
  };
  if ((await joinPan(h, s, pan)) === 'rejected') {
    throw new EchonetError(
      'join.credentials',
      'the meter refused the PANA authentication: check the B-route ID and password',
      {
        context: { channel: pan.channel, panId: pan.panId },
      },
    );
  }
  const saved = { ...pan, savedAt: new Date(h.now()).toISOString() };
  await s.panStore.save(saved).catch((err: unknown) => h.log.warn({ err }, 'cannot save the PAN cache'));
  return saved;
}

function hex(n: number, digits: number): string {
  return n.toString(16).toUpperCase().padStart(digits, '0');
}

/**
 * SKTERM, then EVENT 27 (ended) or 28 (the meter did not answer), waiting at most `timeoutMs`.
 * Never throws: the port is closed right after in any case.
 */
export async function endSession(link: SkLink, timeoutMs = 5_000): Promise<void> {
  const ended = link.waitFor(
    (e) => e.type === 'event' && (e.num === SK_EVENT.SESSION_ENDED || e.num === SK_EVENT.SESSION_END_TIMEOUT),
    timeoutMs,
    'EVENT 27/28',
  );
  ended.catch(() => undefined);
  try {
    await link.command({ name: 'SKTERM' });
    await ended;
  } catch {
    // Ending is best effort: a dongle without a session answers FAIL ER10.
  }
}
