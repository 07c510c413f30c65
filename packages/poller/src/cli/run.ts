/**
 * `start`: options → configuration → logger → meter session (hardware or simulator) → store →
 * poller, until a stop signal. Exit status: 0 after a graceful stop, 1 for a runtime failure
 * (database refused, stop timed out), 2 for a usage or configuration problem.
 */
import { join } from 'node:path';
import { type Clock, FixedPanStore, fixedPan, MeterClient, systemClock } from '@b-route/echonet';
import { ConfigError, configCandidates, databaseTarget, findConfigFile, spoolOptions } from '@b-route/store';
import { createPoller, type PollerApp } from '../app/create-poller.js';
import { formatDongleInfo, readDongleInfo } from '../app/dongle-info.js';
import { enabledSensors, hardwareSensorSources } from '../app/hardware-sensors.js';
import { createLogger, installDebugToggle, type Logger } from '../app/logger.js';
import { installShutdown } from '../app/shutdown.js';
import type { Simulation } from '../app/simulate.js';
import {
  checkFixedPan,
  loadConfig,
  type PollerConfig,
  requireRouteBCredentials,
} from '../config/load-config.js';
import { outputsFromConfig } from '../outputs/open-outputs.js';
import { applyOutputFlags } from '../outputs/output-config.js';
import { scheduleFromConfig } from '../schedule/config-schedule.js';
import { parseUnits } from '../sensors/sensor-line.js';
import { type CliArgs, parseCliArgs, USAGE, UsageError } from './args.js';
import { applyHemsFlags } from './hems-flags.js';

export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory the command was typed in. */
  readonly cwd: string;
  /** Where log lines go. Default process.stderr. */
  readonly logStream?: NodeJS.WritableStream;
  /** Signals come from here. Default process. */
  readonly proc?: NodeJS.Process;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Runs `start` until stopped; resolves to the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`start: ${e.message} (see --help)`);
    return EXIT_USAGE;
  }
  if (args.help) {
    io.stdout(USAGE);
    return EXIT_OK;
  }

  const configPath = await findConfigFile(args.config, io.cwd);
  if (configPath === undefined && !args.simulate && !args.info) {
    io.stderr(noConfigMessage(io.cwd));
    return EXIT_USAGE;
  }
  let config: PollerConfig;
  let warnings: readonly string[];
  try {
    ({ config, warnings } = await loadConfig({
      ...(configPath ? { path: configPath } : {}),
      env: io.env,
      cwd: io.cwd,
    }));
    config = applyHemsFlags(config, args.hems);
    checkFixedPan(config);
    applyOutputFlags(config, args);
    if (!args.simulate && !args.info) requireRouteBCredentials(config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(`start: ${e.message}`);
    return EXIT_USAGE;
  }

  const logger = createLogger({ level: config.log.level, ...(io.logStream ? { stream: io.logStream } : {}) });
  for (const w of warnings) logger.warn({}, w);
  if (configPath) logger.info({ config: configPath }, 'configuration read');
  else logger.info({}, 'no configuration file: defaults (simulation)');

  if (args.info) return info(args, config, io, logger);
  return poll(args, config, io, logger);
}

function noConfigMessage(cwd: string): string {
  return [
    `start: no configuration file (looked for ${configCandidates(cwd).join(' and ')}).`,
    '  To read your meter: cp power_consumption.ini.sample power_consumption.ini, then set [routeB] device,',
    '  and id / password (or the environment variables B_ROUTE_ID / B_ROUTE_PASSWORD); chmod 600 the file.',
    '  To try it without hardware: pnpm --filter poller start --simulate',
  ].join('\n');
}

async function info(args: CliArgs, config: PollerConfig, io: CliIo, logger: Logger): Promise<number> {
  const simulation = args.simulate ? await simulationFor(args, config, logger) : undefined;
  const device = simulation ? `simulated ${simulation.sim.options.model}` : config.routeB.device;
  try {
    const result = await readDongleInfo({
      device: simulation ? () => simulation.openPort() : config.routeB.device,
      baudRate: config.routeB.baud,
      clock: simulation?.clock ?? systemClock,
      logger: logger.child({ ns: 'echonet:sk' }),
    });
    for (const line of formatDongleInfo(result, device)) io.stdout(line);
    return EXIT_OK;
  } catch (e) {
    io.stderr(`start: cannot read the dongle at ${device}: ${(e as Error).message}`);
    return EXIT_FAILURE;
  } finally {
    await simulation?.close();
  }
}

/** The simulator is loaded only for `--simulate`: a poller on real hardware never loads it. */
async function simulationFor(args: CliArgs, config: PollerConfig, logger: Logger): Promise<Simulation> {
  const { createSimulation } = await import('../app/simulate.js');
  return createSimulation({
    speed: args.speed ?? 1,
    seed: args.seed ?? 1,
    ...(args.model ? { model: args.model } : {}),
    ...(args.truth ? { truthFile: args.truth } : {}),
    co2WarmupMs: config.co2.warmupS * 1000,
    bme280: {
      address: config.bme280.address,
      oversampling: {
        temperature: config.bme280.osrsT,
        pressure: config.bme280.osrsP,
        humidity: config.bme280.osrsH,
      },
      filter: config.bme280.filter,
      standbyMs: config.bme280.standbyMs,
    },
    logger,
  });
}

async function poll(args: CliArgs, config: PollerConfig, io: CliIo, logger: Logger): Promise<number> {
  const simulation = args.simulate ? await simulationFor(args, config, logger) : undefined;
  const clock: Clock = simulation?.clock ?? systemClock;
  const client = simulation?.client ?? hardwareClient(config, clock, logger);
  const sources = simulation
    ? {
        cpu: () => simulation.sensors.cpu,
        co2: () => simulation.sensors.co2,
        bme280: () => simulation.sensors.bme280,
      }
    : hardwareSensorSources(config, clock, logger.child({ ns: 'poller:sensors' }));
  const sensors = enabledSensors(config, args, sources);

  let app: PollerApp;
  try {
    const spool = spoolOptions(config.database);
    app = await createPoller({
      client,
      clock,
      logger,
      schedule: scheduleFromConfig(config.schedule),
      ...(config.serial.enabled && !simulation ? { lineSensors: [serialSensorOptions(config.serial)] } : {}),
      historyBackfill: config.schedule.historyBackfill,
      sensors,
      store: {
        target: databaseTarget(config.database),
        // A simulation must not share the spool of a poller running on the same data directory.
        spool: simulation ? { ...spool, dir: join(config.database.dataDir, 'spool-simulated') } : spool,
        logger: logger.child({ ns: 'poller:store' }),
      },
      outputs: outputsFromConfig(config, config.database.dataDir, logger),
    });
  } catch (e) {
    io.stderr(`start: ${(e as Error).message}`);
    await simulation?.close();
    return EXIT_FAILURE;
  }
  const proc = io.proc ?? process;
  const removeToggle = installDebugToggle(logger, proc);
  const shutdown = installShutdown({
    logger,
    proc,
    stop: async () => {
      await app.stop();
      await simulation?.close();
    },
  });
  logger.info(
    {
      meter: simulation
        ? `simulated ${simulation.sim.options.model} (seed ${args.seed ?? 1}, ${args.speed ?? 1}× speed)`
        : config.routeB.device,
      database: app.store.target,
      schedule: config.schedule,
      sensors: sensors.map((s) => `${s.source.name} ${s.source.sensor} every ${s.intervalMs / 1000} s`),
    },
    'poller starting',
  );
  app.start();
  const code = await shutdown.done;
  shutdown.uninstall();
  removeToggle();
  return code;
}

/** [serial] → the options of its SerialLineSensor. */
function serialSensorOptions(serial: PollerConfig['serial']) {
  return {
    device: serial.device,
    baud: serial.baud,
    format: serial.format,
    ...(serial.columns !== undefined ? { columns: serial.columns.split(',').map((c) => c.trim()) } : {}),
    ...(serial.units !== undefined ? { units: parseUnits(serial.units) } : {}),
    ...(serial.name !== undefined ? { sensor: serial.name } : {}),
  };
}

/** A fixed PAN (all three keys, checked by checkFixedPan) replaces the PAN cache: no scan. */
function fixedPanOption(
  routeB: PollerConfig['routeB'],
): { panCache: FixedPanStore } | { panCachePath: string } {
  const { meterChannel, meterPanid, meterIpv6 } = routeB;
  if (meterChannel === undefined || meterPanid === undefined || meterIpv6 === undefined) {
    return { panCachePath: routeB.panCache };
  }
  return { panCache: new FixedPanStore(fixedPan(meterChannel, meterPanid, meterIpv6)) };
}

function hardwareClient(config: PollerConfig, clock: Clock, logger: Logger): MeterClient {
  const { routeB } = requireRouteBCredentials(config);
  return new MeterClient({
    rbid: routeB.id,
    password: routeB.password,
    device: routeB.device,
    baudRate: routeB.baud,
    ...(routeB.dongle === 'auto' ? {} : { model: routeB.dongle }),
    requestTimeoutMs: routeB.timeoutS * 1000,
    retries: routeB.retries,
    ...fixedPanOption(routeB),
    clock,
    logger,
  });
}
