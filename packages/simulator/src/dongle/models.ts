import { type DongleFamily, type DongleModel, MODEL_FAMILY } from '@b-route/echonet';

/**
 * What makes one dongle model answer differently from another. Everything the virtual dongle
 * does per model is read from this table; the command handling itself is shared.
 */
export interface DongleProfile {
  readonly model: DongleModel;
  readonly family: DongleFamily;
  /** Vendor and product, for logs and the CLI banner. */
  readonly label: string;
  /** `EVER <version>` (SKVER). */
  readonly version: string;
  /** `EAPPVER <name>` (SKAPPVER). */
  readonly appVersion: string;
  /** First 8 hex digits of the dongle's MAC (vendor OUI + one byte); the simulator derives the rest. */
  readonly macPrefix: string;
  /** Short address printed as the 5th EINFO field. */
  readonly einfoAddr16: string;
  /**
   * ROHM product-setting commands WOPT/ROPT (ERXUDP data format kept in flash). `null`: the
   * command set has none (answered `FAIL ER04`) and ERXUDP data is always ASCII hex.
   */
  readonly opt: null | {
    /** Factory setting: 0 = binary, 1 = ASCII hex. */
    readonly defaultMode: 0 | 1;
    /** ROPT/WOPT answers end with CR only (`OK 01\r`), not CRLF. */
    readonly crOnly: boolean;
  };
  /** Register SA2 (RSSI field in ERXUDP) exists. */
  readonly sa2: boolean;
  /** SKSCAN and SKSENDTO take a side argument (0 = B-route); EVENT/EPANDESC/EINFO/ERXUDP print it. */
  readonly sideArgument: boolean;
  /** Lines the dongle prints when it boots (power-on, watchdog reset, replug). */
  readonly bootLines: readonly string[];
}

const ROHM_OPT = { defaultMode: 0, crOnly: false } as const;

/**
 * The models. Notes per quirk:
 * - BP35A1 (firmware 1.2.x): EINFO short address FFFE; ROPT/WOPT answers are CR-terminated
 *   (`OK 00\r`) as captured by public BP35A1 client test suites; factory ERXUDP mode binary.
 * - BP35C0/BP35C2 and the Ratoc RS-WSUHA-P (a BP35C2 inside): dual-stack, side argument,
 *   SA2 RSSI field; ROPT/WOPT answered with CRLF.
 * - Tessera RL7023 Stick-D/IPS and /DSS: Tessera's SKSTACK IP builds have no ROHM product-setting
 *   commands, so ROPT/WOPT fail with ER04 and ERXUDP data is always ASCII hex. The DSS build
 *   here has no SA2 register (SKSREG SA2 fails ER06), so clients must not rely on it.
 * - None of the stacks is known to print a banner on boot: a reset shows only as lost state.
 * Version strings and the non-BP35A1 short addresses are simulator choices, not captures.
 */
export const DONGLE_PROFILES: Readonly<Record<DongleModel, DongleProfile>> = {
  bp35a1: {
    model: 'bp35a1',
    family: MODEL_FAMILY.bp35a1,
    label: 'ROHM BP35A1',
    version: '1.2.10',
    appVersion: 'rohm-sk-bp35a1',
    macPrefix: '001D1290',
    einfoAddr16: 'FFFE',
    opt: { defaultMode: 0, crOnly: true },
    sa2: false,
    sideArgument: false,
    bootLines: [],
  },
  'rl7023-ips': {
    model: 'rl7023-ips',
    family: MODEL_FAMILY['rl7023-ips'],
    label: 'Tessera RL7023 Stick-D/IPS',
    version: '1.5.2',
    appVersion: 'tessera-rl7023-ips',
    macPrefix: '3494547C',
    einfoAddr16: 'FFFF',
    opt: null,
    sa2: false,
    sideArgument: false,
    bootLines: [],
  },
  bp35c0: {
    model: 'bp35c0',
    family: MODEL_FAMILY.bp35c0,
    label: 'ROHM BP35C0',
    version: '1.0.3',
    appVersion: 'rohm-sk-bp35c0',
    macPrefix: '001D1291',
    einfoAddr16: 'FFFF',
    opt: ROHM_OPT,
    sa2: true,
    sideArgument: true,
    bootLines: [],
  },
  bp35c2: {
    model: 'bp35c2',
    family: MODEL_FAMILY.bp35c2,
    label: 'ROHM BP35C2',
    version: '1.0.3',
    appVersion: 'rohm-sk-bp35c2',
    macPrefix: '001D1292',
    einfoAddr16: 'FFFF',
    opt: ROHM_OPT,
    sa2: true,
    sideArgument: true,
    bootLines: [],
  },
  'rs-wsuha-p': {
    model: 'rs-wsuha-p',
    family: MODEL_FAMILY['rs-wsuha-p'],
    label: 'Ratoc RS-WSUHA-P (BP35C2)',
    version: '1.0.3',
    appVersion: 'rohm-sk-bp35c2',
    macPrefix: '001D1293',
    einfoAddr16: 'FFFF',
    opt: ROHM_OPT,
    sa2: true,
    sideArgument: true,
    bootLines: [],
  },
  'rl7023-dss': {
    model: 'rl7023-dss',
    family: MODEL_FAMILY['rl7023-dss'],
    label: 'Tessera RL7023 Stick-D/DSS',
    version: '2.0.1',
    appVersion: 'tessera-rl7023-dss',
    macPrefix: '3494547D',
    einfoAddr16: 'FFFF',
    opt: null,
    sa2: false,
    sideArgument: true,
    bootLines: [],
  },
};

/** The profile of `model`. */
export function dongleProfile(model: DongleModel): DongleProfile {
  return DONGLE_PROFILES[model];
}
