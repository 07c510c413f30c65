/**
 * PANA (RFC 5191) messages as the meter (PAA) sends them to the dongle (PaC) on UDP port 716
 * (0x02CC) during SKJOIN, re-authentication and SKTERM. The SK stack prints them as ERXUDP
 * lines; a client never has to understand them, but they must be well-formed and plausible.
 * EAP-PSK (RFC 4764) is the EAP method of the B-route.
 */

export const PANA_PORT = 0x02cc;

/** Message types (RFC 5191 §7). */
export const PANA_TYPE = { clientInitiation: 1, auth: 2, termination: 3, notification: 4 } as const;

/** Header flags (RFC 5191 §6.2). */
export const PANA_FLAG = {
  request: 0x8000,
  start: 0x4000,
  complete: 0x2000,
  reauth: 0x1000,
  ping: 0x0800,
} as const;

/** AVP codes (RFC 5191 §8). */
export const PANA_AVP = {
  auth: 1,
  eapPayload: 2,
  integrityAlgorithm: 3,
  keyId: 4,
  nonce: 5,
  prfAlgorithm: 6,
  resultCode: 7,
  sessionLifetime: 8,
  terminationCause: 9,
} as const;

export const PANA_RESULT = { success: 0, authenticationRejected: 1 } as const;

export interface PanaAvp {
  readonly code: number;
  readonly value: Uint8Array;
}

export interface PanaMessage {
  readonly type: number;
  readonly flags: number;
  readonly sessionId: number;
  readonly seq: number;
  readonly avps: readonly PanaAvp[];
}

/** Wire bytes of a PANA message: 16-byte header, then AVPs padded to 4 bytes. */
export function encodePana(msg: PanaMessage): Uint8Array {
  let length = 16;
  for (const a of msg.avps) length += 8 + pad4(a.value.length);
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  view.setUint16(2, length);
  view.setUint16(4, msg.flags);
  view.setUint16(6, msg.type);
  view.setUint32(8, msg.sessionId >>> 0);
  view.setUint32(12, msg.seq >>> 0);
  let at = 16;
  for (const a of msg.avps) {
    view.setUint16(at, a.code);
    view.setUint16(at + 4, a.value.length);
    out.set(a.value, at + 8);
    at += 8 + pad4(a.value.length);
  }
  return out;
}

/** Header fields and AVP codes of a PANA message, or null if it is not one. */
export function decodePana(bytes: Uint8Array): PanaMessage | null {
  if (bytes.length < 16) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0 || view.getUint16(2) !== bytes.length) return null;
  const avps: PanaAvp[] = [];
  let at = 16;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) return null;
    const code = view.getUint16(at);
    const len = view.getUint16(at + 4);
    if (at + 8 + len > bytes.length) return null;
    avps.push({ code, value: bytes.slice(at + 8, at + 8 + len) });
    at += 8 + pad4(len);
  }
  return {
    type: view.getUint16(6),
    flags: view.getUint16(4),
    sessionId: view.getUint32(8),
    seq: view.getUint32(12),
    avps,
  };
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
}

/** EAP packet (RFC 3748): code, identifier, length, then type and type data for requests. */
function eap(code: number, id: number, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[0] = code;
  out[1] = id & 0xff;
  new DataView(out.buffer).setUint16(2, out.length);
  out.set(body, 4);
  return out;
}

const EAP_REQUEST = 1;
const EAP_SUCCESS = 3;
const EAP_FAILURE = 4;
const EAP_TYPE_PSK = 47;

function eapPsk(flagsT: number, fields: readonly Uint8Array[]): Uint8Array {
  let len = 2;
  for (const f of fields) len += f.length;
  const out = new Uint8Array(len);
  out[0] = EAP_TYPE_PSK;
  out[1] = flagsT << 6;
  let at = 2;
  for (const f of fields) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

/** Random bytes from the caller's generator (the simulator is seeded). */
export type RandomBytes = (n: number) => Uint8Array;

/** The PAA's side of one PANA session: keeps the sequence number and session id. */
export class PanaPeer {
  readonly sessionId: number;
  #seq: number;
  #eapId: number;
  readonly #random: RandomBytes;
  readonly #serverId: Uint8Array;

  constructor(random: RandomBytes, serverId: string) {
    this.#random = random;
    const r = random(9);
    this.sessionId = new DataView(r.buffer).getUint32(0);
    this.#seq = new DataView(r.buffer).getUint32(4);
    this.#eapId = r[8]!;
    this.#serverId = new TextEncoder().encode(serverId);
  }

  #next(type: number, flags: number, avps: PanaAvp[]): Uint8Array {
    this.#seq = (this.#seq + 1) >>> 0;
    return encodePana({ type, flags, sessionId: this.sessionId, seq: this.#seq, avps });
  }

  #eapRequest(flagsT: number, fields: Uint8Array[]): PanaAvp {
    this.#eapId = (this.#eapId + 1) & 0xff;
    return { code: PANA_AVP.eapPayload, value: eap(EAP_REQUEST, this.#eapId, eapPsk(flagsT, fields)) };
  }

  /** PANA-Auth-Request with S flag: the PAA's answer to PANA-Client-Initiation. */
  start(): Uint8Array {
    return this.#next(PANA_TYPE.auth, PANA_FLAG.request | PANA_FLAG.start, [
      { code: PANA_AVP.prfAlgorithm, value: u32(5) }, // PRF_HMAC_SHA2_256
      { code: PANA_AVP.integrityAlgorithm, value: u32(12) }, // AUTH_HMAC_SHA2_256_128
    ]);
  }

  /** PANA-Auth-Request carrying EAP-PSK message 1 (RAND_S, ID_S). */
  pskFirst(): Uint8Array {
    return this.#next(PANA_TYPE.auth, PANA_FLAG.request, [
      { code: PANA_AVP.nonce, value: this.#random(16) },
      this.#eapRequest(0, [this.#random(16), this.#serverId]),
    ]);
  }

  /** PANA-Auth-Request carrying EAP-PSK message 3 (RAND_S, MAC_S, protected channel). */
  pskThird(): Uint8Array {
    return this.#next(PANA_TYPE.auth, PANA_FLAG.request, [
      this.#eapRequest(2, [this.#random(16), this.#random(16), this.#random(4), new Uint8Array([0x80])]),
    ]);
  }

  /** Final PANA-Auth-Request (C flag): EAP-Success with the session lifetime, or EAP-Failure. */
  complete(success: boolean, lifetimeS: number): Uint8Array {
    this.#eapId = (this.#eapId + 1) & 0xff;
    const avps: PanaAvp[] = [
      {
        code: PANA_AVP.resultCode,
        value: u32(success ? PANA_RESULT.success : PANA_RESULT.authenticationRejected),
      },
      { code: PANA_AVP.eapPayload, value: eap(success ? EAP_SUCCESS : EAP_FAILURE, this.#eapId) },
    ];
    if (success) {
      avps.push({ code: PANA_AVP.keyId, value: this.#random(4) });
      avps.push({ code: PANA_AVP.sessionLifetime, value: u32(lifetimeS) });
      avps.push({ code: PANA_AVP.auth, value: this.#random(16) });
    }
    return this.#next(PANA_TYPE.auth, PANA_FLAG.request | PANA_FLAG.complete, avps);
  }

  /** PANA-Notification-Answer with A flag: the PAA accepts a re-authentication. */
  reauthAnswer(): Uint8Array {
    return this.#next(PANA_TYPE.notification, PANA_FLAG.reauth, [
      { code: PANA_AVP.auth, value: this.#random(16) },
    ]);
  }

  /** PANA-Termination-Answer (answer to the PaC's termination request after SKTERM). */
  terminationAnswer(): Uint8Array {
    return this.#next(PANA_TYPE.termination, 0, [{ code: PANA_AVP.auth, value: this.#random(16) }]);
  }
}

/** Size of the PaC's own PANA messages, for the transmit-time budget (they are not printed). */
export const PAC_MESSAGE_BYTES = { initiation: 16, answer: 60, reauth: 40, termination: 48 } as const;
