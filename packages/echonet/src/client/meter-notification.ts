import { decodeProperty } from '../frame/describe.js';
import { ESV, type Frame } from '../frame/types.js';

/**
 * An INF (0x73) or INFC (0x74) the meter sent by itself: EA/EB (fixed-time cumulative energy)
 * every 30 minutes, the node profile's D5 instance list after a join.
 */
export interface MeterNotification {
  readonly esv: number;
  readonly tid: number;
  readonly seoj: number;
  readonly receivedAt: Date;
  readonly properties: ReadonlyArray<{
    readonly epc: number;
    /** Table name (`fixedTimeEnergyNormal`, `instanceListNotification`), or `unknown`. */
    readonly name: string;
    readonly edt: Uint8Array;
    /** Decoded value; undefined when the EDT does not decode. */
    readonly value: unknown;
  }>;
}

/** True for the ESVs a meter pushes without being asked. */
export function isNotification(frame: Frame): boolean {
  return frame.esv === ESV.INF || frame.esv === ESV.INFC;
}

/** The notification a frame carries, values decoded with the table of its sender. */
export function toNotification(frame: Frame, receivedAt: Date): MeterNotification {
  const properties = frame.properties.map((p) => {
    try {
      return { epc: p.epc, edt: p.edt, ...decodeProperty(frame.seoj, p.epc, p.edt) };
    } catch {
      return { epc: p.epc, edt: p.edt, name: 'unknown', value: undefined };
    }
  });
  return { esv: frame.esv, tid: frame.tid, seoj: frame.seoj, receivedAt, properties };
}

/**
 * The confirmation of an INFC (Part 2 §4.2.3.5): INFC_Res with the same TID, EOJs swapped and
 * each EPC at PDC 0.
 */
export function infcResponse(infc: Frame): Frame {
  return {
    tid: infc.tid,
    seoj: infc.deoj,
    deoj: infc.seoj,
    esv: ESV.INFC_Res,
    properties: infc.properties.map((p) => ({ epc: p.epc, edt: new Uint8Array(0) })),
  };
}
