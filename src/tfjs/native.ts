/**
 * On-device implementations: forward passes composed from tfjs ops, each with its closed-form
 * derivative, for the entries whose formula is elementwise or row-wise (regression and the sigmoid /
 * softmax classification losses). They stay on the backend's device (WebGL, WebGPU, wasm): no
 * `dataSync`. `evaluateTf` injects the derivatives with `tf.customGrad`.
 *
 * Each implementation states the options it honours (`handles`); a call that sets any other option
 * to a non-default value, or whose shapes the implementation does not cover, returns null from
 * `build` and goes through the CPU bridge, which has the core's exact semantics and errors. The
 * registry-wide test (src/tfjs/tfjs.test.ts) checks every implementation against `evaluate`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedTensorOption } from '../core/options.js';
import type { T } from './ops.js';
import { classesLast, sameShape, scalar, softplus } from './ops.js';

/** What a native implementation computes for one call. */
export interface NativeResult {
  /**
   * Per-unit losses (the 'none' output, its shape), or the value itself for scalar entries (no
   * reduction option).
   */
  units: T;
  /**
   * ∂unit_k/∂input for every differentiable input, each at a shape that broadcasts against
   * `expand(upstream)` (for scalar entries: ∂value/∂input). Called only when a gradient is recorded.
   */
  local: () => Record<string, T>;
  /** Expands a 'none' upstream (of the units' shape) to broadcast against `local` (default: as is). */
  expand?: (dy: T) => T;
  /** Folds a broadcast gradient back to its input's shape (default: sum over broadcast axes). */
  fold?: Readonly<Record<string, (g: T) => T>>;
  /** The divisor of 'mean' when it is not the number of units (a scalar; 0 gives 0). */
  meanDivisor?: T;
  /** The divisor of 'batchmean' (input.shape[0]), for the entries that have that reduction. */
  batchDivisor?: number;
}

export interface NativeSpec {
  /** The option keys the implementation honours (besides `reduction`). */
  readonly handles: readonly string[];
  /** The computation, or null when this call needs the CPU bridge. */
  build(
    inputs: Readonly<Record<string, T>>,
    options: Readonly<Record<string, unknown>>,
  ): NativeResult | null;
}

const KERAS_EPSILON = 1e-7;
const LOG_2PI = Math.log(2 * Math.PI);
const LOG_2 = Math.LN2;

/** An elementwise (input, target) loss with the same shapes: l and ∂l/∂x from d or (x, y). */
function pair(
  handles: readonly string[],
  f: (x: T, y: T, o: Readonly<Record<string, unknown>>) => { l: T; g: () => T } | null,
): NativeSpec {
  return {
    handles,
    build(inputs, o) {
      const { input: x, target: y } = inputs;
      if (!x || !y || !sameShape(x.shape, y.shape)) return null;
      const r = f(x, tf.cast(y, 'float32'), o);
      if (r === null) return null;
      return { units: r.l, local: () => ({ input: r.g() }) };
    },
  };
}

/** A tensor option as a float32 tf tensor, or null. */
function optionTensor(v: unknown): T | null {
  if (v === null || v === undefined) return null;
  const t = v as ResolvedTensorOption;
  return tf.tensor(Float32Array.from(t.data), t.shape.slice(), 'float32');
}

/** True when `opt` (shape) broadcasts to `shape` (NumPy rules). */
function broadcasts(opt: readonly number[], shape: readonly number[]): boolean {
  if (opt.length > shape.length) return false;
  const off = shape.length - opt.length;
  return opt.every((d, i) => d === 1 || d === shape[i + off]);
}

const mse = pair([], (x, y) => {
  const d = tf.sub(x, y);
  return { l: tf.square(d), g: () => tf.mul(d, 2) };
});

const l1 = pair([], (x, y) => {
  const d = tf.sub(x, y);
  return { l: tf.abs(d), g: () => tf.sign(d) };
});

const huber = pair(['delta'], (x, y, o) => {
  const delta = o.delta as number;
  const d = tf.sub(x, y);
  const c = tf.clipByValue(d, -delta, delta);
  return { l: tf.mul(c, tf.sub(d, tf.mul(c, 0.5))), g: () => c };
});

const smoothL1 = pair(['beta'], (x, y, o) => {
  const beta = o.beta as number;
  const d = tf.sub(x, y);
  const z = tf.abs(d);
  if (beta === 0) return { l: z, g: () => tf.sign(d) };
  const l = tf.where(
    tf.less(z, beta),
    tf.div(tf.mul(tf.square(d), 0.5), beta),
    tf.sub(z, 0.5 * beta),
  );
  return { l, g: () => tf.div(tf.clipByValue(d, -beta, beta), beta) };
});

const logCosh = pair([], (x, y) => {
  const d = tf.sub(x, y);
  const a = tf.abs(d);
  // log cosh d = |d| + log1p(e^{−2|d|}) − log 2, stable for large residuals.
  const l = tf.sub(tf.add(a, tf.log1p(tf.exp(tf.mul(a, -2)))), LOG_2);
  return { l, g: () => tf.tanh(d) };
});

const msle = pair([], (x, y) => {
  const xm = tf.maximum(x, KERAS_EPSILON);
  const d = tf.sub(tf.log1p(xm), tf.log1p(tf.maximum(y, KERAS_EPSILON)));
  return {
    l: tf.square(d),
    g: () =>
      tf.where(
        tf.greaterEqual(x, KERAS_EPSILON),
        tf.div(tf.mul(d, 2), tf.add(xm, 1)),
        tf.zerosLike(x),
      ),
  };
});

const mape = pair([], (x, y) => {
  const den = tf.maximum(tf.abs(y), KERAS_EPSILON);
  const d = tf.sub(x, y);
  return { l: tf.div(tf.mul(tf.abs(d), 100), den), g: () => tf.div(tf.mul(tf.sign(d), 100), den) };
});

const poissonNll = pair(['logInput', 'full', 'eps'], (x, y, o) => {
  let l: T;
  let g: () => T;
  if (o.logInput === true) {
    const ex = tf.exp(x);
    l = tf.sub(ex, tf.mul(y, x));
    g = () => tf.sub(ex, y);
  } else {
    const r = tf.add(x, o.eps as number);
    l = tf.sub(x, tf.mul(y, tf.log(r)));
    g = () => tf.sub(1, tf.div(y, r));
  }
  if (o.full === true) {
    // Stirling's log(y!) ≈ y log y − y + ½ log(2πy), where y > 1 (torch masks y <= 1 to 0).
    const big = tf.greater(y, 1);
    const ys = tf.where(big, y, tf.onesLike(y));
    const logY = tf.log(ys);
    const term = tf.add(tf.sub(tf.mul(ys, logY), ys), tf.mul(tf.add(logY, LOG_2PI), 0.5));
    l = tf.add(l, tf.where(big, term, tf.zerosLike(term)));
  }
  return { l, g };
});

const rmse: NativeSpec = {
  handles: ['eps'],
  build(inputs, o) {
    const { input: x, target: yIn } = inputs;
    if (!x || !yIn || !sameShape(x.shape, yIn.shape)) return null;
    const eps = o.eps as number;
    const n = x.size;
    const d = tf.sub(x, tf.cast(yIn, 'float32'));
    const mean = n === 0 ? scalar(0) : tf.div(tf.sum(tf.square(d)), n);
    const r = tf.sqrt(tf.add(mean, eps));
    return {
      units: r,
      // d/dx_i sqrt(Σd²/n + eps) = d_i/(n r); 0 when r = 0.
      local: () => tf.tidy(() => ({ input: tf.divNoNan(d, tf.mul(r, n)) })),
    };
  },
};

const gaussianNll: NativeSpec = {
  handles: ['full', 'eps'],
  build(inputs, o) {
    const { input: x, target: yIn } = inputs;
    const variance = inputs.var;
    if (!x || !yIn || !variance || !sameShape(x.shape, yIn.shape)) return null;
    const lead = x.shape.slice(0, -1);
    let v: T;
    let fold: ((g: T) => T) | undefined;
    if (sameShape(variance.shape, x.shape)) v = variance;
    else if (x.rank > 0 && sameShape(variance.shape, [...lead, 1])) v = variance;
    else if (x.rank > 0 && sameShape(variance.shape, lead)) {
      v = tf.reshape(variance, [...lead, 1]);
      fold = (g) => tf.sum(g, -1);
    } else return null;
    const eps = o.eps as number;
    const vc = tf.maximum(v, eps);
    const d = tf.sub(x, tf.cast(yIn, 'float32'));
    const q = tf.div(d, vc);
    let l = tf.mul(tf.add(tf.log(vc), tf.mul(d, q)), 0.5);
    if (o.full === true) l = tf.add(l, 0.5 * LOG_2PI);
    return {
      units: l,
      local: () => ({
        input: q,
        // ½(1/v − d²/v²) at the clamped variance (torch's in-place clamp lets it flow below eps).
        var: tf.mul(tf.sub(tf.reciprocal(vc), tf.square(q)), 0.5),
      }),
      fold: fold ? { var: fold } : undefined,
    };
  },
};

// ---------------------------------------------------------------------------------------------------
// Sigmoid side

/**
 * −(a·log σ(x) + b·log σ(−x)) = a·softplus(−x) + b·softplus(x) = (a + b)·softplus(x) − a·x, and its
 * derivative b·σ(x) − a·σ(−x) = (a + b)·σ(x) − a: one softplus and one sigmoid per element.
 */
function softplusPair(x: T, a: T, b: T): { l: T; g: () => T } {
  const ab = tf.add(a, b);
  return {
    l: tf.sub(tf.mul(ab, softplus(x)), tf.mul(a, x)),
    g: () => tf.sub(tf.mul(ab, tf.sigmoid(x)), a),
  };
}

function smooth(y: T, eps: number): T {
  return eps === 0 ? y : tf.add(tf.mul(y, 1 - eps), eps / 2);
}

const bceWithLogits: NativeSpec = {
  handles: ['weight', 'posWeight', 'labelSmoothing'],
  build(inputs, o) {
    const { input: x, target: yIn } = inputs;
    if (!x || !yIn || !sameShape(x.shape, yIn.shape)) return null;
    const wOpt = o.weight as ResolvedTensorOption | null;
    const pOpt = o.posWeight as ResolvedTensorOption | null;
    if (wOpt && !broadcasts(wOpt.shape, x.shape)) return null;
    if (pOpt && !broadcasts(pOpt.shape, x.shape)) return null;
    const y = smooth(tf.cast(yIn, 'float32'), o.labelSmoothing as number);
    const w = optionTensor(wOpt);
    const pw = optionTensor(pOpt);
    // (1 − y)·softplus(x) + pw·y·softplus(−x), times w: torch's log_weight form rearranged.
    let a = pw ? tf.mul(pw, y) : y;
    let b = tf.sub(1, y);
    if (w) {
      a = tf.mul(a, w);
      b = tf.mul(b, w);
    }
    const r = softplusPair(x, a, b);
    return { units: r.l, local: () => ({ input: r.g() }) };
  },
};

const bce: NativeSpec = {
  handles: ['weight', 'labelSmoothing'],
  build(inputs, o) {
    const { input: p, target: yIn } = inputs;
    if (!p || !yIn || !sameShape(p.shape, yIn.shape)) return null;
    const wOpt = o.weight as ResolvedTensorOption | null;
    if (wOpt && !broadcasts(wOpt.shape, p.shape)) return null;
    const y = smooth(tf.cast(yIn, 'float32'), o.labelSmoothing as number);
    const w = optionTensor(wOpt);
    // torch: −w(y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)).
    const logP = tf.maximum(tf.log(p), -100);
    const log1mP = tf.maximum(tf.log1p(tf.neg(p)), -100);
    let l = tf.neg(tf.add(tf.mul(y, logP), tf.mul(tf.sub(1, y), log1mP)));
    if (w) l = tf.mul(l, w);
    return {
      units: l,
      local: () => {
        // torch's (p − y)/max(p(1 − p), 1e-12), even where the log is clamped.
        let g = tf.div(tf.sub(p, y), tf.maximum(tf.mul(p, tf.sub(1, p)), 1e-12));
        if (w) g = tf.mul(g, w);
        return { input: g };
      },
    };
  },
};

const weightedBce: NativeSpec = {
  handles: ['posWeight', 'negWeight', 'balanced'],
  build(inputs, o) {
    const { input: x, target: yIn } = inputs;
    if (!x || !yIn || !sameShape(x.shape, yIn.shape)) return null;
    const y = tf.cast(yIn, 'float32');
    let wp: T | number = o.posWeight as number;
    let wn: T | number = o.negWeight as number;
    if (o.balanced === true) {
      // HED's class balance over the whole target tensor: w₊ = N₋/N, w₋ = N₊/N.
      const n = x.size;
      const nPos = tf.sum(y);
      wp = tf.div(tf.sub(n, nPos), n);
      wn = tf.div(nPos, n);
    }
    const r = softplusPair(x, tf.mul(y, wp), tf.mul(tf.sub(1, y), wn));
    return { units: r.l, local: () => ({ input: r.g() }) };
  },
};

/**
 * torchvision sigmoid_focal_loss α_t·CE·q^γ with q = 1 − p_t = p + y − 2py, plus Poly-1's
 * ε·q^(γ+1) (not α-weighted) when epsilon is not 0; dq/dx = p(1 − p)(1 − 2y).
 */
function focal(handles: readonly string[]): NativeSpec {
  return {
    handles,
    build(inputs, o) {
      const { input: x, target: yIn } = inputs;
      if (!x || !yIn || !sameShape(x.shape, yIn.shape)) return null;
      const y = tf.cast(yIn, 'float32');
      const alpha = o.alpha as number;
      const gamma = o.gamma as number;
      const eps = (o.epsilon as number | undefined) ?? 0;
      const p = tf.sigmoid(x);
      const ce = softplusPair(x, y, tf.sub(1, y));
      const q = tf.sub(tf.add(p, y), tf.mul(tf.mul(p, y), 2));
      const mod = gamma === 0 ? tf.onesLike(q) : tf.pow(q, gamma);
      const at = alpha >= 0 ? tf.add(tf.mul(y, alpha), tf.mul(tf.sub(1, y), 1 - alpha)) : null;
      let l = tf.mul(ce.l, mod);
      if (at) l = tf.mul(l, at);
      if (eps !== 0) l = tf.add(l, tf.mul(tf.mul(mod, q), eps));
      return {
        units: l,
        local: () => {
          const dq = tf.mul(tf.mul(p, tf.sub(1, p)), tf.sub(1, tf.mul(y, 2)));
          let g = tf.mul(tf.sub(p, y), mod);
          if (gamma !== 0) {
            const dmod = gamma === 1 ? tf.onesLike(q) : tf.mul(tf.pow(q, gamma - 1), gamma);
            g = tf.add(g, tf.mul(tf.mul(ce.l, dmod), dq));
          }
          if (at) g = tf.mul(g, at);
          if (eps !== 0) g = tf.add(g, tf.mul(tf.mul(mod, dq), eps * (gamma + 1)));
          return { input: g };
        },
      };
    },
  };
}

const sigmoidFocal = focal(['alpha', 'gamma']);
const poly1Focal = focal(['epsilon', 'alpha', 'gamma']);

/** torch multilabel_soft_margin_loss: per sample the class mean of w_c·BCE-with-logits. */
const multilabelSoftMargin: NativeSpec = {
  handles: ['weight'],
  build(inputs, o) {
    const { input: x, target: yIn } = inputs;
    if (!x || !yIn || x.rank === 0 || !sameShape(x.shape, yIn.shape)) return null;
    const C = x.shape[x.rank - 1] as number;
    const w = classVector(o.weight, C);
    if (w === undefined) return null;
    const y = tf.cast(yIn, 'float32');
    const a = w ? tf.mul(y, w) : y;
    const b = w ? tf.mul(tf.sub(1, y), w) : tf.sub(1, y);
    const r = softplusPair(x, a, b);
    return {
      units: tf.div(tf.sum(r.l, -1), C),
      local: () => ({ input: tf.div(r.g(), C) }),
      expand: (dy) => tf.expandDims(dy, -1),
    };
  },
};

/**
 * Keras' hinge label rule: 0/1 targets (the whole tensor) become ±1, as y·(1 + z) − z with z = 1
 * when every y(1 − y) is 0 (so every target is 0 or 1; NaN counts as not), else 0. Arithmetic and
 * one scalar comparison: elementwise boolean ops and casts are slow on the wasm backend.
 */
function signedLabels(y: T): T {
  const z = tf.cast(tf.equal(tf.max(tf.abs(tf.mul(y, tf.sub(1, y)))), 0), 'float32');
  return tf.sub(tf.mul(y, tf.add(z, 1)), z);
}

/** [m ≥ 0] as 1 − step(−m) (tf.step is [x > 0]), without a boolean tensor. */
function stepAtLeastZero(m: T): T {
  return tf.sub(1, tf.step(tf.neg(m)));
}

const hinge = pair([], (x, y) => {
  const s = signedLabels(y);
  const m = tf.sub(1, tf.mul(s, x));
  // torch's clamp_min subgradient: the full slope −y at exactly 1 − y·x = 0.
  return { l: tf.relu(m), g: () => tf.mul(tf.neg(s), stepAtLeastZero(m)) };
});

const squaredHinge = pair([], (x, y) => {
  const s = signedLabels(y);
  const r = tf.relu(tf.sub(1, tf.mul(s, x)));
  return { l: tf.square(r), g: () => tf.mul(tf.mul(s, r), -2) };
});

const softMargin = pair([], (x, y) => {
  const z = tf.neg(tf.mul(y, x));
  return { l: softplus(z), g: () => tf.mul(tf.neg(y), tf.sigmoid(z)) };
});

// ---------------------------------------------------------------------------------------------------
// Softmax side

/** (N, C, d1, ...) or (C) scores against class indices (N, d1, ...) or (): the shared layout. */
interface ClassCall {
  C: number;
  /** The scores with the class axis last, at least 2-D. */
  xl: T;
  /** Clamped class indices (ignored positions → 0), shaped like xl without its last axis. */
  yc: T;
  /** 1 where the target is not ignored, else 0 (float32, like yc). */
  keep: T;
  hot: T;
  /** Per-position values (xl's shape without the class axis) → the 'none' output's shape. */
  toUnits: (u: T) => T;
  /** A gradient in xl's layout → the input's layout. */
  toInput: (g: T) => T;
  expand: (dy: T) => T;
}

function classCall(x: T, t: T, ignoreIndex: number | null): ClassCall | null {
  if (x.rank === 0) return null;
  const C = (x.rank === 1 ? x.shape[0] : x.shape[1]) as number;
  const indexShape = x.rank === 1 ? [] : [x.shape[0] as number, ...x.shape.slice(2)];
  if (!sameShape(t.shape, indexShape)) return null;
  const x2 = x.rank === 1 ? tf.reshape(x, [1, C]) : x;
  const { xl, back } = classesLast(x2);
  const yi = tf.reshape(tf.cast(t, 'int32'), xl.shape.slice(0, -1));
  const keepB =
    ignoreIndex === null ? tf.cast(tf.onesLike(yi), 'bool') : tf.notEqual(yi, ignoreIndex);
  const yc = tf.where(keepB, yi, tf.zerosLike(yi));
  return {
    C,
    xl,
    yc,
    keep: tf.cast(keepB, 'float32'),
    hot: tf.oneHot(yc, C),
    toUnits: (u) => tf.reshape(u, indexShape),
    toInput: (g) => (x.rank === 1 ? tf.reshape(g, [C]) : back(g)),
    expand: (dy) => (x.rank === 1 ? dy : tf.expandDims(dy, 1)),
  };
}

/** A per-class tensor option of length C, or null when absent; undefined when its shape is wrong. */
function classVector(v: unknown, C: number): T | null | undefined {
  const o = v as ResolvedTensorOption | null;
  if (o === null || o === undefined) return null;
  if (!(o.shape.length === 1 && o.shape[0] === C)) return undefined;
  return optionTensor(o);
}

/**
 * torch cross_entropy: class-index targets with class weights, ignoreIndex and label smoothing (the
 * smoothing term weighted and divided by the same Σ w[y] as torch 1.13), or probability targets of
 * the input's shape.
 */
const crossEntropy: NativeSpec = {
  handles: ['weight', 'ignoreIndex', 'labelSmoothing'],
  build(inputs, o) {
    const { input: x, target: t } = inputs;
    if (!x || !t || x.rank === 0) return null;
    const C = (x.rank === 1 ? x.shape[0] : x.shape[1]) as number;
    const w0 = classVector(o.weight, C);
    if (w0 === undefined) return null;
    const w = w0 ?? tf.ones([C], 'float32');
    const eps = o.labelSmoothing as number;
    const ignoreIndex = o.ignoreIndex as number;
    if (sameShape(t.shape, x.shape)) {
      if (ignoreIndex >= 0) return null; // the core's E_OPTION
      const x2 = x.rank === 1 ? tf.reshape(x, [1, C]) : x;
      const { xl, back } = classesLast(x2);
      const logp = tf.logSoftmax(xl);
      const ptl = classesLast(tf.reshape(tf.cast(t, 'float32'), x2.shape)).xl;
      const q = tf.mul(eps === 0 ? ptl : tf.add(tf.mul(ptl, 1 - eps), eps / C), w);
      const unitShape = x.rank === 1 ? [] : [x.shape[0] as number, ...x.shape.slice(2)];
      return {
        units: tf.reshape(tf.neg(tf.sum(tf.mul(q, logp), -1)), unitShape),
        // ∂/∂x_j of −Σ_c q_c log p_c = p_j Σ_c q_c − q_j.
        local: () => {
          const g = tf.sub(tf.mul(tf.exp(logp), tf.sum(q, -1, true)), q);
          return { input: x.rank === 1 ? tf.reshape(g, [C]) : back(g) };
        },
        expand: (dy) => (x.rank === 1 ? dy : tf.expandDims(dy, 1)),
      };
    }
    const k = classCall(x, t, ignoreIndex);
    if (k === null) return null;
    const logp = tf.logSoftmax(k.xl);
    const wy = tf.mul(tf.gather(w, k.yc), k.keep);
    let l = tf.mul(wy, tf.neg(tf.sum(tf.mul(k.hot, logp), -1)));
    if (eps !== 0) {
      const sm = tf.mul(tf.neg(tf.sum(tf.mul(w, logp), -1)), k.keep);
      l = tf.add(tf.mul(l, 1 - eps), tf.mul(sm, eps / C));
    }
    return {
      units: k.toUnits(l),
      meanDivisor: tf.sum(wy),
      local: () => {
        const p = tf.exp(logp);
        // (1 − ε)·w_y·(p_j − [j = y]) + (ε/C)·(W·p_j − w_j), zero rows where ignored.
        let g = tf.mul(tf.expandDims(wy, -1), tf.sub(p, k.hot));
        if (eps !== 0) {
          const s2 = tf.mul(tf.sub(tf.mul(p, tf.sum(w)), w), tf.expandDims(k.keep, -1));
          g = tf.add(tf.mul(g, 1 - eps), tf.mul(s2, eps / C));
        }
        return { input: k.toInput(g) };
      },
      expand: k.expand,
    };
  },
};

/** torch nll_loss: −w[y]·x[y] on log-probabilities, mean over Σ w[y] of the non-ignored targets. */
const nll: NativeSpec = {
  handles: ['weight', 'ignoreIndex'],
  build(inputs, o) {
    const { input: x, target: t } = inputs;
    if (!x || !t) return null;
    const k = classCall(x, t, o.ignoreIndex as number);
    if (k === null) return null;
    const w0 = classVector(o.weight, k.C);
    if (w0 === undefined) return null;
    const wy = w0 ? tf.mul(tf.gather(w0, k.yc), k.keep) : k.keep;
    return {
      units: k.toUnits(tf.mul(wy, tf.neg(tf.sum(tf.mul(k.hot, k.xl), -1)))),
      meanDivisor: tf.sum(wy),
      local: () => ({ input: k.toInput(tf.mul(tf.neg(k.hot), tf.expandDims(wy, -1))) }),
      expand: k.expand,
    };
  },
};

/**
 * Softmax focal loss −α_t(1 − p_t)^γ log p_t per sample, mean over the non-ignored samples; its
 * derivative F·([j = t] − p_j) with F = −α_t((1 − p_t)^γ − γ(1 − p_t)^(γ−1)·p_t·log p_t).
 */
const softmaxFocal: NativeSpec = {
  handles: ['gamma', 'alpha', 'ignoreIndex'],
  build(inputs, o) {
    const { input: x, target: t } = inputs;
    if (!x || !t) return null;
    const k = classCall(x, t, o.ignoreIndex as number);
    if (k === null) return null;
    const aOpt = o.alpha as ResolvedTensorOption | null;
    let at: T = k.keep;
    if (aOpt !== null) {
      if (aOpt.shape.length === 0) at = tf.mul(k.keep, aOpt.data[0]);
      else {
        const a = classVector(aOpt, k.C);
        if (!a) return null;
        at = tf.mul(tf.gather(a, k.yc), k.keep);
      }
    }
    const gamma = o.gamma as number;
    const logp = tf.logSoftmax(k.xl);
    const lpt = tf.sum(tf.mul(k.hot, logp), -1);
    const pt = tf.exp(lpt);
    const q = tf.sub(1, pt);
    const mod = gamma === 0 ? tf.onesLike(q) : tf.pow(q, gamma);
    return {
      units: k.toUnits(tf.neg(tf.mul(tf.mul(at, mod), lpt))),
      meanDivisor: tf.sum(k.keep),
      local: () => {
        let inner = mod;
        if (gamma !== 0) {
          const dmod = gamma === 1 ? tf.onesLike(q) : tf.mul(tf.pow(q, gamma - 1), gamma);
          inner = tf.sub(mod, tf.mul(tf.mul(dmod, pt), lpt));
        }
        const F = tf.neg(tf.mul(at, inner));
        const g = tf.mul(tf.expandDims(F, -1), tf.sub(k.hot, tf.exp(logp)));
        return { input: k.toInput(g) };
      },
      expand: k.expand,
    };
  },
};

/**
 * Poly-1: CE + ε(1 − P_t) with P_t = Σ_c q_c p_c against the smoothed target q; derivative
 * p_j − q_j − ε·p_j·(q_j − P_t).
 */
const poly1: NativeSpec = {
  handles: ['epsilon', 'labelSmoothing'],
  build(inputs, o) {
    const { input: x, target: t } = inputs;
    if (!x || !t) return null;
    const k = classCall(x, t, null);
    if (k === null) return null;
    const eps = o.epsilon as number;
    const ls = o.labelSmoothing as number;
    const q = ls === 0 ? k.hot : tf.add(tf.mul(k.hot, 1 - ls), ls / k.C);
    const logp = tf.logSoftmax(k.xl);
    const p = tf.exp(logp);
    const Pt = tf.sum(tf.mul(q, p), -1);
    const ce = tf.neg(tf.sum(tf.mul(q, logp), -1));
    return {
      units: k.toUnits(tf.add(ce, tf.mul(tf.sub(1, Pt), eps))),
      local: () => {
        const g = tf.sub(tf.sub(p, q), tf.mul(tf.mul(p, tf.sub(q, tf.expandDims(Pt, -1))), eps));
        return { input: k.toInput(g) };
      },
      expand: k.expand,
    };
  },
};

/** torch kl_div: xlogy(y, y) − y·x (or e^y(y − x) for log targets), derivative −y (or −e^y). */
const klDiv: NativeSpec = {
  handles: ['logTarget'],
  build(inputs, o) {
    const { input: x, target: yIn } = inputs;
    if (!x || !yIn || !sameShape(x.shape, yIn.shape)) return null;
    const y = tf.cast(yIn, 'float32');
    if (o.logTarget === true) {
      const e = tf.exp(y);
      return {
        units: tf.mul(e, tf.sub(y, x)),
        local: () => ({ input: tf.neg(e) }),
        batchDivisor: x.rank === 0 ? 1 : (x.shape[0] as number),
      };
    }
    const ylogy = tf.where(tf.equal(y, 0), tf.zerosLike(y), tf.mul(y, tf.log(y)));
    return {
      units: tf.sub(ylogy, tf.mul(y, x)),
      local: () => ({ input: tf.neg(y) }),
      batchDivisor: x.rank === 0 ? 1 : (x.shape[0] as number),
    };
  },
};

/**
 * torch multi_margin_loss: w_t·Σ_{i≠t} max(0, margin − x_t + x_i)^p / C per sample; the slope
 * counts where z > 0 only (0 at exactly z = 0, as torch's kernel).
 */
const multiMargin: NativeSpec = {
  handles: ['p', 'margin', 'weight'],
  build(inputs, o) {
    const { input: x, target: t } = inputs;
    if (!x || !t || x.rank > 2) return null;
    const k = classCall(x, t, null);
    if (k === null) return null;
    const w = classVector(o.weight, k.C);
    if (w === undefined) return null;
    const p = o.p as number;
    const margin = o.margin as number;
    const xt = tf.sum(tf.mul(k.hot, k.xl), -1, true);
    const z = tf.add(tf.sub(margin, xt), k.xl);
    const notT = tf.sub(1, k.hot);
    const h = tf.mul(tf.relu(z), notT);
    const wt = w ? tf.gather(w, k.yc) : tf.onesLike(k.keep);
    const sum = tf.sum(p === 1 ? h : tf.square(h), -1);
    return {
      units: k.toUnits(tf.div(tf.mul(wt, sum), k.C)),
      local: () => {
        const slope = tf.mul(tf.cast(tf.greater(z, 0), 'float32'), notT);
        const d = tf.mul(
          p === 1 ? slope : tf.mul(slope, tf.mul(z, 2)),
          tf.expandDims(tf.div(wt, k.C), -1),
        );
        return { input: k.toInput(tf.sub(d, tf.mul(k.hot, tf.sum(d, -1, true)))) };
      },
      expand: k.expand,
    };
  },
};

/**
 * torch multilabel_margin_loss on (N, C) or (C): the target lists class indices up to the first −1;
 * per sample Σ_{listed j} Σ_{unlisted i} max(0, 1 − x_j + x_i) / C (a class listed twice counts
 * twice, as torch's loop), slope 1 where z > 0 only. Pairwise (N, C, C) on the device.
 */
const multilabelMargin: NativeSpec = {
  handles: [],
  build(inputs) {
    const { input: x0, target: t0 } = inputs;
    if (!x0 || !t0 || x0.rank < 1 || x0.rank > 2 || !sameShape(x0.shape, t0.shape)) return null;
    const C = x0.shape[x0.rank - 1] as number;
    const x = x0.rank === 1 ? tf.reshape(x0, [1, C]) : x0;
    const t = tf.reshape(tf.cast(t0, 'int32'), x.shape);
    // Positions before the first −1: cumsum of [t < 0] is still 0 there (axis 1: tfjs' cumsum
    // returns an empty tensor for axis −1).
    const valid = tf.cast(tf.equal(tf.cumsum(tf.cast(tf.less(t, 0), 'int32'), 1), 0), 'float32');
    const hot = tf.mul(
      tf.oneHot(tf.maximum(t, tf.scalar(0, 'int32')), C),
      tf.expandDims(valid, -1),
    ); // (N, pos, C)
    const count = tf.sum(hot, 1); // (N, C): how often class j is listed
    const other = tf.sub(1, tf.minimum(count, 1)); // (N, C): 1 for unlisted classes
    // z[n, j, i] = 1 − x_j + x_i, weighted by count_j·other_i.
    const z = tf.add(tf.sub(1, tf.expandDims(x, 2)), tf.expandDims(x, 1));
    const w = tf.mul(tf.expandDims(count, 2), tf.expandDims(other, 1));
    const units = tf.div(tf.sum(tf.mul(w, tf.relu(z)), [1, 2]), C);
    const back = (g: T): T => (x0.rank === 1 ? tf.reshape(g, [C]) : g);
    return {
      units: x0.rank === 1 ? tf.reshape(units, []) : units,
      local: () => {
        const active = tf.mul(w, tf.step(z)); // tf.step is [z > 0]
        // +1/C to each unlisted i per active pair, −1/C to the listed j.
        const g = tf.div(tf.sub(tf.sum(active, 1), tf.sum(active, 2)), C);
        return { input: back(g) };
      },
      expand: (dy) => (x0.rank === 1 ? dy : tf.expandDims(dy, -1)),
    };
  },
};

/**
 * Keras categorical_hinge on (N, C): max(0, max_c((1 − y_c)·x_c) − Σ y·x + 1). torch.maximum's
 * slope (1 above, ½ at a tie with 0) and the max's gradient split among tied maxima.
 */
const categoricalHinge: NativeSpec = {
  handles: [],
  build(inputs) {
    const { input: x, target: yIn } = inputs;
    if (!x || !yIn || x.rank !== 2 || !sameShape(x.shape, yIn.shape)) return null;
    const y = tf.cast(yIn, 'float32');
    const v = tf.mul(tf.sub(1, y), x);
    const neg = tf.max(v, -1, true);
    const pos = tf.sum(tf.mul(y, x), -1, true);
    const a = tf.add(tf.sub(neg, pos), 1);
    return {
      units: tf.reshape(tf.relu(a), [x.shape[0] as number]),
      local: () => {
        const at = tf.cast(tf.equal(v, neg), 'float32');
        const ties = tf.sum(at, -1, true);
        const slope = tf.where(
          tf.greater(a, 0),
          tf.onesLike(a),
          tf.where(tf.equal(a, 0), tf.fill(a.shape, 0.5), tf.zerosLike(a)),
        );
        const share = tf.div(tf.mul(at, tf.sub(1, y)), ties);
        return { input: tf.mul(slope, tf.sub(share, y)) };
      },
      expand: (dy) => tf.expandDims(dy, -1),
    };
  },
};

// Keras layout: classes along `axis`.

const KERAS_CLIP_LOW = 1e-7;
const KERAS_CLIP_HIGH = 1 - 1e-7;

/** Moves `axis` last; `back` undoes it; `expand` puts a per-position tensor's class axis back (size 1). */
function axisLast(x: T, axis: number): { xl: T; back: (g: T) => T; a: number } | null {
  if (!Number.isInteger(axis) || axis < -x.rank || axis >= x.rank || x.rank === 0) return null;
  const a = axis < 0 ? axis + x.rank : axis;
  if (a === x.rank - 1) return { xl: x, back: (g) => g, a };
  const perm = [...Array.from({ length: x.rank }, (_, i) => i).filter((i) => i !== a), a];
  const inv = new Array<number>(perm.length);
  perm.forEach((q, i) => (inv[q] = i));
  return { xl: tf.transpose(x, perm), back: (g) => tf.transpose(g, inv), a };
}

/**
 * Keras categorical_crossentropy: the smoothed target ỹ against softmax(x) (fromLogits) or against
 * the renormalised probabilities q = x/Σx clipped to [1e-7, 1 − 1e-7]. Derivatives: p·Σỹ − ỹ, and
 * (h_j − Σ_c h_c q_c)/Σx with h = −ỹ/q inside the clip range, 0 outside (torch's clamp slope).
 */
const categoricalCrossentropy: NativeSpec = {
  handles: ['fromLogits', 'labelSmoothing', 'axis'],
  build(inputs, o) {
    const { input: x, target: yIn } = inputs;
    if (!x || !yIn || !sameShape(x.shape, yIn.shape)) return null;
    const L = axisLast(x, o.axis as number);
    if (L === null) return null;
    const C = x.shape[L.a] as number;
    const eps = o.labelSmoothing as number;
    const y0 = axisLast(tf.cast(yIn, 'float32'), o.axis as number)!.xl;
    const y = eps === 0 ? y0 : tf.add(tf.mul(y0, 1 - eps), eps / C);
    const expand = (dy: T): T => tf.expandDims(dy, L.a);
    if (o.fromLogits === true) {
      const logp = tf.logSoftmax(L.xl);
      return {
        units: tf.neg(tf.sum(tf.mul(y, logp), -1)),
        local: () => ({
          input: L.back(tf.sub(tf.mul(tf.exp(logp), tf.sum(y, -1, true)), y)),
        }),
        expand,
      };
    }
    const S = tf.sum(L.xl, -1, true);
    const q = tf.div(L.xl, S);
    const r = tf.clipByValue(q, KERAS_CLIP_LOW, KERAS_CLIP_HIGH);
    const terms = tf.where(tf.equal(y, 0), tf.zerosLike(y), tf.mul(y, tf.log(r)));
    return {
      units: tf.neg(tf.sum(terms, -1)),
      local: () => {
        const inside = tf.logicalAnd(
          tf.greaterEqual(q, KERAS_CLIP_LOW),
          tf.lessEqual(q, KERAS_CLIP_HIGH),
        );
        const h = tf.where(inside, tf.neg(tf.div(y, q)), tf.zerosLike(q));
        const dot = tf.sum(tf.mul(h, q), -1, true);
        return { input: L.back(tf.div(tf.sub(h, dot), S)) };
      },
      expand,
    };
  },
};

/** Keras sparse_categorical_crossentropy with ignoreClass left out of the mean. */
const sparseCategoricalCrossentropy: NativeSpec = {
  handles: ['fromLogits', 'ignoreClass', 'axis'],
  build(inputs, o) {
    const { input: x, target: t } = inputs;
    if (!x || !t) return null;
    const L = axisLast(x, o.axis as number);
    if (L === null) return null;
    const C = x.shape[L.a] as number;
    const unitShape = L.xl.shape.slice(0, -1);
    if (!sameShape(t.shape, unitShape)) return null;
    const yi = tf.cast(t, 'int32');
    const ignore = o.ignoreClass as number | null;
    const keepB = ignore === null ? tf.cast(tf.onesLike(yi), 'bool') : tf.notEqual(yi, ignore);
    const keep = tf.cast(keepB, 'float32');
    const hot = tf.oneHot(tf.where(keepB, yi, tf.zerosLike(yi)), C);
    const expand = (dy: T): T => tf.expandDims(dy, L.a);
    if (o.fromLogits === true) {
      const logp = tf.logSoftmax(L.xl);
      return {
        units: tf.mul(tf.neg(tf.sum(tf.mul(hot, logp), -1)), keep),
        meanDivisor: tf.sum(keep),
        local: () => ({
          input: L.back(tf.mul(tf.sub(tf.exp(logp), hot), tf.expandDims(keep, -1))),
        }),
        expand,
      };
    }
    const S = tf.sum(L.xl, -1);
    const qt = tf.div(tf.sum(tf.mul(hot, L.xl), -1), S);
    const l = tf.neg(tf.log(tf.clipByValue(qt, KERAS_CLIP_LOW, KERAS_CLIP_HIGH)));
    return {
      units: tf.mul(l, keep),
      meanDivisor: tf.sum(keep),
      local: () => {
        const inside = tf.logicalAnd(
          tf.greaterEqual(qt, KERAS_CLIP_LOW),
          tf.lessEqual(qt, KERAS_CLIP_HIGH),
        );
        // h = −1/q_t inside the clip range: d/dx_j = (h·[j = t] − h·q_t)/S.
        const h = tf.mul(tf.where(inside, tf.neg(tf.reciprocal(qt)), tf.zerosLike(qt)), keep);
        const g = tf.div(
          tf.sub(tf.mul(hot, tf.expandDims(h, -1)), tf.expandDims(tf.mul(h, qt), -1)),
          tf.expandDims(S, -1),
        );
        return { input: L.back(g) };
      },
      expand,
    };
  },
};

/** The native implementations by id. Every other differentiable entry goes through the CPU bridge. */
export const NATIVE: ReadonlyMap<string, NativeSpec> = new Map<string, NativeSpec>([
  ['mse', mse],
  ['l1', l1],
  ['rmse', rmse],
  ['huber', huber],
  ['smoothL1', smoothL1],
  ['logCosh', logCosh],
  ['msle', msle],
  ['mape', mape],
  ['poissonNll', poissonNll],
  ['gaussianNll', gaussianNll],
  ['bce', bce],
  ['bceWithLogits', bceWithLogits],
  ['weightedBce', weightedBce],
  ['sigmoidFocal', sigmoidFocal],
  ['poly1Focal', poly1Focal],
  ['multilabelSoftMargin', multilabelSoftMargin],
  ['hinge', hinge],
  ['squaredHinge', squaredHinge],
  ['softMargin', softMargin],
  ['crossEntropy', crossEntropy],
  ['nll', nll],
  ['klDiv', klDiv],
  ['softmaxFocal', softmaxFocal],
  ['poly1', poly1],
  ['categoricalCrossentropy', categoricalCrossentropy],
  ['categoricalHinge', categoricalHinge],
  ['multiMargin', multiMargin],
  ['multilabelMargin', multilabelMargin],
  ['sparseCategoricalCrossentropy', sparseCategoricalCrossentropy],
]);
