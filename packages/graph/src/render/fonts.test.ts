import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGraphError } from '../errors.js';
import { CHART_FONT_FAMILY, findCjkFont, registerChartFont } from './fonts.js';
import { assertJapaneseGlyphs, inkBounds, inkDifference, looksLikeTofu, renderGlyph } from './glyph-check.js';

describe('CJK chart font', () => {
  const family = registerChartFont();

  it('finds a font file and registers it under the chart family', () => {
    expect(findCjkFont()).toMatch(/\.(ttf|ttc|otf)$/);
    expect(family).toBe(CHART_FONT_FAMILY);
    expect(registerChartFont()).toBe(family);
  });

  it('detects a missing-glyph box: an unassigned code point renders as tofu', () => {
    // U+0378 is unassigned in Unicode, so no font has it and Pango draws its hex box.
    const missing = renderGlyph('\u0378', family);
    expect(inkBounds(missing)).toBeDefined();
    expect(looksLikeTofu(missing)).toBe(true);
  });

  it('draws 電 and 力 as real glyphs: not boxes, not blank, one em wide, different from each other', () => {
    const den = renderGlyph('電', family, 48);
    const ryoku = renderGlyph('力', family, 48);
    const missing = renderGlyph('\u0378', family, 48);
    for (const g of [den, ryoku]) {
      expect(inkBounds(g)!.count).toBeGreaterThan(100);
      expect(looksLikeTofu(g)).toBe(false);
      // Full-width kanji advance one em in a CJK font; the hex box is narrower.
      expect(Math.abs(g.advance - 48)).toBeLessThan(1);
      expect(inkDifference(g, missing)).toBeGreaterThan(0.5);
    }
    expect(missing.advance).not.toBeCloseTo(48, 0);
    expect(inkDifference(den, ryoku)).toBeGreaterThan(0.5);
    expect(() => assertJapaneseGlyphs(family)).not.toThrow();
  });

  it('draws the registered file, not a fallback: glyphs match the system IPA Gothic when that is the file', () => {
    if (!findCjkFont().includes('ipag')) return;
    // Latin letters too: an unknown family would fall back to DejaVu Sans for them.
    const ours = renderGlyph('Wg電力量', family);
    expect(inkDifference(ours, renderGlyph('Wg電力量', 'IPAGothic'))).toBe(0);
    expect(inkDifference(ours, renderGlyph('Wg電力量', 'DejaVu Sans'))).toBeGreaterThan(0.05);
    expect(inkDifference(ours, renderGlyph('Wg電力量', 'NoSuchFamily'))).toBeGreaterThan(0.05);
  });

  it('fails clearly when no font exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'graph-font-'));
    try {
      let error: unknown;
      try {
        findCjkFont({ candidates: [join(dir, 'nope.ttf')], useFontconfig: false });
      } catch (e) {
        error = e;
      }
      expect(isGraphError(error, 'font.missing')).toBe(true);
      expect((error as Error).message).toMatch(/fonts-ipafont-gothic/);
      writeFileSync(join(dir, 'x.ttf'), '');
      expect(findCjkFont({ candidates: [join(dir, 'x.ttf')], useFontconfig: false })).toBe(
        join(dir, 'x.ttf'),
      );
      expect(() => findCjkFont({ path: join(dir, 'missing.ttf') })).toThrow(/font file not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
