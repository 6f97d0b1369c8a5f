"""Golden values for catalog section 3 (segmentation), float64, seeded.

Debian's PyTorch 1.13 cannot import segmentation_models_pytorch (smp), MONAI or Berman's
lovasz_losses, so this file transcribes their loss code in torch (read, not copied into losskit's
sources) and lets autograd produce the gradients:

- smp DiceLoss / JaccardLoss / TverskyLoss / MCCLoss and soft_{dice,jaccard,tversky}_score:
  qubvel/segmentation_models.pytorch @ bd7f877fec51309a1a7de7670aed232954450037 (2024-06-05),
  segmentation_models_pytorch/losses/{dice,jaccard,tversky,mcc,_functional}.py (intersection Σ p·t);
  class_weights (Σ l·w / Σ w) and JaccardLoss's ignore_index as
  qubvel-org/segmentation_models.pytorch @ 5006616357631a48c7c8e11977cf5abb00803590,
  losses/{dice,jaccard,tversky}.py.
- `perImage` is losskit's extension (catalog section 3): the same per-class score over dims (2,) of
  each image, the absent-class mask per image, the (weighted) class mean per image, then the mean over
  images (tversky's gamma on that final mean).

Run with Debian's /usr/bin/python3 (tools/golden/run.sh).
"""

import sys

import numpy as np
import torch
import torch.nn.functional as F

from common import grad_case, rng, versions, write_fixture

SEED = 3003
GEN = "tools/golden/gen_segmentation.py"
SMP = "segmentation_models_pytorch (qubvel/segmentation_models.pytorch bd7f877, transcribed in torch)"

# ---------------------------------------------------------------------------------------------------
# smp transcription


def soft_dice_score(output, target, smooth, eps, dims):
    # smp _functional.soft_dice_score (bd7f877)
    intersection = torch.sum(output * target, dim=dims)
    cardinality = torch.sum(output + target, dim=dims)
    return (2.0 * intersection + smooth) / (cardinality + smooth).clamp_min(eps)


def soft_jaccard_score(output, target, smooth, eps, dims):
    # smp _functional.soft_jaccard_score (bd7f877)
    intersection = torch.sum(output * target, dim=dims)
    cardinality = torch.sum(output + target, dim=dims)
    union = cardinality - intersection
    return (intersection + smooth) / (union + smooth).clamp_min(eps)


def soft_tversky_score(alpha, beta):
    # smp _functional.soft_tversky_score (bd7f877)
    def score(output, target, smooth, eps, dims):
        intersection = torch.sum(output * target, dim=dims)
        fp = torch.sum(output * (1.0 - target), dim=dims)
        fn = torch.sum((1 - output) * target, dim=dims)
        return (intersection + smooth) / (intersection + alpha * fp + beta * fn + smooth).clamp_min(eps)

    return score


def smp_prepare(y_pred, y_true, mode, from_logits=True, ignore_index=None):
    """The first half of smp DiceLoss.forward (bd7f877): activation, (N, C, P) views, ignore masking."""
    if from_logits:
        if mode == "multiclass":
            y_pred = y_pred.log_softmax(dim=1).exp()
        else:
            y_pred = F.logsigmoid(y_pred).exp()
    bs = y_true.size(0)
    num_classes = y_pred.size(1)
    if mode == "binary":
        y_true = y_true.reshape(bs, 1, -1)
        y_pred = y_pred.reshape(bs, 1, -1)
        if ignore_index is not None:
            mask = y_true != ignore_index
            y_pred = y_pred * mask
            y_true = y_true * mask
    if mode == "multiclass":
        y_true = y_true.reshape(bs, -1)
        y_pred = y_pred.reshape(bs, num_classes, -1)
        if ignore_index is not None:
            mask = y_true != ignore_index
            y_pred = y_pred * mask.unsqueeze(1)
            y_true = F.one_hot((y_true * mask).to(torch.long), num_classes)
            y_true = y_true.permute(0, 2, 1) * mask.unsqueeze(1)
        else:
            y_true = F.one_hot(y_true, num_classes).permute(0, 2, 1)
    if mode == "multilabel":
        y_true = y_true.reshape(bs, num_classes, -1)
        y_pred = y_pred.reshape(bs, num_classes, -1)
        if ignore_index is not None:
            mask = y_true != ignore_index
            y_pred = y_pred * mask
            y_true = y_true * mask
    return y_pred, y_true.type_as(y_pred)


def smp_overlap(score_fn, y_pred, y_true, mode, from_logits=True, smooth=0.0, eps=1e-7, ignore_index=None,
                classes=None, log_loss=False, class_weights=None, per_image=False, gamma=1.0):
    """smp DiceLoss.forward / JaccardLoss.forward / TverskyLoss (aggregate_loss) in torch."""
    y_pred, y_true = smp_prepare(y_pred, y_true, mode, from_logits, ignore_index)
    dims = (2,) if per_image else (0, 2)
    scores = score_fn(y_pred, y_true, smooth, eps, dims)
    if log_loss:
        loss = -torch.log(scores.clamp_min(eps))
    else:
        loss = 1.0 - scores
    present = y_true.sum(dims) > 0
    loss = loss * present.to(loss.dtype)
    if classes is not None:
        loss = loss[..., classes]
    if class_weights is not None:
        w = torch.as_tensor(class_weights, dtype=torch.float64)
        if classes is not None:
            w = w[classes]
        agg = (loss * w).sum(-1) / w.sum()
    else:
        agg = loss.mean(-1)
    if per_image:
        agg = agg.mean()
    return agg ** gamma if gamma != 1 else agg


def overlap_fn(score, mode, **kw):
    return lambda input, target: smp_overlap(score, input, target, mode, **kw)


# ---------------------------------------------------------------------------------------------------
# inputs


def binary_inputs(r, n=2, hw=(3, 4), channel=True, p_fg=0.4):
    shape = (n, 1, *hw) if channel else (n, *hw)
    x = r.normal(scale=1.5, size=shape)
    t = (r.random(size=(n, *hw)) < p_fg).astype(np.float64)
    return x, t


def multiclass_inputs(r, n=2, c=4, hw=(3, 3), absent=None):
    x = r.normal(scale=1.5, size=(n, c, *hw))
    y = r.integers(0, c, size=(n, *hw))
    if absent is not None:
        y[y == absent] = (absent + 1) % c
    return x, y


def multilabel_inputs(r, n=2, c=3, hw=(2, 3)):
    x = r.normal(scale=1.5, size=(n, c, *hw))
    t = (r.random(size=(n, c, *hw)) < 0.45).astype(np.float64)
    return x, t


def case(name, score, inputs, options, int_target=False):
    """A golden case: losskit options (camelCase) map to smp keywords."""
    kw = {}
    names = {"fromLogits": "from_logits", "smooth": "smooth", "eps": "eps", "ignoreIndex": "ignore_index",
             "classes": "classes", "logLoss": "log_loss", "classWeights": "class_weights",
             "perImage": "per_image", "gamma": "gamma"}
    for k, v in options.items():
        if k in names:
            kw[names[k]] = v
    fn = overlap_fn(score, options["mode"], **kw)
    return grad_case(name, fn, inputs, ["input"], options, int_inputs=("target",) if int_target else ())


def overlap_cases(score_of, extra=None):
    """The shared case list of dice / jaccard / tversky; score_of(options) gives the score function."""
    extra = extra or {}
    r = rng(SEED)
    cases = []

    def add(name, inputs, options, int_target=False):
        opts = {**options, **extra}
        cases.append(case(name, score_of(opts), inputs, opts, int_target))

    x, t = binary_inputs(r)
    add("binary (N,1,H,W) logits with an (N,H,W) mask", {"input": x, "target": t}, {"mode": "binary"})
    x, t = binary_inputs(r, channel=False)
    add("binary (N,H,W) logits, same-shape mask", {"input": x, "target": t}, {"mode": "binary"})
    x, t = binary_inputs(r, hw=(5,))
    tt = t.copy()
    tt[0, :2] = 255
    add("binary with ignoreIndex 255 (integer mask)", {"input": x, "target": tt.astype(np.int64)},
        {"mode": "binary", "ignoreIndex": 255}, int_target=True)
    x, _ = binary_inputs(r)
    add("binary with an empty mask (absent class contributes 0)", {"input": x, "target": np.zeros((2, 3, 4))},
        {"mode": "binary"})
    p = 1 / (1 + np.exp(-r.normal(size=(2, 1, 3, 3))))
    soft = r.random(size=(2, 3, 3))
    add("binary probabilities with soft targets, smooth 1", {"input": p, "target": soft},
        {"mode": "binary", "fromLogits": False, "smooth": 1.0})
    x, t = binary_inputs(r, n=3)
    add("binary per image", {"input": x, "target": t}, {"mode": "binary", "perImage": True})
    x, t = binary_inputs(r, n=2)
    add("binary with logLoss", {"input": x, "target": t}, {"mode": "binary", "logLoss": True})

    x, y = multiclass_inputs(r, absent=2)
    add("multiclass, class 2 absent from the batch", {"input": x, "target": y}, {"mode": "multiclass"}, True)
    x, y = multiclass_inputs(r)
    y[0, 0, :] = -1
    add("multiclass with ignoreIndex -1", {"input": x, "target": y}, {"mode": "multiclass", "ignoreIndex": -1}, True)
    x, y = multiclass_inputs(r)
    add("multiclass, classes [0, 2, 3] with class weights", {"input": x, "target": y},
        {"mode": "multiclass", "classes": [0, 2, 3], "classWeights": [0.5, 1.0, 2.0, 1.5]}, True)
    x, y = multiclass_inputs(r, absent=1)
    add("multiclass per image with smooth 0.5", {"input": x, "target": y},
        {"mode": "multiclass", "perImage": True, "smooth": 0.5}, True)
    x, y = multiclass_inputs(r, n=2, c=3, hw=(2, 3, 2))
    add("multiclass 3-D volumes (N,C,D,H,W)", {"input": x, "target": y}, {"mode": "multiclass"}, True)
    x, y = multiclass_inputs(r, c=3)
    pr = torch.softmax(torch.as_tensor(x), dim=1).numpy()
    add("multiclass probabilities (fromLogits false) with logLoss", {"input": pr, "target": y},
        {"mode": "multiclass", "fromLogits": False, "logLoss": True}, True)
    x, y = multiclass_inputs(r, c=3)
    y[:] = 7
    add("multiclass with every pixel ignored gives 0", {"input": x, "target": y},
        {"mode": "multiclass", "ignoreIndex": 7}, True)

    x, t = multilabel_inputs(r)
    add("multilabel logits", {"input": x, "target": t}, {"mode": "multilabel"})
    x, t = multilabel_inputs(r, n=3)
    add("multilabel per image with class weights", {"input": x, "target": t},
        {"mode": "multilabel", "perImage": True, "classWeights": [1.0, 3.0, 0.5]})
    x, t = multilabel_inputs(r)
    t[1, 2] = 0
    t[0, 2] = 0
    add("multilabel, label 2 empty, classes [2, 0, 0]", {"input": x, "target": t},
        {"mode": "multilabel", "classes": [2, 0, 0]})
    x, t = multilabel_inputs(r)
    t[0, 0, 0, :] = -1
    add("multilabel with ignoreIndex -1 and logLoss", {"input": x, "target": t},
        {"mode": "multilabel", "ignoreIndex": -1, "logLoss": True})
    x, t = binary_inputs(r, n=1, hw=(4, 4))
    x[:] = -30.0
    t[:] = 0
    t[0, 0, 0] = 1
    add("binary confident negatives: denominator near the eps clamp", {"input": x, "target": t}, {"mode": "binary", "eps": 2.0})
    return cases


def gen_dice():
    write_fixture("dice", GEN, f"{versions()}: {SMP}: DiceLoss", SEED, overlap_cases(lambda o: soft_dice_score))


def gen_jaccard():
    write_fixture("jaccard", GEN, f"{versions()}: {SMP}: JaccardLoss", SEED,
                  overlap_cases(lambda o: soft_jaccard_score))


def gen_tversky():
    cases = []
    for extra in ({"alpha": 0.3, "beta": 0.7}, {"alpha": 0.7, "beta": 0.3, "gamma": 0.75},
                  {"alpha": 0.5, "beta": 0.5, "gamma": 2.0}):
        sub = overlap_cases(lambda o: soft_tversky_score(o["alpha"], o["beta"]), extra)
        tag = ", ".join(f"{k} {v}" for k, v in extra.items())
        for c in sub:
            c["name"] = f"{c['name']} ({tag})"
            g = c["grads"]["input"]
            if any(v == "NaN" for v in g["data"]) and c["value"] == 0:
                # Every class absent and gamma < 1: torch's pow backward gives 0^(γ−1)·0 = NaN. The
                # loss is identically 0 there, so losskit returns the zero gradient (catalog rule).
                g["data"] = [0.0] * len(g["data"])
                c["name"] += " [zero gradient where torch has NaN]"
        cases += sub
    write_fixture("tversky", GEN, f"{versions()}: {SMP}: TverskyLoss", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# focalTversky: Abraham & Khan's code form (nabsabraham/focal-tversky-unet @ 347d39117c24540400dfe80d106d2fb06d2b99e1,
# losses.py tversky / focal_tversky: TP = Σ t·p, FN = Σ t(1 − p), FP = Σ (1 − t)p, smooth 1, FN weight 0.7, FP weight
# 0.3, (1 − TI)^0.75) applied per class over the whole batch after smp's preprocessing (catalog section 3), absent
# classes 0 and counted.


def focal_tversky_ref(y_pred, y_true, mode, from_logits=True, alpha=0.3, beta=0.7, gamma=0.75, smooth=1.0,
                      ignore_index=None, classes=None):
    y_pred, y_true = smp_prepare(y_pred, y_true, mode, from_logits, ignore_index)
    dims = (0, 2)
    tp = torch.sum(y_true * y_pred, dim=dims)
    fn = torch.sum(y_true * (1 - y_pred), dim=dims)
    fp = torch.sum((1 - y_true) * y_pred, dim=dims)
    ti = (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)
    present = y_true.sum(dims) > 0
    # torch.where on the base too, so an absent class's 0^(γ−1) never meets its zero upstream (NaN)
    om = torch.where(present, 1 - ti, torch.ones_like(ti))
    loss = torch.where(present, om ** gamma, torch.zeros_like(ti))
    if classes is not None:
        loss = loss[classes]
    return loss.mean()


def gen_focal_tversky():
    names = {"fromLogits": "from_logits", "alpha": "alpha", "beta": "beta", "gamma": "gamma", "smooth": "smooth",
             "ignoreIndex": "ignore_index", "classes": "classes"}
    r = rng(SEED + 1)
    cases = []

    def add(name, inputs, options, int_target=False):
        kw = {names[k]: v for k, v in options.items() if k in names}
        fn = lambda input, target: focal_tversky_ref(input, target, options["mode"], **kw)  # noqa: E731
        cases.append(grad_case(name, fn, inputs, ["input"], options, int_inputs=("target",) if int_target else ()))

    g = np.array([[1, 1, 0, 0, 1]], dtype=np.float64)
    p = np.array([[0.9, 0.6, 0.2, 0.4, 0.3]])
    add("papers.md check: TI 0.7329843, loss 0.3714519", {"input": p, "target": g},
        {"mode": "binary", "fromLogits": False})
    x, t = binary_inputs(r)
    add("binary logits, defaults", {"input": x, "target": t}, {"mode": "binary"})
    x, t = binary_inputs(r, hw=(5,))
    tt = t.copy()
    tt[1, :2] = 255
    add("binary with ignoreIndex 255, gamma 2, smooth 0", {"input": x, "target": tt.astype(np.int64)},
        {"mode": "binary", "ignoreIndex": 255, "gamma": 2.0, "smooth": 0.0}, True)
    x, _ = binary_inputs(r)
    add("binary with an empty mask gives 0", {"input": x, "target": np.zeros((2, 3, 4))}, {"mode": "binary"})
    x, y = multiclass_inputs(r, absent=3)
    add("multiclass, class 3 absent", {"input": x, "target": y}, {"mode": "multiclass"}, True)
    x, y = multiclass_inputs(r)
    y[1, 2, :] = -1
    add("multiclass with ignoreIndex -1 and classes [1, 3]", {"input": x, "target": y},
        {"mode": "multiclass", "ignoreIndex": -1, "classes": [1, 3]}, True)
    x, y = multiclass_inputs(r, c=3, hw=(2, 2, 3))
    add("multiclass 3-D volumes, alpha 0.5 beta 0.5 gamma 1.5", {"input": x, "target": y},
        {"mode": "multiclass", "alpha": 0.5, "beta": 0.5, "gamma": 1.5}, True)
    x, t = multilabel_inputs(r)
    add("multilabel logits", {"input": x, "target": t}, {"mode": "multilabel"})
    x, t = multilabel_inputs(r)
    pr = 1 / (1 + np.exp(-x))
    add("multilabel probabilities, soft targets", {"input": pr, "target": r.random(size=t.shape)},
        {"mode": "multilabel", "fromLogits": False})
    write_fixture("focalTversky", GEN,
                  f"{versions()}: Abraham & Khan focal_tversky (nabsabraham/focal-tversky-unet 347d391) per class, in torch",
                  SEED + 1, cases)


# ---------------------------------------------------------------------------------------------------
# generalizedDice: MONAI GeneralizedDiceLoss(softmax=True, to_onehot_y=True, include_background=True, batch=False)
# (Project-MONAI/MONAI @ d388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83, monai/losses/dice.py GeneralizedDiceLoss.forward,
# monai/losses/utils.py compute_tp_fp_fn with soft_label=False). One deviation, as the catalog asks: the weights are
# computed from the float64 target volume (MONAI casts it with .float() to float32).


def monai_gdl(input, target, softmax=True, smooth=1e-5, w_type="square", reduction="mean"):
    if softmax and input.shape[1] > 1:
        input = torch.softmax(input, 1)
    n_pred_ch = input.shape[1]
    target = F.one_hot(target.to(torch.long), n_pred_ch).movedim(-1, 1).to(input.dtype)
    reduce_axis = list(range(2, input.dim()))
    tp = torch.sum(input * target, dim=reduce_axis)
    fp = torch.sum(input, dim=reduce_axis) - tp
    fn = torch.sum(target, dim=reduce_axis) - tp
    fp = fp * 0.5
    fn = fn * 0.5
    denominator = 2 * (tp + fp + fn)
    ground_o = torch.sum(target, reduce_axis)
    if w_type == "simple":
        w = torch.reciprocal(ground_o)
    elif w_type == "square":
        w = torch.reciprocal(ground_o * ground_o)
    else:
        w = torch.ones_like(ground_o)
    infs = torch.isinf(w)
    w = w.clone()
    w[infs] = 0.0
    max_values = torch.max(w, dim=1)[0].unsqueeze(dim=1)
    w = w + infs * max_values
    numer = 2.0 * (tp * w).sum(1, keepdim=True) + smooth
    denom = (denominator * w).sum(1, keepdim=True) + smooth
    f = (1.0 - numer / denom).reshape(-1)
    if reduction == "mean":
        return f.mean()
    if reduction == "sum":
        return f.sum()
    return f


def gen_generalized_dice():
    r = rng(SEED + 2)
    cases = []

    def add(name, x, y, options, upstream=None):
        kw = {"softmax": options.get("fromLogits", True), "smooth": options.get("smooth", 1e-5),
              "w_type": options.get("weightType", "square"), "reduction": options.get("reduction", "mean")}
        fn = lambda input, target: monai_gdl(input, target, **kw)  # noqa: E731
        cases.append(grad_case(name, fn, {"input": x, "target": y}, ["input"], options, upstream=upstream,
                               int_inputs=("target",)))

    x, y = multiclass_inputs(r, n=3, c=4)
    for red in ("mean", "sum", "none"):
        add(f"square weights, reduction={red}", x, y, {"reduction": red})
    add("square weights, none with upstream", x, y, {"reduction": "none"}, upstream=r.normal(size=3))
    x, y = multiclass_inputs(r, n=2, c=4, absent=1)
    add("class 1 absent: its infinite weight becomes the max finite weight", x, y, {})
    x, y = multiclass_inputs(r, n=2, c=3)
    y[0] = 2
    add("one sample holding only class 2 (every other weight replaced)", x, y, {"reduction": "none"})
    for wt in ("simple", "uniform"):
        x, y = multiclass_inputs(r, n=2, c=3)
        add(f"{wt} weights", x, y, {"weightType": wt})
    x, y = multiclass_inputs(r, n=2, c=3, hw=(2, 3, 2))
    add("3-D volumes, smooth 1", x, y, {"smooth": 1.0})
    x, y = multiclass_inputs(r, n=2, c=3)
    pr = torch.softmax(torch.as_tensor(x), dim=1).numpy()
    add("probabilities (fromLogits false)", pr, y, {"fromLogits": False, "reduction": "sum"})
    x, y = multiclass_inputs(r, n=1, c=2, hw=(1,))
    add("one pixel", x, y, {})
    write_fixture("generalizedDice", GEN,
                  f"{versions()}: MONAI GeneralizedDiceLoss (Project-MONAI/MONAI d388d1c, transcribed in torch)",
                  SEED + 2, cases)


# ---------------------------------------------------------------------------------------------------
# mcc: smp MCCLoss (qubvel/segmentation_models.pytorch @ bd7f877, segmentation_models_pytorch/losses/mcc.py).


def smp_mcc(y_pred, y_true, eps=1e-5):
    bs = y_true.shape[0]
    y_true = y_true.reshape(bs, 1, -1)
    y_pred = y_pred.reshape(bs, 1, -1)
    tp = torch.sum(torch.mul(y_pred, y_true)) + eps
    tn = torch.sum(torch.mul((1 - y_pred), (1 - y_true))) + eps
    fp = torch.sum(torch.mul(y_pred, (1 - y_true))) + eps
    fn = torch.sum(torch.mul((1 - y_pred), y_true)) + eps
    numerator = torch.mul(tp, tn) - torch.mul(fp, fn)
    denominator = torch.sqrt(torch.add(tp, fp) * torch.add(tp, fn) * torch.add(tn, fp) * torch.add(tn, fn))
    mcc = torch.div(numerator.sum(), denominator.sum())
    return 1.0 - mcc


def gen_mcc():
    r = rng(SEED + 3)
    cases = []

    def add(name, p, t, options):
        fn = lambda input, target: smp_mcc(input, target, options.get("eps", 1e-5))  # noqa: E731
        cases.append(grad_case(name, fn, {"input": p, "target": t}, ["input"], options))

    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    x, t = binary_inputs(r)
    add("(N,1,H,W) probabilities, (N,H,W) mask", sig(x), t, {})
    x, t = binary_inputs(r, channel=False, n=3)
    add("(N,H,W) probabilities and mask, eps 0.1", sig(x), t, {"eps": 0.1})
    x, t = binary_inputs(r, hw=(2, 2, 3))
    add("3-D volumes", sig(x), t, {})
    x, _ = binary_inputs(r)
    add("an empty mask (eps keeps it finite)", sig(x), np.zeros((2, 3, 4)), {})
    x, t = binary_inputs(r)
    add("soft targets", sig(x), r.random(size=t.shape), {})
    add("a perfect hard prediction", t[:, None], t, {})
    write_fixture("mcc", GEN, f"{versions()}: {SMP}: MCCLoss", SEED + 3, cases)


# ---------------------------------------------------------------------------------------------------
# Lovász: Berman's official lovasz_losses (bermanmaxim/LovaszSoftmax @ 7d48792d35a04d3167de488dd00daabbccd8334b,
# pytorch/lovasz_losses.py: lovasz_grad, lovasz_hinge(_flat), lovasz_softmax(_flat), flatten_*, mean). Three deviations,
# stated here and in the notes: the Jaccard prefix sums in float64 (the official `.float()` rounds them to float32),
# torch.sort(..., stable=True) so ties keep pixel order (the value is the same either
# way, the gradient at a tie depends on it), and an all-ignored set gives a 0-d zero (the official softmax returns
# an empty tensor there), so a fully ignored image contributes 0 and counts.


def lovasz_grad(gt_sorted):
    p = len(gt_sorted)
    gts = gt_sorted.sum()
    # official: .float() (float32); float64 here, as losskit computes
    intersection = gts - gt_sorted.double().cumsum(0)
    union = gts + (1 - gt_sorted).double().cumsum(0)
    jaccard = 1.0 - intersection / union
    if p > 1:
        jaccard[1:p] = jaccard[1:p] - jaccard[0:-1]
    return jaccard


def lovasz_mean(values):
    values = list(values)
    if not values:
        return torch.zeros(())
    acc = values[0]
    for v in values[1:]:
        acc = acc + v
    return acc / len(values)


def lovasz_hinge_flat(logits, labels):
    if len(labels) == 0:
        return logits.sum() * 0.0
    signs = 2.0 * labels.double() - 1.0
    errors = 1.0 - logits * signs
    errors_sorted, perm = torch.sort(errors, dim=0, descending=True, stable=True)
    gt_sorted = labels[perm]
    grad = lovasz_grad(gt_sorted)
    return torch.dot(F.relu(errors_sorted), grad)


def flatten_binary_scores(scores, labels, ignore=None):
    scores = scores.reshape(-1)
    labels = labels.reshape(-1)
    if ignore is None:
        return scores, labels
    valid = labels != ignore
    return scores[valid], labels[valid]


def lovasz_hinge(logits, labels, per_image=True, ignore=None):
    if per_image:
        return lovasz_mean(lovasz_hinge_flat(*flatten_binary_scores(lg.unsqueeze(0), lb.unsqueeze(0), ignore))
                           for lg, lb in zip(logits, labels))
    return lovasz_hinge_flat(*flatten_binary_scores(logits, labels, ignore))


def lovasz_softmax_flat(probas, labels, classes="present"):
    if probas.numel() == 0:
        return probas.sum() * 0.0
    C = probas.size(1)
    losses = []
    class_to_sum = list(range(C)) if classes in ["all", "present"] else classes
    for c in class_to_sum:
        fg = (labels == c).double()
        if classes == "present" and fg.sum() == 0:
            continue
        class_pred = probas[:, c]
        errors = (fg - class_pred).abs()
        errors_sorted, perm = torch.sort(errors, dim=0, descending=True, stable=True)
        fg_sorted = fg[perm]
        losses.append(torch.dot(errors_sorted, lovasz_grad(fg_sorted)))
    return lovasz_mean(losses)


def flatten_probas(probas, labels, ignore=None):
    # any spatial rank: (B, C, ...) -> (B·..., C), channels last
    C = probas.size(1)
    probas = probas.movedim(1, -1).reshape(-1, C)
    labels = labels.reshape(-1)
    if ignore is None:
        return probas, labels
    valid = labels != ignore
    return probas[valid], labels[valid]


def lovasz_softmax(probas, labels, classes="present", per_image=False, ignore=None):
    if per_image:
        return lovasz_mean(lovasz_softmax_flat(*flatten_probas(pr.unsqueeze(0), lb.unsqueeze(0), ignore), classes=classes)
                           for pr, lb in zip(probas, labels))
    return lovasz_softmax_flat(*flatten_probas(probas, labels, ignore), classes=classes)


def gen_lovasz_hinge():
    r = rng(SEED + 4)
    cases = []

    def add(name, x, t, options, int_target=False):
        kw = {"per_image": options.get("perImage", True), "ignore": options.get("ignoreIndex")}
        fn = lambda input, target: lovasz_hinge(input.reshape(input.shape[0], -1), target.reshape(target.shape[0], -1), **kw)  # noqa: E731
        cases.append(grad_case(name, fn, {"input": x, "target": t}, ["input"], options,
                               int_inputs=("target",) if int_target else ()))

    add("papers.md check: [2, -1, 0.5, -0.5] vs [1, 0, 0, 1] gives 1.0 (tied errors)",
        np.array([[2.0, -1.0, 0.5, -0.5]]), np.array([[1.0, 0.0, 0.0, 1.0]]), {})
    x, t = binary_inputs(r, channel=False)
    add("(N,H,W) per image", x, t, {})
    x, t = binary_inputs(r)
    add("(N,1,H,W) logits, (N,H,W) mask, whole batch", x, t, {"perImage": False})
    x, t = binary_inputs(r, n=3, channel=False)
    t[1] = 255
    t[0, 0, :2] = 255
    add("ignoreIndex 255 with a fully ignored image (contributes 0, counts)", x, t.astype(np.int64),
        {"ignoreIndex": 255}, True)
    x, t = binary_inputs(r, channel=False)
    t[0] = 0
    add("an image without foreground", x, t, {})
    x, t = binary_inputs(r, n=2, hw=(2, 3, 2))
    add("3-D volumes", x, t, {"perImage": False})
    x, t = binary_inputs(r, n=2, hw=(4,), channel=False)
    x = x * 0.1
    add("small logits (every error positive)", x, t, {})
    write_fixture("lovaszHinge", GEN, f"{versions()}: Berman lovasz_losses.lovasz_hinge (bermanmaxim/LovaszSoftmax 7d48792, transcribed in torch)",
                  SEED + 4, cases)


def gen_lovasz_softmax():
    r = rng(SEED + 5)
    cases = []

    def add(name, x, y, options):
        kw = {"classes": options.get("classes", "present"), "per_image": options.get("perImage", False),
              "ignore": options.get("ignoreIndex")}
        from_logits = options.get("fromLogits", True)

        def fn(input, target):
            p = torch.softmax(input, 1) if from_logits else input
            return lovasz_softmax(p, target, **kw)

        cases.append(grad_case(name, fn, {"input": x, "target": y}, ["input"], options, int_inputs=("target",)))

    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.6, 0.3, 0.1]])
    pr = P.T[None, :, :]  # (1, C=3, 4 pixels)
    add("papers.md check: labels [0,1,2,1] gives 0.5055556", pr, np.array([[0, 1, 2, 1]]), {"fromLogits": False})
    add("papers.md check: labels [0,1,1,1], present, 0.4916667", pr, np.array([[0, 1, 1, 1]]), {"fromLogits": False})
    add("papers.md check: labels [0,1,1,1], all, 0.4611111", pr, np.array([[0, 1, 1, 1]]),
        {"fromLogits": False, "classes": "all"})
    x, y = multiclass_inputs(r, n=2, c=4, absent=2)
    add("logits, whole batch, present classes", x, y, {})
    add("logits, all classes (absent class 2 penalised)", x, y, {"classes": "all"})
    add("logits, classes [2, 0]", x, y, {"classes": [2, 0]})
    x, y = multiclass_inputs(r, n=3, c=3)
    y[1] = 9
    y[0, 0, :] = 9
    add("per image with ignoreIndex 9 and a fully ignored image", x, y, {"perImage": True, "ignoreIndex": 9})
    x, y = multiclass_inputs(r, n=2, c=3)
    y[0] = 1
    add("per image, present classes differ between images", x, y, {"perImage": True})
    x, y = multiclass_inputs(r, n=2, c=3, hw=(2, 2, 2))
    add("3-D volumes", x, y, {})
    x, y = multiclass_inputs(r, n=2, c=3)
    y[:] = 9
    add("every pixel ignored gives 0", x, y, {"ignoreIndex": 9})
    write_fixture("lovaszSoftmax", GEN, f"{versions()}: Berman lovasz_losses.lovasz_softmax (bermanmaxim/LovaszSoftmax 7d48792, transcribed in torch)",
                  SEED + 5, cases)


# ---------------------------------------------------------------------------------------------------
# diceCrossEntropy: lambdaDice · smp DiceLoss("multiclass") (transcription above) + lambdaCe · torch cross_entropy
# (weight, ignore_index; -100 when losskit's ignoreIndex is null), catalog section 3.


def dice_ce_ref(x, y, lambda_dice=1.0, lambda_ce=1.0, ignore_index=None, weight=None, class_weights=None,
                smooth=0.0, eps=1e-7):
    d = smp_overlap(soft_dice_score, x, y, "multiclass", smooth=smooth, eps=eps, ignore_index=ignore_index,
                    class_weights=class_weights)
    w = None if weight is None else torch.as_tensor(weight, dtype=torch.float64)
    ce = F.cross_entropy(x, y, weight=w, ignore_index=-100 if ignore_index is None else ignore_index)
    return lambda_dice * d + lambda_ce * ce


def gen_dice_cross_entropy():
    r = rng(SEED + 6)
    cases = []
    names = {"lambdaDice": "lambda_dice", "lambdaCe": "lambda_ce", "ignoreIndex": "ignore_index", "weight": "weight",
             "classWeights": "class_weights", "smooth": "smooth", "eps": "eps"}

    def add(name, x, y, options):
        kw = {names[k]: v for k, v in options.items()}
        fn = lambda input, target: dice_ce_ref(input, target, **kw)  # noqa: E731
        cases.append(grad_case(name, fn, {"input": x, "target": y}, ["input"], options, int_inputs=("target",)))

    x, y = multiclass_inputs(r, n=2, c=4, absent=3)
    add("defaults, class 3 absent", x, y, {})
    x, y = multiclass_inputs(r, n=2, c=3)
    add("lambdas 0.3 / 1.7", x, y, {"lambdaDice": 0.3, "lambdaCe": 1.7})
    x, y = multiclass_inputs(r, n=2, c=3)
    y[0, 1, :] = 255
    add("ignoreIndex 255 in both terms, CE weight and dice class weights", x, y,
        {"ignoreIndex": 255, "weight": [1.0, 2.0, 0.5], "classWeights": [0.5, 1.0, 3.0]})
    x, y = multiclass_inputs(r, n=2, c=3, hw=(2, 2, 2))
    add("3-D volumes, smooth 1", x, y, {"smooth": 1.0})
    x, y = multiclass_inputs(r, n=2, c=3)
    add("cross-entropy only (lambdaDice 0)", x, y, {"lambdaDice": 0.0})
    write_fixture("diceCrossEntropy", GEN,
                  f"{versions()}: {SMP}: DiceLoss(multiclass) + torch.nn.functional.cross_entropy", SEED + 6, cases)


# ---------------------------------------------------------------------------------------------------
# diceFocal: lambdaDice · smp DiceLoss(mode) (transcription above) + lambdaFocal · focal, catalog section 3:
# binary / multilabel torchvision.ops.sigmoid_focal_loss (Debian's torchvision 0.14, alpha −1 when null) averaged over
# the non-ignored elements; multiclass the per-sample softmax focal of gen_classification_multiclass.py
# (−α_y (1 − p_y)^γ log p_y, mean over non-ignored pixels).


def dice_focal_ref(x, y, mode, lambda_dice=1.0, lambda_focal=1.0, gamma=2.0, alpha=None, ignore_index=None):
    from torchvision.ops import sigmoid_focal_loss

    d = smp_overlap(soft_dice_score, x, y, mode, ignore_index=ignore_index)
    if mode == "multiclass":
        cdim = 1
        logp = F.log_softmax(x, dim=cdim)
        valid = y != (-100 if ignore_index is None else ignore_index)
        safe = torch.where(valid, y, torch.zeros_like(y))
        lpt = logp.gather(cdim, safe.unsqueeze(cdim)).squeeze(cdim)
        om = -torch.expm1(lpt)
        if alpha is None:
            a = 1.0
        elif np.isscalar(alpha):
            a = float(alpha)
        else:
            a = torch.as_tensor(np.asarray(alpha, dtype=np.float64))[safe]
        fl = -a * om ** gamma * lpt
        focal = torch.where(valid, fl, torch.zeros_like(fl)).sum() / int(valid.sum())
    else:
        xx = x.reshape(-1)
        tt = y.reshape(-1).to(x.dtype)
        if ignore_index is not None:
            keep = tt != ignore_index
            xx, tt = xx[keep], tt[keep]
        focal = sigmoid_focal_loss(xx, tt, alpha=-1 if alpha is None else alpha, gamma=gamma, reduction="mean")
    return lambda_dice * d + lambda_focal * focal


def gen_dice_focal():
    r = rng(SEED + 7)
    cases = []
    names = {"lambdaDice": "lambda_dice", "lambdaFocal": "lambda_focal", "gamma": "gamma", "alpha": "alpha",
             "ignoreIndex": "ignore_index"}

    def add(name, x, y, options, int_target=False):
        kw = {names[k]: v for k, v in options.items() if k in names}
        fn = lambda input, target: dice_focal_ref(input, target, options["mode"], **kw)  # noqa: E731
        cases.append(grad_case(name, fn, {"input": x, "target": y}, ["input"], options,
                               int_inputs=("target",) if int_target else ()))

    x, t = binary_inputs(r)
    add("binary defaults", x, t, {"mode": "binary"})
    x, t = binary_inputs(r, channel=False)
    add("binary, alpha 0.25, gamma 1.5, lambdas 0.5 / 2", x, t,
        {"mode": "binary", "alpha": 0.25, "gamma": 1.5, "lambdaDice": 0.5, "lambdaFocal": 2.0})
    x, t = binary_inputs(r, hw=(5,))
    tt = t.copy()
    tt[0, :2] = 255
    add("binary with ignoreIndex 255", x, tt.astype(np.int64), {"mode": "binary", "ignoreIndex": 255}, True)
    x, t = multilabel_inputs(r)
    add("multilabel, gamma 0 (dice + BCE)", x, t, {"mode": "multilabel", "gamma": 0.0})
    x, y = multiclass_inputs(r, n=2, c=4, absent=1)
    add("multiclass defaults, class 1 absent", x, y, {"mode": "multiclass"}, True)
    x, y = multiclass_inputs(r, n=2, c=3)
    y[1, 0, :] = -1
    add("multiclass, ignoreIndex -1, per-class alpha", x, y,
        {"mode": "multiclass", "ignoreIndex": -1, "alpha": [0.2, 0.5, 0.3], "gamma": 1.0}, True)
    x, y = multiclass_inputs(r, n=2, c=3, hw=(2, 2, 2))
    add("multiclass 3-D volumes, alpha 0.25", x, y, {"mode": "multiclass", "alpha": 0.25}, True)
    write_fixture("diceFocal", GEN,
                  f"{versions()}: {SMP}: DiceLoss + torchvision.ops.sigmoid_focal_loss / softmax focal", SEED + 7, cases)


GENERATORS = {
    "dice": gen_dice,
    "jaccard": gen_jaccard,
    "tversky": gen_tversky,
    "focalTversky": gen_focal_tversky,
    "generalizedDice": gen_generalized_dice,
    "lovaszHinge": gen_lovasz_hinge,
    "lovaszSoftmax": gen_lovasz_softmax,
    "diceCrossEntropy": gen_dice_cross_entropy,
    "diceFocal": gen_dice_focal,
    "mcc": gen_mcc,
}

if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    for name in sys.argv[1:] or GENERATORS:
        GENERATORS[name]()
