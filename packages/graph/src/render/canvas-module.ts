/**
 * node-canvas, the native module chartjs-node-canvas draws with. The graph package depends on
 * the same version chartjs-node-canvas does, so both resolve to one installed copy and one
 * loaded binding: fonts registered through this import are the fonts charts are drawn in
 * (fonts.test.ts checks it by drawing a chart).
 */
import * as canvas from 'canvas';

export type CanvasModule = typeof canvas;

export interface CanvasImageData {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

export function canvasModule(): CanvasModule {
  return canvas;
}

/** Decodes a PNG into RGBA pixels. */
export async function decodePng(png: Buffer): Promise<CanvasImageData> {
  const image = await canvas.loadImage(png);
  const c = canvas.createCanvas(image.width, image.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return ctx.getImageData(0, 0, image.width, image.height);
}
