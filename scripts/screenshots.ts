/**
 * The dashboard screenshots the README shows, taken over a real store (the demo's, by default)
 * in Debian's Chromium:
 *
 *   npm run demo -- --no-serve && npx tsx scripts/screenshots.ts [--store glassbox-runs] [--out docs/images]
 *
 * The browser tests (test/browser) prove the dashboard works; this only photographs it with the
 * runs a newcomer gets from `npm run demo`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { loadDataset } from '../src/data/index.js';
import { startServer } from '../src/server/index.js';
import type { RunsResponse } from '../src/server/api-types.js';

const CHROMIUM = '/usr/bin/chromium';
const SENTENCE = 'The food was cold and the service was terribly slow, but the dessert was wonderful.';

const { values } = parseArgs({ options: { store: { type: 'string', default: 'glassbox-runs' }, out: { type: 'string', default: join('docs', 'images') } } });
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
mkdirSync(values.out!, { recursive: true });

const server = await startServer({ store: values.store!, port: 0, log: () => {} });
const browser = await chromium.launch({ executablePath: CHROMIUM });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const shot = async (name: string) => {
    const path = join(values.out!, `dashboard-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    process.stderr.write(`wrote ${path}\n`);
  };
  const { runs } = (await (await fetch(`${server.url}api/runs`)).json()) as RunsResponse;
  const byDataset = (prefix: string) => runs.find((r) => r.dataset?.startsWith(prefix) && r.status === 'completed');

  await page.goto(server.url);
  await page.locator('[data-testid="runs-table"] tbody tr').first().waitFor();
  await shot('runs');

  const text = byDataset('sentiment');
  if (text) {
    await page.goto(`${server.url}#/runs/${encodeURIComponent(text.id)}`);
    await page.getByTestId('information-heatmap').waitFor({ timeout: 30_000 });
    await page.getByRole('textbox', { name: 'Sentence' }).fill(SENTENCE);
    await page.getByRole('button', { name: /^Explain at step/ }).click();
    await page.getByTestId('token-heatmap').waitFor({ timeout: 60_000 });
    await shot('text');
  }

  const image = byDataset('mnist');
  if (image) {
    await page.goto(`${server.url}#/runs/${encodeURIComponent(image.id)}`);
    await page.getByLabel(/^Image/).setInputFiles({ name: 'digit.png', mimeType: 'image/png', buffer: await mnistPng(0) });
    await page.locator('img.preview').waitFor();
    await page.getByLabel('Occlusion').check();
    await page.getByRole('button', { name: /^Explain at step/ }).click();
    await page.getByTestId('attribution-png').waitFor({ timeout: 60_000 });
    await shot('image');
  }
} finally {
  await browser.close();
  await server.close();
}

/** An MNIST test digit as a PNG file, as a user would upload it. */
async function mnistPng(index: number): Promise<Buffer> {
  const x = loadDataset('mnist').test.inputs([index]);
  const pixels = Buffer.from(Array.from(x.data as Float32Array, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)));
  return sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer();
}
