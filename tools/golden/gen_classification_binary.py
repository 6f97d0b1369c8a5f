"""Golden values for catalog section 2, sigmoid / binary family, float64, seeded.

References: PyTorch 1.13.1 (torch.nn.functional), torchvision 0.14.1 (torchvision.ops.sigmoid_focal_loss).
Where the reference is not PyTorch (Keras Hinge / SquaredHinge, the PolyLoss paper listing, HED's
class-balanced cross-entropy), the formula is transcribed in torch below, with its source cited, and torch
autograd gives the gradient.

Cases aim at the branch points: logits at ±1e-8, ±20, ±40, ±700; probabilities 0, 1, 1e-12; every
reduction; 'none' with a random upstream; weights / posWeight broadcast; label smoothing; soft targets.
"""

import numpy as np
import torch
import torch.nn.functional as F
from torchvision.ops import sigmoid_focal_loss

from common import as_weight, enc, grad_case, reduce, rng, versions, write_fixture

SEED = 2001
GEN = "tools/golden/gen_classification_binary.py"
TORCH = f"{versions()}"

EXTREME_LOGITS = [1e-8, -1e-8, 20.0, -20.0, 40.0, -40.0, 700.0, -700.0]


def reductions_cases(fn_of_reduction, inputs, diff, extra_options=None, prefix="", up_shape=None):
    """One case per reduction, plus a 'none' case with a random upstream."""
    r = rng(SEED + 7)
    cases = []
    for red in ("mean", "sum", "none"):
        opts = dict(extra_options or {})
        opts["reduction"] = red
        cases.append(grad_case(f"{prefix}reduction={red}", fn_of_reduction(red), inputs, diff, opts))
    shape = up_shape if up_shape is not None else np.asarray(next(iter(inputs.values()))).shape
    up = r.normal(size=shape)
    opts = dict(extra_options or {})
    opts["reduction"] = "none"
    cases.append(
        grad_case(f"{prefix}reduction=none with upstream", fn_of_reduction("none"), inputs, diff, opts, upstream=up)
    )
    return cases


def extreme_logit_inputs():
    """Every extreme logit against targets 0, 1 and 0.3: shape (3, 8)."""
    x = np.array([EXTREME_LOGITS] * 3)
    y = np.array([[0.0] * 8, [1.0] * 8, [0.3] * 8])
    return {"input": x, "target": y}


def smooth(y, eps):
    """Binary label smoothing toward 0.5 (Keras BinaryCrossentropy): y(1−ε) + ε/2."""
    return y * (1 - eps) + 0.5 * eps


# ---------------------------------------------------------------------------------------------------
# bce: torch.nn.functional.binary_cross_entropy


def gen_bce():
    r = rng(SEED + 1)
    p = r.uniform(0.05, 0.95, size=(3, 4))
    y = (r.uniform(size=(3, 4)) > 0.5).astype(np.float64)

    def fn(red, weight=None, eps=0.0):
        def f(input, target):
            w = as_weight(weight)
            return F.binary_cross_entropy(input, smooth(target, eps), weight=w, reduction=red)

        return f

    cases = reductions_cases(lambda red: fn(red), {"input": p, "target": y}, ["input"])
    # Probabilities exactly 0 and 1 (log clamped at −100; gradient ∓1/float32(1e-12)) and 1e-12.
    pe = np.array([[0.0, 1.0, 1e-12, 1 - 1e-12, 1e-17, 0.5], [0.0, 1.0, 1e-12, 1 - 1e-12, 1e-17, 0.5], [0.0, 1.0, 1e-12, 1 - 1e-12, 1e-17, 0.5]])
    ye = np.array([[0.0] * 6, [1.0] * 6, [0.25] * 6])
    for red in ("none", "sum"):
        cases.append(grad_case(f"probabilities 0, 1, 1e-12 against targets 0, 1, 0.25 ({red})", fn(red), {"input": pe, "target": ye}, ["input"], {"reduction": red}))
    # Weight broadcast: (4,), (3, 1), scalar-shaped (1,), full (3, 4), a number.
    w_row = r.uniform(0.5, 2.0, size=(4,))
    w_col = r.uniform(0.5, 2.0, size=(3, 1))
    w_full = r.uniform(0.0, 2.0, size=(3, 4))
    for label, w in (("(4)", w_row), ("(3, 1)", w_col), ("(1)", np.array([1.7])), ("(3, 4)", w_full)):
        for red in ("mean", "none"):
            cases.append(grad_case(f"weight of shape {label} broadcast ({red})", fn(red, w), {"input": p, "target": y}, ["input"], {"reduction": red, "weight": enc(w)}))
    cases.append(grad_case("weight given as a number", fn("mean", np.array(2.5)), {"input": p, "target": y}, ["input"], {"weight": 2.5}))
    cases.append(grad_case("weight with a random upstream", fn("none", w_row), {"input": p, "target": y}, ["input"], {"reduction": "none", "weight": enc(w_row)}, upstream=r.normal(size=(3, 4))))
    # Label smoothing, also with clamped logs.
    for eps in (0.1, 1.0):
        cases.append(grad_case(f"labelSmoothing={eps}", fn("mean", None, eps), {"input": p, "target": y}, ["input"], {"labelSmoothing": eps}))
    cases.append(grad_case("labelSmoothing=0.2 at probabilities 0 and 1", fn("none", None, 0.2), {"input": pe, "target": ye}, ["input"], {"reduction": "none", "labelSmoothing": 0.2}))
    # Soft targets.
    ys = r.uniform(size=(3, 4))
    cases.append(grad_case("soft targets", fn("mean"), {"input": p, "target": ys}, ["input"], {}))
    cases.append(grad_case("scalar input", fn("mean"), {"input": 0.3, "target": 1.0}, ["input"], {}))
    # torch raises "all elements of input should be between 0 and 1".
    for bad in (1.5, -0.25):
        try:
            F.binary_cross_entropy(torch.tensor([0.5, bad]), torch.tensor([1.0, 0.0]))
            raise AssertionError("torch accepted a probability outside [0, 1]")
        except RuntimeError:
            pass
        cases.append({"name": f"probability {bad} outside [0, 1] is rejected", "inputs": {"input": enc(np.array([0.5, bad])), "target": enc(np.array([1.0, 0.0]))}, "options": {}, "upstream": None, "value": 0, "grads": None, "error": "E_RANGE"})
    write_fixture("bce", GEN, f"{TORCH}: torch.nn.functional.binary_cross_entropy", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# bceWithLogits: torch.nn.functional.binary_cross_entropy_with_logits


def gen_bce_with_logits():
    r = rng(SEED + 2)
    x = r.normal(scale=3.0, size=(3, 4))
    y = (r.uniform(size=(3, 4)) > 0.5).astype(np.float64)

    def fn(red, weight=None, pos_weight=None, eps=0.0):
        def f(input, target):
            w = as_weight(weight)
            pw = as_weight(pos_weight)
            return F.binary_cross_entropy_with_logits(input, smooth(target, eps), weight=w, pos_weight=pw, reduction=red)

        return f

    cases = reductions_cases(lambda red: fn(red), {"input": x, "target": y}, ["input"])
    ext = extreme_logit_inputs()
    for red in ("none", "mean"):
        cases.append(grad_case(f"logits ±1e-8, ±20, ±40, ±700 against targets 0, 1, 0.3 ({red})", fn(red), ext, ["input"], {"reduction": red}))
    pw_ext = np.array([0.5, 3.0, 1.0, 2.0, 0.5, 3.0, 1.0, 2.0])
    cases.append(grad_case("extreme logits with posWeight (8)", fn("none", None, pw_ext), ext, ["input"], {"reduction": "none", "posWeight": enc(pw_ext)}))
    w_row = r.uniform(0.5, 2.0, size=(4,))
    w_col = r.uniform(0.5, 2.0, size=(3, 1))
    pw_row = r.uniform(0.5, 4.0, size=(4,))
    for label, w in (("(4)", w_row), ("(3, 1)", w_col), ("(3, 4)", r.uniform(0.0, 2.0, size=(3, 4)))):
        for red in ("mean", "none"):
            cases.append(grad_case(f"weight of shape {label} broadcast ({red})", fn(red, w), {"input": x, "target": y}, ["input"], {"reduction": red, "weight": enc(w)}))
    for red in ("mean", "sum", "none"):
        cases.append(grad_case(f"posWeight of shape (4) on the last dim ({red})", fn(red, None, pw_row), {"input": x, "target": y}, ["input"], {"reduction": red, "posWeight": enc(pw_row)}))
    cases.append(grad_case("posWeight given as a number", fn("mean", None, np.array(3.0)), {"input": x, "target": y}, ["input"], {"posWeight": 3.0}))
    cases.append(grad_case("posWeight of shape (1)", fn("mean", None, np.array([0.4])), {"input": x, "target": y}, ["input"], {"posWeight": enc(np.array([0.4]))}))
    cases.append(grad_case("weight and posWeight with a random upstream", fn("none", w_col, pw_row), {"input": x, "target": y}, ["input"], {"reduction": "none", "weight": enc(w_col), "posWeight": enc(pw_row)}, upstream=r.normal(size=(3, 4))))
    ys = r.uniform(size=(3, 4))
    cases.append(grad_case("soft targets with posWeight", fn("mean", None, pw_row), {"input": x, "target": ys}, ["input"], {"posWeight": enc(pw_row)}))
    for eps in (0.1, 1.0):
        cases.append(grad_case(f"labelSmoothing={eps}", fn("mean", None, None, eps), {"input": x, "target": y}, ["input"], {"labelSmoothing": eps}))
    cases.append(grad_case("labelSmoothing=0.2 with weight, posWeight and extreme logits", fn("none", pw_ext[::-1].copy(), pw_ext, 0.2), ext, ["input"], {"reduction": "none", "labelSmoothing": 0.2, "weight": enc(pw_ext[::-1].copy()), "posWeight": enc(pw_ext)}))
    cases.append(grad_case("scalar input", fn("sum"), {"input": -1.5, "target": 1.0}, ["input"], {"reduction": "sum"}))
    write_fixture("bceWithLogits", GEN, f"{TORCH}: torch.nn.functional.binary_cross_entropy_with_logits", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# weightedBce: seed's WBCE / HED class-balanced cross-entropy (Xie & Tu 2015, eq. 2), transcribed in torch.


def weighted_bce(input, target, pos_weight=1.0, neg_weight=1.0, balanced=False, reduction="mean"):
    """−(w₊·y·log σ(x) + w₋·(1−y)·log(1−σ(x))); balanced: w₊ = N₋/N, w₋ = N₊/N (constants)."""
    if balanced:
        with torch.no_grad():
            n = target.numel()
            n_pos = target.sum()
            pos_weight = (n - n_pos) / n
            neg_weight = n_pos / n
    loss = -(pos_weight * target * F.logsigmoid(input) + neg_weight * (1 - target) * F.logsigmoid(-input))
    return reduce(loss, reduction)


def gen_weighted_bce():
    r = rng(SEED + 3)
    x = r.normal(scale=3.0, size=(3, 4))
    y = (r.uniform(size=(3, 4)) > 0.7).astype(np.float64)

    def fn(red, **kw):
        return lambda input, target: weighted_bce(input, target, reduction=red, **kw)

    cases = reductions_cases(lambda red: fn(red), {"input": x, "target": y}, ["input"])
    cases += reductions_cases(lambda red: fn(red, pos_weight=3.0, neg_weight=0.5), {"input": x, "target": y}, ["input"], {"posWeight": 3.0, "negWeight": 0.5}, prefix="posWeight=3, negWeight=0.5, ")
    cases += reductions_cases(lambda red: fn(red, balanced=True), {"input": x, "target": y}, ["input"], {"balanced": True}, prefix="balanced, ")
    ext = extreme_logit_inputs()
    cases.append(grad_case("extreme logits, posWeight=2, negWeight=0.25", fn("none", pos_weight=2.0, neg_weight=0.25), ext, ["input"], {"reduction": "none", "posWeight": 2.0, "negWeight": 0.25}))
    cases.append(grad_case("extreme logits, balanced", fn("sum", balanced=True), ext, ["input"], {"reduction": "sum", "balanced": True}))
    ys = r.uniform(size=(3, 4))
    cases.append(grad_case("soft targets, balanced (N₊ = Σy)", fn("mean", balanced=True), {"input": x, "target": ys}, ["input"], {"balanced": True}))
    cases.append(grad_case("balanced with every target 0 (w₊ = 1, w₋ = 0)", fn("mean", balanced=True), {"input": x, "target": np.zeros((3, 4))}, ["input"], {"balanced": True}))
    write_fixture("weightedBce", GEN, f"{TORCH}: torch transcription of HED class-balanced cross-entropy (Xie & Tu 2015, eq. 2)", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# sigmoidFocal: torchvision.ops.sigmoid_focal_loss


def gen_sigmoid_focal():
    r = rng(SEED + 4)
    x = r.normal(scale=3.0, size=(3, 4))
    y = (r.uniform(size=(3, 4)) > 0.5).astype(np.float64)

    def fn(red, alpha=0.25, gamma=2.0):
        return lambda input, target: sigmoid_focal_loss(input, target, alpha=alpha, gamma=gamma, reduction=red)

    cases = reductions_cases(lambda red: fn(red), {"input": x, "target": y}, ["input"])
    ext = extreme_logit_inputs()
    for alpha, gamma in ((0.25, 2.0), (-1.0, 0.0), (0.58, 0.0), (0.25, 1.0), (1.0, 5.0)):
        cases.append(grad_case(f"extreme logits, alpha={alpha}, gamma={gamma}", fn("none", alpha, gamma), ext, ["input"], {"reduction": "none", "alpha": alpha, "gamma": gamma}))
    # gamma in (0, 1): torchvision's gradient is NaN where p_t = 1 exactly (0·∞), so stay at |x| ≤ 20.
    mid = {"input": np.array([[1e-8, -1e-8, 20.0, -20.0, 3.0, -0.5]] * 3), "target": np.array([[0.0] * 6, [1.0] * 6, [0.3] * 6])}
    cases.append(grad_case("gamma=0.5 away from p_t = 1", fn("none", 0.25, 0.5), mid, ["input"], {"reduction": "none", "gamma": 0.5}))
    ys = r.uniform(size=(3, 4))
    for alpha in (0.25, -1.0, 0.0):
        cases.append(grad_case(f"soft targets, alpha={alpha}", fn("mean", alpha), {"input": x, "target": ys}, ["input"], {"alpha": alpha}))
    cases.append(grad_case("gamma=0, alpha=-1 (equals bceWithLogits)", fn("mean", -1.0, 0.0), {"input": x, "target": ys}, ["input"], {"alpha": -1.0, "gamma": 0.0}))
    cases.append(grad_case("gamma=3.5, alpha=0.75 with a random upstream", fn("none", 0.75, 3.5), {"input": x, "target": ys}, ["input"], {"reduction": "none", "alpha": 0.75, "gamma": 3.5}, upstream=r.normal(size=(3, 4))))
    write_fixture("sigmoidFocal", GEN, f"{TORCH}: torchvision.ops.sigmoid_focal_loss", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# poly1Focal: PolyLoss paper listing (Leng et al. 2022, appendix, poly1_focal_loss), transcribed in torch:
#   p = σ(x); pt = y·p + (1−y)(1−p); Poly1 = FL + ε·(1−pt)^(γ+1), FL = torchvision's α-weighted focal.


def poly1_focal(input, target, epsilon=1.0, alpha=0.25, gamma=2.0, reduction="mean"):
    p = torch.sigmoid(input)
    pt = target * p + (1 - target) * (1 - p)
    fl = sigmoid_focal_loss(input, target, alpha=alpha, gamma=gamma, reduction="none")
    return reduce(fl + epsilon * torch.pow(1 - pt, gamma + 1), reduction)


def gen_poly1_focal():
    r = rng(SEED + 5)
    x = r.normal(scale=3.0, size=(3, 4))
    y = (r.uniform(size=(3, 4)) > 0.5).astype(np.float64)

    def fn(red, **kw):
        return lambda input, target: poly1_focal(input, target, reduction=red, **kw)

    cases = reductions_cases(lambda red: fn(red), {"input": x, "target": y}, ["input"])
    ext = extreme_logit_inputs()
    for eps, alpha, gamma in ((1.0, 0.25, 2.0), (-1.0, -1.0, 0.0), (2.0, 0.5, 1.0)):
        cases.append(grad_case(f"extreme logits, epsilon={eps}, alpha={alpha}, gamma={gamma}", fn("none", epsilon=eps, alpha=alpha, gamma=gamma), ext, ["input"], {"reduction": "none", "epsilon": eps, "alpha": alpha, "gamma": gamma}))
    ys = r.uniform(size=(3, 4))
    cases.append(grad_case("soft targets", fn("mean"), {"input": x, "target": ys}, ["input"], {}))
    cases.append(grad_case("epsilon=0 (equals sigmoidFocal)", fn("mean", epsilon=0.0), {"input": x, "target": ys}, ["input"], {"epsilon": 0.0}))
    cases.append(grad_case("epsilon=-1, gamma=3 with a random upstream", fn("none", epsilon=-1.0, gamma=3.0), {"input": x, "target": ys}, ["input"], {"reduction": "none", "epsilon": -1.0, "gamma": 3.0}, upstream=r.normal(size=(3, 4))))
    write_fixture("poly1Focal", GEN, f"{TORCH}: torch transcription of PolyLoss poly1_focal_loss (Leng et al. 2022, appendix) on torchvision.ops.sigmoid_focal_loss", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# hinge / squaredHinge: Keras 3 keras/src/losses/losses.py, functions `hinge`, `squared_hinge` and
# `convert_binary_labels_to_hinge` (0/1 labels → ±1 only when every label is 0 or 1), elementwise
# (without Keras' mean over the last axis), transcribed in torch; the max is torch.clamp_min so that the
# gradient at exactly 1 − y·x = 0 is torch's (−y).


def keras_hinge_labels(target):
    is_binary = bool(torch.all((target == 0) | (target == 1)))
    return 2.0 * target - 1.0 if is_binary else target


def hinge(input, target, reduction="mean", squared=False):
    t = torch.clamp_min(1.0 - keras_hinge_labels(target) * input, 0.0)
    return reduce(t * t if squared else t, reduction)


def gen_hinge(squared):
    entry = "squaredHinge" if squared else "hinge"
    r = rng(SEED + (7 if squared else 6))
    x = r.normal(scale=1.5, size=(3, 4))
    y_pm = np.where(r.uniform(size=(3, 4)) > 0.5, 1.0, -1.0)
    y_01 = (y_pm + 1) / 2

    def fn(red):
        return lambda input, target: hinge(input, target, red, squared)

    cases = reductions_cases(fn, {"input": x, "target": y_pm}, ["input"], prefix="±1 labels, ")
    cases += reductions_cases(fn, {"input": x, "target": y_01}, ["input"], prefix="0/1 labels converted, ")
    # A mix of 0, 1 and −1 is not all 0/1: the labels are used as they are (0 gives loss 1).
    y_mix = np.array([0.0, 1.0, -1.0, 0.0, 1.0, -1.0])
    cases.append(grad_case("mixed 0, 1, −1 labels are not converted", fn("none"), {"input": np.array([0.3, -2.0, 0.5, -0.7, 1.5, -3.0]), "target": y_mix}, ["input"], {"reduction": "none"}))
    # Exactly at the kink 1 − y·x = 0 (torch clamp_min: gradient −y for hinge, 0 for squared).
    cases.append(grad_case("exactly at the kink with ±1 labels", fn("none"), {"input": np.array([1.0, -1.0, 0.5, 2.0]), "target": np.array([1.0, -1.0, 2.0, 0.5])}, ["input"], {"reduction": "none"}))
    cases.append(grad_case("exactly at the kink with 0/1 labels", fn("none"), {"input": np.array([1.0, -1.0, 1.0, -1.0]), "target": np.array([1.0, 0.0, 0.0, 1.0])}, ["input"], {"reduction": "none"}))
    cases.append(grad_case("large scores ±700 and ±1e-8", fn("none"), {"input": np.array([700.0, -700.0, 1e-8, -1e-8, 700.0, -700.0]), "target": np.array([1.0, 1.0, 1.0, -1.0, -1.0, -1.0])}, ["input"], {"reduction": "none"}))
    cases.append(grad_case("soft labels in (−1, 1) are used as they are", fn("mean"), {"input": x, "target": r.uniform(-1, 1, size=(3, 4))}, ["input"], {}))
    ref = "keras/src/losses/losses.py squared_hinge" if squared else "keras/src/losses/losses.py hinge"
    write_fixture(entry, GEN, f"{TORCH}: torch transcription of Keras 3 {ref} (elementwise, convert_binary_labels_to_hinge)", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# softMargin: torch.nn.functional.soft_margin_loss


def gen_soft_margin():
    r = rng(SEED + 8)
    x = r.normal(scale=2.0, size=(3, 4))
    y = np.where(r.uniform(size=(3, 4)) > 0.5, 1.0, -1.0)

    def fn(red):
        return lambda input, target: F.soft_margin_loss(input, target, reduction=red)

    cases = reductions_cases(fn, {"input": x, "target": y}, ["input"])
    ext = {"input": np.array([EXTREME_LOGITS] * 2), "target": np.array([[1.0] * 8, [-1.0] * 8])}
    for red in ("none", "mean"):
        cases.append(grad_case(f"scores ±1e-8, ±20, ±40, ±700 against ±1 ({red})", fn(red), ext, ["input"], {"reduction": red}))
    cases.append(grad_case("scalar input", fn("mean"), {"input": 0.7, "target": -1.0}, ["input"], {}))
    write_fixture("softMargin", GEN, f"{TORCH}: torch.nn.functional.soft_margin_loss", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# multilabelSoftMargin: torch.nn.functional.multilabel_soft_margin_loss


def gen_multilabel_soft_margin():
    r = rng(SEED + 9)
    x = r.normal(scale=2.0, size=(4, 5))
    y = (r.uniform(size=(4, 5)) > 0.5).astype(np.float64)
    w = r.uniform(0.2, 2.0, size=(5,))

    def fn(red, weight=None):
        def f(input, target):
            wt = None if weight is None else torch.as_tensor(weight)
            return F.multilabel_soft_margin_loss(input, target, weight=wt, reduction=red)

        return f

    cases = reductions_cases(lambda red: fn(red), {"input": x, "target": y}, ["input"], up_shape=(4,))
    cases += reductions_cases(lambda red: fn(red, w), {"input": x, "target": y}, ["input"], {"weight": enc(w)}, prefix="weight (5), ", up_shape=(4,))
    ext = extreme_logit_inputs()
    for red in ("none", "mean"):
        cases.append(grad_case(f"extreme logits against 0, 1, 0.3 ({red})", fn(red), ext, ["input"], {"reduction": red}))
    cases.append(grad_case("one sample of shape (C), sum", fn("sum", w), {"input": x[0], "target": y[0]}, ["input"], {"reduction": "sum", "weight": enc(w)}))
    cases.append(grad_case("one sample of shape (C), mean", fn("mean"), {"input": x[1], "target": y[1]}, ["input"], {}))
    write_fixture("multilabelSoftMargin", GEN, f"{TORCH}: torch.nn.functional.multilabel_soft_margin_loss", SEED, cases)


if __name__ == "__main__":
    torch.manual_seed(SEED)
    gen_bce()
    gen_bce_with_logits()
    gen_weighted_bce()
    gen_sigmoid_focal()
    gen_poly1_focal()
    gen_hinge(False)
    gen_hinge(True)
    gen_soft_margin()
    gen_multilabel_soft_margin()
