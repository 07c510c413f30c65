import { seededRandom } from '@b-route/core';
import { describe, expect, it } from 'vitest';
import { decodePana, PANA_AVP, PANA_FLAG, PANA_TYPE, PanaPeer } from './pana.js';

function randomBytes(seed: number) {
  const r = seededRandom(seed);
  return (n: number) => Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}

describe('PANA messages of the simulated meter', () => {
  it('builds a well-formed exchange with increasing sequence numbers and one session id', () => {
    const peer = new PanaPeer(randomBytes(1), 'meter');
    const msgs = [peer.start(), peer.pskFirst(), peer.pskThird(), peer.complete(true, 86400)].map(
      (m) => decodePana(m)!,
    );
    expect(msgs.every((m) => m !== null)).toBe(true);
    expect(msgs[0]!.type).toBe(PANA_TYPE.auth);
    expect(msgs[0]!.flags).toBe(PANA_FLAG.request | PANA_FLAG.start);
    expect(new Set(msgs.map((m) => m.sessionId)).size).toBe(1);
    for (let i = 1; i < msgs.length; i++) expect(msgs[i]!.seq).toBe((msgs[i - 1]!.seq + 1) >>> 0);
    const done = msgs[3]!;
    expect(done.flags & PANA_FLAG.complete).toBeTruthy();
    const result = done.avps.find((a) => a.code === PANA_AVP.resultCode)!;
    expect(new DataView(result.value.buffer).getUint32(0)).toBe(0);
    const lifetime = done.avps.find((a) => a.code === PANA_AVP.sessionLifetime)!;
    expect(new DataView(lifetime.value.buffer).getUint32(0)).toBe(86400);
    // EAP-Success = code 3
    expect(done.avps.find((a) => a.code === PANA_AVP.eapPayload)!.value[0]).toBe(3);
  });

  it('rejects with Result-Code 1 and EAP-Failure', () => {
    const m = decodePana(new PanaPeer(randomBytes(2), 'meter').complete(false, 0))!;
    expect(new DataView(m.avps[0]!.value.buffer).getUint32(0)).toBe(1);
    expect(m.avps[1]!.value[0]).toBe(4);
  });

  it('refuses bytes that are not PANA', () => {
    expect(decodePana(new Uint8Array([0x10, 0x81, 0, 1]))).toBeNull();
  });
});
