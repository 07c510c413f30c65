/**
 * EVENT numbers of the SK stack (BP35A1 command reference 4.8 EVENT; the same numbers on the
 * dual-stack BP35C0/C2 and Tessera RL7023 firmware).
 */
export const SK_EVENT = {
  /** NS (neighbour solicitation) received. */
  NS_RECEIVED: 0x01,
  /** NA (neighbour advertisement) received. */
  NA_RECEIVED: 0x02,
  /** Echo request received. */
  ECHO_REQUEST: 0x05,
  /** ED scan done (EEDSCAN follows). */
  ED_SCAN_DONE: 0x1f,
  /** Beacon received (EPANDESC follows). */
  BEACON: 0x20,
  /** UDP send done; param 00 success, 01 failure, 02 neighbour solicitation sent. */
  UDP_SENT: 0x21,
  /** Active scan done. */
  SCAN_DONE: 0x22,
  /** PANA connection failed. */
  PANA_FAILED: 0x24,
  /** PANA connection succeeded. */
  PANA_SUCCEEDED: 0x25,
  /** The peer asked to end the session. */
  SESSION_END_REQUESTED: 0x26,
  /** Session ended. */
  SESSION_ENDED: 0x27,
  /** Session end timed out. */
  SESSION_END_TIMEOUT: 0x28,
  /** Session lifetime expired; the dongle re-authenticates by itself (then 25 or 24). */
  SESSION_EXPIRED: 0x29,
  /** Send-time restriction started (ARIB STD-T108 duty limit). */
  SEND_RESTRICTED: 0x32,
  /** Send-time restriction lifted. */
  SEND_UNRESTRICTED: 0x33,
  /** Wake-up signal received (BP35A1 deep sleep): the only EVENT without a sender address. */
  WAKEUP: 0xc0,
} as const;

export type SkEventName = keyof typeof SK_EVENT;

/**
 * Event numbers that carry a PARAM after the sender (and after SIDE on dual-stack stacks).
 * Only EVENT 21 does: `EVENT 21 <addr> <param>` / `EVENT 21 <addr> <side> <param>`.
 */
export const EVENTS_WITH_PARAM: ReadonlySet<number> = new Set([SK_EVENT.UDP_SENT]);
