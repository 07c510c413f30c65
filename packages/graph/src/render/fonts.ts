/**
 * The CJK font for Japanese labels. Cairo/Pango draws a hex box ("tofu") for any glyph no font
 * has, so the chart registers a font file that has kana and kanji explicitly (IPA Gothic from the
 * Debian package fonts-ipafont-gothic, which scripts/setup.sh installs) under one family name and
 * sets Chart.js's font family to it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { GraphError } from '../errors.js';
import { canvasModule } from './canvas-module.js';

/** The family name the chart font is registered under; no spaces so CSS font strings need no quotes. */
export const CHART_FONT_FAMILY = 'BRouteCJK';

/** Font files tried in order before asking fontconfig. */
export const CJK_FONT_CANDIDATES: readonly string[] = [
  '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf',
  '/usr/share/fonts/truetype/fonts-japanese-gothic.ttf',
  '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf',
  '/usr/share/fonts/truetype/ipafont/ipag.ttf',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf',
];

export interface FindFontOptions {
  /** A font file chosen by the user; used as is (it must exist). */
  readonly path?: string;
  /** Files to try; default CJK_FONT_CANDIDATES. */
  readonly candidates?: readonly string[];
  /** Ask `fc-list :lang=ja` when no candidate exists; default true. */
  readonly useFontconfig?: boolean;
}

/**
 * The path of a font file with Japanese glyphs.
 * @throws GraphError `font.missing` when there is none (or `path` does not exist).
 */
export function findCjkFont(options: FindFontOptions = {}): string {
  if (options.path !== undefined) {
    if (!existsSync(options.path))
      throw new GraphError('font.missing', `font file not found: ${options.path}`);
    return options.path;
  }
  for (const p of options.candidates ?? CJK_FONT_CANDIDATES) if (existsSync(p)) return p;
  if (options.useFontconfig !== false) {
    const found = fontconfigJapanese();
    if (found) return found;
  }
  throw new GraphError(
    'font.missing',
    'no Japanese (CJK) font found: install one (apt-get install fonts-ipafont-gothic) or pass --font FILE',
  );
}

function fontconfigJapanese(): string | undefined {
  try {
    const out = execFileSync('fc-list', [':lang=ja', 'file'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const files = out
      .split('\n')
      .map((l) => l.replace(/:\s*$/, '').trim())
      .filter((l) => l.length > 0 && existsSync(l));
    // Prefer a gothic (sans-serif) face; charts read better without serifs.
    return files.find((f) => /goth|sans/i.test(f)) ?? files[0];
  } catch {
    return undefined;
  }
}

const registered = new Map<string, string>();

/**
 * Registers the CJK font with node-canvas under CHART_FONT_FAMILY (once per process) and returns
 * the family name to put in Chart.js options. Call before the first chart is drawn.
 * @throws GraphError `font.missing`
 */
export function registerChartFont(options: FindFontOptions = {}): string {
  const path = findCjkFont(options);
  const family = registered.get(path);
  if (family !== undefined) return family;
  // node-canvas resolves one family name to one file; a second file gets its own name.
  const name = registered.size === 0 ? CHART_FONT_FAMILY : `${CHART_FONT_FAMILY}${registered.size + 1}`;
  canvasModule().registerFont(path, { family: name });
  registered.set(path, name);
  return name;
}
