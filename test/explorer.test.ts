/**
 * The explorer in headless Chromium: the app is built with Vite into a temporary directory, served by
 * explorer/serve.mjs (what `npm start` runs) on a free port, and driven with playwright-core. Every
 * registry id is on the index; search filters; clicking an entry opens its page with a formula and a
 * drawn plot; plots draw for entries of several families; options redraw; compare charts draw every
 * curve; the guide links entries; the playgrounds (boxes, training in a Web Worker, ...) respond to
 * the mouse and the keyboard and show the library's values; and no console error occurs.
 *
 * Skipped with a notice when /usr/bin/chromium is absent, unless LOSSKIT_REQUIRE_BROWSER=1.
 * Screenshots go to $EXPLORER_SCREENSHOTS when set (docs/explorer/ holds the committed ones).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, list } from '../src/index.js';
import { BOX_LOSSES } from '../explorer/src/play/boxes.js';
import { MASK_LOSSES, maskValues } from '../explorer/src/play/masks.js';
import { positionScores, RANKING_LOSSES } from '../explorer/src/play/ranking.js';
import { DEMO_EXAMPLES } from '../src/demo/focal-examples.js';
// @ts-expect-error: a plain JavaScript module without declarations
import { serveExplorer } from '../explorer/serve.mjs';

const CHROMIUM = process.env.LOSSKIT_CHROMIUM ?? '/usr/bin/chromium';
const required = process.env.LOSSKIT_REQUIRE_BROWSER === '1';
const available = existsSync(CHROMIUM);
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const shots = process.env.EXPLORER_SCREENSHOTS;

/** The playground routes the issue asks for, in header order. */
const PLAY_SLUGS = [
  'boxes',
  'train',
  'confusion',
  'entropy',
  'masks',
  'ranking',
  'focal-table',
  'diou',
  'bench',
];

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

  it('opens every entry page with a formula and a drawn plot', async () => {
    await page.goto(`${url}#/`);
    for (const meta of list()) {
      await page.evaluate((id) => (location.hash = `#/loss/${id}`), meta.id);
      await page.waitForSelector(`h1 code:text-is("${meta.id}")`);
      await page.waitForSelector('[data-testid="loss-plot"] path.series', { state: 'attached' });
      expect(await page.$$('.formula .katex'), meta.id).not.toHaveLength(0);
      const lengths = await pathLengths(page, '[data-testid="loss-plot"]', 0);
      expect(lengths[0], meta.id).toBeGreaterThan(100);
    }
  });

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

  /** The box playground's displayed values by id, its predicted box and its target. */
  async function boxState(): Promise<{
    values: Record<string, number>;
    box: number[];
    target: number[];
  }> {
    const values = await page.$$eval('[data-box-loss]', (els) =>
      Object.fromEntries(
        els.map((e) => [
          e.getAttribute('data-box-loss')!,
          Number((e as HTMLElement).dataset.value),
        ]),
      ),
    );
    const box = JSON.parse((await page.getAttribute('[data-testid="box-coords"]', 'data-box'))!);
    const target = JSON.parse(
      (await page.getAttribute('[data-testid="box-coords"]', 'data-target'))!,
    );
    return { values, box, target };
  }

  /** The displayed values equal losskit's on the displayed boxes (same code in Node; 1e-12 relative). */
  function expectLibraryValues(state: {
    values: Record<string, number>;
    box: number[];
    target: number[];
  }) {
    for (const id of BOX_LOSSES) {
      const want = evaluate(id, { input: [state.box], target: [state.target] }).value as number;
      expect(Math.abs(state.values[id] - want), id).toBeLessThanOrEqual(
        1e-12 * Math.max(1, Math.abs(want)),
      );
    }
  }

  it('drags the predicted box with the mouse and every displayed value changes to the library’s', async () => {
    await page.goto(`${url}#/play/boxes`);
    await page.waitForSelector('[data-testid="pred-box"]');
    const before = await boxState();
    expect(Object.keys(before.values).sort()).toEqual([...BOX_LOSSES].sort());
    expectLibraryValues(before);
    expect(await page.$$('[data-testid="grad-arrows"] line')).toHaveLength(2);
    const r = (await page.locator('[data-testid="pred-box"]').boundingBox())!;
    await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
    await page.mouse.down();
    await page.mouse.move(r.x + r.width / 2 + 90, r.y + r.height / 2 + 60, { steps: 6 });
    await page.mouse.up();
    const after = await boxState();
    // A translation: both corners move right and down by the same amount, the size is kept.
    expect(after.box[0]).toBeGreaterThan(before.box[0] + 20);
    expect(after.box[1]).toBeGreaterThan(before.box[1] + 20);
    expect(after.box[2] - after.box[0]).toBeCloseTo(before.box[2] - before.box[0], 9);
    for (const id of BOX_LOSSES) expect(after.values[id], id).not.toBe(before.values[id]);
    expectLibraryValues(after);
    if (shots) await page.screenshot({ path: join(shots, 'play-boxes.png'), fullPage: true });
  });

  it('moves the box with the arrow keys and resizes it with Shift + arrows', async () => {
    await page.goto(`${url}#/play/boxes`);
    await page.focus('[data-testid="pred-box"]');
    const before = await boxState();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const moved = await boxState();
    // 4 px per key press (the playground's keyboard step).
    expect(moved.box).toEqual([
      before.box[0] + 8,
      before.box[1] + 4,
      before.box[2] + 8,
      before.box[3] + 4,
    ]);
    await page.keyboard.press('Shift+ArrowRight');
    const resized = await boxState();
    expect(resized.box).toEqual([moved.box[0], moved.box[1], moved.box[2] + 4, moved.box[3]]);
    expect(resized.values.giou).not.toBe(moved.values.giou);
    expectLibraryValues(resized);
  });

  it('takes a gradient-descent step with the chosen loss: box − lr · ∂loss/∂box, and the loss falls', async () => {
    await page.goto(`${url}#/play/boxes`);
    await page.check('#box-loss-giou');
    await page.fill('#box-lr', '500');
    const before = await boxState();
    const g = evaluate('giou', { input: [before.box], target: [before.target] }, {}, { grad: true })
      .grads!.input.data;
    await page.click('[data-testid="box-step"]');
    const after = await boxState();
    for (let k = 0; k < 4; k += 1) expect(after.box[k]).toBeCloseTo(before.box[k] - 500 * g[k], 9);
    expect(after.values.giou).toBeLessThan(before.values.giou);
    await page.click('[data-testid="box-step10"]');
    expect((await boxState()).values.giou).toBeLessThan(after.values.giou);
  });

  it('trains in a Web Worker: progress advances, minority recall is reported, and Stop stops it', async () => {
    await page.goto(`${url}#/play/train`);
    await page.selectOption('[data-testid="train-loss"]', 'weightedBce');
    await page.click('[data-testid="train-start"]');
    const step = async () => Number(await page.textContent('[data-testid="train-step"]'));
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="train-step"]')?.textContent) >= 100,
    );
    const first = await step();
    const recall = Number(await page.textContent('[data-testid="train-recall"]'));
    expect(Number.isFinite(recall)).toBe(true);
    expect(recall).toBeGreaterThanOrEqual(0);
    expect(recall).toBeLessThanOrEqual(1);
    expect(
      Number(await page.getAttribute('[data-testid="train-progress"]', 'value')),
    ).toBeGreaterThan(0);
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="train-step"]')?.textContent) > n,
      first,
    );
    if (shots) await page.screenshot({ path: join(shots, 'play-train.png'), fullPage: true });
    await page.click('[data-testid="train-stop"]');
    await page.waitForSelector('[data-testid="train-status"][data-state="stopped"]');
    const stopped = await step();
    expect(stopped).toBeGreaterThan(first);
    expect(stopped).toBeLessThan(3000);
    await page.waitForTimeout(300);
    expect(await step()).toBe(stopped);
    expect(await page.isEnabled('[data-testid="train-start"]')).toBe(true);
    // Class-balanced weights find the minority class: its recall is well above zero by then.
    expect(Number(await page.textContent('[data-testid="train-recall"]'))).toBeGreaterThan(0.5);
  });

  /** A playground's displayed values by their data-metric name (full precision). */
  async function metricValues(): Promise<Record<string, number>> {
    return page.$$eval('[data-metric]', (els) =>
      Object.fromEntries(
        els.map((e) => [e.getAttribute('data-metric')!, Number((e as HTMLElement).dataset.value)]),
      ),
    );
  }

  it("opens the confusion-matrix calculator on seed 002's tumour counts and recomputes on edit", async () => {
    await page.goto(`${url}#/play/confusion`);
    await page.waitForSelector('[data-metric="precision"]');
    // Seed 002: TP 20, FP 5, FN 10, TN 65; the expected values are the metrics' definitions.
    const [tp, fp, fn, tn] = [20, 5, 10, 65];
    let v = await metricValues();
    expect(v.precision).toBeCloseTo(tp / (tp + fp), 12); // 0.8
    expect(v.recall).toBeCloseTo(tp / (tp + fn), 12); // 0.6667
    expect(v.f1Score).toBeCloseTo((2 * tp) / (2 * tp + fp + fn), 12); // 40/55
    expect(v.accuracy).toBeCloseTo((tp + tn) / 100, 12);
    expect(v.specificity).toBeCloseTo(tn / (tn + fp), 12);
    expect(v.iouScore).toBeCloseTo(tp / (tp + fp + fn), 12);
    expect(v.diceScore).toBeCloseTo((2 * tp) / (2 * tp + fp + fn), 12);
    const mcc = (tp * tn - fp * fn) / Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
    expect(v['MCC (1 − mcc loss, eps = 0)']).toBeCloseTo(mcc, 12);
    // F-beta with the page's β = 2: (1 + β²)·TP / ((1 + β²)·TP + β²·FN + FP).
    expect(v['fbetaScore (β = 2)']).toBeCloseTo((5 * tp) / (5 * tp + 4 * fn + fp), 12);
    const matrix = () => page.getAttribute('[data-testid="confusion-matrix"]', 'data-matrix');
    expect(JSON.parse((await matrix())!)).toEqual([tn, fp, fn, tp]);
    await page.fill('[data-testid="count-tp"]', '25');
    v = await metricValues();
    expect(v.precision).toBeCloseTo(25 / 30, 12);
    expect(v.recall).toBeCloseTo(25 / 35, 12);
    expect(JSON.parse((await matrix())!)).toEqual([tn, fp, fn, 25]);
  });

  it("opens the entropy calculator on seed 004's weather code and recomputes on edit", async () => {
    await page.goto(`${url}#/play/entropy`);
    await page.waitForSelector('[data-metric="entropy"]');
    let v = await metricValues();
    // Seed 004: 2.23 bits of entropy, 4.58 bits with the code, KL = 4.58 − 2.23 = 2.35 bits.
    expect(v.entropy.toFixed(2)).toBe('2.23');
    expect(v.distributionCrossEntropy.toFixed(2)).toBe('4.58');
    expect(v.klDivergence.toFixed(2)).toBe('2.35');
    expect(v.difference).toBeCloseTo(v.klDivergence, 12);
    await page.fill('[data-testid="dist-p-0"]', '0.3');
    await page.fill('[data-testid="dist-p-1"]', '0.4');
    v = await metricValues();
    const p = [0.3, 0.4, 0.1, 0.1, 0.04, 0.04, 0.01, 0.01];
    expect(v.entropy).toBeCloseTo(-p.reduce((s, x) => s + x * Math.log2(x), 0), 12);
    expect(v.klDivergence).toBeCloseTo(v.distributionCrossEntropy - v.entropy, 12);
    await page.fill('[data-testid="dist-base"]', String(Math.E));
    expect((await metricValues()).entropy).toBeCloseTo(
      -p.reduce((s, x) => s + x * Math.log(x), 0),
      12,
    );
    // Seed 004's cat/dog/pig prediction for a cat: −ln 0.3 = 1.204 nats.
    const titles = await page.$$eval('[data-testid="dist-example"] option', (os) =>
      os.map((o) => o.textContent),
    );
    const cat = titles.findIndex((x) => x?.includes('cat/dog/pig'));
    expect(cat).toBeGreaterThan(0);
    await page.selectOption('[data-testid="dist-example"]', String(cat));
    expect((await metricValues()).distributionCrossEntropy).toBeCloseTo(-Math.log(0.3), 12);
  });

  it('paints the target of the mask playground by dragging and shows the library’s values', async () => {
    await page.goto(`${url}#/play/masks`);
    await page.waitForSelector('[data-metric="dice"]');
    const state = async () => ({
      pred: JSON.parse(
        (await page.getAttribute('[data-testid="mask-pred"]', 'data-mask'))!,
      ) as number[],
      target: JSON.parse(
        (await page.getAttribute('[data-testid="mask-target"]', 'data-mask'))!,
      ) as number[],
      values: await metricValues(),
    });
    const before = await state();
    // Drag along the bottom row of the target, from cell 56 to cell 60: five cells painted.
    const from = (await page
      .locator('[data-testid="mask-target"] [data-cell="56"]')
      .boundingBox())!;
    const to = (await page.locator('[data-testid="mask-target"] [data-cell="60"]').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await page.mouse.up();
    const after = await state();
    for (let i = 56; i <= 60; i += 1) expect(after.target[i]).toBe(1 - before.target[i]);
    expect(after.target.filter((v, i) => v !== before.target[i])).toHaveLength(5);
    for (const id of MASK_LOSSES) expect(after.values[id], id).not.toBe(before.values[id]);
    const lib = maskValues(after.pred, after.target, 2);
    for (const [id, v] of Object.entries(lib)) expect(after.values[id], id).toBeCloseTo(v, 12);
    // The hard-mask Dice score by its definition 2TP / (2TP + FP + FN).
    const tp = after.pred.filter((p, i) => p === 1 && after.target[i] === 1).length;
    const fp = after.pred.filter((p, i) => p === 1 && after.target[i] === 0).length;
    const fn = after.pred.filter((p, i) => p === 0 && after.target[i] === 1).length;
    expect(after.values.diceScore).toBeCloseTo((2 * tp) / (2 * tp + fp + fn), 12);
    // Keyboard: Space toggles the focused prediction cell; ArrowRight moves to the next one.
    await page.focus('[data-testid="mask-pred"] [data-cell="0"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    expect((await state()).pred[1]).toBe(1 - after.pred[1]);
    // Very confident logits: the soft Dice loss tends to 1 − the hard Dice score.
    await page.fill('#mask-confidence', '40');
    const sure = await state();
    expect(sure.values.dice).toBeCloseTo(1 - sure.values.diceScore, 9);
  });

  it('reorders the ranking list with the keyboard and by dragging, with NDCG by its definition', async () => {
    await page.goto(`${url}#/play/ranking`);
    await page.waitForSelector('[data-metric="ndcg"]');
    const state = async () => ({
      rel: JSON.parse(
        (await page.getAttribute('[data-testid="rank-list"]', 'data-relevance'))!,
      ) as number[],
      names: await page.$$eval('[data-testid="rank-list"] [data-item]', (els) =>
        els.map((e) => e.getAttribute('data-item')),
      ),
      values: await metricValues(),
    });
    // NDCG (exp2 gain, log2 discount) of a relevance list in ranked order.
    const dcg = (r: number[]) => r.reduce((s, x, i) => s + (2 ** x - 1) / Math.log2(i + 2), 0);
    const ndcgOf = (r: number[]) => dcg(r) / dcg([...r].sort((a, b) => b - a));
    const expectValues = (s: Awaited<ReturnType<typeof state>>) => {
      expect(s.values.ndcg).toBeCloseTo(ndcgOf(s.rel), 12);
      for (const id of RANKING_LOSSES) {
        const want = evaluate(id, {
          scores: [positionScores(s.rel.length)],
          relevance: [s.rel],
        }).value;
        expect(s.values[id], id).toBeCloseTo(want as number, 12);
      }
    };
    const first = await state();
    // ndcg's first example: relevance [3, 0, 2, 1, 0] by scores [0.1, 0.9, 0.4, 0.7, 0.3].
    const meta = list().find((m) => m.id === 'ndcg')!;
    const ex = meta.examples[0].inputs as { scores: number[]; relevance: number[] };
    const byScore = ex.scores.map((_, i) => i).sort((a, b) => ex.scores[b] - ex.scores[a]);
    expect(first.rel).toEqual(byScore.map((i) => ex.relevance[i]));
    expectValues(first);
    // Keyboard: move the last item to the top with its ↑ button (focus follows the item).
    const last = first.names[first.names.length - 1]!;
    await page.focus(`[data-item="${last}"] [data-move="up"]`);
    for (let i = 0; i < first.names.length - 1; i += 1) await page.keyboard.press('Enter');
    const moved = await state();
    expect(moved.names[0]).toBe(last);
    expect(moved.rel).toEqual([first.rel[first.rel.length - 1], ...first.rel.slice(0, -1)]);
    expect(moved.values.ndcg).not.toBe(first.values.ndcg);
    expectValues(moved);
    // Pointer: drag the top item below the last one.
    const top = (await page.locator(`[data-item="${moved.names[0]}"] .rank-name`).boundingBox())!;
    const bottom = (await page
      .locator(`[data-item="${moved.names[moved.names.length - 1]}"]`)
      .boundingBox())!;
    await page.mouse.move(top.x + top.width / 2, top.y + top.height / 2);
    await page.mouse.down();
    await page.mouse.move(top.x + top.width / 2, bottom.y + bottom.height - 2, { steps: 10 });
    await page.mouse.up();
    const dragged = await state();
    expect(dragged.names).toEqual([...moved.names.slice(1), moved.names[0]]);
    expectValues(dragged);
    await page.click('text=Ideal order');
    expect((await metricValues()).ndcg).toBe(1);
  });

  it("shows seed 003's focal-vs-CE table live: 100× at p_t = 0.9 for γ = 2, equal losses at γ = 0", async () => {
    await page.goto(`${url}#/play/focal-table`);
    await page.waitForSelector('[data-testid="focal-table"] [data-col="ce"]');
    const rows = () =>
      page.$$eval('[data-testid="focal-table"] tr[data-row]', (trs) =>
        trs.map((tr) => ({
          name: tr.getAttribute('data-row')!,
          ...Object.fromEntries(
            [...tr.querySelectorAll<HTMLElement>('[data-col]')].map((c) => [
              c.dataset.col!,
              Number(c.dataset.value),
            ]),
          ),
        })),
      ) as Promise<({ name: string } & Record<string, number>)[]>;
    let r = await rows();
    expect(r.map((x) => x.name)).toEqual(DEMO_EXAMPLES.map((e) => e.name));
    // CE = −log p_t; FL(γ = 2, no α) = (1 − p_t)² · CE, so CE/FL = 1/(1 − p_t)² = 100 at p_t = 0.9.
    for (const x of r) {
      expect(x.ce, x.name).toBeCloseTo(-Math.log(x.pt), 12);
      expect(x.ratio / (1 / (1 - x.pt) ** 2), x.name).toBeCloseTo(1, 9);
    }
    expect(r.find((x) => x.name === 'positive, p_t = 0.9')!.ratio).toBeCloseTo(100, 6);
    const shares = await page.$$eval('[data-testid="focal-batch"] [data-share]', (cs) =>
      cs.map(
        (c) => [c.getAttribute('data-share')!, Number((c as HTMLElement).dataset.value)] as const,
      ),
    );
    for (const k of [0, 1, 2]) {
      const col = shares.filter(([key]) => key.endsWith(`:${k}`)).map(([, v]) => v);
      expect(col.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    }
    await page.fill('#focal-gamma', '0');
    r = await rows();
    for (const x of r) expect(x.ratio, x.name).toBeCloseTo(1, 12);
    const hard = DEMO_EXAMPLES.findIndex((e) => e.name === 'hard positive');
    await page.fill(`#focal-p-${hard}`, '0.5');
    expect((await rows())[hard].ce).toBeCloseTo(Math.LN2, 12);
  });

  it('draws the DIoU simulation curves of both gradient modes from the files repro:diou wrote', async () => {
    await page.goto(`${url}#/play/diou`);
    for (const mode of ['paper', 'exact']) {
      const json = JSON.parse(
        readFileSync(resolve(root, `docs/diou-simulation/diou-${mode}.json`), 'utf8'),
      ) as { meta: { curves: Record<string, number[]> } };
      const fig = `[data-testid="diou-${mode}"]`;
      await page.waitForSelector(`${fig} path.series`);
      const labels = await page.$$eval(`${fig} path.series`, (ps) =>
        ps.map((p) => p.getAttribute('data-label')),
      );
      expect(labels).toEqual(Object.keys(json.meta.curves));
      for (const n of await pathLengths(page, fig)) expect(n).toBeGreaterThan(1000);
      const caption = (await page.textContent(`${fig} figcaption`))!;
      const giou = json.meta.curves.GIoU;
      // The caption shows the last value to 4 significant digits.
      const shown = Number(/GIoU ([0-9.e+-]+)/.exec(caption)![1]);
      expect(Math.abs(shown / giou[giou.length - 1] - 1)).toBeLessThan(5e-4);
    }
  });

  it('renders the benchmark results written by npm run bench', async () => {
    await page.goto(`${url}#/play/bench`);
    await page.waitForSelector('[data-testid="bench"] table');
    const file = existsSync(resolve(root, 'docs/benchmarks.md'))
      ? 'docs/benchmarks.md'
      : 'bench/RESULTS.md';
    expect(await page.textContent('main')).toContain(file);
    const firstCells = readFileSync(resolve(root, file), 'utf8')
      .split('\n')
      .filter((l) => /^\| [^-]/.test(l))
      .map((l) =>
        l
          .split('|')[1]
          .trim()
          .replace(/\*\*|`/g, ''),
      );
    expect(firstCells.length).toBeGreaterThan(1);
    const text = (await page.textContent('[data-testid="bench"]'))!;
    for (const c of firstCells) expect(text).toContain(c);
  });

  it('links every playground from the header', async () => {
    await page.goto(`${url}#/`);
    const links = await page.$$eval('header [data-play]', (as) =>
      as.map((a) => a.getAttribute('href')),
    );
    expect(links).toEqual(PLAY_SLUGS.map((s) => `#/play/${s}`));
  });

  it('is readable at phone width: an entry page and every playground', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = () =>
      page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    await page.goto(`${url}#/loss/sigmoidFocal`);
    await page.waitForSelector('[data-testid="loss-plot"] path.series');
    expect(await overflow()).toBeLessThanOrEqual(0);
    if (shots) await page.screenshot({ path: join(shots, 'entry-phone.png'), fullPage: true });
    for (const slug of PLAY_SLUGS) {
      await page.goto(`${url}#/play/${slug}`);
      await page.waitForSelector('main h1');
      expect(await overflow(), slug).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1100, height: 900 });
  });

  it('logs no console error on any page it visited', () => {
    expect(errors).toEqual([]);
  });
});
