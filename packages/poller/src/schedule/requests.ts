/**
 * keilog's `requests`: any list of EPC groups with their cycles, e.g.
 * `D3,D7,E1 @ 3600; E7 @ 10; E0,E3 @ 300` ([schedule] requests). Each group is one schedule
 * entry; groups due at the same boundary still go in one frame (nextDue). Pure.
 */
import type { ScheduleEntry } from './schedule.js';

export class RequestsError extends Error {}

/** Shortest cycle accepted (the other [schedule] keys allow the same). */
export const MIN_REQUEST_CYCLE_S = 10;

/**
 * @throws RequestsError naming the group and what it takes
 */
export function parseRequests(text: string): ScheduleEntry[] {
  const groups = text
    .split(/[;\n]/)
    .map((g) => g.trim())
    .filter((g) => g !== '');
  if (groups.length === 0)
    throw new RequestsError('no group: write EPCs @ seconds, e.g. E7 @ 30; E0,E3 @ 300');
  return groups.map((group) => {
    const m = /^([0-9A-Fa-fx, ]+?)\s*@\s*(\d+)\s*s?$/.exec(group);
    if (!m) throw new RequestsError(`"${group}": write EPCs @ seconds, e.g. D3,D7,E1 @ 3600`);
    const seconds = Number(m[2]);
    if (seconds < MIN_REQUEST_CYCLE_S || seconds > 86_400) {
      throw new RequestsError(`"${group}": the cycle must be ${MIN_REQUEST_CYCLE_S} to 86400 seconds`);
    }
    const epcs: number[] = [];
    for (const raw of m[1]!.split(',').map((e) => e.trim())) {
      const e = /^(?:0x)?([0-9a-f]{2})$/i.exec(raw);
      const epc = e ? Number.parseInt(e[1]!, 16) : Number.NaN;
      if (!(epc >= 0x80 && epc <= 0xff)) {
        throw new RequestsError(`"${group}": "${raw}" is not an EPC (two hex digits, 80 to FF)`);
      }
      if (!epcs.includes(epc)) epcs.push(epc);
    }
    const name = epcs.map((e) => e.toString(16).toUpperCase()).join(',');
    return { name, epcs, periodMs: seconds * 1000 };
  });
}
