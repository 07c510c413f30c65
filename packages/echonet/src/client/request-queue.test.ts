import { describe, expect, it } from 'vitest';
import { EchonetError, isEchonetError } from '../errors.js';
import { EOJ, ESV, type Frame } from '../frame/types.js';
import { ManualClock, settle } from './manual-clock.js';
import { type RawValues, RequestQueue, type RequestQueueOptions } from './request-queue.js';

const edt = (...b: number[]) => Uint8Array.from(b);

function setup(options: Partial<RequestQueueOptions> = {}) {
  const clock = new ManualClock();
  const sent: Frame[] = [];
  let failNext = 0;
  let silences = 0;
  const queue = new RequestQueue({
    clock,
    send: async (f) => {
      sent.push(f);
      if (failNext > 0) {
        failNext--;
        throw new EchonetError('sk.fail', 'FAIL ER10', { context: { code: 'ER10' } });
      }
    },
    onSilence: () => {
      silences++;
      queue.setOpen(false);
    },
    ...options,
  });
  queue.setOpen(true);
  const reply = (f: Frame, esv: number, props: [number, Uint8Array][], tid = f.tid) =>
    queue.handleFrame({
      tid,
      seoj: f.deoj,
      deoj: EOJ.controller,
      esv,
      properties: props.map(([epc, e]) => ({ epc, edt: e })),
    });
  return {
    clock,
    sent,
    queue,
    reply,
    failSends: (n: number) => {
      failNext = n;
    },
    silences: () => silences,
  };
}

const epcsOf = (f: Frame) => f.properties.map((p) => p.epc);

describe('RequestQueue', () => {
  it('sends properties asked in the same turn in one Get frame and answers each caller', async () => {
    const { sent, queue, reply } = setup();
    const a = queue.get([0xe7]);
    const b = queue.get([0xe8]);
    const c = queue.get([0xe0, 0xe7]);
    await settle();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ esv: ESV.Get, seoj: EOJ.controller, deoj: EOJ.smartMeter });
    expect(epcsOf(sent[0]!)).toEqual([0xe7, 0xe8, 0xe0]);
    expect(
      reply(sent[0]!, ESV.Get_Res, [
        [0xe7, edt(0, 0, 2, 0x78)],
        [0xe8, edt(0, 0x1e, 0, 0x32)],
        [0xe0, edt(0, 0, 0xfe, 0x73)],
      ]),
    ).toBe(true);
    expect((await a).get(0xe7)).toEqual(edt(0, 0, 2, 0x78));
    expect([...(await b).keys()]).toEqual([0xe8]);
    expect([...(await c).keys()].sort()).toEqual([0xe0, 0xe7]);
    expect(queue.pending).toBe(0);
  });

  it('merges what was asked while a frame was in flight into the next frame, 1 s after the last', async () => {
    const { sent, queue, reply, clock } = setup();
    const first = queue.get([0xe7]);
    await settle();
    const later = [queue.get([0xe0]), queue.get([0xe3]), queue.get([0xe7])];
    await settle();
    expect(sent).toHaveLength(1);
    clock.advance(400);
    reply(sent[0]!, ESV.Get_Res, [[0xe7, edt(0, 0, 0, 1)]]);
    await first;
    await settle();
    expect(sent).toHaveLength(1);
    clock.advance(599);
    await settle();
    expect(sent).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(sent).toHaveLength(2);
    // E7 was asked again while in flight: the answer in flight serves that caller too.
    expect(epcsOf(sent[1]!)).toEqual([0xe0, 0xe3]);
    reply(sent[1]!, ESV.Get_Res, [
      [0xe0, edt(0, 0, 0, 2)],
      [0xe3, edt(0, 0, 0, 3)],
    ]);
    const values = await Promise.all(later);
    expect(values.map((m) => [...m.values()][0]![3])).toEqual([2, 3, 1]);
  });

  it('sends again with a new TID after the timeout and still takes a late answer to the old one', async () => {
    const { sent, queue, reply, clock } = setup({ timeoutMs: 10_000 });
    const p = queue.get([0xe7]);
    await settle();
    clock.advance(9_999);
    await settle();
    expect(sent).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.tid).not.toBe(sent[0]!.tid);
    expect(epcsOf(sent[1]!)).toEqual([0xe7]);
    reply(sent[0]!, ESV.Get_Res, [[0xe7, edt(0, 0, 0, 9)]]);
    expect((await p).get(0xe7)).toEqual(edt(0, 0, 0, 9));
    // The answer to the resend arrives too: a duplicate, not a new reading.
    expect(reply(sent[1]!, ESV.Get_Res, [[0xe7, edt(0, 0, 0, 9)]])).toBe(false);
  });

  it('declares silence after 1 + retries unanswered sends; the request waits for the next session', async () => {
    const { sent, queue, reply, clock, silences } = setup({ timeoutMs: 1000, retries: 2, minIntervalMs: 0 });
    let result: RawValues | undefined;
    void queue.get([0xe7]).then((v) => {
      result = v;
    });
    for (let i = 0; i < 3; i++) {
      await settle();
      clock.advance(1000);
    }
    await settle();
    expect(sent).toHaveLength(3);
    expect(silences()).toBe(1);
    clock.advance(60_000);
    await settle();
    expect(sent).toHaveLength(3);
    expect(result).toBeUndefined();
    queue.setOpen(true);
    await settle();
    expect(sent).toHaveLength(4);
    reply(sent[3]!, ESV.Get_Res, [[0xe7, edt(0, 0, 0, 5)]]);
    await settle();
    expect(result?.get(0xe7)).toEqual(edt(0, 0, 0, 5));
  });

  it('sends again when the dongle reports a failed send (EVENT 21 PARAM 01, FAIL ER10)', async () => {
    const { sent, queue, reply, clock, failSends } = setup();
    failSends(1);
    const p = queue.get([0xe7]);
    await settle();
    expect(sent).toHaveLength(1);
    clock.advance(1000);
    await settle();
    expect(sent).toHaveLength(2);
    reply(sent[1]!, ESV.Get_Res, [[0xe7, edt(0, 0, 0, 7)]]);
    expect((await p).get(0xe7)).toEqual(edt(0, 0, 0, 7));
  });

  it('splits a Get_SNA without values into halves down to single properties, then remembers', async () => {
    const { sent, queue, reply, clock } = setup({ minIntervalMs: 0 });
    const p = queue.get([0xe7, 0xe8, 0xd0, 0xe0]);
    await settle();
    reply(sent[0]!, ESV.Get_SNA, [
      [0xe7, edt()],
      [0xe8, edt()],
      [0xd0, edt()],
      [0xe0, edt()],
    ]);
    await settle();
    expect(epcsOf(sent[1]!)).toEqual([0xe7, 0xe8]);
    reply(sent[1]!, ESV.Get_Res, [
      [0xe7, edt(0, 0, 0, 1)],
      [0xe8, edt(0, 1, 0, 2)],
    ]);
    await settle();
    expect(epcsOf(sent[2]!)).toEqual([0xd0, 0xe0]);
    reply(sent[2]!, ESV.Get_SNA, [
      [0xd0, edt()],
      [0xe0, edt()],
    ]);
    await settle();
    expect(epcsOf(sent[3]!)).toEqual([0xd0]);
    reply(sent[3]!, ESV.Get_SNA, [[0xd0, edt()]]);
    await settle();
    expect(epcsOf(sent[4]!)).toEqual([0xe0]);
    reply(sent[4]!, ESV.Get_Res, [[0xe0, edt(0, 0, 0, 3)]]);
    const values = await p;
    expect(values.get(0xd0)).toBeNull();
    expect(values.get(0xe0)).toEqual(edt(0, 0, 0, 3));
    expect([...queue.unsupported()]).toEqual([0xd0]);
    // Known unsupported: answered at once, never asked again.
    clock.advance(5000);
    expect((await queue.get([0xd0])).get(0xd0)).toBeNull();
    await settle();
    expect(sent).toHaveLength(5);
  });

  it('takes the values of a Get_SNA that has some and marks the empty ones unsupported', async () => {
    const { sent, queue, reply } = setup();
    const p = queue.get([0xe7, 0x83]);
    await settle();
    reply(sent[0]!, ESV.Get_SNA, [
      [0xe7, edt(0, 0, 1, 0)],
      [0x83, edt()],
    ]);
    const v = await p;
    expect(v.get(0xe7)).toEqual(edt(0, 0, 1, 0));
    expect(v.get(0x83)).toBeNull();
    expect(sent).toHaveLength(1);
  });

  it('asks again for properties a Get_Res left out', async () => {
    const { sent, queue, reply, clock } = setup();
    const p = queue.get([0xe7, 0xe8]);
    await settle();
    reply(sent[0]!, ESV.Get_Res, [[0xe7, edt(0, 0, 1, 0)]]);
    clock.advance(1000);
    await settle();
    expect(epcsOf(sent[1]!)).toEqual([0xe8]);
    reply(sent[1]!, ESV.Get_Res, [[0xe8, edt(0, 1, 0, 1)]]);
    expect([...(await p).keys()].sort()).toEqual([0xe7, 0xe8]);
  });

  it('holds frames while closed and sends the one in flight again after reopening', async () => {
    const { sent, queue, reply, clock } = setup();
    const p = queue.get([0xe7]);
    await settle();
    queue.setOpen(false); // EVENT 29: re-authenticating
    const q = queue.get([0xe8]);
    clock.advance(60_000);
    await settle();
    expect(sent).toHaveLength(1);
    queue.setOpen(true); // EVENT 25
    await settle();
    expect(sent).toHaveLength(2);
    expect(epcsOf(sent[1]!)).toEqual([0xe7]);
    reply(sent[1]!, ESV.Get_Res, [[0xe7, edt(0, 0, 0, 1)]]);
    await p;
    clock.advance(1000);
    await settle();
    reply(sent[2]!, ESV.Get_Res, [[0xe8, edt(0, 0, 0, 1)]]);
    await q;
  });

  it('sends a SetC alone and in order, rejecting with request.sna on SetC_SNA', async () => {
    const { sent, queue, reply, clock } = setup({ minIntervalMs: 0 });
    const g1 = queue.get([0xe7]);
    const s = queue.set([{ epc: 0xe5, edt: edt(1) }]);
    const g2 = queue.get([0xe2]);
    await settle();
    expect(sent.map((f) => f.esv)).toEqual([ESV.Get]);
    reply(sent[0]!, ESV.Get_Res, [[0xe7, edt(0, 0, 0, 1)]]);
    await settle();
    expect(sent[1]).toMatchObject({ esv: ESV.SetC, properties: [{ epc: 0xe5, edt: edt(1) }] });
    reply(sent[1]!, ESV.Set_Res, [[0xe5, edt()]]);
    await s;
    await settle();
    expect(epcsOf(sent[2]!)).toEqual([0xe2]);
    reply(sent[2]!, ESV.Get_Res, [[0xe2, edt(0, 1)]]);
    await Promise.all([g1, g2]);
    const bad = queue.set([{ epc: 0xe5, edt: edt(200) }]);
    clock.advance(10);
    await settle();
    reply(sent[3]!, ESV.SetC_SNA, [[0xe5, edt(200)]]);
    await expect(bad).rejects.toMatchObject({ code: 'request.sna' });
  });

  it('keeps the expected answer under the size budget by spreading large properties over frames', async () => {
    const { sent, queue, reply, clock } = setup({ maxResponseBytes: 300, minIntervalMs: 0 });
    const p = queue.get([0xe2, 0xe4, 0xe7]);
    await settle();
    expect(epcsOf(sent[0]!)).toEqual([0xe2, 0xe7]);
    reply(sent[0]!, ESV.Get_Res, [
      [0xe2, edt(0)],
      [0xe7, edt(0)],
    ]);
    clock.advance(1);
    await settle();
    expect(epcsOf(sent[1]!)).toEqual([0xe4]);
    reply(sent[1]!, ESV.Get_Res, [[0xe4, edt(0)]]);
    await p;
  });

  it('ignores answers from another object or with an unknown TID', async () => {
    const { sent, queue } = setup();
    void queue.get([0xe7]);
    await settle();
    const f = sent[0]!;
    const props = [{ epc: 0xe7, edt: edt(0, 0, 0, 1) }];
    expect(
      queue.handleFrame({
        tid: f.tid,
        seoj: EOJ.nodeProfile,
        deoj: EOJ.controller,
        esv: ESV.Get_Res,
        properties: props,
      }),
    ).toBe(false);
    expect(
      queue.handleFrame({
        tid: f.tid + 1,
        seoj: f.deoj,
        deoj: EOJ.controller,
        esv: ESV.Get_Res,
        properties: props,
      }),
    ).toBe(false);
    expect(queue.pending).toBe(1);
  });

  it('rejects on abort and on close, and refuses new requests after close', async () => {
    const { queue } = setup();
    const ac = new AbortController();
    const p = queue.get([0xe7], EOJ.smartMeter, { signal: ac.signal });
    ac.abort(new Error('poll cancelled'));
    await expect(p).rejects.toMatchObject({ code: 'request.aborted' });
    const q = queue.get([0xe8]);
    queue.close();
    const err = await q.catch((e: unknown) => e);
    expect(isEchonetError(err, 'client.closed')).toBe(true);
    await expect(queue.get([0xe7])).rejects.toMatchObject({ code: 'client.closed' });
  });
});
