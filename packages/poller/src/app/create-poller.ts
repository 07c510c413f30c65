/**
 * The one way a poller is put together: the store (spool, then the database) opened, and a
 * Poller writing into it that pauses its backfill while the database is away. The `start`
 * command, the demo, the soak, the bench and the tests all build theirs here, so they run the
 * same wiring and differ only in options.
 */
import type { Clock } from '@b-route/echonet';
import { type AttachedOutputs, attachOutputs } from '../outputs/attach-outputs.js';
import type { OutputsSetup } from '../outputs/open-outputs.js';
import { type OpenStoreOptions, openStore, type PollerStore } from './open-store.js';
import { Poller, type PollerLogger, type PollerOptions } from './poller.js';
import { SerialLineSensor, type SerialLineSensorOptions } from './serial-line-sensor.js';

export interface CreatePollerOptions
  extends Omit<PollerOptions, 'sink' | 'slots' | 'databaseOnline' | 'clock' | 'logger'> {
  readonly clock: Clock;
  readonly logger: PollerLogger;
  /** Where rows go: the database target, the spool and store tuning. */
  readonly store: Omit<OpenStoreOptions, 'clock' | 'logger'> & { readonly logger?: PollerLogger };
  /** Where readings go besides the database (MQTT, Prometheus, files…); `outputsFromConfig`. */
  readonly outputs?: OutputsSetup;
  /** Serial sensors that print lines by themselves ([serial]); default none. */
  readonly lineSensors?: readonly Omit<SerialLineSensorOptions, 'sink' | 'clock' | 'logger'>[];
}

export interface PollerApp {
  readonly poller: Poller;
  readonly lineSensors: readonly SerialLineSensor[];
  readonly store: PollerStore;
  /** The outputs besides the database, when any are on. */
  readonly outputs: AttachedOutputs | undefined;
  /** Starts polling (and the sensors); returns at once. */
  start(): void;
  /** Stops the loops, flushes the rows (to the database, else the spool) and closes the store. */
  stop(): Promise<void>;
}

/**
 * @throws StoreError from `openStore` ('store.auth', 'store.config', 'store.embedded',
 *   'store.migration', 'store.spool'); nothing is left open then.
 */
export async function createPoller(options: CreatePollerOptions): Promise<PollerApp> {
  const {
    store: storeOptions,
    outputs: outputsSetup,
    lineSensors: lineOptions = [],
    ...pollerOptions
  } = options;
  const store = await openStore({
    ...storeOptions,
    clock: options.clock,
    logger: storeOptions.logger ?? options.logger,
  });
  let poller: Poller | undefined;
  let outputs: AttachedOutputs | undefined;
  try {
    outputs = outputsSetup
      ? await attachOutputs({
          setup: outputsSetup,
          client: options.client,
          store,
          poller: () => poller,
          clock: options.clock,
          logger: options.logger,
        })
      : undefined;
  } catch (err) {
    await store.close();
    throw err;
  }
  const sink = outputs ? outputs.hub.wrap(store.sink) : store.sink;
  poller = new Poller({
    ...pollerOptions,
    sink,
    slots: store.slots,
    databaseOnline: () => store.online,
  });
  const lineSensors = lineOptions.map(
    (o) =>
      new SerialLineSensor({
        ...o,
        sink,
        clock: options.clock,
        logger: options.logger as SerialLineSensorOptions['logger'],
      }),
  );
  const started = poller;
  return {
    poller: started,
    lineSensors,
    store,
    outputs,
    start: () => {
      started.start();
      for (const s of lineSensors) s.start();
    },
    stop: async () => {
      await Promise.all(lineSensors.map((s) => s.stop()));
      await started.stop({
        afterLoops: async () => {
          // The database first: outputs drain after every row is stored or spooled.
          await store.close();
          await outputs?.stop();
        },
      });
    },
  };
}
