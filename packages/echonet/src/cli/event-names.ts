/**
 * Names that `decode` gives to SK EVENT numbers and FAIL codes (BP35A1 command reference 4.8
 * EVENT and 5 error codes; the same numbers on BP35C0/C2 and Tessera RL7023 firmware).
 */

export const EVENT_NAMES: Readonly<Record<number, string>> = {
  1: 'ns-received',
  2: 'na-received',
  5: 'echo-request-received',
  31: 'ed-scan-done',
  32: 'beacon-received',
  33: 'udp-send-done',
  34: 'scan-done',
  36: 'pana-failed',
  37: 'pana-connected',
  38: 'session-end-requested',
  39: 'session-ended',
  40: 'session-end-timeout',
  41: 'session-expired',
  50: 'send-restricted',
  51: 'send-unrestricted',
  192: 'wakeup',
};

/** EVENT 21 PARAM: the outcome of the UDP send. */
export const UDP_SEND_RESULTS: Readonly<Record<number, string>> = {
  0: 'success',
  1: 'failure',
  2: 'neighbour-solicitation',
};

export const FAIL_MEANINGS: Readonly<Record<string, string>> = {
  ER04: 'unsupported command',
  ER05: 'wrong number of arguments (a side argument sent to a single-hop dongle, or missing on a dual-stack one)',
  ER06: 'argument format or range',
  ER09: 'UART input error',
  ER10: 'accepted but failed',
};

/** `'udp-send-done'` for 0x21; `'unknown'` for a number the table does not list. */
export function eventName(num: number): string {
  return EVENT_NAMES[num] ?? 'unknown';
}
