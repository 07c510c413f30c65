import { isEchonetError } from '../errors.js';
import { esvName } from './codec.js';
import { toHex } from './hex.js';
import { formatJst, formatJstDate, type JstDateTime } from './jst-time.js';
import { meterProperty, SMART_METER_CLASS } from './meter-properties.js';
import { eojHex, NODE_PROFILE_CLASS, nodeProfileProperty } from './node-profile.js';
import { epcHex, type PropertyDef } from './property-def.js';
import type { Frame, Property } from './types.js';

/** The table row for `epc` of the object `eoj` (classes 0x0288 and 0x0EF0), or undefined. */
export function propertyDef(eoj: number, epc: number): PropertyDef | undefined {
  const cls = eoj >>> 8;
  if (cls === SMART_METER_CLASS) return meterProperty(epc);
  if (cls === NODE_PROFILE_CLASS) return nodeProfileProperty(epc);
  return undefined;
}

/**
 * Decodes one property of object `eoj`. PDC 0 (a Get request, or a property the answer lacks
 * in Get_SNA) gives `value: null`; an EPC without a table row gives `{ name: 'unknown', value: hex }`.
 * @throws EchonetError `property.size` / `property.range` for an EDT the table rejects.
 */
export function decodeProperty(eoj: number, epc: number, edt: Uint8Array): { name: string; value: unknown } {
  const def = propertyDef(eoj, epc);
  if (edt.length === 0) return { name: def?.name ?? 'unknown', value: null };
  if (def === undefined) return { name: 'unknown', value: toHex(edt) };
  return { name: def.name, value: def.decode(edt) };
}

export interface PropertyDescription {
  readonly epc: string;
  readonly name: string;
  readonly edt: string;
  readonly value?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface FrameDescription {
  readonly tid: number;
  readonly seoj: string;
  readonly deoj: string;
  readonly esv: string;
  readonly properties: PropertyDescription[];
  readonly getProperties?: PropertyDescription[];
}

/**
 * A JSON-friendly view of a frame: EOJs and EDTs as hex, ESV by name, values decoded with the
 * table of the object the properties belong to (SEOJ for responses/notifications/SNA, DEOJ for
 * requests). Date-times become ISO strings with +09:00, dates `YYYY-MM-DD`, clock `HH:MM`.
 * A property whose EDT does not decode carries `error` instead of `value`.
 */
export function describeFrame(frame: Frame): FrameDescription {
  const subject = (frame.esv & 0xf0) === 0x60 ? frame.deoj : frame.seoj;
  const describe = (p: Property): PropertyDescription => {
    const base = { epc: epcHex(p.epc), edt: toHex(p.edt) };
    try {
      const { name, value } = decodeProperty(subject, p.epc, p.edt);
      return { ...base, name, value: toJson(value) };
    } catch (e) {
      if (!isEchonetError(e)) throw e;
      const name = propertyDef(subject, p.epc)?.name ?? 'unknown';
      return { ...base, name, error: { code: e.code, message: e.message } };
    }
  };
  const out: FrameDescription = {
    tid: frame.tid,
    seoj: eojHex(frame.seoj),
    deoj: eojHex(frame.deoj),
    esv: esvName(frame.esv) ?? `0x${epcHex(frame.esv)}`,
    properties: frame.properties.map(describe),
  };
  return frame.getProperties === undefined
    ? out
    : { ...out, getProperties: frame.getProperties.map(describe) };
}

/** Plain JSON data: Uint8Array → hex, JST date-times/dates/clock times → ISO strings. */
export function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort().join(',');
  const v = value as Record<string, number>;
  if (keys === 'day,hour,minute,month,second,year') return formatJst(value as JstDateTime);
  if (keys === 'day,month,year') return formatJstDate(value as JstDateTime);
  if (keys === 'hour,minute') return `${pad(v.hour!)}:${pad(v.minute!)}`;
  return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, toJson(x)]));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
