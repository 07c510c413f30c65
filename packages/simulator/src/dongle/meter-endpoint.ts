/**
 * What the virtual dongle needs from the smart meter at the far end of the radio link: its
 * radio identity (for the scan and the join), the B-route credentials it accepts, and the
 * ECHONET Lite application (frames in, frames out). The simulator wires its SmartMeter in here.
 */
export interface MeterEndpoint {
  /** EUI-64 of the meter, 16 upper-case hex digits. */
  readonly mac: string;
  /** Channel the meter's PAN is on, 0x21–0x3C (33–60). */
  readonly channel: number;
  readonly panId: number;
  /** Pairing ID: the last 8 characters of the meter's B-route ID. Only a matching scan gets a beacon. */
  readonly pairingId: string;
  /** Link quality the dongle reports for the meter's beacon (EPANDESC LQI), 0–255. */
  readonly lqi: number;
  /** Received signal strength of the meter's frames at the dongle, dBm (ERXUDP RSSI with SA2=1). */
  readonly rssiDbm: number;
  /** True when the B-route ID and password a dongle authenticates with are the meter's. */
  authenticate(rbid: string, password: string): boolean;
  /** One ECHONET Lite datagram from the dongle (UDP 3610); the meter's answers, possibly none. */
  receive(frame: Uint8Array, from: string): Uint8Array[];
  /** Frames the meter sends right after a PANA session is established (node profile D5 INF). */
  joined(): Uint8Array[];
  /** Frames the meter sends on its own (EA/EB INF every 30 min). Returns an unsubscribe function. */
  onNotify?(listener: (frame: Uint8Array, sender?: string) => void): () => void;
}
