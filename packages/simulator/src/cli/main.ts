import { pathToFileURL } from 'node:url';
import { redactCommand } from '@b-route/echonet';
import { attachPty, type PtyAttachment } from '../attach/pty.js';
import { serveTcp, type TcpAttachment } from '../attach/tcp.js';
import { formatFaultSpec } from '../faults/spec.js';
import { Simulator } from '../simulator.js';
import { type CliConfig, parseCliArgs, USAGE } from './args.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface RunningCli {
  readonly sim: Simulator;
  readonly pty: PtyAttachment | null;
  readonly tcp: TcpAttachment | null;
  stop(): Promise<void>;
}

/** Starts the simulator and its attachments for `config`; prints where it listens. */
export async function startCli(config: CliConfig, io: CliIo): Promise<RunningCli> {
  const sim = new Simulator({
    model: config.model,
    rbid: config.rbid,
    password: config.password,
    speed: config.speed,
    seed: config.seed,
    faults: config.faults,
    ...(config.start ? { start: config.start } : {}),
    ...(config.stateDir ? { stateDir: config.stateDir } : {}),
    ...(config.truthFile ? { truthFile: config.truthFile } : {}),
    ...(config.picky ? { picky: config.picky } : {}),
    ...(config.solar ? { solar: config.solar } : {}),
    ...(config.sendBudgetMs ? { sendBudgetMs: config.sendBudgetMs } : {}),
    ...(config.verbose ? { trace: (m: string) => io.err(`dongle: ${redactCommand(m)}`) } : {}),
  });
  const profile = sim.dongle.profile;
  sim.on('unplug', (ms) => io.out(`dongle unplugged for ${ms / 1000} s (simulated)`));
  sim.on('replug', () => io.out('dongle plugged back in'));
  sim.on('reset', () => io.out('dongle rebooted (fault)'));

  let tcp: TcpAttachment | null = null;
  let pty: PtyAttachment | null = null;
  try {
    if (config.tcp !== undefined) {
      tcp = await serveTcp(sim, {
        port: config.tcp,
        host: config.host,
        onConnection: (event, remote) => io.out(`tcp ${event}: ${remote}`),
      });
    }
    if (config.pty !== undefined) {
      pty = await attachPty(sim, {
        path: config.pty,
        onState: (state, detail) => {
          if (state === 'error') io.err(`pty: ${detail}`);
          else io.out(`pty ${config.pty} ${state === 'ready' ? 'is there' : 'is gone'}`);
        },
      });
    }
  } catch (e) {
    await tcp?.close();
    await sim.close();
    throw e;
  }

  const radio = sim.radio;
  io.out(`simulator: ${profile.label} (${config.model}, ${profile.family}), EVER ${profile.version}`);
  io.out(
    `meter: MAC ${radio.mac}, channel ${radio.channel.toString(16).toUpperCase()}, PAN ID ${radio.panId
      .toString(16)
      .toUpperCase()
      .padStart(4, '0')}, pairing ID ${radio.pairingId}`,
  );
  io.out(`clock: ${sim.clock.date().toISOString()} at ${config.speed}× speed, seed ${config.seed}`);
  const faults = formatFaultSpec(sim.faults.settings);
  if (faults) io.out(`faults: ${faults}`);
  io.out(`flash: ${config.stateDir ?? 'in memory'} (${sim.flash.writes} writes so far)`);
  if (pty) io.out(`listening on ${pty.path}`);
  if (tcp) io.out(`listening on tcp://${tcp.host}:${tcp.port}`);

  let stopping: Promise<void> | null = null;
  return {
    sim,
    pty,
    tcp,
    stop: () => {
      stopping ??= (async () => {
        await pty?.close();
        await tcp?.close();
        await sim.close();
        io.out(`stopped (flash writes: ${sim.flash.writes})`);
      })();
      return stopping;
    },
  };
}

/** The `simulator` command. Resolves with the exit code once stopped (2 = usage error). */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const parsed = parseCliArgs(argv, env);
  if (!parsed.ok) {
    if ('help' in parsed) {
      io.out(USAGE);
      return 0;
    }
    io.err(`simulator: ${parsed.message}`);
    io.err('Run with --help for usage.');
    return 2;
  }
  let running: RunningCli;
  try {
    running = await startCli(parsed.config, io);
  } catch (e) {
    io.err(`simulator: ${(e as Error).message}`);
    return 1;
  }
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      io.out(`${signal}: stopping`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      running.stop().then(
        () => resolve(0),
        (e: Error) => {
          io.err(`simulator: ${e.message}`);
          resolve(1);
        },
      );
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  main(process.argv.slice(2), process.env, {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  }).then((code) => process.exit(code));
}
