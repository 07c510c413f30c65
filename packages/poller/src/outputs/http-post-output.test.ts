/**
 * A real HTTP receiver that goes down and comes back (and one that hangs): every reading
 * arrives, with the bearer token, and the outbox on disk carries what was held across a restart
 * of the poller.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../app/testing/rig.js';
import { httpPostOutput } from './http-post-output.js';
import { OutputHub } from './output-hub.js';
import type { OutputRecord } from './output-record.js';
import { powerRecords, until } from './testing/records.js';

interface Receiver {
  readonly url: string;
  readonly ids: string[];
  readonly auth: (string | undefined)[];
  /** 'up' answers 200, 'error' 503, 'hang' never answers. */
  mode: 'up' | 'error' | 'hang';
  listen(): Promise<void>;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
}

async function receiver(port = 0): Promise<Receiver> {
  let server: Server | undefined;
  const r: Receiver = {
    url: '',
    ids: [],
    auth: [],
    mode: 'up',
    async listen() {
      server = createServer(async (req, res) => {
        const text = await body(req);
        if (r.mode === 'hang') return;
        if (r.mode === 'error') return void res.writeHead(503).end();
        r.auth.push(req.headers.authorization);
        r.ids.push(...(JSON.parse(text) as { records: OutputRecord[] }).records.map((x) => x.id));
        res.writeHead(204).end();
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', () => resolve()));
      port = (server.address() as AddressInfo).port;
      (r as { url: string }).url = `http://127.0.0.1:${port}/readings`;
    },
    async close() {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    },
  };
  await r.listen();
  return r;
}

describe('httpPostOutput', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outputs-http-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('delivers every reading through a receiver that is down, errs and hangs, with the bearer token', async () => {
    const rx = await receiver();
    const logger = memoryLogger();
    const hub = await OutputHub.open({
      outputs: [
        {
          target: httpPostOutput({ url: rx.url, token: 't0ken', timeoutMs: 300 }),
          runner: { batchSize: 25, retryMs: 20, retryMaxMs: 100 },
        },
      ],
      outboxDir: join(dir, 'a'),
      logger,
    });
    const records = powerRecords(200);
    for (const r of records.slice(0, 50)) hub.publish(r);
    await until(() => rx.ids.length >= 50, 5_000, 'first batch');
    await rx.close(); // down: connection refused
    for (const r of records.slice(50, 100)) hub.publish(r);
    await until(() => hub.stats()[0]!.failures >= 2, 5_000, 'failures while down');
    await rx.listen();
    rx.mode = 'error';
    for (const r of records.slice(100, 150)) hub.publish(r);
    await until(() => hub.stats()[0]!.failures >= 4, 5_000, 'failures on 503');
    rx.mode = 'hang';
    await until(() => hub.stats()[0]!.failures >= 6, 5_000, 'failures on a hung receiver (timeout)');
    rx.mode = 'up';
    for (const r of records.slice(150)) hub.publish(r);
    await until(() => new Set(rx.ids).size === 200, 10_000, 'every reading');
    expect([...new Set(rx.ids)].sort()).toEqual(records.map((r) => r.id).sort());
    expect(rx.auth.every((a) => a === 'Bearer t0ken')).toBe(true);
    expect(hub.stats()[0]).toMatchObject({ offered: 200, delivered: 200, pending: 0, dropped: 0 });
    await hub.stop();
    await rx.close();
  });

  it('keeps what a receiver away for the whole run did not get, and sends it on the next run', async () => {
    const rx = await receiver();
    await rx.close();
    const logger = memoryLogger();
    const open = () =>
      OutputHub.open({
        outputs: [
          {
            target: httpPostOutput({ url: rx.url, timeoutMs: 300 }),
            runner: { retryMs: 20, retryMaxMs: 50 },
          },
        ],
        outboxDir: join(dir, 'b'),
        logger,
      });
    const first = await open();
    const records = powerRecords(120, Date.parse('2026-12-07T00:00:00Z'));
    for (const r of records) first.publish(r);
    await first.stop(100);
    await rx.listen();
    const second = await open();
    await until(() => new Set(rx.ids).size === 120, 10_000, 'held readings after the restart');
    await second.stop();
    await rx.close();
  });
});
