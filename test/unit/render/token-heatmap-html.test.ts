import { describe, expect, it } from 'vitest';
import { renderTokenHeatmapHtml, tokenColors } from '../../../src/render/token-heatmap-html.js';

const VOID = new Set(['meta', 'col', 'br', 'img', 'link', 'hr', 'input']);

/** A tiny well-formedness check: every tag is `<name attr="..." ...>` and open/close tags nest. */
function checkStructure(html: string): Map<string, number> {
  const counts = new Map<string, number>();
  const stack: string[] = [];
  const body = html.replace(/^<!DOCTYPE html>\n/, '').replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  const outside = body.replace(/<[^>]*>/g, '');
  expect(outside).not.toMatch(/[<>]/); // every < and > in text is escaped
  for (const m of body.matchAll(/<(\/?)([a-zA-Z0-9]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/g)) {
    const [, close, name] = m;
    counts.set(name!, (counts.get(name!) ?? 0) + (close ? 0 : 1));
    if (VOID.has(name!)) continue;
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  // nothing that looks like a tag was left unmatched by the strict pattern above
  const tags = body.match(/<[^>]*>/g)!.length;
  const strict = [...body.matchAll(/<(\/?)([a-zA-Z0-9]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/g)].length;
  expect(strict).toBe(tags);
  return counts;
}

const row = { label: 'IG', tokens: ['good', 'movie'], values: [0.5, -0.25] };

describe('renderTokenHeatmapHtml', () => {
  it('maps sign to hue and |value| / scale to intensity', () => {
    expect(tokenColors(1, 1)).toEqual({ background: '#67001f', text: '#ffffff' });
    expect(tokenColors(-1, 1)).toEqual({ background: '#053061', text: '#ffffff' });
    expect(tokenColors(0, 1)).toEqual({ background: '#f7f7f7', text: '#000000' });
    expect(tokenColors(5, 1).background).toBe('#67001f'); // clipped
    const half = tokenColors(0.5, 1).background; // t = 0.75: between #f4a582 and #d6604d
    expect(half).toBe('#e58368');
    expect(tokenColors(0.3, 0)).toEqual(tokenColors(0, 1)); // all-zero rows stay neutral
  });

  it('colours tokens by their own row scale and shows values on hover', () => {
    const html = renderTokenHeatmapHtml([{ rows: [row] }], { target: 'positive' });
    expect(html).toContain('<span class="t" style="background:#67001f;color:#ffffff" title="good: +0.500">good</span>');
    // -0.25 / 0.5 = -0.5 → t = 0.25: between #4393c3 and #92c5de
    expect(html).toContain('<span class="t" style="background:#6bacd1;color:#000000" title="movie: -0.250">movie</span>');
    expect(html).toMatch(/<td class="num">0\.500<\/td><td class="num">\+0\.250<\/td>/); // scale and sum
  });

  it('has a legend with the colour bar, the range, the meaning of red/blue, the target and the prediction', () => {
    const html = renderTokenHeatmapHtml([{ predicted: { label: 'positive', probability: 0.9312 }, rows: [row] }], { target: 'positive', scale: 'shared' });
    expect(html).toContain('<figure class="legend"');
    expect(html).toMatch(/linear-gradient\(to right, #053061 0\.0%, .*#67001f 100\.0%\)/);
    expect(html).toContain('<div class="ticks"><span>-0.500</span><span>0</span><span>+0.500</span></div>');
    expect(html).toContain('red: pushes toward <b>positive</b>');
    expect(html).toContain('blue: pushes against it');
    expect(html).toContain('predicted: <b>positive</b> (p = 0.931)');
  });

  it('escapes every piece of user text', () => {
    const evil = '<script>alert("x")</script>';
    const html = renderTokenHeatmapHtml(
      [{ title: evil, target: `a"b'c`, predicted: { label: '<img src=x onerror=alert(1)>' }, rows: [{ label: '"><b>', tokens: [evil, `it's "quoted" & more`], values: [1, 0], note: '</td>' }] }],
      { title: '</title><script>', target: '<i>t</i>' },
    );
    expect(html).not.toMatch(/<script|<img|<b>"|<i>t/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('it&#39;s &quot;quoted&quot; &amp; more');
    expect(html).toContain('title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;: +1.00"');
    const counts = checkStructure(html);
    expect(counts.get('script')).toBeUndefined();
    expect(counts.get('img')).toBeUndefined();
  });

  it('parses as a well-formed page with one table per group and one row per method', () => {
    const html = renderTokenHeatmapHtml([
      { title: 's1', rows: [row, { ...row, label: 'Saliency' }, { ...row, label: 'Lime' }] },
      { title: 's2', rows: [{ ...row, label: 'IG' }] },
    ]);
    const counts = checkStructure(html);
    expect(counts.get('html')).toBe(1);
    expect(counts.get('table')).toBe(2);
    expect(counts.get('tr')).toBe(2 + 4); // header rows + method rows
    expect(counts.get('style')).toBe(1);
    expect(html).not.toMatch(/<link|src=|url\(/); // self-contained
  });

  it('groups subwords into underlined words and marks special tokens', () => {
    const html = renderTokenHeatmapHtml([
      { rows: [{ label: 'IG', tokens: ['[CLS]', 'wonder', '##ful', 'film', '[SEP]'], values: [0, 0.4, 0.2, 0.1, 0], wordIds: [null, 0, 0, 1, null] }] },
    ]);
    expect(html.match(/<span class="word"/g)!.length).toBe(1);
    expect(html).toContain('<span class="word" title="wonderful: +0.600">');
    expect(html).toContain('title="##ful: +0.200 (word “wonderful”: +0.600)">ful</span>');
    expect(html.match(/class="t special"/g)!.length).toBe(2);
    checkStructure(html);
  });

  it('shares the scale across rows when asked', () => {
    const rows = [row, { label: 'B', tokens: ['x'], values: [0.25] }];
    const own = renderTokenHeatmapHtml([{ rows }], { scale: 'row' });
    const shared = renderTokenHeatmapHtml([{ rows }], { scale: 'shared' });
    expect(own).toContain('background:#67001f;color:#ffffff" title="x: +0.250"'); // its own max
    expect(shared).toContain('background:#e58368;color:#000000" title="x: +0.250"'); // half of 0.5
    expect(renderTokenHeatmapHtml([{ rows }], { scale: 1 })).toContain('Intensity = |value| / 1.00, clipped at 1');
  });

  it('rejects rows whose lengths disagree, in one line', () => {
    expect(() => renderTokenHeatmapHtml([{ rows: [{ label: 'IG', tokens: ['a'], values: [1, 2] }] }])).toThrow('token row "IG" has 1 tokens but 2 values');
  });
});
