// Reference columns for bench/run.mjs: the naive single-pass JavaScript loop a user would write by
// hand for each workload (value + gradient of the mean loss, plain running sum, float64 arithmetic on
// whatever typed array it is given). Each takes an optional gradient buffer to reuse; without one it
// allocates a gradient of the input's dtype. Not part of the library; not a test.

const like = (a, n) => (a instanceof Float32Array ? new Float32Array(n) : new Float64Array(n));

export function naiveMse(x, y, g = like(x, x.length)) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - y[i];
    s += d * d;
    g[i] = (2 * d) / n;
  }
  return [s / n, g];
}

export function naiveHuber(x, y, g = like(x, x.length), delta = 1) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - y[i];
    const a = Math.abs(d);
    if (a < delta) {
      s += 0.5 * d * d;
      g[i] = d / n;
    } else {
      s += delta * (a - 0.5 * delta);
      g[i] = (d > 0 ? delta : -delta) / n;
    }
  }
  return [s / n, g];
}

export function naiveBceWithLogits(x, z, g = like(x, x.length)) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const e = Math.exp(-Math.abs(v));
    s += Math.max(v, 0) - v * z[i] + Math.log1p(e);
    const p = v >= 0 ? 1 / (1 + e) : e / (1 + e);
    g[i] = (p - z[i]) / n;
  }
  return [s / n, g];
}

/** torchvision's sigmoid focal loss, alpha = 0.25, gamma = 2, mean. */
export function naiveSigmoidFocal(x, z, g = like(x, x.length)) {
  const n = x.length;
  const alpha = 0.25;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const t = z[i];
    const e = Math.exp(-Math.abs(v));
    const p = v >= 0 ? 1 / (1 + e) : e / (1 + e);
    const ce = Math.max(v, 0) - v * t + Math.log1p(e);
    const pt = p * t + (1 - p) * (1 - t);
    const m = 1 - pt;
    const at = alpha * t + (1 - alpha) * (1 - t);
    s += at * m * m * ce;
    // d/dv of at·(1−pt)²·ce, with dpt/dv = p(1−p)(2t−1) and dce/dv = p − t
    const dpt = p * (1 - p) * (2 * t - 1);
    g[i] = (at * (-2 * m * dpt * ce + m * m * (p - t))) / n;
  }
  return [s / n, g];
}

export function naiveCrossEntropy(logits, labels, rows, classes, g = like(logits, logits.length)) {
  let s = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    let m = -Infinity;
    for (let c = 0; c < classes; c++) if (logits[o + c] > m) m = logits[o + c];
    let z = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(logits[o + c] - m);
      g[o + c] = e;
      z += e;
    }
    const lse = Math.log(z) + m;
    s += lse - logits[o + labels[r]];
    const k = 1 / (z * rows);
    for (let c = 0; c < classes; c++) g[o + c] *= k;
    g[o + labels[r]] -= 1 / rows;
  }
  return [s / rows, g];
}
