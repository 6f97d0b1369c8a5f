/**
 * The focal-vs-CE demo. Expected numbers are closed forms (Lin et al. 2017; torchvision
 * `sigmoid_focal_loss`), never outputs of the code under test. With p = σ(x) and
 * p_t = p for y = 1, 1 − p for y = 0:
 *   CE            = bceWithLogits(x, y)              = −ln p_t
 *   FL(γ, no α)   = sigmoidFocal(x, y, α = −1)       = (1 − p_t)^γ · (−ln p_t)
 *   FL(γ, α)      = sigmoidFocal(x, y, α)            = α_t (1 − p_t)^γ · (−ln p_t),  α_t = α (y = 1), 1 − α (y = 0)
 * The demo feeds x = ln(p / (1 − p)), so σ(x) = p up to rounding (rtol 1e-10 holds easily).
 */
import { describe, expect, it } from 'vitest';
import { expectClose } from '../test-support/check.js';
import { ALPHA, computeDemo, DEMO_EXAMPLES, GAMMA, renderDemo } from './focal-vs-ce.js';

const TOL = { rtol: 1e-10 };

describe('the focal-vs-CE demo', () => {
  it('computes CE and both focal variants matching their closed forms for every example', () => {
    const rows = computeDemo();
    expect(rows.map((r) => r.name)).toEqual(DEMO_EXAMPLES.map((e) => e.name));
    for (const r of rows) {
      const pt = r.target === 1 ? r.p : 1 - r.p;
      const alphaT = r.target === 1 ? ALPHA : 1 - ALPHA;
      const ce = -Math.log(pt);
      expectClose(r.pt, pt, TOL, `${r.name}: p_t`);
      expectClose(r.ce, ce, TOL, `${r.name}: CE`);
      expectClose(r.focal, (1 - pt) ** GAMMA * ce, TOL, `${r.name}: FL`);
      expectClose(r.focalAlpha, alphaT * (1 - pt) ** GAMMA * ce, TOL, `${r.name}: FL(α)`);
    }
  });

  it("reproduces the paper's check: at p_t = 0.9, γ = 2 makes the loss 100× lower than CE", () => {
    const row = computeDemo().find((r) => r.target === 1 && r.p === 0.9)!;
    // −ln 0.9 = 0.10536051565782628; (1 − 0.9)² = 0.01 → FL = 0.001053605156578263, CE/FL = 100.
    expectClose(row.ce, 0.10536051565782628, TOL);
    expectClose(row.focal, 0.001053605156578263, TOL);
    expectClose(row.ce / row.focal, 100, TOL);
  });

  it('gives the background anchor at the prior π = 0.01 the tiny focal loss torchvision gives', () => {
    const row = computeDemo().find((r) => r.target === 0 && r.p === 0.01)!;
    // p_t = 0.99: CE = −ln 0.99 = 0.01005033585350145;
    // FL(α = 0.25) = α_t (1 − p_t)² CE = 0.75 · 1e-4 · 0.01005033585350145 = 7.537751890126089e-7
    // (papers.md §2: "x = b(π = 0.01), t = 0 → 7.54e-7").
    expectClose(row.ce, 0.01005033585350145, TOL);
    expectClose(row.focalAlpha, 7.537751890126089e-7, TOL);
  });

  it('never makes focal loss larger than CE, and down-weights easy examples far more than hard ones', () => {
    const rows = computeDemo();
    for (const r of rows) {
      expect(r.focal).toBeLessThanOrEqual(r.ce);
      expect(r.focalAlpha).toBeLessThanOrEqual(r.ce);
    }
    const easy = rows.filter((r) => r.pt >= 0.9);
    const hard = rows.filter((r) => r.pt <= 0.3);
    for (const e of easy)
      for (const h of hard) expect(e.ce / e.focal).toBeGreaterThan(h.ce / h.focal);
  });

  it('renders the same text every time, with the explanation, the tables and the checks', () => {
    const text = renderDemo();
    expect(renderDemo()).toBe(text);
    expect(text).toContain('Focal loss vs cross-entropy on easy and hard examples');
    expect(text).toContain('Seed 003');
    for (const e of DEMO_EXAMPLES) expect(text).toContain(e.name);
    // p_t = 0.9 row: CE = 0.10536… → "0.1054", FL = 0.0010536… → "0.001054", CE/FL = 100 → "100×".
    const row = text.split('\n').find((l) => l.startsWith('positive, p_t = 0.9'))!;
    expect(row).toContain('0.1054');
    expect(row).toContain('0.001054');
    expect(row).toContain('100×');
  });

  it('shows CE dominated by background anchors and focal loss by the hard positive', () => {
    const text = renderDemo();
    // 1000 background anchors (CE 0.01005033585350145 each) + 1 positive at p = 0.1 (CE = ln 10 =
    // 2.302585092994046): background share of CE = 10.05033585350145 / 12.352920946495496 = 81.36% →
    // "81.4%"; under FL (γ = 2, no α) the positive keeps 0.81·ln 10 / (0.81·ln 10 + 1000·1e-4·0.01005…)
    // = 1.8650939 / 1.8660989 = 99.946% → "99.9%"; background under FL(α) = 0.16139854% → "0.16%".
    const batch = text.slice(text.indexOf('3. An imbalanced batch')).split('\n');
    const bg = batch.find((l) => l.startsWith('background at prior π'))!;
    expect(bg).toContain('81.4%');
    expect(bg).toContain('0.16%');
    const pos = batch.find((l) => l.startsWith('very hard positive'))!;
    expect(pos).toContain('99.9%');
  });
});
