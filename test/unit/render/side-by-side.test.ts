import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../../../src/tensor/tensor.js';
import { renderOverlayPng, renderPanelsPng } from '../../../src/render/side-by-side.js';

async function decode(png: Buffer): Promise<{ width: number; height: number; px: (x: number, y: number) => number[] }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return { width: info.width, height: info.height, px: (x, y) => Array.from(data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)) };
}

const fontsInstalled = (() => {
  try {
    return readdirSync('/usr/share/fonts', { recursive: true }).some((f) => /\.(ttf|otf)$/i.test(String(f)));
  } catch {
    return false;
  }
})();

const digit = Tensor.float32([1, 1, 28, 28], Array.from({ length: 784 }, (_, i) => ((i % 28) + Math.floor(i / 28)) % 7 === 0 ? 1 : 0));

describe('PNG overlays', () => {
  it('decodes to the expected size with the most positive pixel red and the most negative blue', async () => {
    const image = Tensor.float32([1, 4, 4], new Array(16).fill(0.5));
    const attr = new Array(16).fill(0);
    attr[1 * 4 + 2] = 1;
    attr[3 * 4 + 0] = -1;
    const png = await renderOverlayPng(image, Tensor.float32([1, 1, 4, 4], attr), { zoom: 2, colorbar: false });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const img = await decode(png);
    expect([img.width, img.height]).toEqual([16 + 8 + 16, 16 + 8 + 16]); // margins + 4 px × 2
    const origin = 16;
    const red = img.px(origin + 2 * 2 + 1, origin + 1 * 2 + 1);
    const blue = img.px(origin + 0 * 2 + 1, origin + 3 * 2 + 1);
    expect(red).toEqual([108, 26, 50]);
    expect(red[0]!).toBeGreaterThan(red[2]! + 40);
    expect(blue[2]!).toBeGreaterThan(blue[0]! + 40);
    expect(img.px(origin + 7, origin)).toEqual([128, 128, 128]); // zero attribution: the image
    expect(img.px(2, 2)).toEqual([255, 255, 255]); // white margin
  });

  it('lays panels side by side at zoom × size, crisp, with colour bars and captions', async () => {
    const signed = Tensor.float32([28, 28], Array.from({ length: 784 }, (_, i) => Math.sin(i / 50)));
    const cam = Tensor.float32([7, 7], Array.from({ length: 49 }, (_, i) => i / 48));
    const plain = await decode(
      await renderPanelsPng([{ image: digit }, { image: digit, attribution: signed }, { image: digit, attribution: cam }], { zoom: 2, colorbar: false }),
    );
    expect([plain.width, plain.height]).toEqual([16 + 3 * 56 + 2 * 24 + 16, 16 + 56 + 16]);
    // nearest zoom: the four screen pixels of one image pixel are equal
    expect(plain.px(16 + 2 * 7, 16)).toEqual(plain.px(16 + 2 * 7 + 1, 16 + 1));
    expect(plain.px(16 + 14, 16)).toEqual([255, 255, 255]); // an ink pixel of the original ((7 + 0) % 7 === 0)

    const full = await decode(
      await renderPanelsPng(
        [
          { image: digit, caption: 'original' },
          { image: digit, attribution: signed, caption: 'IntegratedGradients' },
          { image: digit, attribution: cam, caption: 'LayerGradCam' },
        ],
        { zoom: 8, title: 'MNIST' },
      ),
    );
    expect(full.height).toBe(16 + Math.ceil(14 * 1.8) + Math.ceil(14 * 1.6) + 224 + 16);
    expect(full.width).toBeGreaterThan(16 + 3 * 224 + 2 * 24 + 16 + 2 * (8 + 12)); // two colour bars with labels
    const top = 16 + 26 + 23;
    // the second panel's colour bar: red at the top, blue at the bottom (diverging), after 224 px + 8 gap
    const firstW = 224;
    const barX = 16 + firstW + 24 + 224 + 8 + 6;
    const barTop = full.px(barX, top + 2);
    const barBottom = full.px(barX, top + 221);
    expect(barTop[0]!).toBeGreaterThan(barTop[2]! + 40);
    expect(barBottom[2]!).toBeGreaterThan(barBottom[0]! + 40);
    if (fontsInstalled) {
      // the caption band above the first panel has dark (text) pixels
      let dark = 0;
      for (let y = top - 22; y < top - 2; y++) for (let x = 16; x < 16 + 224; x++) if (full.px(x, y)[0]! < 100) dark++;
      expect(dark).toBeGreaterThan(20);
    }
  });

  it('can share one scale across panels', async () => {
    const small = Tensor.float32([2, 2], [0.5, 0, 0, 0]);
    const big = Tensor.float32([2, 2], [1, 0, 0, 0]);
    const image = Tensor.float32([1, 2, 2], [0, 0, 0, 0]);
    const own = await decode(await renderPanelsPng([{ image, attribution: small }, { image, attribution: big }], { zoom: 1, colorbar: false, sharedScale: false }));
    const shared = await decode(await renderPanelsPng([{ image, attribution: small }, { image, attribution: big }], { zoom: 1, colorbar: false, sharedScale: true, outlierPerc: 0 }));
    // on its own scale the small map's peak is as bright as the big one's; on the shared scale it is half way
    expect(own.px(16, 16)).toEqual(own.px(16 + 2 + 24, 16));
    expect(shared.px(16, 16)[0]!).toBeLessThan(shared.px(16 + 2 + 24, 16)[0]!);
  });

  it('refuses an empty row in one line', async () => {
    await expect(renderPanelsPng([])).rejects.toThrow('nothing to draw: no panels');
  });
});
