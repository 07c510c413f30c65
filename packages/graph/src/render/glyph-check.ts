/**
 * Tells a drawn glyph from "tofu". When no font has a character, Pango draws a hex box: a closed
 * rectangle (with the code point's digits inside). A real glyph whose ink does not form a closed
 * frame around its own bounding box (電, 力, 時 …, unlike 口 or 回) can therefore be told apart by
 * looking at the four edges of its ink bounds.
 */
import { GraphError } from '../errors.js';
import { canvasModule } from './canvas-module.js';

export interface GlyphBitmap {
  readonly width: number;
  readonly height: number;
  /** 1 where the pixel is inked (darker than mid grey), row-major. */
  readonly ink: Uint8Array;
  /** Advance width reported by the text layout, in px. */
  readonly advance: number;
}

/** Draws `text` black on white in `family` at `sizePx` and returns its ink mask. */
export function renderGlyph(text: string, family: string, sizePx = 48): GlyphBitmap {
  const size = Math.ceil(sizePx * 1.5) * Math.max(1, [...text].length);
  const canvas = canvasModule().createCanvas(size, Math.ceil(sizePx * 1.5));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000000';
  ctx.font = `${sizePx}px ${family}`;
  ctx.textBaseline = 'top';
  ctx.fillText(text, Math.round(sizePx / 8), Math.round(sizePx / 8));
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const ink = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0; i < ink.length; i++) ink[i] = data[i * 4]! < 128 ? 1 : 0;
  return { width: canvas.width, height: canvas.height, ink, advance: ctx.measureText(text).width };
}

export interface InkBounds {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly count: number;
}

export function inkBounds(g: GlyphBitmap): InkBounds | undefined {
  let [x0, y0, x1, y1, count] = [g.width, g.height, -1, -1, 0];
  for (let y = 0; y < g.height; y++) {
    for (let x = 0; x < g.width; x++) {
      if (g.ink[y * g.width + x]) {
        count++;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return count === 0 ? undefined : { x0, y0, x1, y1, count };
}

/** True when the ink's bounding box is (nearly) a closed rectangle: Pango's missing-glyph box. */
export function looksLikeTofu(g: GlyphBitmap): boolean {
  const b = inkBounds(g);
  if (!b) return false;
  const covered = (xs: number[], ys: number[]): number => {
    let hit = 0;
    let n = 0;
    for (const y of ys)
      for (const x of xs) {
        n++;
        hit += g.ink[y * g.width + x]!;
      }
    return hit / n;
  };
  const cols = range(b.x0, b.x1);
  const rows = range(b.y0, b.y1);
  return (
    covered(cols, [b.y0]) > 0.9 &&
    covered(cols, [b.y1]) > 0.9 &&
    covered([b.x0], rows) > 0.9 &&
    covered([b.x1], rows) > 0.9
  );
}

/** Share of pixels inked in exactly one of two same-size bitmaps, relative to the inked union. */
export function inkDifference(a: GlyphBitmap, b: GlyphBitmap): number {
  if (a.width !== b.width || a.height !== b.height) throw new RangeError('bitmaps differ in size');
  let union = 0;
  let diff = 0;
  for (let i = 0; i < a.ink.length; i++) {
    const p = a.ink[i]!;
    const q = b.ink[i]!;
    if (p || q) union++;
    if (p !== q) diff++;
  }
  return union === 0 ? 0 : diff / union;
}

/**
 * Checks that `family` draws 電 and 力 as real, distinct glyphs.
 * @throws GraphError `font.missing` when either comes out as a missing-glyph box or not at all.
 */
export function assertJapaneseGlyphs(family: string): void {
  const a = renderGlyph('電', family);
  const b = renderGlyph('力', family);
  if (!inkBounds(a) || !inkBounds(b) || looksLikeTofu(a) || looksLikeTofu(b) || inkDifference(a, b) < 0.3) {
    throw new GraphError('font.missing', `the chart font (${family}) does not draw Japanese characters`);
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
