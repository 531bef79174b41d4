import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  dataRange, informationHtml, informationPng, informationRecord, informationSvg, informationTable, INFORMATION_COLORMAP, type InformationRecord,
} from '../../../../src/analysis/information/report/index.js';
import type { TextInformation } from '../../../../src/analysis/information/text.js';
import { toHex } from '../../../../src/render/colormap.js';

/** A measured sentence with made-up σ: 'kept' is kept by both layers, '<b>&' forgotten by the second. */
function measured(model = 'run-1:40'): InformationRecord {
  const scale = 10;
  const layer = (name: string, sigma: number[]) => ({
    layer: name, sigma, entropy: sigma.map((s) => 4 * (0.5 * Math.log(2 * Math.PI * Math.E) + Math.log(s))), r: sigma.map(() => 0),
    loss: { first: 1, best: 0.1, windows: [0.1] }, steps: 200, stopped: 'plateau' as const, normalizer: 'samples' as const,
  });
  const result: TextInformation = {
    text: 'kept <b>& word', tokens: ['kept', '<b>&', 'word'], wordIds: [0, 1, 2], embedding: 'embeddings', unknownWords: ['<b>&'],
    layers: [layer('layer1', [0.1, 0.2, 1]), layer('pooled', [0.1, 10, 5])],
    scale, lambda: 0.1, lr: 0.02, noiseSamples: 4, units: 3, unitSizes: [4, 4, 4], seconds: 0.5,
  };
  return informationRecord(model, result);
}

describe('information reports', () => {
  it('records keep the dashboard contract and add each layer\'s mean log(σ / scale)', () => {
    const r = measured();
    expect(r.tokens).toEqual(['kept', '<b>&', 'word']);
    expect(r.unknownWords).toEqual(['<b>&']);
    expect(r.layers.map((l) => [l.name, l.sigma.length, l.entropy.length])).toEqual([['layer1', 3, 3], ['pooled', 3, 3]]);
    expect(r.layers[1]!.meanLogSigma).toBeCloseTo((Math.log(0.01) + 0 + Math.log(0.5)) / 3, 12);
    expect(dataRange([r])).toEqual([Math.log(0.01), 0]);
  });

  it('the SVG: a cell per word and layer with its value on hover, forgotten dark, kept pale, markup escaped', () => {
    const { svg, width, height } = informationSvg([measured()], { marked: [[true, false, false]], markLabel: 'task word' });
    expect(width).toBeGreaterThan(300);
    expect(height).toBeGreaterThan(100);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(6);
    expect(svg).toContain('&lt;b&gt;&amp; at pooled: σ 10');
    expect(svg).not.toContain('<b>');
    // σ = scale is the dark end of the map, the smallest σ the pale end.
    expect(svg).toContain(`fill="${toHex(INFORMATION_COLORMAP.at(1))}" stroke="#ffffff" stroke-width="1"><title>&lt;b&gt;&amp; at pooled`);
    expect(svg).toContain(`fill="${toHex(INFORMATION_COLORMAP.at(0))}" stroke="#ffffff" stroke-width="1"><title>kept at layer1`);
    expect(svg).toContain('task word');
    expect(svg).not.toContain('relative depth');
    // Several models: the depth chart comes along, with each model's curve.
    const two = informationSvg([measured(), measured('run-2:40')], { titles: ['A', 'B'] }).svg;
    expect(two).toContain('relative depth');
    expect(two.match(/<polyline/g)).toHaveLength(4);
  });

  it('HTML is self-contained; the PNG is the same figure rasterised', async () => {
    const page = informationHtml([measured()]);
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).not.toMatch(/<script|<link|src=/);
    expect(page).toContain('<svg');
    expect(page).toContain('<td><code>pooled</code></td><td>');
    expect(page).toContain('read as the unknown token: &lt;b&gt;&amp;');
    const png = await informationPng([measured()], { pixelRatio: 1 });
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', informationSvg([measured()]).width, informationSvg([measured()]).height]);
  });

  it('the terminal table: words down, layers across, the mean last', () => {
    const lines = informationTable(measured()).split('\n');
    expect(lines[0]).toBe('run-1:40  ·  scale 10  ·  σ / scale: 1 = forgotten, near 0 = kept');
    expect(lines[1]).toMatch(/^ {2}word\s+layer1\s+pooled$/);
    expect(lines[3]).toMatch(/^ {2}kept\s+0\.010\s+0\.010$/);
    expect(lines[4]).toMatch(/^ {2}<b>&\s+0\.020\s+1\.000$/);
    expect(lines.at(-1)).toMatch(/^ {2}mean\s+0\.043\s+0\.503$/);
    expect(informationTable(measured(), { log: true }).split('\n')[3]).toMatch(/kept\s+-4\.61\s+-4\.61$/);
  });
});
