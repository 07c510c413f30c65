import { toHex } from './hex.js';
import {
  checkInt,
  defineProperty,
  expectSize,
  type PropertyDef,
  rangeError,
  sizeError,
} from './property-def.js';
import { GET_PROPERTY_MAP, SET_PROPERTY_MAP, STATUS_CHANGE_MAP } from './property-map.js';
import {
  FAULT_STATUS,
  IDENTIFICATION_NUMBER,
  MANUFACTURER_CODE,
  OPERATION_STATUS,
} from './superclass-properties.js';

/** Class code of the node profile object (EOJ 0x0EF001 general, 0x0EF002 transmission-only). */
export const NODE_PROFILE_CLASS = 0x0ef0;

/** Instance lists carry at most 84 EOJs per property (Part 2 §6.11.1; more go in further INFs). */
const MAX_INSTANCES = 84;

export interface NodeVersion {
  readonly major: number;
  readonly minor: number;
  /** Supported message formats bitmap (bit 0 specified format, bit 1 arbitrary format). */
  readonly messageFormats: number;
}

/** D5/D6: count (1) then 3 bytes per EOJ. */
function instanceList(epc: number, name: string, label: string): PropertyDef<number[]> {
  return defineProperty<number[]>({
    epc,
    name,
    label,
    settable: false,
    decode(edt) {
      if (edt.length < 1) throw sizeError(epc, '1 + 3n', 0);
      expectSize(epc, edt, 1 + 3 * edt[0]!);
      const out: number[] = [];
      for (let at = 1; at < edt.length; at += 3)
        out.push((edt[at]! << 16) | (edt[at + 1]! << 8) | edt[at + 2]!);
      return out;
    },
    encode(eojs) {
      checkInt(epc, 'number of instances', eojs.length, 0, MAX_INSTANCES);
      const out = new Uint8Array(1 + 3 * eojs.length);
      out[0] = eojs.length;
      eojs.forEach((eoj, i) => {
        checkInt(epc, 'EOJ', eoj, 0, 0xffffff);
        out.set([eoj >> 16, (eoj >> 8) & 0xff, eoj & 0xff], 1 + 3 * i);
      });
      return out;
    },
  });
}

function unsigned(epc: number, name: string, label: string, size: 2 | 3): PropertyDef<number> {
  return defineProperty<number>({
    epc,
    name,
    label,
    settable: false,
    decode(edt) {
      expectSize(epc, edt, size);
      return edt.reduce((acc, b) => acc * 256 + b, 0);
    },
    encode(value) {
      checkInt(epc, name, value, 0, 2 ** (8 * size) - 1);
      const out = new Uint8Array(size);
      for (let i = size - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
      return out;
    },
  });
}

/**
 * Node profile 0x0EF0 properties (Part 2 §6.11.1). 80/83/88/8A/9D–9F share the device super
 * class layout; 82 differs (version of the ECHONET Lite spec, not an Appendix release).
 */
export const NODE_PROFILE_PROPERTIES = {
  operationStatus: OPERATION_STATUS,
  version: defineProperty<NodeVersion>({
    epc: 0x82,
    name: 'version',
    label: 'Version information',
    settable: false,
    decode(edt) {
      expectSize(0x82, edt, 4);
      return { major: edt[0]!, minor: edt[1]!, messageFormats: (edt[2]! << 8) | edt[3]! };
    },
    encode(v) {
      const formats = checkInt(0x82, 'message formats', v.messageFormats, 0, 0xffff);
      return Uint8Array.of(
        checkInt(0x82, 'major', v.major, 0, 0xff),
        checkInt(0x82, 'minor', v.minor, 0, 0xff),
        formats >> 8,
        formats & 0xff,
      );
    },
  }),
  identificationNumber: IDENTIFICATION_NUMBER,
  faultStatus: FAULT_STATUS,
  manufacturerCode: MANUFACTURER_CODE,
  statusChangePropertyMap: STATUS_CHANGE_MAP,
  setPropertyMap: SET_PROPERTY_MAP,
  getPropertyMap: GET_PROPERTY_MAP,
  instanceCount: unsigned(0xd3, 'instanceCount', 'Number of self-node instances', 3),
  classCount: unsigned(0xd4, 'classCount', 'Number of self-node classes (node profile included)', 2),
  instanceListNotification: instanceList(0xd5, 'instanceListNotification', 'Instance list notification'),
  instanceList: instanceList(0xd6, 'instanceList', 'Self-node instance list S'),
  classList: defineProperty<number[]>({
    epc: 0xd7,
    name: 'classList',
    label: 'Self-node class list S',
    settable: false,
    decode(edt) {
      if (edt.length < 1) throw sizeError(0xd7, '1 + 2n', 0);
      expectSize(0xd7, edt, 1 + 2 * edt[0]!);
      const out: number[] = [];
      for (let at = 1; at < edt.length; at += 2) out.push((edt[at]! << 8) | edt[at + 1]!);
      return out;
    },
    encode(classes) {
      // At most 8 class codes (Part 2 §6.11.1); the count byte covers all of them.
      if (classes.length > 8) throw rangeError(0xd7, `${classes.length} classes, at most 8 fit`);
      const out = new Uint8Array(1 + 2 * classes.length);
      out[0] = classes.length;
      classes.forEach((c, i) => {
        checkInt(0xd7, 'class code', c, 0, 0xffff);
        out.set([c >> 8, c & 0xff], 1 + 2 * i);
      });
      return out;
    },
  }),
} as const;

export type NodeProfilePropertyName = keyof typeof NODE_PROFILE_PROPERTIES;

export const NODE_PROFILE_PROPERTY_LIST: readonly PropertyDef[] = Object.values(NODE_PROFILE_PROPERTIES).sort(
  (a, b) => a.epc - b.epc,
);

const BY_EPC = new Map<number, PropertyDef>(NODE_PROFILE_PROPERTY_LIST.map((d) => [d.epc, d]));

/** The table row for an EPC of the node profile class, or undefined. */
export function nodeProfileProperty(epc: number): PropertyDef | undefined {
  return BY_EPC.get(epc);
}

/** Convenience: the EOJs of a D5/D6 EDT. @throws EchonetError `property.size`. */
export function decodeInstanceList(edt: Uint8Array): number[] {
  return NODE_PROFILE_PROPERTIES.instanceList.decode(edt);
}

/** Hex of an EOJ, `0x028801` → `'028801'`. */
export function eojHex(eoj: number): string {
  return toHex(Uint8Array.of(eoj >> 16, (eoj >> 8) & 0xff, eoj & 0xff));
}
