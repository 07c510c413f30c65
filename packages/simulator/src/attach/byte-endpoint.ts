import { Simulator } from '../simulator.js';

/** Presence changes of a device behind an attachment. */
export type EndpointEvent = 'unplug' | 'replug' | 'close';

/**
 * A device's side of a byte pipe, what `serveTcp` and `attachPty` serve: the dongle's UART, a
 * sensor's UART, anything that takes bytes and emits bytes.
 *
 * Only `write` and `onOutput` are required. A device that can disappear also gives `present`
 * (false while unplugged: attachments drop their host and refuse new ones until replug) and
 * `onLifecycle`; one that ends gives `closed` and a `close` event (attachments then close).
 */
export interface ByteEndpoint {
  /** Host → device bytes. */
  write(bytes: Uint8Array): void;
  /** Device → host bytes. Returns an unsubscribe function. */
  onOutput(listener: (bytes: Uint8Array) => void): () => void;
  /** False while the device is unplugged. Default: always present. */
  readonly present?: boolean;
  /** True once the device is gone for good. Default: never. */
  readonly closed?: boolean;
  /** Unplug, replug and close notifications. Returns an unsubscribe function. */
  onLifecycle?(listener: (event: EndpointEvent) => void): () => void;
}

/** Whether a host may be connected to `endpoint` now. */
export function endpointAvailable(endpoint: ByteEndpoint): boolean {
  return endpoint.present !== false && endpoint.closed !== true;
}

/** Subscribes to `endpoint`'s lifecycle if it has one; returns the unsubscribe function. */
export function onEndpointLifecycle(
  endpoint: ByteEndpoint,
  listener: (event: EndpointEvent) => void,
): () => void {
  return endpoint.onLifecycle?.(listener) ?? (() => {});
}

/**
 * The simulator's dongle as a byte endpoint: its UART, absent while unplugged (`sim.unplug`),
 * closed with the simulator.
 */
export function dongleEndpoint(sim: Simulator): ByteEndpoint {
  return {
    write: (bytes) => sim.write(bytes),
    onOutput: (listener) => sim.onOutput(listener),
    get present() {
      return sim.plugged;
    },
    get closed() {
      return sim.closed;
    },
    onLifecycle(listener) {
      const onUnplug = () => listener('unplug');
      const onReplug = () => listener('replug');
      const onClose = () => listener('close');
      sim.on('unplug', onUnplug);
      sim.on('replug', onReplug);
      sim.on('close', onClose);
      return () => {
        sim.off('unplug', onUnplug);
        sim.off('replug', onReplug);
        sim.off('close', onClose);
      };
    },
  };
}

/** A device that answers received bytes with the bytes it sends back (`VirtualMhz19.handleBytes`). */
export interface AnsweringDevice {
  handleBytes(chunk: Uint8Array): Uint8Array;
}

/**
 * A request/answer device (a sensor on its UART) as a byte endpoint: each chunk the host writes
 * goes to `device.handleBytes` and a non-empty answer goes to this endpoint's output listeners.
 * Serving one device on several attachments, give each its own endpoint so that each host hears
 * only the answers to its own commands (the device's partial-frame buffer stays shared, as one
 * RX line would be). The device is always present; with `sim` it closes when the simulator does
 * (the dongle's unplug does not touch it: the sensor is wired to its own UART).
 */
export function answeringEndpoint(device: AnsweringDevice, sim?: Simulator): ByteEndpoint {
  const listeners = new Set<(bytes: Uint8Array) => void>();
  return {
    write(bytes) {
      if (sim?.closed) return;
      const answer = device.handleBytes(bytes);
      if (answer.length === 0) return;
      for (const l of [...listeners]) l(answer);
    },
    onOutput(listener) {
      const own = (bytes: Uint8Array) => listener(bytes);
      listeners.add(own);
      return () => {
        listeners.delete(own);
      };
    },
    get closed() {
      return sim?.closed ?? false;
    },
    onLifecycle(listener) {
      if (!sim) return () => {};
      const onClose = () => listener('close');
      sim.on('close', onClose);
      return () => sim.off('close', onClose);
    },
  };
}

/** The simulator's MH-Z19 CO2 sensor (`sim.sensors.mhz19`) as a byte endpoint; one per attachment. */
export function mhz19Endpoint(sim: Simulator): ByteEndpoint {
  return answeringEndpoint(sim.sensors.mhz19, sim);
}

/** The dongle for a `Simulator`, the endpoint itself otherwise. */
export function toEndpoint(target: Simulator | ByteEndpoint): ByteEndpoint {
  return target instanceof Simulator ? dongleEndpoint(target) : target;
}
