#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { redactCommand } from '@b-route/echonet';
import { type ByteEndpoint, mhz19Endpoint, onEndpointLifecycle } from '../attach/byte-endpoint.js';
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
  /** The MH-Z19 CO2 sensor's PTY (`--co2-pty`). */
  readonly co2Pty: PtyAttachment | null;
  /** The MH-Z19 CO2 sensor's TCP server (`--co2-tcp`). */
  readonly co2Tcp: TcpAttachment | null;
  stop(): Promise<void>;
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');

/** `endpoint` with each chunk traced in hex, `<` host → device, `>` device → host. */
function traced(endpoint: ByteEndpoint, trace: (line: string) => void): ByteEndpoint {
  return {
    get present() {
      return endpoint.present;
    },
    get closed() {
      return endpoint.closed;
    },
    write(bytes) {
      trace(`< ${hex(bytes)}`);
      endpoint.write(bytes);
    },
    onOutput: (listener) =>
      endpoint.onOutput((bytes) => {
        trace(`> ${hex(bytes)}`);
        listener(bytes);
      }),
    onLifecycle: (listener) => onEndpointLifecycle(endpoint, listener),
  };
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
  let co2Tcp: TcpAttachment | null = null;
  let co2Pty: PtyAttachment | null = null;
  // One endpoint per attachment: a host on the PTY does not hear the answers to a TCP host.
  const co2 = () =>
    config.verbose ? traced(mhz19Endpoint(sim), (m) => io.err(`co2: ${m}`)) : mhz19Endpoint(sim);
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
    if (config.co2Tcp !== undefined) {
      co2Tcp = await serveTcp(co2(), {
        port: config.co2Tcp,
        host: config.host,
        onConnection: (event, remote) => io.out(`co2 tcp ${event}: ${remote}`),
      });
    }
    if (config.co2Pty !== undefined) {
      co2Pty = await attachPty(co2(), {
        path: config.co2Pty,
        onState: (state, detail) => {
          if (state === 'error') io.err(`co2 pty: ${detail}`);
        },
      });
    }
  } catch (e) {
    await co2Tcp?.close();
    await pty?.close();
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
  if (co2Pty) io.out(`MH-Z19 CO2 sensor listening on ${co2Pty.path}`);
  if (co2Tcp) io.out(`MH-Z19 CO2 sensor listening on tcp://${co2Tcp.host}:${co2Tcp.port}`);

  let stopping: Promise<void> | null = null;
  return {
    sim,
    pty,
    tcp,
    co2Pty,
    co2Tcp,
    stop: () => {
      stopping ??= (async () => {
        await co2Pty?.close();
        await co2Tcp?.close();
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

// Run as a program (node dist/cli/main.js, or the b-route-simulator link npm makes), not imported.
const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  main(process.argv.slice(2), process.env, {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  }).then((code) => process.exit(code));
}
