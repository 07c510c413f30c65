import { SensorError } from './errors.js';
import { Mhz19, type Mhz19Options } from './mhz19.js';

/** An MH-Z19 on a serial port, with the port to close when done. */
export interface OpenedMhz19 {
  sensor: Mhz19;
  close(): Promise<void>;
}

/**
 * Open the serial port at `path` (e.g. `/dev/serial0` on a Raspberry Pi's GPIO UART) at the
 * sensor's fixed 9600 baud, 8 data bits, no parity, 1 stop bit, and put a driver on it.
 * `serialport` is imported here only, so nothing else loads its native binding.
 * @throws SensorError `sensor.io` when the port cannot be opened.
 */
export async function openMhz19(path: string, options: Mhz19Options = {}): Promise<OpenedMhz19> {
  const { SerialPort } = await import('serialport');
  const port = new SerialPort({
    path,
    baudRate: 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) =>
    port.open((error) =>
      error
        ? reject(
            new SensorError('sensor.io', `cannot open ${path}: ${error.message}`, {
              context: { path },
              cause: error,
            }),
          )
        : resolve(),
    ),
  );
  return {
    sensor: new Mhz19(port, options),
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}
