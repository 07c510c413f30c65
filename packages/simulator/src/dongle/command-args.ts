import { parseMac64, parseSkIpv6 } from './addresses.js';
import type { DongleProfile } from './models.js';

/**
 * Argument checks of the SK commands, pure. Like the real stacks, a wrong number of arguments
 * answers ER05 and a field of the wrong format or range ER06; fields are read left to right, so
 * a side argument where none belongs (single-hop SKSENDTO) lands in the DATALEN slot and a missing
 * one (dual-stack SKSENDTO) puts DATALEN in the SIDE slot: both fail ER06, while SKSCAN, whose
 * fields are all short numbers, fails ER05 for the count (BP35A1 / BP35C0 command references,
 * FAIL codes 4.3).
 */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: 'ER05' | 'ER06' };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const er05 = { ok: false, code: 'ER05' } as const;
const er06 = { ok: false, code: 'ER06' } as const;

/** Value of 1..`digits` hex digits, or undefined. */
export function hexArg(text: string | undefined, digits: number): number | undefined {
  if (text === undefined || text.length === 0 || text.length > digits || !/^[0-9A-Fa-f]+$/.test(text))
    return undefined;
  return Number.parseInt(text, 16);
}

/** Side argument: 0 = B-route, 1 = HAN. */
function sideArg(text: string | undefined): number | undefined {
  return text === '0' || text === '1' ? Number(text) : undefined;
}

export interface ScanArgs {
  /** 0 ED scan, 2 active scan with pairing IE, 3 active scan without IE. */
  readonly mode: number;
  readonly channelMask: number;
  readonly duration: number;
  readonly side: number;
}

/** `SKSCAN <mode> <mask> <duration> [side]`. */
export function checkScan(args: readonly string[], profile: DongleProfile): Checked<ScanArgs> {
  if (args.length !== (profile.sideArgument ? 4 : 3)) return er05;
  const mode = hexArg(args[0], 1);
  const channelMask = args[1]?.length === 8 ? hexArg(args[1], 8) : undefined;
  const duration = hexArg(args[2], 2);
  const side = profile.sideArgument ? sideArg(args[3]) : 0;
  if (mode === undefined || ![0, 2, 3].includes(mode)) return er06;
  if (channelMask === undefined || duration === undefined || duration > 14 || side === undefined) return er06;
  return ok({ mode, channelMask, duration, side });
}

export interface SendToArgs {
  readonly handle: number;
  readonly ipv6: string;
  readonly port: number;
  readonly sec: number;
  readonly side: number;
  readonly data: Uint8Array;
}

/** Longest SKSENDTO payload (BP35A1: DATALEN ≤ 0x04D0). */
export const MAX_SENDTO_DATA = 0x04d0;

/** `SKSENDTO <handle> <ipv6> <port> <sec> [side] <datalen> <data>`; `data` as read by length. */
export function checkSendTo(
  args: readonly string[],
  data: Uint8Array | undefined,
  profile: DongleProfile,
): Checked<SendToArgs> {
  const fields = profile.sideArgument ? 6 : 5;
  // Fields in the order the stack reads them; the first bad one decides.
  const handle = hexArg(args[0], 1);
  if (args.length < 4) return er05;
  if (handle === undefined || handle < 1 || handle > 6) return er06;
  const ipv6 = parseSkIpv6(args[1] ?? '');
  if (ipv6 === null) return er06;
  const port = args[2]?.length === 4 ? hexArg(args[2], 4) : undefined;
  if (port === undefined || port === 0 || port === 0xffff) return er06;
  const sec = args[3] === '0' || args[3] === '1' || args[3] === '2' ? Number(args[3]) : undefined;
  if (sec === undefined) return er06;
  let side = 0;
  if (profile.sideArgument) {
    const s = sideArg(args[4]);
    if (s === undefined) return args.length < 5 ? er05 : er06;
    side = s;
  }
  const lenText = args[fields - 1];
  if (lenText === undefined) return er05;
  if (!/^[0-9A-Fa-f]{4}$/.test(lenText)) return er06;
  if (args.length !== fields || data === undefined) return er05;
  const len = Number.parseInt(lenText, 16);
  if (len === 0 || len > MAX_SENDTO_DATA || len !== data.length) return er06;
  return ok({ handle, ipv6, port, sec, side, data });
}

/** `SKSETPWD <len> <password>`: len is hex 1–20, the password exactly that long. */
export function checkSetPwd(args: readonly string[]): Checked<string> {
  if (args.length !== 2) return er05;
  const len = hexArg(args[0], 2);
  const pwd = args[1]!;
  if (len === undefined || len < 1 || len > 0x20 || pwd.length !== len) return er06;
  return ok(pwd);
}

/** `SKSETRBID <id>`: exactly 32 printable characters. */
export function checkSetRbid(args: readonly string[]): Checked<string> {
  if (args.length !== 1) return er05;
  const id = args[0]!;
  if (!/^[\x21-\x7e]{32}$/.test(id)) return er06;
  return ok(id);
}

/** `SKLL64 <mac64>`. */
export function checkLl64(args: readonly string[]): Checked<string> {
  if (args.length !== 1) return er05;
  const mac = parseMac64(args[0]!);
  return mac === null ? er06 : ok(mac);
}

/** `SKJOIN <ipv6>`. */
export function checkJoin(args: readonly string[]): Checked<string> {
  if (args.length !== 1) return er05;
  const ipv6 = parseSkIpv6(args[0]!);
  return ipv6 === null ? er06 : ok(ipv6);
}

/** `WOPT <mode>`: 00 binary or 01 ASCII hex. */
export function checkWopt(args: readonly string[]): Checked<0 | 1> {
  if (args.length !== 1) return er05;
  const mode = hexArg(args[0], 2);
  return mode === 0 || mode === 1 ? ok(mode) : er06;
}

/** `SKADDNBR <ipv6> <mac64>`. */
export function checkAddNbr(args: readonly string[]): Checked<{ ipv6: string; mac: string }> {
  if (args.length !== 2) return er05;
  const ipv6 = parseSkIpv6(args[0]!);
  const mac = parseMac64(args[1]!);
  return ipv6 === null || mac === null ? er06 : ok({ ipv6, mac });
}

/** `SKUDPPORT <handle> <port>`. */
export function checkUdpPort(args: readonly string[]): Checked<{ handle: number; port: number }> {
  if (args.length !== 2) return er05;
  const handle = hexArg(args[0], 1);
  const port = hexArg(args[1], 4);
  if (handle === undefined || handle < 1 || handle > 6 || port === undefined) return er06;
  return ok({ handle, port });
}

/** A command that takes no arguments. */
export function checkNone(args: readonly string[]): Checked<null> {
  return args.length === 0 ? ok(null) : er05;
}
