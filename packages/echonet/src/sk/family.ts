/**
 * Dongle families and models. Single-hop stacks take no side argument; dual-stack stacks
 * (B-route + HAN) require one (0 = B-route) on SKSCAN/SKSENDTO and report it in EVENT,
 * EPANDESC, EINFO and ERXUDP.
 */
export type DongleFamily = 'single-hop' | 'dual-stack';

export const DONGLE_MODELS = [
  'bp35a1',
  'rl7023-ips',
  'bp35c0',
  'bp35c2',
  'rs-wsuha-p',
  'rl7023-dss',
] as const;
export type DongleModel = (typeof DONGLE_MODELS)[number];

export const MODEL_FAMILY: Readonly<Record<DongleModel, DongleFamily>> = {
  bp35a1: 'single-hop',
  'rl7023-ips': 'single-hop',
  bp35c0: 'dual-stack',
  bp35c2: 'dual-stack',
  'rs-wsuha-p': 'dual-stack',
  'rl7023-dss': 'dual-stack',
};
