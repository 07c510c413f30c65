import type { DongleModel } from '@b-route/echonet';
import { SimClock } from '../../clock.js';
import type { DongleFlash } from '../flash.js';
import { VirtualDongle } from '../virtual-dongle.js';
import { FixtureMeter } from './fixture-meter.js';
import { DongleTestHost, getRequest } from './host.js';

export const TEST_RBID = '00112233445566778899AABBCCDDEEFF';
export const TEST_PASSWORD = 'ABCDEFGHIJKL';
export const METER_MAC = '001C6400601421A3';
export const METER_LLA = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
export const START = Date.UTC(2026, 4, 20, 5, 0, 0);

/** EPCs the full-session scenario reads one by one (83 is missing on the fixture meter: Get_SNA). */
export const SCENARIO_EPCS = [
  0x80, 0x82, 0x83, 0x8a, 0x97, 0x98, 0x9d, 0xd3, 0xd7, 0xe0, 0xe1, 0xe7, 0xe8, 0xea,
];

/** Per-model settings a host typically changes, chosen to cover every output variant once. */
export const SCENARIO_SETUP: Readonly<Record<DongleModel, readonly string[]>> = {
  bp35a1: ['ROPT'], // echo on, binary ERXUDP, CR-only ROPT answer
  'rl7023-ips': ['ROPT'], // ROPT unsupported (ER04), hex ERXUDP
  bp35c0: ['ROPT'], // echo on, ASCII hex ERXUDP (OK 01\r), side field
  bp35c2: ['SKSREG SFE 0', 'SKSREG SA2 1', 'ROPT'], // echo off, RSSI field
  'rs-wsuha-p': ['ROPT', 'WOPT 01', 'ROPT'], // already hex (OK 01\r); WOPT writes flash anyway
  'rl7023-dss': ['SKSREG SFE 0', 'SKSREG SA2 1'], // echo off, RSSI field (as momonga reads it)
};

export function createTestDongle(model: DongleModel, options: { flash?: DongleFlash; seed?: number } = {}) {
  const clock = new SimClock({ start: START, speed: 0 });
  const meter = new FixtureMeter({ rbid: TEST_RBID, password: TEST_PASSWORD, mac: METER_MAC, channel: 0x2b });
  const dongle = new VirtualDongle({
    model,
    clock,
    meter,
    seed: options.seed ?? 7,
    ...(options.flash ? { flash: options.flash } : {}),
  });
  const host = new DongleTestHost(dongle, clock);
  return { clock, meter, dongle, host };
}

/** Scan with the right credentials, tune to the meter and join (fresh dongle). */
export function joinedDongle(model: DongleModel) {
  const t = createTestDongle(model);
  const dual = t.dongle.profile.sideArgument;
  t.host
    .send({ name: 'SKSETPWD', password: TEST_PASSWORD })
    .send({ name: 'SKSETRBID', id: TEST_RBID })
    .send({ name: 'SKSCAN', duration: 6 }, 20_000)
    .send('SKSREG S2 2B')
    .send('SKSREG S3 8888')
    .send({ name: 'SKJOIN', ipv6: METER_LLA }, 10_000);
  if (t.dongle.session.kind !== 'established')
    throw new Error(`join failed on ${model}${dual ? ' (dual)' : ''}`);
  return t;
}

/**
 * The whole life of a B-route session on `model`: identify the dongle, set it up, scan, join,
 * read every property, re-authenticate after the lifetime, terminate. Returns the host.
 */
export function runFullSession(model: DongleModel): DongleTestHost {
  const { host, dongle } = createTestDongle(model);
  host.send({ name: 'SKRESET' }).send({ name: 'SKVER' }).send('SKAPPVER').send({ name: 'SKINFO' });
  for (const line of SCENARIO_SETUP[model]) host.send(line);
  host
    .send('SKSREG S16')
    .send({ name: 'SKSETPWD', password: TEST_PASSWORD })
    .send({ name: 'SKSETRBID', id: TEST_RBID })
    .send({ name: 'SKSCAN', duration: 6 }, 20_000)
    .send('SKSREG S2 2B')
    .send('SKSREG S3 8888')
    .send({ name: 'SKLL64', mac: METER_MAC })
    .send({ name: 'SKJOIN', ipv6: METER_LLA }, 10_000)
    .send({ name: 'SKINFO' });
  SCENARIO_EPCS.forEach((epc, i) => {
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(i + 1, epc) }, 5_000);
  });
  dongle.expireSession();
  host.wait(10_000).send({ name: 'SKTERM' }, 10_000);
  return host;
}
