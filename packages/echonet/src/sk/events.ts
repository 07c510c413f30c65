/**
 * Everything the SK line parser can emit, as one union. Addresses and hex fields keep the
 * dongle's spelling (upper-case hex); numbers are parsed from hex.
 */

export type ErxudpLayout = 'single-hop' | 'dual-stack' | 'dual-stack-rssi';

export type SkEvent =
  /** The dongle's echo of a command line (SFE=1). `command` is the first word. */
  | { readonly type: 'echo'; readonly command: string; readonly line: string }
  /** `OK`, or `OK <value>` as ROPT/WOPT answer (`OK 01`, possibly CR-terminated). */
  | { readonly type: 'ok'; readonly value?: string }
  /** `FAIL ERxx`. */
  | { readonly type: 'fail'; readonly code: string }
  | { readonly type: 'ever'; readonly version: string }
  /** `EAPPVER <name>`: the application firmware version, the answer to SKAPPVER (BP35A1 manual). */
  | { readonly type: 'eappver'; readonly version: string }
  /**
   * `EINFO`: five fields on both families; the fifth is the short address on single-hop stacks
   * (`addr16`, e.g. FFFE) and the side on dual-stack ones (`side`, 0 = B-route).
   */
  | {
      readonly type: 'einfo';
      readonly ipv6: string;
      readonly mac: string;
      readonly channel: number;
      readonly panId: number;
      readonly addr16?: string;
      readonly side?: number;
    }
  | { readonly type: 'esreg'; readonly value: string }
  /** `EVENT <num> <sender> [side] [param]`; `num` is the hex event number as a number. */
  | {
      readonly type: 'event';
      readonly num: number;
      readonly sender: string;
      readonly side?: number;
      readonly param?: number;
    }
  | {
      readonly type: 'epandesc';
      readonly channel: number;
      readonly channelPage: number;
      readonly panId: number;
      readonly addr: string;
      readonly lqi: number;
      readonly side?: number;
      readonly pairId?: string;
    }
  /** A bare IPv6 address on a line: the answer to SKLL64. */
  | { readonly type: 'ipv6'; readonly address: string }
  | {
      readonly type: 'erxudp';
      readonly layout: ErxudpLayout;
      readonly encoding: 'hex' | 'binary';
      readonly sender: string;
      readonly dest: string;
      readonly rport: number;
      readonly lport: number;
      readonly senderLla: string;
      readonly secured: number;
      readonly side?: number;
      /** RSSI/LQI field inserted by dual-stack dongles when SA2=1 (raw hex as sent). */
      readonly rssi?: string;
      readonly data: Uint8Array;
    }
  /** A line the parser does not know; passed on, never an error. */
  | { readonly type: 'unknown'; readonly line: string }
  /** Input that can never be valid. Parsing continues after it. */
  | {
      readonly type: 'error';
      readonly code: 'sk.malformed' | 'sk.overflow';
      readonly reason: string;
      readonly raw: string;
    };

export type SkEventType = SkEvent['type'];
export type SkEventOf<T extends SkEventType> = Extract<SkEvent, { type: T }>;
