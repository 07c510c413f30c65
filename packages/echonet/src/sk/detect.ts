/**
 * Telling the dongle family from the dongle's own answers, so a tool never has to be told the
 * model (the wrong side argument, FAIL ER05/ER06, is the most reported failure of B-route tools).
 *
 * Reliable: every line that carries a side on dual-stack stacks (BP35C0/C2, RS-WSUHA-P,
 * RL7023 DSS) and never on single-hop ones (BP35A1, RL7023 IPS): EINFO (answer to SKINFO,
 * available before any scan), EPANDESC, ERXUDP and EVENT.
 */
import type { SkEvent } from './events.js';
import type { DongleFamily } from './family.js';

/**
 * The family an event proves, or undefined for events that look the same on both:
 * - `einfo`: trailing side → dual-stack, none → single-hop.
 * - `epandesc`: `Side:` key → dual-stack, none → single-hop.
 * - `erxudp`: the layout (SIDE field, with or without RSSI → dual-stack).
 * - `event`: a side (the parser reads one only where the field count proves it) → dual-stack;
 *   none → single-hop, except `EVENT C0` without a sender, which carries nothing to tell by.
 */
export function familyFromEvent(ev: SkEvent): DongleFamily | undefined {
  switch (ev.type) {
    case 'einfo':
    case 'epandesc':
      return ev.side === undefined ? 'single-hop' : 'dual-stack';
    case 'erxudp':
      return ev.layout === 'single-hop' ? 'single-hop' : 'dual-stack';
    case 'event':
      if (ev.side !== undefined) return 'dual-stack';
      return ev.sender === '' ? undefined : 'single-hop';
    default:
      return undefined;
  }
}

/**
 * The family from an `EVER` version. Always undefined: both families answer a small `x.y.z`
 * (a BP35A1 reports e.g. `1.2.10`), and no public source ties version ranges to a family, so a
 * guess here would send the wrong side argument. Use {@link familyFromEvent} on the EINFO answer
 * to SKINFO instead; this function exists so callers have one place that says so.
 */
export function familyFromVersion(_ever: string): DongleFamily | undefined {
  return undefined;
}
