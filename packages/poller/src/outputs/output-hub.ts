/**
 * The fan-out: every row the poller stores also goes, as a record, to each output's runner and
 * to the Prometheus exporter. The database comes first and is never waited on by an output;
 * an output that throws or lags is isolated behind its own queue (see `OutputRunner`).
 */
import type { RowKind, StoreEntry, StoreRows } from '@b-route/store';
import type { PollerLogger } from '../app/poller.js';
import type { RowSink } from '../app/sink.js';
import { Outbox } from './outbox.js';
import { type OutputRecord, type SessionChange, sessionRecord, toRecord } from './output-record.js';
import {
  OutputRunner,
  type OutputRunnerOptions,
  type OutputStats,
  type OutputTarget,
} from './output-runner.js';
import type { HealthSource, PrometheusExporter } from './prometheus-exporter.js';

export interface OutputSpec {
  readonly target: OutputTarget;
  /** Runner tuning (batch size, retry waits). */
  readonly runner?: Omit<OutputRunnerOptions, 'target' | 'outbox' | 'logger'>;
}

export interface OutputHubOptions {
  readonly outputs: readonly OutputSpec[];
  /** Outboxes are kept on disk here (one file per output); omitted, in memory only. */
  readonly outboxDir?: string;
  /** Records held per output. Default 200 000. */
  readonly maxQueue?: number;
  /** Builds the exporter once the hub exists (it reads the hub's stats). */
  readonly prometheus?: (health: Pick<HealthSource, 'outputs'>) => PrometheusExporter;
  readonly logger: PollerLogger;
}

const fileName = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, '_');

export class OutputHub {
  readonly runners: readonly OutputRunner[];
  readonly exporter: PrometheusExporter | undefined;
  readonly #log: PollerLogger;

  private constructor(
    runners: OutputRunner[],
    exporter: PrometheusExporter | undefined,
    logger: PollerLogger,
  ) {
    this.runners = runners;
    this.exporter = exporter;
    this.#log = logger;
  }

  /** Opens each output's outbox (reloading what a previous run left). */
  static async open(options: OutputHubOptions): Promise<OutputHub> {
    const runners: OutputRunner[] = [];
    for (const spec of options.outputs) {
      const logger = options.logger;
      const outbox = await Outbox.open({
        name: fileName(spec.target.name),
        ...(options.outboxDir ? { dir: options.outboxDir } : {}),
        ...(options.maxQueue ? { maxRecords: options.maxQueue } : {}),
        logger,
      });
      runners.push(new OutputRunner({ ...spec.runner, target: spec.target, outbox, logger }));
    }
    let hub: OutputHub | undefined;
    const exporter = options.prometheus?.({ outputs: () => hub?.stats() ?? [] });
    hub = new OutputHub(runners, exporter, options.logger);
    for (const r of runners) r.kick();
    return hub;
  }

  stats(): OutputStats[] {
    return this.runners.map((r) => r.stats);
  }

  publish(record: OutputRecord): void {
    try {
      this.exporter?.observe(record);
    } catch (err) {
      this.#log.error({ err }, 'prometheus exporter cannot take a record');
    }
    for (const r of this.runners) r.offer(record);
  }

  entry(entry: StoreEntry): void {
    let record: OutputRecord;
    try {
      record = toRecord(entry);
    } catch (err) {
      this.#log.error({ err, kind: entry.kind }, 'cannot turn a row into an output record');
      return;
    }
    this.publish(record);
  }

  session(change: SessionChange): void {
    this.publish(sessionRecord(change));
  }

  /** A sink that gives each row to `inner` (the store) first, then to the outputs. */
  wrap(inner: RowSink): RowSink {
    return {
      add: <K extends RowKind>(kind: K, row: StoreRows[K]): void => {
        inner.add(kind, row);
        this.entry({ kind, row } as StoreEntry);
      },
      flush: () => inner.flush(),
    };
  }

  /** Drains each output for up to `drainMs` (in parallel), then closes them and the exporter. */
  async stop(drainMs = 2_000): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop(drainMs)));
    await this.exporter?.close();
  }
}
