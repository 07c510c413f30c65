/**
 * Run by pubsub-output.test.ts in a plain Node process (vitest's forks resolve the 'module'
 * condition, which picks @opentelemetry/api's bundler-only ESM build): creates a topic and a
 * subscription on the emulator, publishes the sample entries through `pubsubOutput` behind an
 * `OutputHub`, and prints what the subscription received as one JSON line.
 * Usage: node --import tsx pubsub-roundtrip.ts <emulator host:port>
 */
import { silentLogger } from '@b-route/store';
import { OutputHub } from '../output-hub.js';
import { loadPubSub, pubsubOutput } from '../pubsub-output.js';
import { ENTRIES, until } from './records.js';

const host = process.argv[2]!;
const { PubSub } = loadPubSub();
const admin = new PubSub({ projectId: 'b-route-test', apiEndpoint: host, emulatorMode: true });
const [topic] = await admin.createTopic('readings');
const [sub] = await topic.createSubscription('all');
const got: { data: unknown; attributes: Record<string, string> }[] = [];
sub.on('message', (m) => {
  got.push({ data: JSON.parse(m.data.toString()), attributes: m.attributes });
  m.ack();
});
const hub = await OutputHub.open({
  outputs: [{ target: pubsubOutput({ projectId: 'b-route-test', topic: 'readings', emulatorHost: host }) }],
  logger: silentLogger,
});
for (const e of ENTRIES) hub.entry(e);
await until(() => got.length >= ENTRIES.length, 20_000, 'messages');
await hub.stop();
await sub.close();
await admin.close();
process.stdout.write(`${JSON.stringify({ got, stats: hub.stats() })}\n`);
process.exit(0);
