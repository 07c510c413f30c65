import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { canvasModule, decodePng } from './canvas-module.js';

describe('canvasModule', () => {
  it('is the very module chartjs-node-canvas draws with, so fonts registered here reach the charts', () => {
    const fromChartjsNodeCanvas = createRequire(
      createRequire(import.meta.url).resolve('chartjs-node-canvas'),
    )('canvas') as typeof import('canvas');
    expect(canvasModule().registerFont).toBe(fromChartjsNodeCanvas.registerFont);
    expect(canvasModule().createCanvas).toBe(fromChartjsNodeCanvas.createCanvas);
  });

  it('decodes a PNG it encoded back to the same pixels', async () => {
    const c = canvasModule().createCanvas(3, 2);
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#ff0000';
    ctx.fillRect(0, 0, 3, 2);
    ctx.fillStyle = '#0000ff';
    ctx.fillRect(2, 1, 1, 1);
    const img = await decodePng(c.toBuffer('image/png'));
    expect([img.width, img.height]).toEqual([3, 2]);
    expect([...img.data.slice(0, 4)]).toEqual([255, 0, 0, 255]);
    expect([...img.data.slice(20, 24)]).toEqual([0, 0, 255, 255]);
  });
});
