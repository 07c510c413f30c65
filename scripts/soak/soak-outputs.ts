/**
 * The soak's outputs: MQTT to a real mosquitto (with an outage of the broker among the
 * faults), Prometheus, and a JSON-lines file, all on during the whole run. At the end each is
 * held against the database, the record of truth: every stored power sample must have reached
 * the MQTT subscriber and the file, and the last one must be what Prometheus shows.
 * Without mosquitto installed the MQTT output is left out and the report says so.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mqttOutput, type OutputsSetup, streamOutput } from '@b-route/poller';
import {
  type Mosquitto,
  type MqttRecorder,
  mosquitto,
  mosquittoPath,
  mqttRecorder,
} from '@b-route/poller/testing/outputs';

export interface OutputDelivery {
  readonly output: string;
  /** Power samples stored in PostgreSQL (for Prometheus: the last one). */
  readonly read: number;
  /** Of those, the ones this output delivered. */
  readonly delivered: number;
  readonly lost: number;
  /** Deliveries of a sample already delivered (at-least-once). */
  readonly duplicates: number;
  /** The first and last sample times not delivered. */
  readonly lostAt: readonly string[];
}

export interface SoakOutputsReport {
  readonly deliveries: readonly OutputDelivery[];
  /** Simulated broker outages, ISO start and minutes. */
  readonly brokerOutages: readonly { readonly at: string; readonly durationMin: number }[];
  /** Power samples stored while the broker was down (each had to wait in the MQTT outbox). */
  readonly storedDuringOutages: number;
  /** Why an output was left out. */
  readonly skipped: readonly string[];
}

export interface SoakOutputs {
  /** Fresh outputs for each poller run (a stopped poller closes its outputs). */
  setup(): OutputsSetup;
  /** Stops the broker when `wait(at)` resolves, starts it again at `at + durationMs`. */
  brokerOutage(
    wait: (at: number) => Promise<unknown>,
    now: () => number,
    at: number,
    durationMs: number,
  ): Promise<void>;
  /** Reads /metrics of the running poller (call before the last stop) at simulated time `now`. */
  scrape(port: number | undefined, now: number): Promise<void>;
  /** Compares with the stored power sample times (epoch ms). */
  report(stored: readonly number[]): Promise<SoakOutputsReport>;
  close(): Promise<void>;
}

export async function startSoakOutputs(workDir: string): Promise<SoakOutputs> {
  const dir = join(workDir, 'outputs');
  const file = join(dir, 'readings.jsonl');
  const skipped: string[] = [];
  let broker: Mosquitto | undefined;
  let recorder: MqttRecorder | undefined;
  if (mosquittoPath()) {
    broker = await mosquitto(join(dir, 'broker'));
    await broker.start();
    recorder = await mqttRecorder(broker.url, ['b-route/+/power'], 'soak-recorder');
  } else {
    skipped.push('mqtt: mosquitto not installed (scripts/setup.sh installs it)');
  }
  const outages: { at: string; durationMin: number }[] = [];
  let lastScraped: number | undefined;
  let scrapedAt = 0;

  const setup = (): OutputsSetup => ({
    outputs: [
      ...(broker
        ? [
            {
              target: mqttOutput({
                url: broker.url,
                clientId: 'soak-poller',
                reconnectMs: 200,
                logger: silent,
              }),
              runner: { retryMs: 200, retryMaxMs: 1_000 },
            },
          ]
        : []),
      { target: streamOutput({ format: 'json', file }) },
    ],
    outboxDir: join(dir, 'outbox'),
    maxQueue: 1_000_000,
    prometheus: { port: 0, host: '127.0.0.1', staleAfterS: 300 },
  });

  return {
    setup,
    async brokerOutage(wait, now, at, durationMs) {
      if (!broker) return;
      await wait(at);
      outages.push({ at: new Date(now()).toISOString(), durationMin: durationMs / 60_000 });
      await broker.stop();
      await wait(at + durationMs);
      await broker.start();
    },
    async scrape(port, now) {
      if (port === undefined) return;
      scrapedAt = now;
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const m = /^b_route_last_reading_timestamp_seconds\{[^}]*\} ([0-9.e+]+)$/m.exec(text);
      lastScraped = m ? Number(m[1]) * 1000 : undefined;
    },
    async report(stored) {
      const truth = new Set(stored.map((t) => new Date(t).toISOString()));
      const deliveries: OutputDelivery[] = [];
      const against = (output: string, got: readonly string[]): OutputDelivery => {
        const seen = new Set(got);
        const missing = [...truth].filter((t) => !seen.has(t)).sort();
        const delivered = truth.size - missing.length;
        const lostAt = missing.length > 0 ? [missing[0]!, missing.at(-1)!] : [];
        return {
          output,
          read: truth.size,
          delivered,
          lost: missing.length,
          duplicates: got.length - seen.size,
          lostAt,
        };
      };
      if (recorder) {
        // QoS 1 to a persistent session: give the last messages a moment to arrive.
        const all = (): Set<string> => new Set([...recorder!.timestamps.values()].flatMap((s) => [...s]));
        const end = Date.now() + 10_000;
        while ([...truth].some((t) => !all().has(t)) && Date.now() < end)
          await new Promise((r) => setTimeout(r, 100));
        deliveries.push(against('mqtt', [...all()]));
      }
      const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
      const power = lines
        .map((l) => JSON.parse(l) as { kind: string; timestamp: string })
        .filter((r) => r.kind === 'power')
        .map((r) => r.timestamp);
      deliveries.push(against('file', power));
      // The newest sample stored by the time of the scrape is what Prometheus must have shown.
      const last = Math.max(...stored.filter((t) => t <= scrapedAt));
      deliveries.push({
        output: 'prometheus',
        read: 1,
        delivered: lastScraped === last ? 1 : 0,
        lost: lastScraped === last ? 0 : 1,
        duplicates: 0,
        lostAt: lastScraped === last ? [] : [new Date(last).toISOString()],
      });
      const during = stored.filter((t) =>
        outages.some((o) => t >= Date.parse(o.at) && t < Date.parse(o.at) + o.durationMin * 60_000),
      ).length;
      return { deliveries, brokerOutages: outages, storedDuringOutages: during, skipped };
    },
    async close() {
      await recorder?.close();
      await broker?.stop();
    },
  };
}

const drop = (): void => {};
const silent = { debug: drop, info: drop, warn: drop, error: drop };
