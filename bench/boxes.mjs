// Box benchmarks for bench/run.mjs (BENCH_PART=boxes or all). Not a test.
//
// CIoU loss on 1,000,000 float32 xyxy box pairs (value + gradient of the mean) and the pairwise
// `boxIou` matrix of 4000 × 4000 float32 boxes (forward, and forward + gradient of the sum of the
// matrix), through losskit's evaluate, beside the same computations composed from TF.js ops on its
// cpu backend and PyTorch/torchvision float32 (bench/torch_boxes.py) when Debian's python3-torch
// and python3-torchvision are installed.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const N_CIOU = Number(process.env.BENCH_BOX_N ?? 1_000_000);
const N_IOU = Number(process.env.BENCH_BOX_IOU_N ?? 4000);
const EPS = 1e-7;
// tfjs-core's cpu backend needs seconds per op at these sizes on the 2-core machines (elementwise ops
// on 16M elements take tens of seconds under load): its cells are measured on the first
// BENCH_BOX_TF_N pairs / a BENCH_BOX_TF_IOU_N square, one call after one warm-up, and the table says so.
const TF_N = Math.min(N_CIOU, Number(process.env.BENCH_BOX_TF_N ?? 100_000));
const TF_IOU_N = Math.min(N_IOU, Number(process.env.BENCH_BOX_TF_IOU_N ?? 500));

function once(fn) {
  fn();
  const t0 = performance.now();
  const v = fn();
  return [performance.now() - t0, v];
}

/** Seeded random xyxy boxes (n, 4) and, when `ref` is given, boxes jittered around it. */
export function boxes(r, n, ref) {
  const out = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const o = 4 * i;
    if (ref) {
      const w = ref[o + 2] - ref[o];
      const h = ref[o + 3] - ref[o + 1];
      const x1 = ref[o] + (r() - 0.5) * w;
      const y1 = ref[o + 1] + (r() - 0.5) * h;
      out.set([x1, y1, x1 + w * (0.5 + r()), y1 + h * (0.5 + r())], o);
    } else {
      const x1 = 200 * r();
      const y1 = 200 * r();
      out.set([x1, y1, x1 + 1 + 60 * r(), y1 + 1 + 60 * r()], o);
    }
  }
  return out;
}

/**
 * TF.js CIoU as torchvision 0.14 `complete_box_iou_loss` composes it (xyxy, eps 1e-7, mean):
 * `_loss_inter_union` (intersection kept only where both extents are positive, as relu·relu), the DIoU term
 * ρ² / (c² + eps), and α·v with α = v / (1 − IoU + v + eps) computed outside the gradient (torch's
 * `no_grad`) and passed in as a constant tensor.
 */
function tfCiouTerms(tf, b, g) {
  const [x1, y1, x2, y2] = tf.unstack(b, 1);
  const [x1g, y1g, x2g, y2g] = tf.unstack(g, 1);
  const xk1 = tf.maximum(x1, x1g);
  const yk1 = tf.maximum(y1, y1g);
  const xk2 = tf.minimum(x2, x2g);
  const yk2 = tf.minimum(y2, y2g);
  // torchvision keeps the product only where both extents are positive: relu(Δx)·relu(Δy) is the
  // same value and gradient (0 where either extent is ≤ 0) without a logical op tf.grad lacks.
  const inter = tf.mul(tf.relu(tf.sub(xk2, xk1)), tf.relu(tf.sub(yk2, yk1)));
  const union = tf.sub(
    tf.add(tf.mul(tf.sub(x2, x1), tf.sub(y2, y1)), tf.mul(tf.sub(x2g, x1g), tf.sub(y2g, y1g))),
    inter,
  );
  const iou = tf.div(inter, tf.add(union, EPS));
  const cw = tf.sub(tf.maximum(x2, x2g), tf.minimum(x1, x1g));
  const ch = tf.sub(tf.maximum(y2, y2g), tf.minimum(y1, y1g));
  const diag = tf.add(tf.add(tf.square(cw), tf.square(ch)), EPS);
  const dx = tf.sub(tf.div(tf.add(x1, x2), 2), tf.div(tf.add(x1g, x2g), 2));
  const dy = tf.sub(tf.div(tf.add(y1, y2), 2), tf.div(tf.add(y1g, y2g), 2));
  const diou = tf.add(tf.sub(1, iou), tf.div(tf.add(tf.square(dx), tf.square(dy)), diag));
  const at = tf.sub(
    tf.atan(tf.div(tf.sub(x2g, x1g), tf.sub(y2g, y1g))),
    tf.atan(tf.div(tf.sub(x2, x1), tf.sub(y2, y1))),
  );
  const v = tf.mul(4 / Math.PI ** 2, tf.square(at));
  return { iou, diou, v };
}

export function tfCiou(tf, g) {
  return (b) => {
    const alpha = tf.tidy(() => {
      const { iou, v } = tfCiouTerms(tf, b, g);
      return tf.div(v, tf.add(tf.add(tf.sub(1, iou), v), EPS));
    });
    const out = tf.valueAndGrad((bb) => {
      const { diou, v } = tfCiouTerms(tf, bb, g);
      return tf.mean(tf.add(diou, tf.mul(alpha, v)));
    })(b);
    alpha.dispose();
    return out;
  };
}

/** TF.js pairwise IoU as a broadcast (N,1,4) / (1,M,4) composition (torchvision `box_iou`). */
export function tfBoxIou(tf, a, b) {
  // Broadcast explicitly: tfjs 4's Maximum/Minimum gradients do not reduce a broadcast operand back
  // to its shape (tf.grad throws), while broadcastTo's gradient does.
  const shape = [a.shape[0], b.shape[0], 4];
  const a3 = tf.broadcastTo(tf.expandDims(a, 1), shape);
  const b3 = tf.broadcastTo(tf.expandDims(b, 0), shape);
  const lt = tf.maximum(tf.slice(a3, [0, 0, 0], [-1, -1, 2]), tf.slice(b3, [0, 0, 0], [-1, -1, 2]));
  const rb = tf.minimum(tf.slice(a3, [0, 0, 2], [-1, -1, 2]), tf.slice(b3, [0, 0, 2], [-1, -1, 2]));
  const wh = tf.relu(tf.sub(rb, lt));
  const [w, h] = tf.unstack(wh, 2);
  const inter = tf.mul(w, h);
  const area = (x) => {
    const [x1, y1, x2, y2] = tf.unstack(x, 1);
    return tf.mul(tf.sub(x2, x1), tf.sub(y2, y1));
  };
  const union = tf.sub(tf.add(tf.expandDims(area(a), 1), tf.expandDims(area(b), 0)), inter);
  return tf.div(inter, union);
}

function runTorch() {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return null;
  try {
    return JSON.parse(
      execFileSync(
        py,
        [new URL('./torch_boxes.py', import.meta.url).pathname, String(N_CIOU), String(N_IOU)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 20 },
      ),
    );
  } catch {
    console.error('PyTorch/torchvision not available: skipping its boxes column.');
    return null;
  }
}

/** Runs the box workloads and returns their markdown section. */
export async function boxesSection({ lk, tf, timeGroup, rng }) {
  const r = rng(13);
  const pred = boxes(r, N_CIOU);
  const gt = boxes(r, N_CIOU, pred);
  const ia = boxes(r, N_IOU);
  const ib = boxes(r, N_IOU);
  const ciouIn = {
    input: { data: pred, shape: [N_CIOU, 4] },
    target: { data: gt, shape: [N_CIOU, 4] },
  };
  const iouIn = {
    input: { data: ia, shape: [N_IOU, 4] },
    target: { data: ib, shape: [N_IOU, 4] },
  };
  const gc = new Float32Array(4 * N_CIOU);
  const gi = new Float32Array(4 * N_IOU);
  await tf.setBackend('cpu');
  await tf.ready();
  const tp = tf.tensor2d(pred.subarray(0, 4 * TF_N), [TF_N, 4]);
  const tg = tf.tensor2d(gt.subarray(0, 4 * TF_N), [TF_N, 4]);
  const ta = tf.tensor2d(ia.subarray(0, 4 * TF_IOU_N), [TF_IOU_N, 4]);
  const tb = tf.tensor2d(ib.subarray(0, 4 * TF_IOU_N), [TF_IOU_N, 4]);
  const sub = (x, n) => ({ data: x.subarray(0, 4 * n), shape: [n, 4] });
  const ciouSub = { input: sub(pred, TF_N), target: sub(gt, TF_N) };
  const iouSub = { input: sub(ia, TF_IOU_N), target: sub(ib, TF_IOU_N) };
  const fCiou = tfCiou(tf, tg);
  const readBack = (step) => {
    let out;
    tf.tidy(() => {
      const { value, grad } = step();
      out = [value.dataSync()[0], grad.dataSync()];
    });
    return out;
  };
  const fIouGrad = tf.valueAndGrad((a) => tf.sum(tfBoxIou(tf, a, tb)));
  const timeMs = Number(process.env.BENCH_BOX_TIME_MS ?? 2000);
  const res = {};
  res.ciou = await timeGroup(
    [
      ['losskit', () => lk.evaluate('ciou', ciouIn, {}, { grad: true })],
      ['losskit, into', () => lk.evaluate('ciou', ciouIn, {}, { grad: true, into: { input: gc } })],
    ],
    timeMs,
  );
  res.iouFwd = await timeGroup([['losskit', () => lk.evaluate('boxIou', iouIn, {})]], timeMs);
  res.iouGrad = await timeGroup(
    [
      ['losskit', () => lk.evaluate('boxIou', iouIn, {}, { grad: true })],
      [
        'losskit, into',
        () => lk.evaluate('boxIou', iouIn, {}, { grad: true, into: { input: gi } }),
      ],
    ],
    timeMs,
  );
  // tfjs on its smaller sizes, and the values of both there (float64 arithmetic in losskit, float32 in tfjs)
  const sum = (x) => x.reduce((acc, v) => acc + v, 0);
  let tv;
  [res.ciou['tfjs cpu'], tv] = once(() => readBack(() => fCiou(tp)));
  const agree = { ciou: [lk.evaluate('ciou', ciouSub, {}).value, tv[0]] };
  [res.iouFwd['tfjs cpu'], tv] = once(() => tf.tidy(() => tfBoxIou(tf, ta, tb).dataSync()));
  agree.iouFwd = [sum(lk.evaluate('boxIou', iouSub, {}).value.data), sum(tv)];
  [res.iouGrad['tfjs cpu']] = once(() => readBack(() => fIouGrad(ta)));
  agree.iouGrad = agree.iouFwd;
  tf.dispose([tp, tg, ta, tb]);
  const torch = runTorch();
  const fmt = (v) => (v === undefined || v === null ? '–' : v.toFixed(1));
  let md = '## Boxes: CIoU loss and pairwise boxIou\n\n';
  md +=
    'float32 xyxy boxes. losskit: `evaluate(id, inputs, {}, { grad })` (float64 arithmetic, float32 output and gradient), with and without `into`; ';
  md +=
    'TF.js: tfjs-core ops on the cpu backend composing CIoU as torchvision 0.14 `complete_box_iou_loss` does (α computed outside the gradient, as under torch.no_grad; `tf.valueAndGrad` of the mean, value and gradient read back) ';
  md +=
    'and `box_iou` as a broadcast (N,1,4)/(1,M,4) composition (forward: the matrix read back; with gradient: `tf.valueAndGrad` of the sum of the matrix); ';
  md += torch
    ? `PyTorch ${torch.torch} / torchvision ${torch.torchvision} float32 (\`complete_box_iou_loss\` reduction 'mean' + backward; \`box_iou\`, and backward of its sum), on its default ${torch.threads} thread(s) and on 1 thread.\n\n`
    : 'PyTorch/torchvision not installed.\n\n';
  md +=
    '| workload | size | losskit | losskit, into | tfjs cpu (smaller size) | torch | torch, 1 thread | value losskit / tfjs (at the tfjs size) |\n|---|---|---:|---:|---:|---:|---:|---|\n';
  const rows = [
    [
      'ciou, value + gradient (mean)',
      `${N_CIOU.toLocaleString('en')} pairs`,
      'ciou',
      `${TF_N.toLocaleString('en')} pairs`,
    ],
    ['boxIou, forward', `${N_IOU}×${N_IOU}`, 'iouFwd', `${TF_IOU_N}×${TF_IOU_N}`],
    [
      'boxIou, value + gradient of the sum',
      `${N_IOU}×${N_IOU}`,
      'iouGrad',
      `${TF_IOU_N}×${TF_IOU_N}`,
    ],
  ];
  for (const [name, size, k, tfSize] of rows) {
    const v = res[k];
    const digits = k === 'ciou' ? 7 : 2;
    md += `| ${name} | ${size} | ${fmt(v.losskit)} | ${fmt(v['losskit, into'])} | ${fmt(v['tfjs cpu'])} (at ${tfSize}) | ${fmt(torch?.results?.[k])} | ${fmt(torch?.results?.[`${k} 1 thread`])} | ${agree[k][0].toFixed(digits)} / ${agree[k][1].toFixed(digits)} |\n`;
  }
  md += `\nThe tfjs cells are one call (after one warm-up) at the smaller size shown, because tfjs-core's cpu backend takes seconds per op at full size here; they do not compare per call with the other columns. boxIou values are the sums of the ${TF_IOU_N}×${TF_IOU_N} matrix; the boxIou gradient is with respect to \`input\` only (losskit's one differentiable input). The inputs are different seeded draws in torch (same distribution, same sizes).\n\n`;
  console.error('boxes', JSON.stringify(res));
  return md;
}
