/**
 * The explorer in headless Chromium: the app is built with Vite into a temporary directory, served by
 * explorer/serve.mjs (what `npm start` runs) on a free port, and driven with playwright-core. Every
 * registry id is on the index; search filters; clicking an entry opens its page with a formula and a
 * drawn plot; plots draw for entries of several families; options redraw; compare charts draw every
 * curve; the guide links entries; and no console error occurs.
 *
 * Skipped with a notice when /usr/bin/chromium is absent, unless LOSSKIT_REQUIRE_BROWSER=1.
 * Screenshots go to $EXPLORER_SCREENSHOTS when set (docs/explorer/ holds the committed ones).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { list } from '../src/index.js';
// @ts-expect-error: a plain JavaScript module without declarations
import { serveExplorer } from '../explorer/serve.mjs';

const CHROMIUM = process.env.LOSSKIT_CHROMIUM ?? '/usr/bin/chromium';
const required = process.env.LOSSKIT_REQUIRE_BROWSER === '1';
const available = existsSync(CHROMIUM);
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const shots = process.env.EXPLORER_SCREENSHOTS;

if (!available && !required) {
  console.warn(`explorer test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

/** The `d` lengths of the curves (not the overlays) drawn in the nth chart of a figure. */
async function pathLengths(page: Page, figure: string, chartIndex = 0): Promise<number[]> {
  return page.$$eval(`${figure} svg.chart:nth-of-type(${chartIndex + 1}) path.series`, (paths) =>
    paths.map((p) => (p.getAttribute('d') ?? '').length),
  );
}

describe.skipIf(!available && !required)('the explorer in headless Chromium', () => {
  let out: string;
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'losskit-explorer-'));
    execFileSync(
      process.execPath,
      [
        resolve(root, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        resolve(root, 'explorer/vite.config.ts'),
        '--outDir',
        out,
        '--logLevel',
        'warn',
      ],
      { stdio: 'inherit', cwd: root },
    );
    ({ server, url } = (await serveExplorer(out, 0)) as { server: Server; url: string });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    if (shots) mkdirSync(shots, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('lists every registry id on the index, grouped by task family', async () => {
    await page.goto(url);
    await page.waitForSelector('[data-loss-id]');
    const shown = await page.$$eval('[data-loss-id]', (els) =>
      els.map((e) => e.getAttribute('data-loss-id')),
    );
    expect(shown.sort()).toEqual(
      list()
        .map((m) => m.id)
        .sort(),
    );
    const families = await page.$$eval('section.group', (els) => els.map((e) => e.dataset.task));
    expect(families).toEqual([...new Set(list().map((m) => m.task))]);
    if (shots) await page.screenshot({ path: join(shots, 'index.png') });
  });

  it('filters the index by id, title and when-to-use text', async () => {
    await page.goto(`${url}#/`);
    const visible = () =>
      page.$$eval('[data-loss-id]', (els) =>
        els
          .filter((e) => e.closest('[hidden]') === null)
          .map((e) => e.getAttribute('data-loss-id')),
      );
    await page.fill('[data-testid="search"]', 'huber');
    expect(await visible()).toContain('huber');
    expect((await visible()).length).toBeLessThan(10);
    // A word of huber's when-to-use advice that is not in its id or title.
    const huber = list().find((m) => m.id === 'huber')!;
    const word = huber.whenToUse
      .toLowerCase()
      .split(/[^a-z]+/)
      .find((w) => w.length > 6 && !`${huber.id} ${huber.title}`.toLowerCase().includes(w))!;
    await page.fill('[data-testid="search"]', word);
    expect(await visible()).toContain('huber');
    await page.fill('[data-testid="search"]', 'no such loss anywhere');
    expect(await visible()).toEqual([]);
    expect(await page.textContent('.count')).toBe(`0 of ${list().length} entries`);
    await page.fill('[data-testid="search"]', '');
    expect((await visible()).length).toBe(list().length);
  });

  it('opens an entry page from the index with its formula, advice and a drawn plot', async () => {
    await page.goto(`${url}#/`);
    await page.click('[data-loss-id="huber"]');
    await page.waitForSelector('[data-testid="loss-plot"]');
    expect(new URL(page.url()).hash).toBe('#/loss/huber');
    const huber = list().find((m) => m.id === 'huber')!;
    expect(await page.textContent('h1')).toContain(huber.title);
    expect(await page.$$('.formula .katex')).not.toHaveLength(0);
    expect(await page.textContent('main')).toContain(huber.whenToUse);
    const lengths = [
      ...(await pathLengths(page, '[data-testid="loss-plot"]', 0)),
      ...(await pathLengths(page, '[data-testid="loss-plot"]', 1)),
    ];
    expect(lengths).toHaveLength(2); // loss, analytic gradient
    for (const n of lengths) expect(n).toBeGreaterThan(500);
    expect((await page.$$('[data-testid="loss-plot"] .fd circle')).length).toBeGreaterThanOrEqual(
      10,
    );
    if (shots) await page.screenshot({ path: join(shots, 'entry-huber.png'), fullPage: true });
  });

  it('redraws the plot when an option control changes', async () => {
    await page.goto(`${url}#/loss/huber`);
    await page.waitForSelector('[data-testid="loss-plot"] path.series');
    const before = await page.getAttribute('[data-testid="loss-plot"] path.series', 'd');
    await page.fill('#opt-delta', '0.25');
    const after = await page.getAttribute('[data-testid="loss-plot"] path.series', 'd');
    expect(after).not.toBe(before);
  });

  for (const id of ['crossEntropy', 'dice', 'giou', 'listNet', 'ctc', 'tripletMargin', 'f1Score']) {
    it(`draws ${id}'s plot`, async () => {
      const meta = list().find((m) => m.id === id)!;
      await page.goto(`${url}#/loss/${id}`);
      await page.waitForSelector('[data-testid="loss-plot"] path.series');
      const lengths = [
        ...(await pathLengths(page, '[data-testid="loss-plot"]', 0)),
        ...(await pathLengths(page, '[data-testid="loss-plot"]', 1)),
      ];
      expect(lengths).toHaveLength(meta.kind === 'metric' ? 1 : 2);
      for (const n of lengths) expect(n).toBeGreaterThan(100);
      expect(await page.$('[data-testid="loss-plot"] .error')).toBeNull();
    });
  }

  it('compares focal loss for γ = 0, 0.5, 1, 2, 5 and the regression losses', async () => {
    await page.goto(`${url}#/compare/focal`);
    await page.waitForSelector('[data-testid="compare-plot"]');
    const focal = await page.$$eval(
      '[data-testid="compare-plot"] svg.chart:first-of-type path.series',
      (ps) =>
        ps.map((p) => [p.getAttribute('data-label'), (p.getAttribute('d') ?? '').length] as const),
    );
    expect(focal.map(([l]) => l)).toEqual(['γ = 0', 'γ = 0.5', 'γ = 1', 'γ = 2', 'γ = 5']);
    for (const [, n] of focal) expect(n).toBeGreaterThan(500);
    if (shots) await page.screenshot({ path: join(shots, 'compare-focal.png'), fullPage: true });
    await page.goto(`${url}#/compare/regression`);
    await page.waitForSelector('[data-testid="compare-plot"] path[data-label="logCosh"]');
    expect(await pathLengths(page, '[data-testid="compare-plot"]', 0)).toHaveLength(5);
    expect(await pathLengths(page, '[data-testid="compare-plot"]', 1)).toHaveLength(5);
  });

  it('walks the guide by task and links its entries', async () => {
    await page.goto(`${url}#/guide`);
    await page.click('.guide-nav a[href="#/guide/bounding-boxes"]');
    await page.waitForSelector('.guide [data-loss-link="giou"]');
    await page.click('.guide [data-loss-link="giou"]');
    await page.waitForSelector('[data-testid="loss-plot"] path.series');
    expect(new URL(page.url()).hash).toBe('#/loss/giou');
  });

  it('is readable at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}#/loss/sigmoidFocal`);
    await page.waitForSelector('[data-testid="loss-plot"] path.series');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    if (shots) await page.screenshot({ path: join(shots, 'entry-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1100, height: 900 });
  });

  it('logs no console error on any page it visited', () => {
    expect(errors).toEqual([]);
  });
});
