/**
 * ECHONET Lite frame model (Part 2, ch. 3: format 1, EHD 0x1081). Pure data, no I/O.
 */

/** A property as carried in a frame: EPC, then PDC bytes of EDT (PDC is `edt.length`). */
export interface Property {
  readonly epc: number;
  readonly edt: Uint8Array;
}

/**
 * One ECHONET Lite frame. EOJs are 24-bit numbers (class group, class, instance), e.g.
 * `0x028801` for the low-voltage smart meter. For SetGet (6E/7E/5E) `properties` is the Set
 * list and `getProperties` the Get list; for every other ESV `getProperties` is absent.
 */
export interface Frame {
  readonly tid: number;
  readonly seoj: number;
  readonly deoj: number;
  readonly esv: number;
  readonly properties: readonly Property[];
  readonly getProperties?: readonly Property[];
}

/** ESV codes (Part 2, table 3-9..3-11). */
export const ESV = {
  SetI_SNA: 0x50,
  SetC_SNA: 0x51,
  Get_SNA: 0x52,
  INF_SNA: 0x53,
  SetGet_SNA: 0x5e,
  SetI: 0x60,
  SetC: 0x61,
  Get: 0x62,
  INF_REQ: 0x63,
  SetGet: 0x6e,
  Set_Res: 0x71,
  Get_Res: 0x72,
  INF: 0x73,
  INFC: 0x74,
  INFC_Res: 0x7a,
  SetGet_Res: 0x7e,
} as const;
export type EsvName = keyof typeof ESV;

/** Well-known EOJs. */
export const EOJ = {
  controller: 0x05ff01,
  nodeProfile: 0x0ef001,
  smartMeter: 0x028801,
} as const;
