/** Reading a rendered chart back: pixels, colours by region, and the title's ink. */
import type { CanvasImageData } from '../render/canvas-module.js';
import type { Box, ChartLayout } from '../render/chart-canvas.js';
import type { Rgb } from '../render/palette.js';

export interface Region {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Pixels whose RGB is within `tolerance` of `rgb` in every channel. */
export function countColor(img: CanvasImageData, rgb: Rgb, region?: Region, tolerance = 3): number {
  const r = region ?? { x0: 0, y0: 0, x1: img.width, y1: img.height };
  let n = 0;
  for (let y = Math.max(0, Math.floor(r.y0)); y < Math.min(img.height, Math.ceil(r.y1)); y++) {
    for (let x = Math.max(0, Math.floor(r.x0)); x < Math.min(img.width, Math.ceil(r.x1)); x++) {
      const i = (y * img.width + x) * 4;
      if (
        Math.abs(img.data[i]! - rgb[0]) <= tolerance &&
        Math.abs(img.data[i + 1]! - rgb[1]) <= tolerance &&
        Math.abs(img.data[i + 2]! - rgb[2]) <= tolerance
      ) {
        n++;
      }
    }
  }
  return n;
}

/** Number of distinct RGB colours. */
export function distinctColors(img: CanvasImageData): number {
  const seen = new Set<number>();
  for (let i = 0; i < img.data.length; i += 4)
    seen.add((img.data[i]! << 16) | (img.data[i + 1]! << 8) | img.data[i + 2]!);
  return seen.size;
}

/** The pixel column of time `ms` on the chart's x axis. */
export function xPixel(layout: ChartLayout, ms: number): number {
  const x = layout.scales.x!;
  return x.left + ((ms - x.min) / (x.max - x.min)) * (x.right - x.left);
}

/** The plot area between two times, shrunk by `margin` px on each side. */
export function plotColumns(layout: ChartLayout, fromMs: number, toMs: number, margin = 3): Region {
  const a: Box = layout.chartArea;
  return { x0: xPixel(layout, fromMs) + margin, x1: xPixel(layout, toMs) - margin, y0: a.top, y1: a.bottom };
}

/** Everything above the plot area: title and legend. */
export function headerRegion(img: CanvasImageData, layout: ChartLayout): Region {
  return { x0: 0, y0: 0, x1: img.width, y1: layout.chartArea.top - 2 };
}

export interface InkMask {
  readonly width: number;
  readonly height: number;
  readonly ink: Uint8Array;
}

/** Dark pixels (any channel below 128 on the white background) of the first block of text rows from the top. */
export function topTextBlock(img: CanvasImageData): InkMask {
  const dark = (x: number, y: number): boolean => {
    const i = (y * img.width + x) * 4;
    return img.data[i]! < 128 && img.data[i + 1]! < 128 && img.data[i + 2]! < 128;
  };
  const rowHasInk = (y: number): boolean => {
    for (let x = 0; x < img.width; x++) if (dark(x, y)) return true;
    return false;
  };
  let y0 = 0;
  while (y0 < img.height && !rowHasInk(y0)) y0++;
  let y1 = y0;
  while (y1 < img.height && rowHasInk(y1)) y1++;
  return cropInk(img.width, y1 - y0, (x, y) => dark(x, y + y0));
}

/** The ink of a mask cropped to its bounding box. */
export function cropInk(width: number, height: number, at: (x: number, y: number) => boolean): InkMask {
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (at(x, y)) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  if (x1 < 0) return { width: 0, height: 0, ink: new Uint8Array(0) };
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) ink[y * w + x] = at(x + x0, y + y0) ? 1 : 0;
  return { width: w, height: h, ink };
}

/**
 * Share of differing pixels between two masks laid over each other at their top-left corners,
 * relative to the ink of both; a size difference counts as difference.
 */
export function maskDifference(a: InkMask, b: InkMask): number {
  const w = Math.max(a.width, b.width);
  const h = Math.max(a.height, b.height);
  const at = (m: InkMask, x: number, y: number): number =>
    x < m.width && y < m.height ? m.ink[y * m.width + x]! : 0;
  let union = 0;
  let diff = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = at(a, x, y);
      const q = at(b, x, y);
      if (p || q) union++;
      if (p !== q) diff++;
    }
  return union === 0 ? 0 : diff / union;
}

/**
 * Share of ink pixels (of both masks, laid at their top-left corners) with no ink of the other
 * mask within `radius` px: tolerant of the one-pixel shifts that sub-pixel placement causes,
 * not of different shapes.
 */
export function maskMismatch(a: InkMask, b: InkMask, radius = 1): number {
  const at = (m: InkMask, x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < m.width && y < m.height && m.ink[y * m.width + x] === 1;
  const near = (m: InkMask, x: number, y: number): boolean => {
    for (let dy = -radius; dy <= radius; dy++)
      for (let dx = -radius; dx <= radius; dx++) if (at(m, x + dx, y + dy)) return true;
    return false;
  };
  let ink = 0;
  let lonely = 0;
  for (const [m, other] of [
    [a, b],
    [b, a],
  ] as const) {
    for (let y = 0; y < m.height; y++)
      for (let x = 0; x < m.width; x++)
        if (m.ink[y * m.width + x]) {
          ink++;
          if (!near(other, x, y)) lonely++;
        }
  }
  return ink === 0 ? 0 : lonely / ink;
}
