// Ranking and metric-learning benchmarks for bench/run.mjs (BENCH_PART=ranking or all). Not a test.
//
// NT-Xent on 4096×128 float32 embedding pairs (2 × 4096 views) and LambdaLoss (allRank's default
// ndcgLoss2PP scheme, 'sum') on 1,000 slates of 100 items, value + gradient, through losskit's
// evaluate, beside the same losses composed from TF.js ops on its cpu backend and PyTorch float32
// (bench/torch_ranking.py) when Debian's python3-torch is installed. One ntXent call at this size
// takes tens of seconds in losskit, so each cell is the best of a few timed calls (BENCH_RANK_RUNS).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const N_NT = Number(process.env.BENCH_NTXENT_N ?? 4096);
const D_NT = Number(process.env.BENCH_NTXENT_D ?? 128);
const TAU = 0.5;
const B_LAMBDA = Number(process.env.BENCH_LAMBDA_B ?? 1000);
const L_LAMBDA = Number(process.env.BENCH_LAMBDA_L ?? 100);
const LEVELS = 5;
const MU = 10;
const ALLRANK_EPS = 1e-10;
const RUNS = Number(process.env.BENCH_RANK_RUNS ?? 2);
// tfjs-core's cpu backend needs minutes per call at full size on the 2-core machines: its cells are
// measured on the first BENCH_NTXENT_TF_N pairs / BENCH_LAMBDA_TF_B slates, and the table says so.
const TF_NT = Math.min(N_NT, Number(process.env.BENCH_NTXENT_TF_N ?? 512));
const TF_B = Math.min(B_LAMBDA, Number(process.env.BENCH_LAMBDA_TF_B ?? 50));

/** Best wall time in milliseconds of `runs` calls (after `warmup` untimed calls). */
function bestOf(fn, runs, warmup) {
  for (let i = 0; i < warmup; i++) fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * TF.js NT-Xent (SimCLR form, GRACE's mean): Ẑ = rows of [z1; z2] divided by max(‖z‖, 1e-12)
 * (F.normalize), S = Ẑ Ẑᵀ / τ by matMul, the diagonal masked by a constant −1e9, logSoftmax per
 * row, the positive (view i ↔ i ± N) picked by a constant one-hot mask; the mean over the 2N views.
 */
function tfNtXent(tf, n) {
  const m = 2 * n;
  const diag = tf.mul(tf.eye(m), -1e9);
  const pos = tf.tidy(() =>
    tf.oneHot(tf.concat([tf.range(n, m, 1, 'int32'), tf.range(0, n, 1, 'int32')]), m),
  );
  const f = tf.valueAndGrads((z1, z2) => {
    const z = tf.concat([z1, z2], 0);
    const zn = tf.div(z, tf.maximum(tf.norm(z, 'euclidean', 1, true), 1e-12));
    const sim = tf.add(tf.mul(tf.matMul(zn, zn, false, true), 1 / TAU), diag);
    return tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(sim, 1), pos))), m);
  });
  return { f, dispose: () => tf.dispose([diag, pos]) };
}

/**
 * TF.js LambdaLoss, ndcgLoss2PP, as allRank computes it. The pair weights depend on the scores
 * only through the predicted order, and allRank never differentiates them (they come from sorted
 * relevance and constant discounts), so they are built with tfjs ops outside the gradient: the
 * order by tf.topk, its inverse permutation (rank of each item), gains G_i = (2^{y_i} − 1) / maxDCG,
 * and the constant (L, L) position matrix μ·δ_|p−q| + |1/D_p − 1/D_q| gathered at (rank_i, rank_j),
 * times |G_i − G_j| on the pairs y_i > y_j. The differentiated part is allRank's
 * −Σ log2(max(max(σ(s_i − s_j), ε)^w_ij, ε)) over the masked pairs, in item order (each pair's term
 * depends only on its two items, so the sum equals allRank's over sorted positions).
 */
function tfLambdaLoss(tf, rel, B, L) {
  const D = Float64Array.from({ length: L }, (_, p) => Math.log2(2 + p));
  const M = new Float32Array(L * L);
  for (let p = 0; p < L; p++) {
    for (let q = 0; q < L; q++) {
      const t = Math.abs(p - q);
      const delta = t === 0 ? 0 : Math.abs(1 / Math.log2(1 + t) - 1 / Math.log2(2 + t));
      M[p * L + q] = MU * delta + Math.abs(1 / D[p] - 1 / D[q]);
    }
  }
  const tM = tf.tensor2d(M, [L, L]);
  const invD = tf.tensor1d(Float32Array.from(D, (d) => 1 / d));
  const y = tf.tensor2d(rel, [B, L]);
  const pairMask = tf.tidy(() =>
    tf.cast(tf.greater(tf.expandDims(y, 2), tf.expandDims(y, 1)), 'float32'),
  );
  const weights = (s) =>
    tf.tidy(() => {
      const order = tf.topk(s, L, true).indices; // item at each predicted position
      const rank = tf.topk(tf.neg(tf.cast(order, 'float32')), L, true).indices; // inverse permutation
      const ideal = tf.topk(y, L, true).values;
      const maxDcg = tf.maximum(
        tf.sum(tf.mul(tf.sub(tf.pow(2, ideal), 1), invD), 1, true),
        ALLRANK_EPS,
      );
      const G = tf.div(tf.sub(tf.pow(2, y), 1), maxDcg);
      const mAt = tf.gather(tf.gather(tM, rank, 0), rank, 2, 1); // M[rank_i, rank_j]
      const dG = tf.abs(tf.sub(tf.expandDims(G, 2), tf.expandDims(G, 1)));
      return tf.mul(tf.mul(mAt, dG), pairMask);
    });
  const loss = (w) => (s) => {
    const diff = tf.clipByValue(tf.sub(tf.expandDims(s, 2), tf.expandDims(s, 1)), -1e8, 1e8);
    const p = tf.maximum(tf.pow(tf.maximum(tf.sigmoid(diff), ALLRANK_EPS), w), ALLRANK_EPS);
    return tf.div(tf.neg(tf.sum(tf.mul(tf.log(p), pairMask))), Math.LN2);
  };
  const f = (s) => {
    const w = weights(s);
    const out = tf.valueAndGrad(loss(w))(s);
    w.dispose();
    return out;
  };
  return { f, dispose: () => tf.dispose([tM, invD, y, pairMask]) };
}

function runTorch() {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return null;
  try {
    return JSON.parse(
      execFileSync(
        py,
        [
          new URL('./torch_ranking.py', import.meta.url).pathname,
          ...[N_NT, D_NT, B_LAMBDA, L_LAMBDA, LEVELS, RUNS].map(String),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 20 },
      ),
    );
  } catch {
    console.error('PyTorch not available: skipping its ranking column.');
    return null;
  }
}

/** Runs the ranking workloads and returns their markdown section. */
export async function rankingSection({ lk, tf, rng }) {
  const r = rng(17);
  const normal = () => Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
  const z1 = Float32Array.from({ length: N_NT * D_NT }, normal);
  const z2 = Float32Array.from(z1, (v) => v + 0.5 * normal());
  const scores = Float32Array.from({ length: B_LAMBDA * L_LAMBDA }, normal);
  const rel = Float32Array.from({ length: B_LAMBDA * L_LAMBDA }, () => Math.floor(r() * LEVELS));
  const nt = { z1: { data: z1, shape: [N_NT, D_NT] }, z2: { data: z2, shape: [N_NT, D_NT] } };
  const lam = {
    scores: { data: scores, shape: [B_LAMBDA, L_LAMBDA] },
    relevance: { data: rel, shape: [B_LAMBDA, L_LAMBDA] },
  };
  const gs = new Float32Array(B_LAMBDA * L_LAMBDA);
  await tf.setBackend('cpu');
  await tf.ready();
  const tz1 = tf.tensor2d(z1.subarray(0, TF_NT * D_NT), [TF_NT, D_NT]);
  const tz2 = tf.tensor2d(z2.subarray(0, TF_NT * D_NT), [TF_NT, D_NT]);
  const ts = tf.tensor2d(scores.subarray(0, TF_B * L_LAMBDA), [TF_B, L_LAMBDA]);
  const tfNt = tfNtXent(tf, TF_NT);
  const tfLam = tfLambdaLoss(tf, rel.subarray(0, TF_B * L_LAMBDA), TF_B, L_LAMBDA);
  const ntSub = {
    z1: { data: z1.subarray(0, TF_NT * D_NT), shape: [TF_NT, D_NT] },
    z2: { data: z2.subarray(0, TF_NT * D_NT), shape: [TF_NT, D_NT] },
  };
  const lamSub = {
    scores: { data: scores.subarray(0, TF_B * L_LAMBDA), shape: [TF_B, L_LAMBDA] },
    relevance: { data: rel.subarray(0, TF_B * L_LAMBDA), shape: [TF_B, L_LAMBDA] },
  };
  const value = {};
  const readNt = () =>
    tf.tidy(() => {
      const { value: v, grads } = tfNt.f([tz1, tz2]);
      grads.forEach((g) => g.dataSync());
      return v.dataSync()[0];
    });
  const readLam = () =>
    tf.tidy(() => {
      const { value: v, grad } = tfLam.f(ts);
      grad.dataSync();
      return v.dataSync()[0];
    });
  const res = { ntXent: {}, lambdaLoss: {} };
  const ntOpts = { temperature: TAU };
  res.ntXent.losskit = bestOf(() => lk.evaluate('ntXent', nt, ntOpts, { grad: true }), RUNS, 0);
  console.error('ntXent losskit', res.ntXent.losskit);
  res.ntXent['tfjs cpu'] = bestOf(() => (value.ntTf = readNt()), RUNS, 1);
  console.error('ntXent tfjs', res.ntXent['tfjs cpu']);
  res.lambdaLoss.losskit = bestOf(
    () => lk.evaluate('lambdaLoss', lam, {}, { grad: true }),
    3 * RUNS,
    1,
  );
  res.lambdaLoss['losskit, into'] = bestOf(
    () => lk.evaluate('lambdaLoss', lam, {}, { grad: true, into: { scores: gs } }),
    3 * RUNS,
    1,
  );
  res.lambdaLoss['tfjs cpu'] = bestOf(() => (value.lamTf = readLam()), 3 * RUNS, 1);
  value.ntLk = lk.evaluate('ntXent', ntSub, ntOpts).value;
  value.lamLk = lk.evaluate('lambdaLoss', lamSub, {}).value;
  tf.dispose([tz1, tz2, ts]);
  tfNt.dispose();
  tfLam.dispose();
  const torch = runTorch();
  const fmt = (v) => (v === undefined || v === null ? '–' : v.toFixed(1));
  let md = '## Ranking and metric learning: ntXent and lambdaLoss\n\n';
  md += `Value + gradient on float32 inputs, best of ${RUNS} timed calls for ntXent (no warm-up: one call takes seconds) and of ${3 * RUNS} after one warm-up for lambdaLoss. `;
  md +=
    'losskit: `evaluate(id, inputs, options, { grad: true })` (float64 arithmetic, float32 gradients); ';
  md += `TF.js: tfjs-core ops on the cpu backend, \`tf.valueAndGrad(s)\`, value and gradients read back: NT-Xent (τ = ${TAU}, mean over the ${2 * N_NT} views) via normalize + matMul + logSoftmax with a masked diagonal and a one-hot positive mask; `;
  md +=
    "lambdaLoss (allRank's default ndcgLoss2PP, μ = 10, σ = 1, log2, 'sum') as a full pairwise composition: the NDCG pair weights built from tf.topk ranks outside the gradient (allRank does not differentiate them either) and allRank's clamped −log2(σ(s_i − s_j)^w) summed over all pairs with y_i > y_j; ";
  md += torch
    ? `PyTorch ${torch.torch} float32 autograd (ntXent: the SimCLR form, logsumexp over the masked similarity matrix; lambdaLoss: the torch transcription of allRank's lambdaLoss in tools/golden/gen_ranking.py), on its default ${torch.threads} thread(s) and on 1 thread.\n\n`
    : 'PyTorch not installed.\n\n';
  md +=
    '| loss | size | losskit | losskit, into | tfjs cpu (smaller size) | torch | torch, 1 thread | value losskit / tfjs (at the tfjs size) |\n|---|---|---:|---:|---:|---:|---:|---|\n';
  const rows = [
    [
      'ntXent (τ = 0.5)',
      `2 × ${N_NT}×${D_NT}`,
      'ntXent',
      value.ntLk,
      value.ntTf,
      7,
      `2 × ${TF_NT}×${D_NT}`,
    ],
    [
      'lambdaLoss (ndcgLoss2PP)',
      `${B_LAMBDA.toLocaleString('en')} slates × ${L_LAMBDA}`,
      'lambdaLoss',
      value.lamLk,
      value.lamTf,
      3,
      `${TF_B} slates`,
    ],
  ];
  for (const [name, size, k, a, b, digits, tfSize] of rows) {
    const v = res[k];
    md += `| ${name} | ${size} | ${fmt(v.losskit)} | ${fmt(v['losskit, into'])} | ${fmt(v['tfjs cpu'])} (at ${tfSize}) | ${fmt(torch?.results?.[k])} | ${fmt(torch?.results?.[`${k} 1 thread`])} | ${a.toFixed(digits)} / ${b.toFixed(digits)} |\n`;
  }
  md +=
    "\nThe tfjs cells are measured at the smaller size shown (tfjs-core's cpu backend needs minutes per call at full size on this machine); they do not compare per call with the other columns. Relevance is graded 0–4 with no padding. Torch draws its own seeded inputs of the same distribution and sizes.\n\n";
  console.error('ranking', JSON.stringify(res));
  return md;
}
