/**
 * Builds the output hub for `createPoller`: the runners and outboxes, the Prometheus exporter
 * (listening before polling starts, so a taken port fails the start), and the session-state
 * feed from the meter client.
 */
import type { Clock } from '@b-route/echonet';
import type { MeterPort } from '../app/meter-port.js';
import type { PollerStore } from '../app/open-store.js';
import type { Poller, PollerLogger } from '../app/poller.js';
import type { OutputsSetup } from './open-outputs.js';
import { OutputHub } from './output-hub.js';
import { PrometheusExporter } from './prometheus-exporter.js';

export interface AttachOutputsOptions {
  readonly setup: OutputsSetup;
  readonly client: MeterPort | undefined;
  readonly store: PollerStore;
  /** The poller, once built (read at scrape time). */
  readonly poller: () => Poller | undefined;
  readonly clock: Clock;
  readonly logger: PollerLogger;
}

export interface AttachedOutputs {
  readonly hub: OutputHub;
  /** The port `/metrics` listens on, when the exporter is on. */
  readonly prometheusPort: number | undefined;
  /** Stops the session feed, drains and closes the outputs. */
  stop(): Promise<void>;
}

/** @throws Error when the exporter cannot listen (port taken); nothing is left open then. */
export async function attachOutputs(options: AttachOutputsOptions): Promise<AttachedOutputs> {
  const { setup, client, store, clock } = options;
  const logger = options.logger.child?.({ ns: 'outputs' }) ?? options.logger;
  const prom = setup.prometheus;
  const hub = await OutputHub.open({
    outputs: setup.outputs,
    outboxDir: setup.outboxDir,
    maxQueue: setup.maxQueue,
    logger,
    ...(prom
      ? {
          prometheus: (h) =>
            new PrometheusExporter({
              port: prom.port,
              host: prom.host,
              staleAfterS: prom.staleAfterS,
              now: () => clock.now(),
              health: {
                ...h,
                sessionState: () => client?.state,
                databaseOnline: () => store.online,
                spoolRows: () => store.spoolRows,
                failedRequests: () => options.poller()?.meterPoller?.stats.failures ?? 0,
              },
            }),
        }
      : {}),
  });
  let prometheusPort: number | undefined;
  try {
    if (hub.exporter) {
      prometheusPort = await hub.exporter.listen();
      logger.info({ port: prometheusPort }, 'prometheus /metrics and /healthz listening');
    }
  } catch (err) {
    await hub.stop(0);
    throw err;
  }
  const onState = (state: string): void => {
    const meter = client?.pan?.mac;
    if (meter) hub.session({ meter, state, time: new Date(clock.now()) });
  };
  client?.on('state', onState);
  return {
    hub,
    prometheusPort,
    async stop() {
      client?.off('state', onState);
      await hub.stop();
    },
  };
}
