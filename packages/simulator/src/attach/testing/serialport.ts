import { SerialPort } from 'serialport';

export { SerialPort };
export type SerialPortLike = SerialPort;

/** Opens `path` at 115200 8N1 and resolves once open. */
export function openSerial(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200 });
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
