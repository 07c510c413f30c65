/**
 * Outputs test support (`@b-route/poller/testing/outputs`), free of vitest so programs (the soak)
 * can use it: a real mosquitto, a recorder of what reaches the broker, HA's discovery rules.
 */
import mqtt from 'mqtt';

export * from './ha-rules.js';
export * from './mosquitto.js';

export interface MqttRecorder {
  /** Distinct `timestamp`s seen per topic. */
  readonly timestamps: Map<string, Set<string>>;
  close(): Promise<void>;
}

/**
 * Subscribes to `topics` with a persistent session (QoS 1), as Home Assistant does, so what is
 * published while it is away, or across a broker restart, still reaches it.
 */
export async function mqttRecorder(
  url: string,
  topics: string[],
  clientId = 'b-route-recorder',
): Promise<MqttRecorder> {
  const client = mqtt.connect(url, { clientId, clean: false, reconnectPeriod: 100 });
  const timestamps = new Map<string, Set<string>>();
  client.on('message', (topic, payload) => {
    try {
      const t = (JSON.parse(payload.toString()) as { timestamp?: string }).timestamp;
      if (typeof t !== 'string') return;
      const set = timestamps.get(topic) ?? new Set<string>();
      timestamps.set(topic, set);
      set.add(t);
    } catch {
      // not a state payload
    }
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(topics, { qos: 1 });
  return { timestamps, close: () => client.endAsync() };
}
