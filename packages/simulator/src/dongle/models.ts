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
  /**
   * Fifth EINFO field of single-hop stacks: the short address. Dual-stack stacks print the side
   * there instead (five fields on both families, fixtures/sk-corpus.json).
   */
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
  /**
   * `SKSREG SA2 1` inserts the RSSI field into ERXUDP. The register itself exists on every model
   * (`SKSREG SA2 1` answers OK); single-hop ERXUDP never carries the field.
   */
  readonly sa2: boolean;
  /** SKSCAN and SKSENDTO take a side argument (0 = B-route); EVENT/EPANDESC/EINFO/ERXUDP print it. */
  readonly sideArgument: boolean;
  /** Lines the dongle prints when it boots (power-on, watchdog reset, replug). */
  readonly bootLines: readonly string[];
}

/**
 * The models. Each quirk is marked CAPTURE (a line of fixtures/sk-corpus.json printed by that
 * model, source named there), FIXTURE (another project's test data, model not stated), INFERRED
 * (follows from a capture of a sibling or from a client verified on the model) or GUESS.
 *
 * Shared by every model:
 * - SKSENDTO echo: the command up to DATALEN and its space, then CRLF; the data is not echoed and
 *   `EVENT 21` starts its own line. CAPTURE on the RS-WSUHA-P (qiita-nerves); INFERRED for the
 *   others: smdn's SkStackIP ends the echo at CRLF and the Python scripts written for BP35A1s read
 *   echo, EVENT 21 and OK with three readline()s. Whether a BP35A1 echoes the data is not known.
 * - `SKSREG SA2 1` answers OK. INFERRED for RS-WSUHA-P, RL7023 DSS and RL7023 IPS: no capture
 *   prints it, but momonga sends it at every open and is verified on the three; GUESS for BP35A1,
 *   BP35C0, BP35C2.
 * - None of the stacks is known to print a banner on boot: a reset shows only as lost state.
 *
 * - BP35A1: EVER 1.2.10 CAPTURE (spresense-bp35a1, seotaro-bp35a1); EINFO fifth field FFFE
 *   FIXTURE (smdn) and momonga's detection; EVENT 21 `<addr> <param>`, EPANDESC without Side
 *   CAPTURE; ROPT CR-terminated and binary by default as public BP35A1 client test suites show
 *   (FIXTURE); EAPPVER GUESS.
 * - RL7023 Stick-D/IPS: BP35A1 layouts. EINFO FFFE INFERRED (momonga detects it as a BP35A1 by
 *   FFFE and is verified on it); EVER 1.2.10 FIXTURE-level (momonga's test data beside EAPPVER
 *   rl7023-c, model not stated); EAPPVER GUESS; no ROPT/WOPT GUESS (Tessera build).
 * - RS-WSUHA-P: EVER 1.5.2, ROPT `OK 01\r` (CR only, ASCII hex set), EVENT/EPANDESC/ERXUDP with
 *   the side, the bare SKSENDTO echo: CAPTURE (qiita-nerves); EINFO `<ipv6> <mac> <ch> <pan> 0`
 *   CAPTURE (node-wisunrb, BP35C2-based dongle answering EVER 1.5.2); SA2 RSSI field INFERRED
 *   (momonga reads it); EAPPVER GUESS.
 * - BP35C2: the RS-WSUHA-P's module; EVER 1.5.2, ROPT CR-only and ASCII hex ERXUDP (`OK 01`)
 *   INFERRED from it, the last also because node-wisunrb, verified on a BP35C2, never sends WOPT
 *   and reads ERXUDP data as hex; EINFO CAPTURE (node-wisunrb lists BP35C2).
 * - BP35C0: dual-stack layouts, ROPT `OK 01\r` INFERRED from the BP35C2 (same command
 *   reference); EVER, EAPPVER GUESS.
 * - RL7023 Stick-D/DSS: dual-stack layouts, SA2 with the RSSI field INFERRED (momonga verified on
 *   it reads 10 ERXUDP fields after SKSREG SA2 1); EVER, EAPPVER GUESS; no ROPT/WOPT GUESS.
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
    version: '1.2.10',
    appVersion: 'tessera-rl7023-ips',
    macPrefix: '3494547C',
    einfoAddr16: 'FFFE',
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
    opt: { defaultMode: 1, crOnly: true },
    sa2: true,
    sideArgument: true,
    bootLines: [],
  },
  bp35c2: {
    model: 'bp35c2',
    family: MODEL_FAMILY.bp35c2,
    label: 'ROHM BP35C2',
    version: '1.5.2',
    appVersion: 'rohm-sk-bp35c2',
    macPrefix: '001D1292',
    einfoAddr16: 'FFFF',
    opt: { defaultMode: 1, crOnly: true },
    sa2: true,
    sideArgument: true,
    bootLines: [],
  },
  'rs-wsuha-p': {
    model: 'rs-wsuha-p',
    family: MODEL_FAMILY['rs-wsuha-p'],
    label: 'Ratoc RS-WSUHA-P (BP35C2)',
    version: '1.5.2',
    appVersion: 'rohm-sk-bp35c2',
    macPrefix: '001D1293',
    einfoAddr16: 'FFFF',
    opt: { defaultMode: 1, crOnly: true },
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
    sa2: true,
    sideArgument: true,
    bootLines: [],
  },
};

/** The profile of `model`. */
export function dongleProfile(model: DongleModel): DongleProfile {
  return DONGLE_PROFILES[model];
}
