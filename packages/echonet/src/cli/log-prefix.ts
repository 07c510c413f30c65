/**
 * What `decode` strips from the start of a transcript line before reading it as SK text, so that
 * logs written by terminal programs and B-route tools can be pasted as they are.
 *
 * A line may begin with any sequence of these prefixes, each followed by at least one space or tab:
 * - a bracketed tag: `[2026-05-20 14:26:00.123]`, `[DEBUG]`, `[recv]:` (no `]` inside);
 * - a date-time `2026-05-20T14:26:00.123Z`, `2026-05-20 14:26:00,5`, `2026/05/20 14:26`
 *   (optional seconds, fraction and `Z`/`±hh:mm` offset) or a time `14:26:00.123`;
 * - a direction marker: `<`, `>`, `<<`, `>>`, `<-`, `->`, `RX`, `TX`, `RX:`, `TX:` (any case).
 *
 * No SK line starts like that (SK lines start with a keyword, an upper-case hex digit group of an
 * IPv6 address without a space after it, or the indentation of an EPANDESC field), so a line
 * without a prefix is never changed. A log prefix eats the indentation of the EPANDESC block's
 * `Key:Value` lines; such a line is indented again so that it still belongs to its block.
 */

const PREFIXES: readonly RegExp[] = [
  /^\[[^\]\r\n]*\]:?/,
  /^\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/,
  /^\d{2}:\d{2}:\d{2}(?:[.,]\d+)?/,
  /^(?:<<|>>|<-|->|<|>|[RT]X:?)/i,
];

const SEPARATOR = /^[ \t]+/;

/** Keys of the EPANDESC block (BP35A1 command reference 4.5; `Side` on dual-stack stacks). */
const PANDESC_FIELD = /^(?:Channel|Channel Page|Pan ID|Addr|LQI|Side|PairID):/;

export interface LogPrefix {
  /** Characters to drop from the start of the line (the prefixes and the blanks after them). */
  readonly length: number;
  /** True when the rest is an EPANDESC field whose indentation the prefix replaced. */
  readonly reindent: boolean;
}

/** The log prefix of `line` (one physical line, no line end; any characters). Pure. */
export function logPrefix(line: string): LogPrefix {
  let at = 0;
  for (;;) {
    const rest = line.slice(at);
    let advanced = false;
    for (const prefix of PREFIXES) {
      const m = prefix.exec(rest);
      if (m === null) continue;
      const after = rest.slice(m[0].length);
      const blank = SEPARATOR.exec(after);
      if (blank === null && after !== '') continue;
      at += m[0].length + (blank?.[0].length ?? 0);
      advanced = true;
      break;
    }
    if (!advanced) break;
  }
  return { length: at, reindent: at > 0 && PANDESC_FIELD.test(line.slice(at)) };
}

/** A comment line: its first non-blank character is `#` (the fixture files annotate lines so). */
export function isCommentLine(line: string): boolean {
  return /^[ \t]*#/.test(line);
}

/**
 * The hex digits of a bare ECHONET Lite frame line (`1081000102880105FF017201E70400000278`,
 * or with blanks between digit groups: `10 81 00 01 …`), or undefined if `text` is not one.
 * A bare frame starts with EHD 1081; other all-hex lines (an EEDSCAN result line, say) are SK text.
 */
export function bareFrameHex(text: string): string | undefined {
  const compact = text.replace(/[ \t]+/g, '');
  return /^1081[0-9A-Fa-f]*$/.test(compact) ? compact : undefined;
}
