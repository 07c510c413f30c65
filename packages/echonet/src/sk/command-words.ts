/**
 * The SK command words, as a dongle echoes them back (register SFE=1). Taken from the SKSTACK IP
 * command references of the single-hop (BP35A1) and dual-stack (BP35C0/C2) stacks.
 */
export const SK_COMMAND_WORDS = [
  'SKVER',
  'SKAPPVER',
  'SKINFO',
  'SKRESET',
  'SKSETPWD',
  'SKSETRBID',
  'SKSREG',
  'SKSCAN',
  'SKLL64',
  'SKJOIN',
  'SKREJOIN',
  'SKSENDTO',
  'SKTERM',
  'SKSETKEY',
  'SKRMKEY',
  'SKSECENABLE',
  'SKSETPSK',
  'SKADDNBR',
  'SKUDPPORT',
  'SKSAVE',
  'SKLOAD',
  'SKERASE',
  'SKTABLE',
  'SKPING',
  'SKSTART',
  'SKCONNECT',
  'SKSEND',
  'SKCLOSE',
  'SKOPEN',
  'SKDSLEEP',
  'SKRFLO',
  'ROPT',
  'WOPT',
  'RUART',
  'WUART',
] as const;

export type SkCommandWord = (typeof SK_COMMAND_WORDS)[number];

const KNOWN: ReadonlySet<string> = new Set(SK_COMMAND_WORDS);

/**
 * True for a word that starts a command line: a listed word, or any `SK` + upper-case letters and
 * digits (firmware adds commands; no dongle event or answer starts with `SK`).
 */
export function isSkCommandWord(word: string): boolean {
  return KNOWN.has(word) || /^SK[A-Z0-9]{2,}$/.test(word);
}
