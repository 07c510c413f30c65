import { describe, expect, it } from 'vitest';
import { NotificationHub } from './notification-stream.js';

describe('NotificationHub', () => {
  it('delivers items to every subscriber in order, waiting or buffered', async () => {
    const hub = new NotificationHub<number>();
    const a = hub.subscribe();
    const b = hub.subscribe();
    const first = a.next();
    hub.publish(1);
    hub.publish(2);
    expect(await first).toEqual({ value: 1, done: false });
    expect(await a.next()).toEqual({ value: 2, done: false });
    expect(await b.next()).toEqual({ value: 1, done: false });
    expect(await b.next()).toEqual({ value: 2, done: false });
  });

  it('drops the oldest items of a subscriber that does not read', async () => {
    const hub = new NotificationHub<number>(2);
    const s = hub.subscribe();
    for (let i = 1; i <= 5; i++) hub.publish(i);
    expect(s.dropped).toBe(3);
    expect((await s.next()).value).toBe(4);
  });

  it('ends for-await loops on end(), and unsubscribes a loop that breaks', async () => {
    const hub = new NotificationHub<string>();
    const seen: string[] = [];
    const loop = (async () => {
      for await (const x of hub.subscribe()) seen.push(x);
    })();
    const breaker = (async () => {
      for await (const _x of hub.subscribe()) break;
    })();
    hub.publish('EA');
    await breaker;
    expect(hub.size).toBe(1);
    hub.publish('EB');
    hub.end();
    await loop;
    expect(seen).toEqual(['EA', 'EB']);
    expect(hub.size).toBe(0);
    expect(await hub.subscribe().next()).toEqual({ value: undefined, done: true });
  });
});
