/**
 * Test support (`@b-route/poller/testing`): a real PostgreSQL database, the simulator's meter and sensors on
 * one simulated clock, the store (writer + spool) and a poller wired as the CLI wires them, and
 * the meter's ground truth read back for comparison.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTruthFile, type SimClock } from '@b-route/simulator';
import { createTestDatabase, type TestDatabase } from '@b-route/store/testing';
import { createPoller, type PollerApp } from '../create-poller.js';
import { meterSchedule } from '../meter-poller.js';
import type { MeterPort } from '../meter-port.js';
import type { PollerLogger, PollerOptions } from '../poller.js';

export interface LogLine {
  readonly level: string;
  readonly ns: string | undefined;
  readonly obj: Record<string, unknown>;
  readonly msg: string;
}

/** A logger that keeps every line (children add their `ns`). */
export function memoryLogger(
  lines: LogLine[] = [],
  bindings: Record<string, unknown> = {},
): PollerLogger & { lines: LogLine[] } {
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({
        level,
        ns: bindings.ns as string | undefined,
        obj: obj as Record<string, unknown>,
        msg: msg ?? '',
      });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (b: Record<string, unknown>) => memoryLogger(lines, { ...bindings, ...b }),
  };
}

export type { HalfHourTruth, PowerTruthRecord as PowerTruth } from '@b-route/simulator';

/** The simulator's `--truth` file: every power sample served and every half-hour count. */
export const readTruth = readTruthFile;

/** Resolves when the simulated clock reaches `at`. */
export function untilSim(clock: SimClock, at: number): Promise<void> {
  return new Promise((resolve) => {
    if (clock.now() >= at) resolve();
    else clock.setTimeoutAt(() => resolve(), at);
  });
}

/** `stop()` ends the poller (SKTERM) and closes the store (flush, or spool). */
export type RigRun = PollerApp;

export interface Rig {
  readonly db: TestDatabase;
  readonly dir: string;
  readonly logger: PollerLogger & { lines: LogLine[] };
  /** A poller on `client` writing through a fresh store (same spool directory every time). */
  start(
    client: MeterPort,
    clock: SimClock,
    options?: Partial<PollerOptions> & { databaseUrl?: string; storeRetryMs?: number },
  ): Promise<RigRun>;
  close(): Promise<void>;
}

export async function createRig(): Promise<Rig> {
  const db = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'poller-test-'));
  const logger = memoryLogger();
  return {
    db,
    dir,
    logger,
    async start(client, clock, options = {}) {
      const { databaseUrl, storeRetryMs, ...pollerOptions } = options;
      const app = await createPoller({
        client,
        clock,
        logger,
        schedule: meterSchedule(),
        ...pollerOptions,
        store: {
          target: { url: databaseUrl ?? db.url },
          spool: { dir: join(dir, 'spool') },
          logger: logger.child!({ ns: 'store' }),
          ...(storeRetryMs === undefined ? {} : { retryMs: storeRetryMs }),
        },
      });
      app.start();
      return app;
    },
    async close() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
