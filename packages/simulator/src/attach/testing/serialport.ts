import { SerialPort } from 'serialport';

export { SerialPort };
export type SerialPortLike = SerialPort;

/** Opens `path` at `baudRate` (default 115200, the dongles' rate) 8N1 and resolves once open. */
export function openSerial(path: string, baudRate = 115200): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, dataBits: 8, parity: 'none', stopBits: 1 });
    port.once('open', () => resolve(port));
    port.once('error', reject);
  });
}

export function closeSerial(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) return resolve();
    port.close(() => resolve());
  });
}
