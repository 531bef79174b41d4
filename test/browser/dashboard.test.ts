import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { INFO_PATCHES, INFO_TEXT, makeStore, type StoreFixture } from '../e2e/server/fixture.js';
import { ROOT } from '../helpers/fixtures.js';

/**
 * The dashboard in Debian's Chromium, driven by Playwright: pick a run, move the checkpoint
 * slider, explain a sentence and an uploaded image, read the heatmaps from the DOM. Screenshots
 * go to a temporary folder; GLASSBOX_SCREENSHOTS=docs/images writes the ones the docs show.
 */
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SHOTS = resolve(ROOT, process.env.GLASSBOX_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'glassbox-shots-')));
const SENTENCE = 'a wonderful film with a terrible ending';

if (!HAVE_CHROMIUM) console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does)`);

describe.skipIf(!HAVE_CHROMIUM)('the dashboard in Chromium', () => {
  let fx: StoreFixture;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    [fx, browser] = await Promise.all([makeStore('medium'), chromium.launch({ executablePath: CHROMIUM })]);
    server = await startServer({ store: fx.dir, port: 0, log: (line) => problems.push(line) });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    // Console errors include CSP violations: the app must run under its own policy.
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `dashboard-${name}.png`), fullPage: true });

  it('lists the runs', async () => {
    await page.goto(server.url);
    const rows = page.locator('[data-testid="runs-table"] tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const text = await page.locator('[data-testid="runs-table"]').innerText();
    expect(text).toMatch(/transformer[\s\S]*sentiment[\s\S]*completed/i);
    expect(text).toMatch(/cnn[\s\S]*mnist/);
    await shot('runs');
  });

  it('opens a text run: curves, the slider at the last checkpoint, layer information', async () => {
    await page.locator('a.run-link', { hasText: 'transformer' }).click();
    await page.locator('h1', { hasText: 'transformer' }).waitFor();
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(2);
    const last = fx.textSteps.at(-1)!;
    await expect.poll(() => page.getByTestId('checkpoint-step').innerText()).toMatch(new RegExp(`^step ${last}\\b`));
    const heat = page.getByTestId('information-heatmap');
    await heat.waitFor();
    expect(await heat.locator('tbody tr').count()).toBe(4);
    expect(await heat.locator('thead th.word').allInnerTexts()).toEqual(INFO_TEXT.split(' '));
  });

  it('explains a sentence: one heatmap row per method, red toward the target, blue against', async () => {
    await page.getByRole('textbox', { name: 'Sentence' }).fill(SENTENCE);
    await page.getByRole('button', { name: /^Explain at step/ }).click();
    const heatmap = page.getByTestId('token-heatmap');
    await heatmap.waitFor();
    const rows = heatmap.locator('.heatmap-row');
    expect(await rows.count()).toBe(2);
    expect(await rows.locator('.method-title').allInnerTexts()).toEqual(['Integrated Gradients', 'Saliency']);
    // (This callback runs in the page.)
    const tokens = await rows.first().locator('.token').evaluateAll((els) => els.map((el) => ({
      text: el.textContent, value: Number(el.getAttribute('data-value')), title: el.getAttribute('title'), background: el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor,
    })));
    expect(tokens.map((t) => t.text)).toEqual(SENTENCE.split(' '));
    for (const t of tokens) {
      const [r, , b] = /rgb\((\d+), (\d+), (\d+)\)/.exec(t.background)!.slice(1).map(Number) as [number, number, number];
      if (t.value > 0) expect(r, `${t.text} ${t.value} ${t.background}`).toBeGreaterThanOrEqual(b);
      if (t.value < 0) expect(b, `${t.text} ${t.value} ${t.background}`).toBeGreaterThanOrEqual(r);
      expect(t.title).toMatch(new RegExp(`^${t.text}: -?\\d`));
    }
    // The strongest token is strongly coloured.
    const strongest = tokens.reduce((a, t) => (Math.abs(t.value) > Math.abs(a.value) ? t : a));
    expect(strongest.background).not.toBe('rgb(255, 255, 255)');
    await shot('text');
  });

  it('moving the slider re-renders the explanation and the information for that checkpoint', async () => {
    const slider = page.locator('#checkpoint-slider');
    const before = await page.getByTestId('token-heatmap').locator('.token').first().getAttribute('data-value');
    await slider.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('checkpoint-step').innerText()).toMatch(/^step 0\b/);
    await expect.poll(() => page.getByTestId('explanation').getAttribute('data-step'), { timeout: 15_000 }).toBe('0');
    await expect.poll(() => page.getByTestId('explanation').getAttribute('aria-busy')).toBe('false');
    const after = await page.getByTestId('token-heatmap').locator('.token').first().getAttribute('data-value');
    expect(after).not.toBe(before);
    await expect.poll(() => page.locator('#information-title').innerText()).toMatch(/at step 0$/);
    // Two steps right: the third checkpoint.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const third = fx.textSteps[2]!;
    await expect.poll(() => page.getByTestId('explanation').getAttribute('data-step'), { timeout: 15_000 }).toBe(String(third));
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('explanation').getAttribute('data-step'), { timeout: 15_000 }).toBe(String(fx.textSteps.at(-1)));
  });

  it('says which words of a sentence the model cannot read', async () => {
    await page.getByRole('textbox', { name: 'Sentence' }).fill('a zorblaxian film');
    await page.getByRole('button', { name: /^Explain at step/ }).click();
    await expect.poll(() => page.getByTestId('unknown-words').innerText(), { timeout: 15_000 }).toBe("Not in the model's vocabulary, read as the unknown token: zorblaxian");
  });

  it('explains a test example', async () => {
    await page.getByRole('tab', { name: 'A test example' }).click();
    const select = page.getByLabel(/Test example/);
    await expect.poll(() => select.locator('option').count()).toBeGreaterThan(10);
    await select.selectOption('4');
    await page.getByRole('button', { name: /^Explain at step/ }).click();
    await expect.poll(() => page.getByTestId('explanation').innerText(), { timeout: 15_000 }).toMatch(/test example 4 of sentiment/);
  });

  it('uploads an image to the CNN run and shows the panels', async () => {
    await page.goto(`${server.url}#/runs/${encodeURIComponent(fx.image.id)}`);
    await page.locator('h1', { hasText: 'cnn' }).waitFor();
    await page.getByLabel(/^Image/).setInputFiles({ name: 'digit.png', mimeType: 'image/png', buffer: await mnistPng(0) });
    await page.locator('img.preview').waitFor();
    await page.getByLabel('Occlusion').check();
    await page.getByRole('button', { name: /^Explain at step/ }).click();
    const png = page.getByTestId('attribution-png');
    await png.waitFor({ timeout: 15_000 });
    expect(await png.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(600);
    expect(await page.getByTestId('prediction').innerText()).toMatch(/^\d$/);
    await shot('image');
  });

  it('draws an image run\'s layer information over the digit, a shaded patch per σ', async () => {
    const view = page.getByTestId('information-image');
    await view.waitFor();
    // The input, then one figure per layer.
    expect(await view.locator('figure').count()).toBe(4);
    expect(await view.locator('.info-patch').count()).toBe(3 * INFO_PATCHES);
    expect(await view.locator('img.info-picture').count()).toBe(4);
    // Forgotten patches (the border, at the last layer) are darker than kept ones (the centre).
    const opacity = (i: number) => view.locator('figure').nth(3).locator('.info-patch').nth(i).evaluate((el) => Number(el.ownerDocument.defaultView!.getComputedStyle(el).opacity));
    expect(await opacity(0)).toBeGreaterThan(await opacity(5));
    await page.getByTestId('information-panel').screenshot({ path: join(SHOTS, 'dashboard-image-information.png') });
  });

  it('ran without console errors, CSP violations or server errors', () => {
    expect(problems).toEqual([]);
  });
});

/** An MNIST test digit as a PNG file. */
async function mnistPng(index: number): Promise<Buffer> {
  const x = loadDataset('mnist').test.inputs([index]);
  const pixels = Buffer.from(Array.from(x.data as Float32Array, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)));
  return sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer();
}
