/**
 * node-canvas, reached through chartjs-node-canvas (which depends on it): the graph package does
 * not list `canvas` itself, and pnpm's strict layout only lets a package resolve its own
 * dependencies, so the module is required from chartjs-node-canvas's location. It is the same
 * native binding Chart.js draws with, so fonts registered here are the fonts charts use.
 */
import { createRequire } from 'node:module';

export interface CanvasImageData {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

export interface Canvas2d {
  font: string;
  fillStyle: string;
  textBaseline: string;
  textAlign: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  drawImage(image: CanvasImage, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): CanvasImageData;
}

export interface NodeCanvas {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): Canvas2d;
  toBuffer(mime?: 'image/png'): Buffer;
}

export interface CanvasImage {
  readonly width: number;
  readonly height: number;
}

export interface CanvasModule {
  registerFont(path: string, options: { family: string; weight?: string; style?: string }): void;
  createCanvas(width: number, height: number): NodeCanvas;
  loadImage(source: Buffer | string): Promise<CanvasImage>;
}

let cached: CanvasModule | undefined;

export function canvasModule(): CanvasModule {
  if (!cached) {
    const local = createRequire(import.meta.url);
    const fromChartjsNodeCanvas = createRequire(local.resolve('chartjs-node-canvas'));
    cached = fromChartjsNodeCanvas('canvas') as CanvasModule;
  }
  return cached;
}

/** Decodes a PNG into RGBA pixels. */
export async function decodePng(png: Buffer): Promise<CanvasImageData> {
  const c = canvasModule();
  const image = await c.loadImage(png);
  const canvas = c.createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return ctx.getImageData(0, 0, image.width, image.height);
}
