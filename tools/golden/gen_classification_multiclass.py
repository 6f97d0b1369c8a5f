"""Golden values for catalog section 2, softmax / multiclass half, float64, seeded.

References: PyTorch 1.13.1 functional losses (cross_entropy, nll_loss, kl_div, multi_margin_loss,
multilabel_margin_loss) called directly; Keras losses (no TF runtime here) and the per-sample softmax
focal / Poly-1 losses transcribed in torch (sources cited at each transcription), with torch autograd
giving the gradients.
"""

import numpy as np
import torch
import torch.nn.functional as F

from common import as_weight, enc, rng, versions, write_fixture
from common import grad_case as common_grad_case

SEED = 2002
GEN = "tools/golden/gen_classification_multiclass.py"
KERAS_EPSILON = 1e-7  # keras/src/backend/config.py epsilon()
IDX = ("target",)


def grad_case(name, fn, inputs, diff, options=None, upstream=None, int_inputs=()):
    """common.grad_case, except that an unbatched 'none' value (torch's 0-dim tensor) stays a tensor
    of shape [] in the fixture, as losskit's 'none' output is."""
    case = common_grad_case(name, fn, inputs, diff, options, upstream, int_inputs)
    if (options or {}).get("reduction") == "none" and not isinstance(case["value"], dict):
        case["value"] = {"dtype": "float64", "shape": [], "data": [case["value"]]}
    return case


def with_reductions(name, make_fn, inputs, options, reductions=("mean", "sum", "none"), int_inputs=IDX, seed=0):
    """One case per reduction plus a 'none' case with a random upstream and a 'mean' one with a scalar upstream."""
    r = rng(SEED + 100 + seed)
    cases = []
    for red in reductions:
        opts = dict(options)
        opts["reduction"] = red
        cases.append(grad_case(f"{name}, reduction={red}", make_fn(red), inputs, ["input"], opts, int_inputs=int_inputs))
    none_value = make_fn("none")(**{k: torch.as_tensor(np.asarray(v)) for k, v in inputs.items()})
    up = r.normal(size=tuple(none_value.shape))
    opts = dict(options)
    opts["reduction"] = "none"
    cases.append(grad_case(f"{name}, reduction=none with upstream", make_fn("none"), inputs, ["input"], opts, upstream=up, int_inputs=int_inputs))
    opts = dict(options)
    opts["reduction"] = "mean" if "mean" in reductions else reductions[0]
    cases.append(grad_case(f"{name}, {opts['reduction']} with upstream 2.5", make_fn(opts["reduction"]), inputs, ["input"], opts, upstream=2.5, int_inputs=int_inputs))
    return cases


def ref(name):
    return f"{versions()}: {name}"


# ---------------------------------------------------------------------------------------------------
# crossEntropy, nll (torch)


def ce_fn(weight=None, ignore_index=-100, label_smoothing=0.0):
    def make(red):
        def f(input, target):
            w = as_weight(weight)
            return F.cross_entropy(input, target, weight=w, ignore_index=ignore_index, reduction=red, label_smoothing=label_smoothing)

        return f

    return make


def gen_cross_entropy():
    r = rng(SEED)
    x = r.normal(size=(5, 4)) * 2
    y = np.array([0, 3, 1, 2, 3])
    w = r.uniform(0.2, 2.0, size=4)
    cases = []
    cases += with_reductions("index targets", ce_fn(), {"input": x, "target": y}, {}, seed=1)
    cases += with_reductions("class weights", ce_fn(weight=w), {"input": x, "target": y}, {"weight": enc(w)}, seed=2)
    y_ign = np.array([0, -100, 1, -100, 3])
    cases += with_reductions("weights and ignored targets", ce_fn(weight=w), {"input": x, "target": y_ign}, {"weight": enc(w)}, seed=3)
    cases += with_reductions("ignored targets, no weights", ce_fn(), {"input": x, "target": y_ign}, {}, seed=4)
    cases += with_reductions(
        "label smoothing 0.2 with weights and an ignored target",
        ce_fn(weight=w, label_smoothing=0.2),
        {"input": x, "target": y_ign},
        {"weight": enc(w), "labelSmoothing": 0.2},
        seed=5,
    )
    cases += with_reductions("label smoothing 0.1", ce_fn(label_smoothing=0.1), {"input": x, "target": y}, {"labelSmoothing": 0.1}, seed=6)
    y_in = np.array([0, 2, 2, 1, 3])
    cases += with_reductions("ignoreIndex naming a real class (2)", ce_fn(ignore_index=2), {"input": x, "target": y_in}, {"ignoreIndex": 2}, seed=7)
    # all ignored: torch's sum is 0 with zero gradient (its mean is NaN; losskit's 0 is tested in the TS test)
    y_all = np.array([-100] * 5)
    cases.append(grad_case("all targets ignored, reduction=sum", ce_fn(weight=w)("sum"), {"input": x, "target": y_all}, ["input"], {"weight": enc(w), "reduction": "sum"}, int_inputs=IDX))
    # spatial (N, C, H, W)
    xs = r.normal(size=(2, 3, 2, 2)) * 1.5
    ys = r.integers(0, 3, size=(2, 2, 2))
    ys[1, 0, 1] = -100
    ws = r.uniform(0.5, 1.5, size=3)
    cases += with_reductions(
        "spatial (2,3,2,2) with weights, smoothing and an ignored pixel",
        ce_fn(weight=ws, label_smoothing=0.15),
        {"input": xs, "target": ys},
        {"weight": enc(ws), "labelSmoothing": 0.15},
        seed=8,
    )
    # unbatched (C)
    xu = r.normal(size=(4,))
    cases += with_reductions("unbatched (C)", ce_fn(), {"input": xu, "target": np.array(2)}, {}, seed=9)
    # extreme logits
    xe = np.array([[700.0, -700.0, 0.0], [-700.0, 700.0, 700.0], [1e-8, -1e-8, 0.0], [40.0, -40.0, 20.0]])
    ye = np.array([1, 0, 2, 0])
    cases += with_reductions("logits at ±700, ±40, ±1e-8", ce_fn(), {"input": xe, "target": ye}, {}, seed=10)
    cases += with_reductions(
        "logits at ±700 with smoothing and weights", ce_fn(weight=[1.0, 2.0, 0.5], label_smoothing=0.3), {"input": xe, "target": ye}, {"weight": enc(np.array([1.0, 2.0, 0.5])), "labelSmoothing": 0.3}, seed=11
    )
    # probability targets
    p = r.dirichlet(np.ones(4), size=5)
    p[0] = [1.0, 0.0, 0.0, 0.0]
    cases += with_reductions("probability targets", ce_fn(), {"input": x, "target": p}, {}, int_inputs=(), seed=12)
    cases += with_reductions(
        "probability targets with weights and smoothing 0.25",
        ce_fn(weight=w, label_smoothing=0.25),
        {"input": x, "target": p},
        {"weight": enc(w), "labelSmoothing": 0.25},
        int_inputs=(),
        seed=13,
    )
    ps = np.moveaxis(r.dirichlet(np.ones(3), size=(2, 2, 2)), -1, 1)
    cases += with_reductions("spatial probability targets (2,3,2,2)", ce_fn(), {"input": xs, "target": ps}, {}, int_inputs=(), seed=14)
    cases += with_reductions("unbatched probability target (C)", ce_fn(), {"input": xu, "target": r.dirichlet(np.ones(4))}, {}, int_inputs=(), seed=15)
    cases += with_reductions("probability targets with logits ±700", ce_fn(), {"input": xe, "target": r.dirichlet(np.ones(3), size=4)}, {}, int_inputs=(), seed=16)
    write_fixture("crossEntropy", GEN, ref("torch.nn.functional.cross_entropy"), SEED, cases)


def nll_fn(weight=None, ignore_index=-100):
    def make(red):
        def f(input, target):
            w = as_weight(weight)
            return F.nll_loss(input, target, weight=w, ignore_index=ignore_index, reduction=red)

        return f

    return make


def gen_nll():
    r = rng(SEED + 1)
    lp = torch.log_softmax(torch.as_tensor(r.normal(size=(5, 4)) * 2), 1).numpy()
    y = np.array([1, 0, 3, 3, 2])
    w = r.uniform(0.2, 2.0, size=4)
    cases = []
    cases += with_reductions("log-probabilities", nll_fn(), {"input": lp, "target": y}, {}, seed=1)
    cases += with_reductions("class weights", nll_fn(weight=w), {"input": lp, "target": y}, {"weight": enc(w)}, seed=2)
    y_ign = np.array([1, -100, 3, -100, 2])
    cases += with_reductions("weights and ignored targets", nll_fn(weight=w), {"input": lp, "target": y_ign}, {"weight": enc(w)}, seed=3)
    cases += with_reductions("ignoreIndex 3", nll_fn(ignore_index=3), {"input": lp, "target": y}, {"ignoreIndex": 3}, seed=4)
    xs = torch.log_softmax(torch.as_tensor(r.normal(size=(2, 3, 2, 3))), 1).numpy()
    ys = r.integers(0, 3, size=(2, 2, 3))
    ys[0, 1, 2] = -100
    cases += with_reductions("spatial (2,3,2,3) with weights and an ignored pixel", nll_fn(weight=[0.5, 1.0, 3.0]), {"input": xs, "target": ys}, {"weight": enc(np.array([0.5, 1.0, 3.0]))}, seed=5)
    cases += with_reductions("unbatched (C)", nll_fn(), {"input": lp[0], "target": np.array(3)}, {}, seed=6)
    xe = np.array([[-1400.0, 0.0, -700.0], [-1e-300, -745.0, -1e300]])
    cases += with_reductions("extreme log-probabilities", nll_fn(), {"input": xe, "target": np.array([0, 2])}, {}, seed=7)
    write_fixture("nll", GEN, ref("torch.nn.functional.nll_loss"), SEED + 1, cases)


# ---------------------------------------------------------------------------------------------------
# Keras transcriptions


def keras_cce(input, target, from_logits, label_smoothing, axis):
    """keras/src/losses/losses.py categorical_crossentropy + keras/src/backend/numpy/nn.py
    categorical_crossentropy, transcribed in torch (clip → torch.clamp, as Keras' torch backend)."""
    if label_smoothing:
        num_classes = input.shape[axis]  # Keras uses shape[-1]; the same for the default axis=-1
        target = target * (1.0 - label_smoothing) + (label_smoothing / num_classes)
    if from_logits:
        log_prob = F.log_softmax(input, dim=axis)
    else:
        output = input / torch.sum(input, dim=axis, keepdim=True)
        output = torch.clamp(output, KERAS_EPSILON, 1.0 - KERAS_EPSILON)
        log_prob = torch.log(output)
    return -torch.sum(target * log_prob, dim=axis)


def reduce_keras(v, red, valid=None):
    if red == "none":
        return v
    if red == "sum":
        return v.sum()
    count = v.numel() if valid is None else int(valid.sum())
    return v.sum() / count


def cce_fn(from_logits=False, label_smoothing=0.0, axis=-1):
    def make(red):
        return lambda input, target: reduce_keras(keras_cce(input, target, from_logits, label_smoothing, axis), red)

    return make


def gen_categorical_crossentropy():
    r = rng(SEED + 2)
    probs = r.dirichlet(np.ones(4), size=5)
    onehot = np.eye(4)[[0, 3, 1, 2, 2]]
    cases = []
    cases += with_reductions("probabilities, one-hot targets", cce_fn(), {"input": probs, "target": onehot}, {}, int_inputs=(), seed=1)
    unnorm = probs * r.uniform(0.5, 3.0, size=(5, 1))
    soft = r.dirichlet(np.ones(4), size=5)
    cases += with_reductions("unnormalised probabilities, soft targets", cce_fn(), {"input": unnorm, "target": soft}, {}, int_inputs=(), seed=2)
    clip = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.0], [1e-12, 0.3, 0.7], [2e-7, 0.5, 0.5]])
    clip_t = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.2, 0.3, 0.5]])
    cases += with_reductions("probabilities exactly 0 and 1 (clipped)", cce_fn(), {"input": clip, "target": clip_t}, {}, int_inputs=(), seed=3)
    cases += with_reductions("label smoothing 0.2", cce_fn(label_smoothing=0.2), {"input": probs, "target": onehot}, {"labelSmoothing": 0.2}, int_inputs=(), seed=4)
    logits = r.normal(size=(5, 4)) * 2
    cases += with_reductions("fromLogits", cce_fn(from_logits=True), {"input": logits, "target": soft}, {"fromLogits": True}, int_inputs=(), seed=5)
    cases += with_reductions(
        "fromLogits with label smoothing 0.1", cce_fn(from_logits=True, label_smoothing=0.1), {"input": logits, "target": onehot}, {"fromLogits": True, "labelSmoothing": 0.1}, int_inputs=(), seed=6
    )
    xe = np.array([[700.0, -700.0, 0.0], [-700.0, 700.0, 700.0], [1e-8, -1e-8, 0.0], [40.0, -40.0, 20.0]])
    te = np.eye(3)[[1, 0, 2, 0]]
    cases += with_reductions("fromLogits at ±700, ±40, ±1e-8", cce_fn(from_logits=True), {"input": xe, "target": te}, {"fromLogits": True}, int_inputs=(), seed=7)
    # axis=1 on a (2, 3, 2) input
    p3 = np.moveaxis(r.dirichlet(np.ones(3), size=(2, 2)), -1, 1)
    t3 = np.moveaxis(r.dirichlet(np.ones(3), size=(2, 2)), -1, 1)
    cases += with_reductions("axis=1 on (2,3,2)", cce_fn(axis=1), {"input": p3, "target": t3}, {"axis": 1}, int_inputs=(), seed=8)
    cases += with_reductions(
        "axis=1, fromLogits, smoothing 0.3", cce_fn(from_logits=True, label_smoothing=0.3, axis=1), {"input": p3 * 4 - 2, "target": t3}, {"axis": 1, "fromLogits": True, "labelSmoothing": 0.3}, int_inputs=(), seed=9
    )
    cases += with_reductions("a single distribution (C)", cce_fn(), {"input": probs[0], "target": onehot[0]}, {}, int_inputs=(), seed=10)
    write_fixture(
        "categoricalCrossentropy",
        GEN,
        ref("Keras CategoricalCrossentropy (keras/src/losses/losses.py categorical_crossentropy, keras/src/backend/numpy/nn.py) transcribed in torch"),
        SEED + 2,
        cases,
    )


def keras_scce(input, target, from_logits, ignore_class, axis, red):
    """keras/src/losses/losses.py sparse_categorical_crossentropy + keras/src/backend/numpy/nn.py
    sparse_categorical_crossentropy, transcribed in torch. Ignored positions: Keras zeroes the target
    and the input, then `where(valid, res, 0)` and a mask so the mean runs over valid entries only;
    here the ignored rows keep their input (their value and gradient are masked away either way)."""
    axis = axis % input.dim()
    valid = torch.ones_like(target, dtype=torch.bool) if ignore_class is None else target != ignore_class
    safe = torch.where(valid, target, torch.zeros_like(target))
    onehot = torch.movedim(F.one_hot(safe, input.shape[axis]).to(input.dtype), -1, axis)
    res = keras_cce(input, onehot, from_logits, 0.0, axis)
    res = torch.where(valid, res, torch.zeros_like(res))
    return reduce_keras(res, red, valid if ignore_class is not None else None)


def scce_fn(from_logits=False, ignore_class=None, axis=-1):
    def make(red):
        return lambda input, target: keras_scce(input, target, from_logits, ignore_class, axis, red)

    return make


def gen_sparse_categorical_crossentropy():
    r = rng(SEED + 3)
    probs = r.dirichlet(np.ones(4), size=5)
    y = np.array([0, 3, 1, 2, 2])
    cases = []
    cases += with_reductions("probabilities", scce_fn(), {"input": probs, "target": y}, {}, seed=1)
    clip = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.0], [1e-12, 0.3, 0.7]]) * np.array([[1.0], [2.0], [1.0], [3.0]])
    cases += with_reductions("probabilities exactly 0 and 1, unnormalised", scce_fn(), {"input": clip, "target": np.array([0, 0, 2, 0])}, {}, seed=2)
    logits = r.normal(size=(5, 4)) * 2
    cases += with_reductions("fromLogits", scce_fn(from_logits=True), {"input": logits, "target": y}, {"fromLogits": True}, seed=3)
    y_ign = np.array([0, 255, 1, 255, 3])
    cases += with_reductions("fromLogits with ignoreClass 255", scce_fn(from_logits=True, ignore_class=255), {"input": logits, "target": y_ign}, {"fromLogits": True, "ignoreClass": 255}, seed=4)
    y_ign2 = np.array([0, -1, 1, 2, -1])
    cases += with_reductions("probabilities with ignoreClass -1", scce_fn(ignore_class=-1), {"input": probs, "target": y_ign2}, {"ignoreClass": -1}, seed=5)
    cases += with_reductions("ignoreClass naming a real class (2)", scce_fn(from_logits=True, ignore_class=2), {"input": logits, "target": y}, {"fromLogits": True, "ignoreClass": 2}, seed=6)
    xe = np.array([[700.0, -700.0, 0.0], [-700.0, 700.0, 700.0], [1e-8, -1e-8, 0.0], [40.0, -40.0, 20.0]])
    cases += with_reductions("fromLogits at ±700, ±40, ±1e-8", scce_fn(from_logits=True), {"input": xe, "target": np.array([1, 0, 2, 0])}, {"fromLogits": True}, seed=7)
    x3 = r.normal(size=(2, 3, 4))
    y3 = r.integers(0, 4, size=(2, 3))
    cases += with_reductions("(2,3,4) logits, classes last", scce_fn(from_logits=True), {"input": x3, "target": y3}, {"fromLogits": True}, seed=8)
    y3b = r.integers(0, 3, size=(2, 4))
    cases += with_reductions("axis=1 on (2,3,4) logits", scce_fn(from_logits=True, axis=1), {"input": x3, "target": y3b}, {"fromLogits": True, "axis": 1}, seed=9)
    write_fixture(
        "sparseCategoricalCrossentropy",
        GEN,
        ref("Keras SparseCategoricalCrossentropy (keras/src/losses/losses.py sparse_categorical_crossentropy, keras/src/backend/numpy/nn.py) transcribed in torch"),
        SEED + 3,
        cases,
    )


# ---------------------------------------------------------------------------------------------------
# klDiv (torch)


def kl_fn(log_target=False):
    def make(red):
        return lambda input, target: F.kl_div(input, target, reduction=red, log_target=log_target)

    return make


def gen_kl_div():
    r = rng(SEED + 4)
    lp = torch.log_softmax(torch.as_tensor(r.normal(size=(3, 4))), 1).numpy()
    t = r.dirichlet(np.ones(4), size=3)
    t[1] = [0.0, 0.5, 0.0, 0.5]
    reds = ("mean", "sum", "none", "batchmean")
    cases = []
    cases += with_reductions("probability targets with zeros", kl_fn(), {"input": lp, "target": t}, {}, reductions=reds, int_inputs=(), seed=1)
    lt = np.log(r.dirichlet(np.ones(4), size=3))
    cases += with_reductions("logTarget", kl_fn(log_target=True), {"input": lp, "target": lt}, {"logTarget": True}, reductions=reds, int_inputs=(), seed=2)
    x4 = torch.log_softmax(torch.as_tensor(r.normal(size=(2, 3, 2, 2))), 1).numpy()
    t4 = np.moveaxis(r.dirichlet(np.ones(3), size=(2, 2, 2)), -1, 1)
    cases += with_reductions("(2,3,2,2) tensors", kl_fn(), {"input": x4, "target": t4}, {}, reductions=reds, int_inputs=(), seed=3)
    xe = np.array([[-700.0, 0.0, -1e-12], [-1e300, -40.0, 5.0]])
    te = np.array([[0.0, 1.0, 1e-12], [0.0, 0.25, 0.75]])
    cases += with_reductions("extreme log-probabilities", kl_fn(), {"input": xe, "target": te}, {}, reductions=reds, int_inputs=(), seed=4)
    cases.append(grad_case("scalar input, batchmean (= sum)", kl_fn()("batchmean"), {"input": -0.5, "target": 0.3}, ["input"], {"reduction": "batchmean"}))
    write_fixture("klDiv", GEN, ref("torch.nn.functional.kl_div"), SEED + 4, cases)


# ---------------------------------------------------------------------------------------------------
# softmaxFocal, poly1 (paper formulas transcribed in torch)


def softmax_focal(input, target, gamma, alpha, ignore_index, red):
    """Lin et al. 2017 (arXiv 1708.02002, eq. 5) in its per-sample softmax form:
    −α_t (1 − p_t)^γ log p_t, p = softmax over the class dim; 1 − p_t as −expm1(log p_t)."""
    cdim = 0 if input.dim() == 1 else 1
    logp = F.log_softmax(input, dim=cdim)
    valid = target != ignore_index
    safe = torch.where(valid, target, torch.zeros_like(target))
    lpt = logp.gather(cdim, safe.unsqueeze(cdim)).squeeze(cdim)
    om = -torch.expm1(lpt)
    if alpha is None:
        a = 1.0
    elif np.isscalar(alpha):
        a = float(alpha)
    else:
        a = torch.as_tensor(np.asarray(alpha, dtype=np.float64))[safe]
    loss = -a * om**gamma * lpt
    loss = torch.where(valid, loss, torch.zeros_like(loss))
    if red == "none":
        return loss
    if red == "sum":
        return loss.sum()
    return loss.sum() / int(valid.sum())


def focal_fn(gamma=2.0, alpha=None, ignore_index=-100):
    def make(red):
        return lambda input, target: softmax_focal(input, target, gamma, alpha, ignore_index, red)

    return make


def gen_softmax_focal():
    r = rng(SEED + 5)
    x = r.normal(size=(6, 4)) * 2
    y = np.array([0, 3, 1, 2, 3, 1])
    cases = []
    cases += with_reductions("gamma 2", focal_fn(), {"input": x, "target": y}, {}, seed=1)
    cases += with_reductions("gamma 0.5, alpha 0.25 for every class", focal_fn(gamma=0.5, alpha=0.25), {"input": x, "target": y}, {"gamma": 0.5, "alpha": 0.25}, seed=2)
    a = np.array([0.1, 0.4, 0.3, 0.2])
    y_ign = np.array([0, -100, 1, 2, -100, 1])
    cases += with_reductions("per-class alpha and ignored targets", focal_fn(gamma=1.5, alpha=a), {"input": x, "target": y_ign}, {"gamma": 1.5, "alpha": enc(a)}, seed=3)
    cases += with_reductions("gamma 0 (cross-entropy)", focal_fn(gamma=0.0), {"input": x, "target": y}, {"gamma": 0}, seed=4)
    xs = r.normal(size=(2, 3, 2, 2)) * 2
    ys = r.integers(0, 3, size=(2, 2, 2))
    ys[0, 0, 0] = 7
    cases += with_reductions("spatial (2,3,2,2) with ignoreIndex 7", focal_fn(gamma=3.0, ignore_index=7), {"input": xs, "target": ys}, {"gamma": 3, "ignoreIndex": 7}, seed=5)
    cases += with_reductions("unbatched (C)", focal_fn(), {"input": x[0], "target": np.array(2)}, {}, seed=6)
    xe = np.array([[700.0, -700.0, 0.0], [-700.0, 700.0, 700.0], [1e-8, -1e-8, 0.0], [40.0, -40.0, 20.0], [-20.0, 20.0, 0.0]])
    cases += with_reductions("logits at ±700, ±40, ±20, ±1e-8", focal_fn(), {"input": xe, "target": np.array([1, 0, 2, 0, 1])}, {}, seed=7)
    write_fixture("softmaxFocal", GEN, ref("per-sample softmax focal loss (Lin et al. 2017) transcribed in torch"), SEED + 5, cases)


def poly1_loss(input, target, epsilon, label_smoothing, red):
    """PolyLoss (arXiv 2204.12511) appendix snippet, transcribed in torch:
    smooth = onehot·(1−α) + α/C; CE = −Σ smooth·log_softmax; Poly1 = CE + ε·Σ smooth·(1 − softmax)."""
    cdim = 0 if input.dim() == 1 else 1
    C = input.shape[cdim]
    logp = F.log_softmax(input, dim=cdim)
    onehot = torch.movedim(F.one_hot(target, C).to(input.dtype), -1, cdim)
    smooth = onehot * (1 - label_smoothing) + label_smoothing / C
    ce = -(smooth * logp).sum(cdim)
    one_minus_pt = (smooth * (1 - torch.exp(logp))).sum(cdim)
    loss = ce + epsilon * one_minus_pt
    if red == "none":
        return loss
    return loss.sum() if red == "sum" else loss.mean()


def poly_fn(epsilon=1.0, label_smoothing=0.0):
    def make(red):
        return lambda input, target: poly1_loss(input, target, epsilon, label_smoothing, red)

    return make


def gen_poly1():
    r = rng(SEED + 6)
    x = r.normal(size=(5, 4)) * 2
    y = np.array([0, 3, 1, 2, 3])
    cases = []
    cases += with_reductions("epsilon 1", poly_fn(), {"input": x, "target": y}, {}, seed=1)
    cases += with_reductions("epsilon 2, smoothing 0.1", poly_fn(2.0, 0.1), {"input": x, "target": y}, {"epsilon": 2, "labelSmoothing": 0.1}, seed=2)
    cases += with_reductions("epsilon -1", poly_fn(-1.0), {"input": x, "target": y}, {"epsilon": -1}, seed=3)
    cases.append(grad_case("paper sanity value: logits (2, 1, 0.1), label 0", poly_fn()("mean"), {"input": [[2.0, 1.0, 0.1]], "target": [0]}, ["input"], {}, int_inputs=IDX))
    xs = r.normal(size=(2, 3, 2, 2))
    ys = r.integers(0, 3, size=(2, 2, 2))
    cases += with_reductions("spatial (2,3,2,2), smoothing 0.2", poly_fn(1.0, 0.2), {"input": xs, "target": ys}, {"labelSmoothing": 0.2}, seed=4)
    cases += with_reductions("unbatched (C)", poly_fn(), {"input": x[1], "target": np.array(1)}, {}, seed=5)
    xe = np.array([[700.0, -700.0, 0.0], [-700.0, 700.0, 700.0], [1e-8, -1e-8, 0.0]])
    cases += with_reductions("logits at ±700 and ±1e-8, smoothing 0.1", poly_fn(1.0, 0.1), {"input": xe, "target": np.array([1, 0, 2])}, {"labelSmoothing": 0.1}, seed=6)
    write_fixture("poly1", GEN, ref("PolyLoss Poly-1 (Leng et al. 2022, appendix snippet) transcribed in torch"), SEED + 6, cases)


# ---------------------------------------------------------------------------------------------------
# categoricalHinge (Keras transcription), multiMargin, multilabelMargin (torch)


def keras_categorical_hinge(input, target):
    """keras/src/losses/losses.py categorical_hinge; ops.max is torch.amax on Keras' torch backend."""
    pos = torch.sum(target * input, dim=-1)
    neg = torch.amax((1.0 - target) * input, dim=-1)
    return torch.maximum(neg - pos + 1.0, torch.zeros((), dtype=input.dtype))


def hinge_fn():
    def make(red):
        return lambda input, target: reduce_keras(keras_categorical_hinge(input, target), red)

    return make


def gen_categorical_hinge():
    r = rng(SEED + 7)
    x = r.normal(size=(6, 4))
    t = np.eye(4)[[0, 3, 1, 2, 3, 1]]
    cases = []
    cases += with_reductions("one-hot targets", hinge_fn(), {"input": x, "target": t}, {}, int_inputs=(), seed=1)
    xn = -np.abs(r.normal(size=(3, 4))) - 0.1
    cases += with_reductions("all scores negative (true slot 0 is the max)", hinge_fn(), {"input": xn, "target": np.eye(4)[[0, 1, 2]]}, {}, int_inputs=(), seed=2)
    xk = np.array([[0.5, 1.5, 0.2], [0.7, 0.7, 1.0], [0.0, 0.5, -1.0], [3.0, 0.0, 0.0]])
    tk = np.eye(3)[[1, 2, 1, 0]]
    cases += with_reductions("kink at exactly 0, ties in the max (incl. the true slot), a sample past the margin", hinge_fn(), {"input": xk, "target": tk}, {}, int_inputs=(), seed=3)
    x3 = r.normal(size=(2, 2, 3))
    t3 = np.eye(3)[r.integers(0, 3, size=(2, 2))]
    cases += with_reductions("(2,2,3) scores", hinge_fn(), {"input": x3, "target": t3}, {}, int_inputs=(), seed=4)
    write_fixture("categoricalHinge", GEN, ref("Keras CategoricalHinge (keras/src/losses/losses.py categorical_hinge) transcribed in torch"), SEED + 7, cases)


def mm_fn(p=1, margin=1.0, weight=None):
    def make(red):
        def f(input, target):
            w = as_weight(weight)
            return F.multi_margin_loss(input, target, p=p, margin=margin, weight=w, reduction=red)

        return f

    return make


def gen_multi_margin():
    r = rng(SEED + 8)
    x = r.normal(size=(5, 4))
    y = np.array([0, 3, 1, 2, 3])
    w = r.uniform(0.2, 2.0, size=4)
    cases = []
    cases += with_reductions("p=1", mm_fn(), {"input": x, "target": y}, {}, seed=1)
    cases += with_reductions("p=2, margin 0.5", mm_fn(p=2, margin=0.5), {"input": x, "target": y}, {"p": 2, "margin": 0.5}, seed=2)
    cases += with_reductions("class weights", mm_fn(weight=w), {"input": x, "target": y}, {"weight": enc(w)}, seed=3)
    cases += with_reductions("p=2 with class weights, margin 2", mm_fn(p=2, margin=2.0, weight=w), {"input": x, "target": y}, {"p": 2, "margin": 2, "weight": enc(w)}, seed=4)
    cases += with_reductions("torch docs example", mm_fn(), {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [3]}, {}, seed=5)
    cases += with_reductions("kink: margin − x_y + x_i exactly 0", mm_fn(), {"input": [[0.0, 1.0, 0.5], [2.0, 1.0, 1.0]], "target": [1, 0]}, {}, seed=6)
    cases += with_reductions("unbatched (C)", mm_fn(p=2), {"input": x[0], "target": np.array(2)}, {"p": 2}, seed=7)
    write_fixture("multiMargin", GEN, ref("torch.nn.functional.multi_margin_loss"), SEED + 8, cases)


def mlm_fn():
    def make(red):
        return lambda input, target: F.multilabel_margin_loss(input, target, reduction=red)

    return make


def gen_multilabel_margin():
    r = rng(SEED + 9)
    x = r.normal(size=(4, 5))
    y = np.array([[3, 0, -1, 1, 4], [2, -1, -1, -1, -1], [0, 1, 2, 3, 4], [-1, 2, 0, 0, 0]])
    cases = []
    cases += with_reductions("padded targets (none, one, all, several)", mlm_fn(), {"input": x, "target": y}, {}, seed=1)
    cases += with_reductions("torch docs example", mlm_fn(), {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, 0, -1, 1]]}, {}, seed=2)
    cases += with_reductions("a repeated target index", mlm_fn(), {"input": [[0.0, 1.0, 0.5]], "target": [[1, 1, -1]]}, {}, seed=3)
    cases += with_reductions("kink: 1 − (x_j − x_i) exactly 0", mlm_fn(), {"input": [[0.0, 1.0, 0.0]], "target": [[1, -1, 0]]}, {}, seed=4)
    cases += with_reductions("unbatched (C)", mlm_fn(), {"input": x[0], "target": np.array([4, 2, -1, 0, 0])}, {}, seed=5)
    write_fixture("multilabelMargin", GEN, ref("torch.nn.functional.multilabel_margin_loss"), SEED + 9, cases)


if __name__ == "__main__":
    torch.manual_seed(SEED)
    gen_cross_entropy()
    gen_nll()
    gen_categorical_crossentropy()
    gen_sparse_categorical_crossentropy()
    gen_kl_div()
    gen_softmax_focal()
    gen_poly1()
    gen_categorical_hinge()
    gen_multi_margin()
    gen_multilabel_margin()
