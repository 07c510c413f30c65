/**
 * Readings to a Google Cloud Pub/Sub topic with the official client, one message per record:
 * data is the record as JSON, attributes `meter` (the source), `kind` and `id` (the
 * idempotency key) so subscriptions can filter without parsing. Credentials come the client's
 * usual way (GOOGLE_APPLICATION_CREDENTIALS, or PUBSUB_EMULATOR_HOST for the emulator).
 */
import { createRequire } from 'node:module';
import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { OutputTarget } from './output-runner.js';

export interface PubSubOutputOptions {
  readonly projectId: string;
  readonly topic: string;
  /** `host:port` of the emulator; sets the client's apiEndpoint without TLS. */
  readonly emulatorHost?: string;
}

/**
 * The client (gRPC, protobufs: a second of start-up on a Raspberry Pi) is loaded only when the
 * output is on, and by Node's own `require`, so its CommonJS build is used everywhere (under
 * Vite the 'module' condition would pick @opentelemetry/api's bundler-only ESM build).
 */
export function loadPubSub(): typeof import('@google-cloud/pubsub') {
  return createRequire(import.meta.url)('@google-cloud/pubsub') as typeof import('@google-cloud/pubsub');
}

export function pubsubOutput(options: PubSubOutputOptions): OutputTarget {
  const client: PubSub = new (loadPubSub().PubSub)({
    projectId: options.projectId,
    ...(options.emulatorHost ? { apiEndpoint: options.emulatorHost, emulatorMode: true } : {}),
  });
  let topic: Topic | undefined;
  return {
    name: `pubsub:${options.topic}`,
    async deliver(batch) {
      topic ??= client.topic(options.topic, { batching: { maxMessages: 100, maxMilliseconds: 50 } });
      const t = topic;
      await Promise.all(
        batch.map((r) =>
          t.publishMessage({
            data: Buffer.from(JSON.stringify({ timestamp: r.time, ...r.values })),
            attributes: { meter: r.source, kind: r.kind, id: r.id },
          }),
        ),
      );
    },
    async close() {
      await topic?.flush().catch(() => undefined);
      await client.close();
    },
  };
}
