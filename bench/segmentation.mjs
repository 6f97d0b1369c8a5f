// Segmentation benchmarks for bench/run.mjs (BENCH_PART=segmentation or all). Not a test.
//
// Binary dice on 16×1×512×512 float32 logits and Lovász-Softmax on 4×21×128×128 float32 logits,
// value + gradient, through losskit's evaluate (with and without caller-owned `into` buffers),
// beside the same losses composed from TF.js ops on its cpu backend (tf.valueAndGrad, value and
// gradient read back) and PyTorch float32 (bench/torch_segmentation.py) when Debian's python3-torch
// is installed.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const B_DICE = Number(process.env.BENCH_SEG_DICE_N ?? 16);
const HW_DICE = Number(process.env.BENCH_SEG_DICE_HW ?? 512);
const B_LOV = Number(process.env.BENCH_SEG_LOV_N ?? 4);
const C_LOV = Number(process.env.BENCH_SEG_LOV_C ?? 21);
const HW_LOV = Number(process.env.BENCH_SEG_LOV_HW ?? 128);

/** TF.js smp-style binary dice: one score over the batch, 1 − 2Σp·t / (Σp + Σt), absent mask. */
export function tfDice(tf, t) {
  return (x) => {
    const p = tf.sigmoid(x);
    const inter = tf.sum(tf.mul(p, t));
    const card = tf.add(tf.sum(p), tf.sum(t));
    const score = tf.div(tf.mul(2, inter), tf.maximum(card, 1e-7));
    return tf.mul(tf.sub(1, score), tf.cast(tf.greater(tf.sum(t), 0), 'float32'));
  };
}

/**
 * TF.js Lovász-Softmax ('present' classes, whole batch), as the official code computes it: softmax
 * over C, errors |fg − p| per class, the descending order from topk, the Jaccard increments of the
 * sorted ground truth (cumsum), scattered back to pixel order (scatterND) as constant weights (the
 * official `Variable(lovasz_grad(...))`), and tf.valueAndGrad of Σ errors·weights / |classes|.
 * Differentiating through tf.gather instead would cost tfjs' O(n²) unsortedSegmentSum on the cpu
 * backend.
 */
export function tfLovasz(tf, labels, B, C, HW) {
  const P = B * HW;
  const fg = tf.tidy(() =>
    tf.transpose(tf.oneHot(tf.tensor1d(labels, 'int32'), C).asType('float32')),
  ); // (C, P)
  const present = Array.from(fg.sum(1).dataSync(), (v) => v > 0);
  const classes = present.flatMap((v, c) => (v ? [c] : []));
  const mask = tf.tensor(
    present.map((v) => (v ? 1 : 0)),
    [C, 1],
  );
  const errors = (x) => {
    const prob = tf.softmax(tf.transpose(tf.reshape(x, [B, C, HW]), [0, 2, 1]), -1); // (B, HW, C)
    return tf.abs(tf.sub(fg, tf.transpose(tf.reshape(prob, [P, C])))); // (C, P)
  };
  return (x) => {
    const w = tf.tidy(() => {
      const { indices } = tf.topk(errors(x), P, true); // (C, P) descending
      const g = tf.gather(fg, indices, 1, 1); // fg sorted per class
      const gts = tf.sum(g, 1, true);
      const jac = tf.sub(
        1,
        tf.div(tf.sub(gts, tf.cumsum(g, 1)), tf.add(gts, tf.cumsum(tf.sub(1, g), 1))),
      );
      const inc = tf.sub(jac, tf.concat([tf.zeros([C, 1]), jac.slice([0, 0], [C, P - 1])], 1));
      // back to pixel order: w[c, indices[c, k]] = inc[c, k]
      const rows = tf.mul(tf.range(0, C, 1, 'int32').reshape([C, 1]), tf.onesLike(indices));
      const at = tf.stack([rows, indices], 2).reshape([C * P, 2]);
      return tf.mul(tf.scatterND(at, inc.reshape([C * P]), [C, P]), mask);
    });
    const out = tf.valueAndGrad((xx) => tf.div(tf.sum(tf.mul(errors(xx), w)), classes.length))(x);
    w.dispose();
    return out;
  };
}

function runTorch() {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return null;
  try {
    return JSON.parse(
      execFileSync(
        py,
        [
          new URL('./torch_segmentation.py', import.meta.url).pathname,
          ...[B_DICE, HW_DICE, B_LOV, C_LOV, HW_LOV].map(String),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 20 },
      ),
    );
  } catch {
    console.error('PyTorch not available: skipping its segmentation column.');
    return null;
  }
}

/** Runs the segmentation workloads and returns their markdown section. */
export async function segmentationSection({ lk, tf, timeGroup, rng }) {
  const r = rng(11);
  const normal = () => Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
  const nDice = B_DICE * HW_DICE * HW_DICE;
  const xd = Float32Array.from({ length: nDice }, () => 2 * normal());
  const td = Float32Array.from({ length: nDice }, () => (r() < 0.2 ? 1 : 0));
  const HWL = HW_LOV * HW_LOV;
  const nLov = B_LOV * C_LOV * HWL;
  const xl = Float32Array.from({ length: nLov }, normal);
  const yl = Int32Array.from({ length: B_LOV * HWL }, () => Math.floor(r() * C_LOV));
  const dice = {
    input: { data: xd, shape: [B_DICE, 1, HW_DICE, HW_DICE] },
    target: { data: td, shape: [B_DICE, HW_DICE, HW_DICE] },
  };
  const lov = {
    input: { data: xl, shape: [B_LOV, C_LOV, HW_LOV, HW_LOV] },
    target: { data: yl, shape: [B_LOV, HW_LOV, HW_LOV] },
  };
  const gd = new Float32Array(nDice);
  const gl = new Float32Array(nLov);
  const readBack = (step) => {
    let out;
    tf.tidy(() => {
      const { value, grad } = step();
      out = [value.dataSync()[0], grad.dataSync()];
    });
    return out;
  };
  await tf.setBackend('cpu');
  await tf.ready();
  const txd = tf.tensor(xd, [B_DICE, 1, HW_DICE, HW_DICE]);
  const ttd = tf.tensor(td, [B_DICE, 1, HW_DICE, HW_DICE]);
  const fDice = tf.valueAndGrad(tfDice(tf, ttd));
  const txl = tf.tensor(xl, [B_LOV, C_LOV, HW_LOV, HW_LOV]);
  const fLov = tfLovasz(tf, yl, B_LOV, C_LOV, HWL);
  const res = {};
  res.dice = await timeGroup(
    [
      ['losskit', () => lk.evaluate('dice', dice, { mode: 'binary' }, { grad: true })],
      [
        'losskit, into',
        () => lk.evaluate('dice', dice, { mode: 'binary' }, { grad: true, into: { input: gd } }),
      ],
      ['tfjs cpu', () => readBack(() => fDice(txd))],
    ],
    Number(process.env.BENCH_SEG_TIME_MS ?? 3000),
  );
  res.lovasz = await timeGroup(
    [
      ['losskit', () => lk.evaluate('lovaszSoftmax', lov, {}, { grad: true })],
      [
        'losskit, into',
        () => lk.evaluate('lovaszSoftmax', lov, {}, { grad: true, into: { input: gl } }),
      ],
      ['tfjs cpu', () => readBack(() => fLov(txl))],
    ],
    Number(process.env.BENCH_SEG_TIME_MS ?? 3000),
  );
  // agreement of the value (float32 tfjs vs float64 losskit)
  const agree = {
    dice: [lk.evaluate('dice', dice, { mode: 'binary' }).value, readBack(() => fDice(txd))[0]],
    lovasz: [lk.evaluate('lovaszSoftmax', lov, {}).value, readBack(() => fLov(txl))[0]],
  };
  tf.dispose([txd, ttd, txl]);
  const torch = runTorch();
  const fmt = (v) => (v === undefined || v === null ? '–' : v.toFixed(1));
  let md = '## Segmentation: binary dice and Lovász-Softmax\n\n';
  md +=
    'Value + gradient on float32 logits. losskit: `evaluate(id, inputs, options, { grad: true })` (float64 arithmetic, float32 gradient), with and without `into`; ';
  md +=
    'TF.js: the same loss composed from tfjs-core ops on the cpu backend (`tf.valueAndGrad`, value and gradient read back; TF.js has neither loss); ';
  md += torch
    ? `PyTorch ${torch.torch} float32 autograd of the smp / official formulas, ${torch.threads} threads and 1 thread.\n\n`
    : 'PyTorch not installed.\n\n';
  md +=
    '| loss | size | losskit | losskit, into | tfjs cpu | torch | torch, 1 thread | value losskit / tfjs |\n|---|---|---:|---:|---:|---:|---:|---|\n';
  const rows = [
    ['dice (binary)', `${B_DICE}×1×${HW_DICE}×${HW_DICE}`, 'dice'],
    ["lovaszSoftmax ('present')", `${B_LOV}×${C_LOV}×${HW_LOV}×${HW_LOV}`, 'lovasz'],
  ];
  for (const [name, size, k] of rows) {
    const v = res[k];
    md += `| ${name} | ${size} | ${fmt(v.losskit)} | ${fmt(v['losskit, into'])} | ${fmt(v['tfjs cpu'])} | ${fmt(torch?.results?.[k])} | ${fmt(torch?.results?.[`${k} 1 thread`])} | ${agree[k][0].toFixed(7)} / ${agree[k][1].toFixed(7)} |\n`;
  }
  md += '\n';
  console.error('segmentation', JSON.stringify(res));
  return md;
}
