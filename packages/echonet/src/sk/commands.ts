/**
 * SK commands used on the B-route, formatted for a dongle family. Dual-stack stacks (BP35C0/C2,
 * RL7023 DSS) require a side argument (0 = B-route) on SKSCAN and SKSENDTO; single-hop stacks
 * (BP35A1, RL7023 IPS) answer it with FAIL ER05/ER06, and the reverse holds for a missing side.
 */
import { EchonetError } from '../errors.js';
import { toHex } from '../frame/hex.js';
import { asciiBytes, concatBytes, hexNum } from './bytes.js';
import type { DongleFamily } from './family.js';
import { redactCommand } from './redact.js';

export { redactCommand, SECRET_MASK } from './redact.js';

export type SkCommand =
  | { readonly name: 'SKVER' }
  | { readonly name: 'SKINFO' }
  | { readonly name: 'SKRESET' }
  /** PANA password, 1–32 printable characters without spaces (12 on the B-route). */
  | { readonly name: 'SKSETPWD'; readonly password: string }
  /** B-route ID, exactly 32 printable characters without spaces. */
  | { readonly name: 'SKSETRBID'; readonly id: string }
  /** Read (`value` absent) or write a register, e.g. `{ reg: 'S2', value: '21' }`. */
  | { readonly name: 'SKSREG'; readonly reg: string; readonly value?: string }
  /**
   * Scan; `duration` 0–14 (each channel is listened to ≈ 0.0096 s × (2^n + 1)); `mode` default 2
   * (active scan with IE); `channelMask` default `FFFFFFFF` (all channels).
   */
  | {
      readonly name: 'SKSCAN';
      readonly duration: number;
      readonly mode?: number;
      readonly channelMask?: string;
    }
  /** MAC (16 hex digits) → link-local IPv6; answered by the address alone on a line. */
  | { readonly name: 'SKLL64'; readonly mac: string }
  | { readonly name: 'SKJOIN'; readonly ipv6: string }
  /** Send UDP: `handle` default 1, `port` default 0x0E1A (3610, ECHONET Lite), `sec` default 1. */
  | {
      readonly name: 'SKSENDTO';
      readonly handle?: number;
      readonly ipv6: string;
      readonly port?: number;
      readonly sec?: number;
      readonly data: Uint8Array;
    }
  | { readonly name: 'SKTERM' }
  /** Read the ERXUDP payload format: `OK 00` binary, `OK 01` ASCII hex. */
  | { readonly name: 'ROPT' }
  /** Write the ERXUDP payload format. Writes flash (limited cycles): read with ROPT first. */
  | { readonly name: 'WOPT'; readonly mode: 0 | 1 };

export type SkCommandName = SkCommand['name'];

const IPV6 = /^[0-9A-Fa-f]{4}(?::[0-9A-Fa-f]{4}){7}$/;
const TOKEN = /^[\x21-\x7e]+$/;

function invalid(cmd: SkCommandName, field: string, message: string): EchonetError {
  return new EchonetError('config.invalid', `${cmd}: ${message}`, { context: { command: cmd, field } });
}

function intIn(cmd: SkCommandName, field: string, n: number, min: number, max: number): number {
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(cmd, field, `${field} must be ${min}–${max}`);
  return n;
}

function matching(cmd: SkCommandName, field: string, value: string, re: RegExp, what: string): string {
  if (!re.test(value)) throw invalid(cmd, field, `${field} must be ${what}`);
  return value;
}

/** The text words of a command (SKSENDTO: up to DATALEN; its data follows separately). */
function words(family: DongleFamily, cmd: SkCommand): string[] {
  const side = family === 'dual-stack' ? ['0'] : [];
  switch (cmd.name) {
    case 'SKVER':
    case 'SKINFO':
    case 'SKRESET':
    case 'SKTERM':
    case 'ROPT':
      return [cmd.name];
    case 'SKSETPWD': {
      const pwd = cmd.password;
      if (pwd.length < 1 || pwd.length > 32 || !TOKEN.test(pwd)) {
        throw invalid(cmd.name, 'password', 'password must be 1–32 printable characters without spaces');
      }
      return [cmd.name, pwd.length.toString(16).toUpperCase(), pwd];
    }
    case 'SKSETRBID':
      if (cmd.id.length !== 32 || !TOKEN.test(cmd.id)) {
        throw invalid(cmd.name, 'id', 'id must be 32 printable characters without spaces');
      }
      return [cmd.name, cmd.id];
    case 'SKSREG': {
      const reg = matching(
        cmd.name,
        'reg',
        cmd.reg,
        /^[Ss][0-9A-Fa-f]{1,2}$/,
        'S followed by 1–2 hex digits',
      );
      if (cmd.value === undefined) return [cmd.name, reg.toUpperCase()];
      return [cmd.name, reg.toUpperCase(), matching(cmd.name, 'value', cmd.value, TOKEN, 'a word')];
    }
    case 'SKSCAN': {
      const mode = intIn(cmd.name, 'mode', cmd.mode ?? 2, 0, 3);
      const mask = matching(
        cmd.name,
        'channelMask',
        cmd.channelMask ?? 'FFFFFFFF',
        /^[0-9A-Fa-f]{8}$/,
        '8 hex digits',
      );
      const duration = intIn(cmd.name, 'duration', cmd.duration, 0, 14);
      return [cmd.name, String(mode), mask.toUpperCase(), hexNum(duration, 1), ...side];
    }
    case 'SKLL64':
      return [
        cmd.name,
        matching(cmd.name, 'mac', cmd.mac, /^[0-9A-Fa-f]{16}$/, '16 hex digits').toUpperCase(),
      ];
    case 'SKJOIN':
      return [cmd.name, matching(cmd.name, 'ipv6', cmd.ipv6, IPV6, '8 groups of 4 hex digits').toUpperCase()];
    case 'SKSENDTO': {
      const handle = intIn(cmd.name, 'handle', cmd.handle ?? 1, 1, 6);
      const ipv6 = matching(cmd.name, 'ipv6', cmd.ipv6, IPV6, '8 groups of 4 hex digits').toUpperCase();
      const port = intIn(cmd.name, 'port', cmd.port ?? 0x0e1a, 0, 0xffff);
      const sec = intIn(cmd.name, 'sec', cmd.sec ?? 1, 0, 2);
      const length = intIn(cmd.name, 'data', cmd.data.length, 0, 0xffff);
      return [cmd.name, String(handle), ipv6, hexNum(port, 4), String(sec), ...side, hexNum(length, 4)];
    }
    case 'WOPT':
      return [cmd.name, hexNum(intIn(cmd.name, 'mode', cmd.mode, 0, 1), 2)];
  }
}

/**
 * The bytes to write to the dongle: the command line and CRLF, except SKSENDTO, whose DATALEN
 * raw bytes follow `<DATALEN> ` directly with no CRLF after them (single-hop
 * `SKSENDTO 1 <ipv6> 0E1A 1 <LEN> <raw>`, dual-stack `SKSENDTO 1 <ipv6> 0E1A 1 0 <LEN> <raw>`).
 * @throws EchonetError `config.invalid` for an argument the dongle would reject (the message
 *   never contains the password or the B-route ID).
 */
export function formatCommand(family: DongleFamily, cmd: SkCommand): Uint8Array {
  const line = words(family, cmd).join(' ');
  if (cmd.name === 'SKSENDTO') return concatBytes([asciiBytes(line + ' '), cmd.data]);
  return asciiBytes(line + '\r\n');
}

/**
 * A printable rendering of the command for logs: secrets masked, SKSENDTO data as hex.
 * @throws EchonetError `config.invalid` as {@link formatCommand}.
 */
export function describeCommand(family: DongleFamily, cmd: SkCommand): string {
  const line = words(family, cmd).join(' ');
  return cmd.name === 'SKSENDTO' ? `${line} ${toHex(cmd.data)}` : redactCommand(line);
}
