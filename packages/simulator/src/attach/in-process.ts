import { Duplex } from 'node:stream';
import { Simulator, type SimulatorOptions } from '../simulator.js';

/** The host side of the dongle's UART inside this process. */
export interface InProcessAttachment {
  /** A new host-side stream; the previous one ends (one host at a time, like a serial port). @throws Error while unplugged. */
  open(): Duplex;
  /** The stream now connected, if any. */
  readonly current: Duplex | null;
  /** Ends the current stream and stops following the simulator. */
  detach(): void;
}

/**
 * Connects the dongle's UART to Node `Duplex` streams: what the host writes reaches the dongle
 * (on the next turn of the event loop, as with a real port), what the dongle prints is pushed to
 * the host. When the dongle is unplugged the stream ends ('end', then 'close'), and `open()`
 * fails until it is plugged back in. Fits echonet's `DuplexTransport` factory form.
 */
export function attachInProcess(sim: Simulator): InProcessAttachment {
  let current: Duplex | null = null;
  let detached = false;

  const end = (stream: Duplex | null) => {
    if (!stream || stream.destroyed) return;
    stream.push(null);
    stream.destroy();
  };
  const onUnplug = () => {
    end(current);
    current = null;
  };
  const onClose = () => onUnplug();
  sim.on('unplug', onUnplug);
  sim.on('close', onClose);

  return {
    get current() {
      return current;
    },
    open() {
      if (detached) throw new Error('the in-process attachment is detached');
      if (sim.closed) throw new Error('the simulator is closed');
      if (!sim.plugged) throw new Error('the dongle is unplugged');
      end(current);
      let off: (() => void) | null = null;
      const stream: Duplex = new Duplex({
        read() {},
        write(chunk: Buffer, _encoding, callback) {
          const bytes = Uint8Array.from(chunk);
          setImmediate(() => {
            if (current === stream) sim.write(bytes);
          });
          callback();
        },
        destroy(error, callback) {
          off?.();
          off = null;
          if (current === stream) current = null;
          callback(error);
        },
      });
      off = sim.onOutput((bytes) => {
        if (!stream.destroyed) stream.push(Buffer.from(bytes));
      });
      current = stream;
      return stream;
    },
    detach() {
      detached = true;
      sim.off('unplug', onUnplug);
      sim.off('close', onClose);
      end(current);
      current = null;
    },
  };
}

export interface InProcessDongle {
  /** Host side of the dongle's UART (the first `open()`). */
  readonly port: Duplex;
  readonly sim: Simulator;
  /** A fresh host-side stream after the previous one ended (replug); throws while unplugged. */
  open(): Duplex;
  /** Ends the stream and stops the simulator. */
  close(): Promise<void>;
}

/**
 * A simulator with its dongle attached in-process:
 * `const { port, sim } = createInProcessDongle({ model: 'bp35c2', rbid, password })`.
 * @throws RangeError for bad options (see `Simulator`).
 */
export function createInProcessDongle(options: SimulatorOptions): InProcessDongle {
  const sim = new Simulator(options);
  const attachment = attachInProcess(sim);
  const port = attachment.open();
  return {
    port,
    sim,
    open: () => attachment.open(),
    close: async () => {
      attachment.detach();
      await sim.close();
    },
  };
}
