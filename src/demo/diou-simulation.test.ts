import { describe, expect, it } from 'vitest';
import { ciou } from '../losses/boxes/ciou.js';
import { diou } from '../losses/boxes/diou.js';
import { giou } from '../losses/boxes/giou.js';
import { iouLoss } from '../losses/boxes/iouLoss.js';
import { expectClose } from '../test-support/check.js';
import {
  buildCases,
  markdownTable,
  mersenneTwister,
  paperGradient,
  REPORTED_STEPS,
  runLoss,
  runSimulation,
  simIou,
  stepSize,
  svgPlot,
} from './diou-simulation.js';

describe('the DIoU paper simulation', () => {
  it("draws MATLAB's default rand stream: NumPy RandomState(5489).random_sample", () => {
    // /usr/bin/python3: r = np.random.RandomState(5489); a = r.random_sample(5000); b = r.random_sample(5000)
    const rand = mersenneTwister(5489);
    const a = Array.from({ length: 5000 }, rand);
    const b = Array.from({ length: 5000 }, rand);
    expect(a.slice(0, 3)).toEqual([0.8147236863931789, 0.9057919370756192, 0.12698681629350606]);
    expect(a[4999]).toBe(0.28196043491448763);
    expect(b[0]).toBe(0.16887997134425237);
    expect(b[4999]).toBe(0.4693639700610869);
  });

  it('builds 343 cases per point in the loop order point → target aspect → scale → anchor aspect', () => {
    const c = buildCases(2);
    expect(c.count).toBe(686);
    // first point: r = 3·√0.8147…, θ = 2π·0.1688…
    const r = 3 * Math.sqrt(0.8147236863931789);
    const th = 2 * Math.PI * 0.16887997134425237;
    expect(c.anchors[0]).toBe(10 + r * Math.cos(th));
    expect(c.anchors[1]).toBe(10 + r * Math.sin(th));
    // case 0: target 1:4, scale 0.5, anchor 1:4: (w, h) = (0.5, 2)·√(0.5·1)
    expectClose(c.anchors[2], 0.5 * Math.sqrt(0.5), { rtol: 1e-15 });
    expect(Array.from(c.targets.slice(0, 4))).toEqual([10, 10, 0.5, 2]);
    // case 49 starts target aspect 2 (√3/3 × √3)
    expectClose(c.targets[4 * 49 + 2], Math.sqrt(3) / 3, { rtol: 1e-15 });
    // case 7 is scale 0.67 with anchor aspect 1:4
    expectClose(c.anchors[4 * 7 + 2], 0.5 * Math.sqrt(0.67), { rtol: 1e-15 });
  });

  it('uses the step sizes 0.1 to t = 160, 0.01 to t = 180 and 0.001 after', () => {
    expect([1, 160, 161, 180, 181, 200].map(stepSize)).toEqual([
      0.1, 0.1, 0.01, 0.01, 0.001, 0.001,
    ]);
  });

  it('gives the official IoU gradient as the exact ascent in x, y and twice it in w, h (to_xywh drops the ½)', () => {
    const p = Float64Array.of(10.3, 9.8, 1.2, 0.9);
    const g = Float64Array.of(10, 10, 1, 1);
    const out = new Float64Array(4);
    paperGradient('IoU', p, 0, g, 0, out);
    const exact = iouLoss.valueAndGrad(
      { data: p, shape: [1, 4] },
      { data: g, shape: [1, 4] },
      {
        format: 'cxcywh',
        eps: 0,
      },
    ).grads.input.data;
    expectClose(out[0], -exact[0], { rtol: 1e-12 });
    expectClose(out[1], -exact[1], { rtol: 1e-12 });
    expectClose(out[2], -2 * exact[2], { rtol: 1e-12 });
    expectClose(out[3], -2 * exact[3], { rtol: 1e-12 });
  });

  it("reproduces the official DIoU code's enclosing-box term in x: its sign and its Ch built like Cw (papers.md §1.2)", () => {
    // disjoint, prediction left of the target: only the distance term acts. pred l = 6.5 < gt l = 9.5,
    // so the code's Cw.dx = Ch.dx = −1; C_w = 4, C_h = 1, c² = 17, ρ² = 9, x_g − x = 3.
    // Code: [2(x_g − x)c² − (2·C_w·Cw.dx + 2·C_h·Ch.dx)·ρ²]/c⁴ = (102 + 90)/289.
    // Exact ascent of −ρ²/c²: [2(x_g − x)c² + ρ²·∂c²/∂x]/c⁴ with ∂c²/∂x = −2·C_w: (102 − 72)/289.
    const p = Float64Array.of(7, 10, 1, 1);
    const g = Float64Array.of(10, 10, 1, 1);
    const out = new Float64Array(4);
    paperGradient('DIoU', p, 0, g, 0, out);
    expectClose(out[0], 192 / 289, { rtol: 1e-14 });
    expect(out[0]).toBeGreaterThan(30 / 289);
  });

  it('turns into the exact gradients of iouLoss, giou, diou and ciou once every quirk is fixed', () => {
    const fns = { IoU: iouLoss, GIoU: giou, DIoU: diou, CIoU: ciou } as const;
    const all = { half: true, clampUnion: true, distance: true, aspect: true };
    const g = Float64Array.of(10, 10, 0.5, 2);
    const preds = [
      [10.3, 9.6, 0.8, 1.4], // overlapping
      [9.9, 10.2, 1.5, 2.6], // encloses the target
      [12.1, 8.2, 0.7, 0.9], // disjoint in both axes
      [10.1, 12.3, 0.4, 1.1], // disjoint vertically
    ];
    const out = new Float64Array(4);
    for (const [loss, fn] of Object.entries(fns) as [
      keyof typeof fns,
      (typeof fns)[keyof typeof fns],
    ][]) {
      for (const p of preds) {
        const pa = Float64Array.from(p);
        paperGradient(loss, pa, 0, g, 0, out, all);
        const exact = (
          fn.valueAndGrad as (...a: unknown[]) => { grads: { input: { data: Float64Array } } }
        )({ data: pa, shape: [1, 4] }, { data: g, shape: [1, 4] }, { format: 'cxcywh', eps: 0 })
          .grads.input.data;
        for (let c = 0; c < 4; c++) expectClose(out[c], -exact[c], { rtol: 1e-6, atol: 1e-9 });
      }
    }
  });

  it('never moves a non-overlapping box with the IoU loss, in either mode', () => {
    const c = buildCases(1);
    for (const mode of ['paper', 'exact'] as const) {
      const curve = runLoss('IoU', mode, c);
      // a disjoint case keeps e_t constant; the sum only falls through overlapping cases
      expect(curve.sumEAtT[199]).toBeLessThanOrEqual(curve.sumEAtT[0]);
    }
    const disjoint: number[] = [];
    for (let k = 0; k < c.count; k++)
      if (simIou(c.anchors, 4 * k, c.targets, 4 * k) === 0) disjoint.push(k);
    expect(disjoint.length).toBeGreaterThan(0);
  });

  it('runs a 3-point subsample in both modes: DIoU and CIoU end far below IoU, and the outputs render', () => {
    for (const mode of ['paper', 'exact'] as const) {
      const r = runSimulation(mode, 3);
      expect(Object.keys(r.losses)).toEqual(['IoU', 'GIoU', 'DIoU', 'CIoU']);
      for (const l of ['IoU', 'GIoU', 'DIoU', 'CIoU'] as const) {
        expect(Object.keys(r.losses[l].sum_e_at_t)).toEqual(REPORTED_STEPS.map(String));
        const total = r.meta.curves[l].reduce((a, b) => a + b, 0);
        expectClose(r.losses[l].total_sum_over_t, total, { rtol: 1e-12 });
      }
      expect(r.losses.DIoU.sum_e_at_t['200']).toBeLessThan(0.5 * r.losses.IoU.sum_e_at_t['200']);
      expect(r.losses.CIoU.sum_e_at_t['200']).toBeLessThan(0.5 * r.losses.IoU.sum_e_at_t['200']);
      expect(markdownTable(r)).toContain('| DIoU |');
      expect(svgPlot(r)).toContain('<polyline');
    }
  });
});
