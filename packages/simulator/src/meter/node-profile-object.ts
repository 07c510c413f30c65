import { EOJ, NODE_PROFILE_PROPERTIES as P } from '@b-route/echonet';
import type { EchonetObject } from './esv-handler.js';

/**
 * The meter's node profile object 0x0EF001 (Part 2 §6.11.1): what a controller reads to learn
 * which device objects the node holds. D5 (instance list notification) is also what the meter
 * announces after a PANA join.
 */
export interface NodeProfileOptions {
  /** Device objects of this node. */
  readonly instances: readonly number[];
  /** 8A, 6 hex digits. */
  readonly manufacturerCode: string;
  /** 83, 17 bytes as hex (0xFE, manufacturer code, unique part). */
  readonly identificationNumber: string;
}

/** ECHONET Lite version 1.10, specified message format (82 = 01 0A 01 00). */
const VERSION = { major: 1, minor: 0x0a, messageFormats: 0x0100 } as const;
const STATUS_CHANGE_EPCS = [0x80, 0xd5];
const GET_EPCS = [0x80, 0x82, 0x83, 0x8a, 0x9d, 0x9e, 0x9f, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7];

export class NodeProfileObject implements EchonetObject {
  readonly eoj = EOJ.nodeProfile;
  readonly #o: NodeProfileOptions;

  constructor(options: NodeProfileOptions) {
    this.#o = options;
  }

  /** D5 EDT: the instance list as announced after a join. */
  instanceListNotification(): Uint8Array {
    return P.instanceListNotification.encode([...this.#o.instances]);
  }

  get(epc: number): Uint8Array | undefined {
    const o = this.#o;
    switch (epc) {
      case 0x80:
        return P.operationStatus.encode('on');
      case 0x82:
        return P.version.encode(VERSION);
      case 0x83:
        return P.identificationNumber.encode(o.identificationNumber);
      case 0x8a:
        return P.manufacturerCode.encode(o.manufacturerCode);
      case 0x9d:
        return P.statusChangePropertyMap.encode(STATUS_CHANGE_EPCS);
      case 0x9e:
        return P.setPropertyMap.encode([]);
      case 0x9f:
        return P.getPropertyMap.encode(GET_EPCS);
      case 0xd3:
        return P.instanceCount.encode(o.instances.length);
      case 0xd4:
        // Classes of the node, the node profile class included.
        return P.classCount.encode(new Set(o.instances.map((e) => e >> 8)).size + 1);
      case 0xd5:
        return this.instanceListNotification();
      case 0xd6:
        return P.instanceList.encode([...o.instances]);
      case 0xd7:
        return P.classList.encode([...new Set(o.instances.map((e) => e >> 8))]);
      default:
        return undefined;
    }
  }

  set(): boolean {
    return false;
  }
}
