import { EchonetError } from '../errors.js';
import { Cursor } from './cursor.js';
import { ESV, type EsvName, type Frame, type Property } from './types.js';

/** EHD1 0x10 = ECHONET Lite; EHD2 0x81 = format 1 (specified message format), Part 2 §3.2.1. */
const EHD1 = 0x10;
const EHD2_FORMAT1 = 0x81;
/** EHD2 0x82 = format 2 (arbitrary message format): no EPC/PDC structure to decode. */
const EHD2_FORMAT2 = 0x82;
/** EHD (2) + TID (2) + SEOJ (3) + DEOJ (3) + ESV (1) + OPC (1). */
const HEADER_SIZE = 12;

const ESV_NAMES = new Map<number, EsvName>(
  (Object.entries(ESV) as [EsvName, number][]).map(([name, code]) => [code, name]),
);

/** The name of an ESV code (`0x72` → `'Get_Res'`), undefined for codes Part 2 does not define. */
export function esvName(esv: number): EsvName | undefined {
  return ESV_NAMES.get(esv);
}

/** True for responses and notifications (0x7X): Set_Res, Get_Res, INF, INFC, INFC_Res, SetGet_Res. */
export function isResponseEsv(esv: number): boolean {
  return ESV_NAMES.has(esv) && (esv & 0xf0) === 0x70;
}

/** True for the "not possible" answers (0x5X): SetI_SNA, SetC_SNA, Get_SNA, INF_SNA, SetGet_SNA. */
export function isSnaEsv(esv: number): boolean {
  return ESV_NAMES.has(esv) && (esv & 0xf0) === 0x50;
}

/** SetGet, SetGet_Res and SetGet_SNA carry an OPCSet list then an OPCGet list (Part 2 §3.2.5). */
export function isSetGetEsv(esv: number): boolean {
  return esv === ESV.SetGet || esv === ESV.SetGet_Res || esv === ESV.SetGet_SNA;
}

/**
 * Decodes one ECHONET Lite format-1 frame. EDTs are copies, independent of `bytes`.
 * @throws EchonetError `frame.ehd` (not 0x1081, including format 2 0x1082), `frame.truncated`,
 *   `frame.invalid` (unknown ESV), `frame.pdc-overrun`, `frame.trailing-bytes`. Context has `offset`.
 */
export function decodeFrame(bytes: Uint8Array): Frame {
  const c = new Cursor(bytes);
  const ehd1 = c.u8('EHD1');
  const ehd2 = c.u8('EHD2');
  if (ehd1 !== EHD1 || ehd2 !== EHD2_FORMAT1) {
    const reason =
      ehd1 !== EHD1
        ? `EHD1 0x${hex2(ehd1)} is not ECHONET Lite (0x10)`
        : ehd2 === EHD2_FORMAT2
          ? 'EHD2 0x82 is the arbitrary message format (format 2), which has no properties to decode'
          : `EHD2 0x${hex2(ehd2)} is not format 1 (0x81)`;
    throw new EchonetError('frame.ehd', `${reason} (offset 0)`, { context: { offset: 0, ehd1, ehd2 } });
  }
  const tid = c.u16('TID');
  const seoj = c.u24('SEOJ');
  const deoj = c.u24('DEOJ');
  const esvOffset = c.offset;
  const esv = c.u8('ESV');
  if (!ESV_NAMES.has(esv)) {
    throw new EchonetError('frame.invalid', `unknown ESV 0x${hex2(esv)} at offset ${esvOffset}`, {
      context: { offset: esvOffset, esv },
    });
  }
  const properties = readProperties(c, 'OPC');
  const getProperties = isSetGetEsv(esv) ? readProperties(c, 'OPCGet') : undefined;
  if (c.remaining > 0) {
    throw new EchonetError(
      'frame.trailing-bytes',
      `${c.remaining} byte(s) after the last property at offset ${c.offset}`,
      { context: { offset: c.offset, count: c.remaining } },
    );
  }
  return getProperties === undefined
    ? { tid, seoj, deoj, esv, properties }
    : { tid, seoj, deoj, esv, properties, getProperties };
}

function readProperties(c: Cursor, opcName: string): Property[] {
  const opc = c.u8(opcName);
  const out: Property[] = [];
  for (let i = 0; i < opc; i++) {
    const epc = c.u8(`EPC of property ${i + 1}/${opc}`);
    const pdcOffset = c.offset;
    const pdc = c.u8(`PDC of property ${i + 1}/${opc}`);
    if (pdc > c.remaining) {
      throw new EchonetError(
        'frame.pdc-overrun',
        `PDC ${pdc} of EPC 0x${hex2(epc)} at offset ${pdcOffset} overruns the frame (${c.remaining} byte(s) left)`,
        { context: { offset: pdcOffset, epc, pdc, have: c.remaining } },
      );
    }
    out.push({ epc, edt: c.bytes(pdc) });
  }
  return out;
}

/**
 * Encodes a frame (format 1). For SetGet ESVs an absent `getProperties` is encoded as OPCGet 0.
 * @throws EchonetError `frame.invalid` when TID is not 0..0xFFFF, an EOJ not 24-bit, the ESV
 *   unknown, a list longer than 255, an EPC not a byte, an EDT longer than 255 bytes, or
 *   `getProperties` given for an ESV outside the SetGet family.
 */
export function encodeFrame(frame: Frame): Uint8Array {
  const { tid, seoj, deoj, esv, properties, getProperties } = frame;
  checkInt('TID', tid, 0xffff);
  checkInt('SEOJ', seoj, 0xffffff);
  checkInt('DEOJ', deoj, 0xffffff);
  if (!ESV_NAMES.has(esv)) invalid(`unknown ESV ${esv}`, { esv });
  const setGet = isSetGetEsv(esv);
  if (!setGet && getProperties !== undefined) {
    invalid(`getProperties given for ESV 0x${hex2(esv)}, which carries one list`, { esv });
  }
  const lists = setGet ? [properties, getProperties ?? []] : [properties];
  let size = HEADER_SIZE - 1;
  for (const list of lists) {
    if (list.length > 255) invalid(`${list.length} properties exceed OPC 255`, { count: list.length });
    size += 1;
    for (const p of list) {
      checkInt('EPC', p.epc, 0xff);
      if (p.edt.length > 255) {
        invalid(`EDT of EPC 0x${hex2(p.epc)} is ${p.edt.length} bytes, PDC allows 255`, {
          epc: p.epc,
          length: p.edt.length,
        });
      }
      size += 2 + p.edt.length;
    }
  }
  const out = new Uint8Array(size);
  const head = [EHD1, EHD2_FORMAT1, tid >> 8, tid & 0xff];
  head.push(seoj >> 16, (seoj >> 8) & 0xff, seoj & 0xff, deoj >> 16, (deoj >> 8) & 0xff, deoj & 0xff, esv);
  out.set(head, 0);
  let at = head.length;
  for (const list of lists) {
    out[at++] = list.length;
    for (const p of list) {
      out[at++] = p.epc;
      out[at++] = p.edt.length;
      out.set(p.edt, at);
      at += p.edt.length;
    }
  }
  return out;
}

function checkInt(field: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    invalid(`${field} ${value} is outside 0..0x${max.toString(16).toUpperCase()}`, { field, value });
  }
}

function invalid(message: string, context: Record<string, unknown>): never {
  throw new EchonetError('frame.invalid', message, { context });
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
