"""Golden values for catalog section 9 (metrics and information theory), float64, seeded.

Counting metrics: torchmetrics is not installed here, so its functional classification semantics are
transcribed into numpy below (each function cites the torchmetrics source it follows, from
Lightning-AI/torchmetrics src/torchmetrics/functional/classification/*.py and utilities/compute.py),
with the catalog's section 9 rules (scores are never sigmoided; an in-range ignored class is excluded
from every average). Every case that scikit-learn 1.2.1 can express is cross-checked against it
(assert), and each case records in "reference" which libraries gave or checked its value.

Information theory: scipy.special.entr / rel_entr and torch.special.xlogy. NDCG: scikit-learn
ndcg_score (ignore_ties=True, gain applied to y_true), and a numpy transcription of the catalog's
stable-sort rule where scores tie.
"""

import math

import numpy as np
import scipy
import scipy.special
import sklearn
import sklearn.metrics as skm
import torch

from common import enc, num, rng, versions, write_fixture

SEED = 9009
GEN = "tools/golden/gen_metrics.py"
TM = "torchmetrics functional semantics transcribed in numpy (see generator)"
SK = f"scikit-learn {sklearn.__version__}"
REF = f"{TM}; cross-checked with {SK}; {versions()}"

# ------------------------------------------------------------------------------------------------
# torchmetrics transcription


def to_labels(task, inp, target, threshold, is_int):
    """Input -> flat label predictions and the layout, like torchmetrics *_format without sigmoid.

    binary/multilabel: `preds > threshold` for float input (torchmetrics _binary_stat_scores_format,
    minus its sigmoid of scores outside [0, 1], which the catalog forbids); int input = labels.
    multiclass: argmax over axis 1 when the input has one more axis (_multiclass_stat_scores_format).
    """
    inp = np.asarray(inp)
    target = np.asarray(target)
    if inp.ndim == target.ndim + 1:
        axis = 0 if target.ndim == 0 else 1
        return np.argmax(inp, axis=axis), target
    if task in ("binary", "multilabel") and not is_int:
        return (inp > threshold).astype(np.int64), target
    return inp.astype(np.int64), target


def confmat(task, preds, target, C, ignore):
    """torchmetrics _{binary,multiclass,multilabel}_confusion_matrix_update (bincount), with the
    positions whose target equals ignore_index removed (_*_confusion_matrix_format)."""
    if task == "multilabel":
        # (N, C, ...) -> (N*..., C)
        p = np.moveaxis(preds, 1, -1).reshape(-1, C)
        t = np.moveaxis(target, 1, -1).reshape(-1, C)
        out = np.zeros((C, 2, 2))
        for c in range(C):
            keep = t[:, c] != ignore if ignore is not None else np.ones(len(t), bool)
            idx = 2 * t[keep, c] + p[keep, c]
            out[c] = np.bincount(idx, minlength=4).reshape(2, 2)
        return out
    p = preds.reshape(-1)
    t = target.reshape(-1)
    if ignore is not None:
        keep = t != ignore
        p, t = p[keep], t[keep]
    k = 2 if task == "binary" else C
    return np.bincount(t * k + p, minlength=k * k).reshape(k, k).astype(np.float64)


def stats(task, cm):
    """tp, fp, fn, tn per class (torchmetrics _multiclass_stat_scores_update, confmat branch)."""
    if task == "binary":
        return (np.array([cm[1, 1]]), np.array([cm[0, 1]]), np.array([cm[1, 0]]), np.array([cm[0, 0]]))
    if task == "multilabel":
        return cm[:, 1, 1], cm[:, 0, 1], cm[:, 1, 0], cm[:, 0, 0]
    tp = np.diag(cm)
    fp = cm.sum(0) - tp
    fn = cm.sum(1) - tp
    tn = cm.sum() - (fp + fn + tp)
    return tp, fp, fn, tn


def safe_divide(num_, den, zd):
    """torchmetrics utilities/compute.py _safe_divide(num, denom, zero_division)."""
    num_ = np.asarray(num_, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den != 0, num_ / np.where(den != 0, den, 1), zd)


def ratio(kind, task, tp, fp, fn, tn, zd, beta):
    """_precision_recall_reduce, _fbeta_reduce, _accuracy_reduce, _specificity_reduce,
    _jaccard_index_reduce, and dice = F1."""
    if kind == "precision":
        return safe_divide(tp, tp + fp, zd)
    if kind == "recall":
        return safe_divide(tp, tp + fn, zd)
    if kind == "fbeta":
        b2 = beta**2
        return safe_divide((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp, zd)
    if kind == "dice":
        return safe_divide(2 * tp, 2 * tp + fp + fn, zd)
    if kind == "iou":
        return safe_divide(tp, tp + fp + fn, zd)
    if kind == "specificity":
        return safe_divide(tn, tn + fp, zd)
    if kind == "accuracy":
        if task == "multiclass":
            return safe_divide(tp, tp + fn, zd)
        return safe_divide(tp + tn, tp + tn + fp + fn, zd)
    raise ValueError(kind)


def tm_score(kind, task, cm, average, zd, beta, ignore, C):
    """The averaging of torchmetrics (_adjust_weights_safe_divide; micro sums the statistics), with
    the in-range ignored class excluded from every multiclass average (_jaccard_index_reduce)."""
    tp, fp, fn, tn = stats(task, cm)
    if task == "binary":
        return float(ratio(kind, task, tp, fp, fn, tn, zd, beta)[0])
    keep = np.ones(len(tp), bool)
    if task == "multiclass" and ignore is not None and 0 <= ignore < C:
        keep[ignore] = False
    if average == "micro":
        return float(ratio(kind, task, tp[keep].sum(), fp[keep].sum(), fn[keep].sum(), tn[keep].sum(), zd, beta))
    score = ratio(kind, task, tp, fp, fn, tn, zd, beta)
    if average in ("none", None):
        return score
    if average == "weighted":
        w = (tp + fn).astype(np.float64)
    else:
        w = np.ones_like(score)
        if task == "multiclass":
            w[tp + fp + fn == 0] = 0.0
    w[~keep] = 0.0
    return float(safe_divide(w * score, w.sum(), 0.0).sum())


def cm_normalize(cm, normalize):
    """torchmetrics _confusion_matrix_reduce: NaN from 0/0 set to 0 (as scikit-learn)."""
    if normalize in (None, "none"):
        return cm
    with np.errstate(divide="ignore", invalid="ignore"):
        if normalize == "true":
            out = cm / cm.sum(axis=-1, keepdims=True)
        elif normalize == "pred":
            out = cm / cm.sum(axis=-2, keepdims=True)
        else:
            out = cm / cm.sum(axis=(-2, -1), keepdims=True)
    return np.nan_to_num(out, nan=0.0)


# ------------------------------------------------------------------------------------------------
# scikit-learn cross-checks


SK_FN = {
    "precision": skm.precision_score,
    "recall": skm.recall_score,
    "fbeta": skm.fbeta_score,
    "dice": skm.f1_score,
    "iou": skm.jaccard_score,
}


def sk_check(kind, task, preds, target, C, average, zd, beta, ignore, value):
    """Returns True when scikit-learn computed the same value (asserted), False when it cannot
    express the case (zeroDivision outside {0, 1}, specificity, multilabel accuracy)."""
    if zd not in (0, 1):
        return False
    if task == "multilabel":
        if kind in ("accuracy", "specificity") or ignore is not None:
            return False
        y = np.moveaxis(target, 1, -1).reshape(-1, C)
        p = np.moveaxis(preds, 1, -1).reshape(-1, C)
        labels = None
    else:
        y = target.reshape(-1)
        p = preds.reshape(-1)
        if ignore is not None:
            keep = y != ignore
            y, p = y[keep], p[keep]
        labels = None
    if kind == "specificity":
        return False
    if task == "binary":
        if kind == "accuracy":
            got = skm.accuracy_score(y, p)
        else:
            kw = {"beta": beta} if kind == "fbeta" else {}
            extra = {} if kind == "iou" else {"zero_division": zd}
            if kind == "iou" and (np.sum(y) + np.sum(p)) == 0:
                return False
            got = SK_FN[kind](y, p, average="binary", labels=[0, 1], **kw, **extra)
        assert np.isclose(got, value, rtol=1e-12, atol=0), (kind, task, average, got, value)
        return True
    # multiclass accuracy per class is recall (torchmetrics _accuracy_reduce)
    sk_kind = "recall" if (kind == "accuracy" and task == "multiclass") else kind
    if sk_kind not in SK_FN:
        return False
    kw = {"beta": beta} if sk_kind == "fbeta" else {}
    if task == "multiclass":
        ig_in = ignore is not None and 0 <= ignore < C
        if average in ("none", None):
            labels = list(range(C))
        elif ig_in:
            # the catalog's exclusion of the ignored class: restrict scikit-learn's labels to the
            # others (and, for macro, to the present ones, which scikit-learn's default does itself)
            present = set(np.unique(np.concatenate([y, p])).tolist())
            labels = [c for c in range(C) if c != ignore and (average != "macro" or c in present)]
            if not labels:
                return False
    got = SK_FN[sk_kind](y, p, average=None if average == "none" else average, labels=labels, zero_division=zd, **kw)
    assert np.allclose(got, value, rtol=1e-12, atol=0), (kind, task, average, got, value)
    return True


# ------------------------------------------------------------------------------------------------
# Data sets


def tumour():
    """Seed 002: 100 people, 30 with a tumour; 25 predicted positive, 5 of them healthy.
    TP 20, FP 5, FN 10, TN 65 (shuffled with the seed)."""
    r = rng(SEED + 2)
    target = np.array([1] * 20 + [0] * 5 + [1] * 10 + [0] * 65)
    preds = np.array([1] * 20 + [1] * 5 + [0] * 10 + [0] * 65)
    perm = r.permutation(100)
    return preds[perm].astype(np.int32), target[perm].astype(np.int32)


def datasets():
    r = rng(SEED)
    d = []
    # binary float scores
    t = r.integers(0, 2, size=20)
    s = np.round(r.uniform(0, 1, size=20), 3)
    d.append(("binary scores", "binary", s, t, False, {}))
    d.append(("binary scores, threshold 0.3", "binary", s, t, False, {"threshold": 0.3}))
    d.append(("binary scores with ignoreIndex -1", "binary", s, np.where(r.uniform(size=20) < 0.25, -1, t), False, {"ignoreIndex": -1}))
    # binary with no predicted positive (precision 0/0) and no true positive in the target (recall 0/0)
    d.append(("binary, nothing predicted positive", "binary", np.full(6, 0.2), np.array([1, 0, 1, 0, 0, 1]), False, {}))
    d.append(("binary, all negative and all predicted negative", "binary", np.full(5, 0.1), np.zeros(5, int), False, {}))
    p, t = tumour()
    d.append(("seed 002 tumour example (TP 20, FP 5, FN 10, TN 65)", "binary", p, t, True, {}))
    # multiclass labels, C = 4 with class 3 absent from both target and input, class 2 never predicted
    t = np.array([0, 1, 2, 0, 1, 1, 0, 2, 0, 1, 2, 1, 0, 0, 1])
    p = np.array([0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1])
    d.append(("multiclass labels, class 3 absent, class 2 never predicted", "multiclass", p, t, False, {"numClasses": 4}))
    # multiclass class scores (N, C): class 2 predicted but absent from the target
    n, c = 12, 3
    logits = np.round(r.normal(size=(n, c)), 3)
    t = r.integers(0, 2, size=n)
    logits[3, 2] = 5.0
    d.append(("multiclass scores (N, C), a predicted class absent from the target", "multiclass", logits, t, False, {"numClasses": 3}))
    # multiclass spatial (N, C, H, W)
    logits = np.round(r.normal(size=(2, 3, 2, 3)), 3)
    t = r.integers(0, 3, size=(2, 2, 3))
    d.append(("multiclass scores (N, C, H, W)", "multiclass", logits, t, False, {}))
    # ignore index out of range and in range
    t = np.array([0, 1, 2, 255, 1, 2, 255, 0, 1, 2])
    p = np.array([0, 2, 2, 1, 1, 0, 2, 0, 1, 1])
    d.append(("multiclass labels with ignoreIndex 255", "multiclass", p, t, False, {"numClasses": 3, "ignoreIndex": 255}))
    t2 = np.array([0, 1, 2, 0, 1, 2, 0, 3, 1, 3])
    p2 = np.array([0, 2, 2, 1, 1, 0, 2, 3, 0, 1])
    d.append(("multiclass labels with in-range ignoreIndex 0 (predicted at other positions)", "multiclass", p2, t2, False, {"numClasses": 4, "ignoreIndex": 0}))
    # multilabel (N, C) scores; label 2 has no positives and no predictions
    n, c = 10, 3
    t = r.integers(0, 2, size=(n, c))
    s = np.round(r.uniform(0, 1, size=(n, c)), 3)
    t[:, 2] = 0
    s[:, 2] = np.minimum(s[:, 2], 0.4)
    d.append(("multilabel scores (N, C), label 2 never true nor predicted", "multilabel", s, t, False, {}))
    # multilabel (N, C, L) with ignore -1
    t = r.integers(0, 2, size=(3, 2, 4))
    t[0, 1, 2] = -1
    t[2, 0, 0] = -1
    s = np.round(r.uniform(0, 1, size=(3, 2, 4)), 3)
    d.append(("multilabel scores (N, C, L) with ignoreIndex -1", "multilabel", s, t, False, {"ignoreIndex": -1}))
    return d


KINDS = {
    "precision": "precision",
    "recall": "recall",
    "f1Score": "fbeta",
    "fbetaScore": "fbeta",
    "accuracy": "accuracy",
    "specificity": "specificity",
    "iouScore": "iou",
    "diceScore": "dice",
}


def inputs_of(inp, t, is_int):
    return {"input": enc(np.asarray(inp), "int32" if is_int else "float64"), "target": enc(np.asarray(t), "int32")}


def case(name, inputs, options, value, reference):
    v = num(value) if np.isscalar(value) or np.ndim(value) == 0 else enc(np.asarray(value, dtype=np.float64))
    return {"name": name, "inputs": inputs, "options": options, "upstream": None, "value": v, "grads": None, "reference": reference}


def counted(task, inp, t, is_int, extra):
    """A dataset's class count, ignored label, predicted and true labels, and confusion counts."""
    C = extra.get("numClasses")
    if task == "multiclass" and C is None:
        C = np.asarray(inp).shape[1]
    if task == "multilabel":
        C = np.asarray(inp).shape[1]
    thr = extra.get("threshold", 0.5)
    ignore = extra.get("ignoreIndex")
    preds, target = to_labels(task, inp, t, thr, is_int)
    return C, ignore, preds, target, confmat(task, preds, target, C, ignore)


def gen_counting():
    sets = datasets()
    for mid, kind in KINDS.items():
        cases = []
        for name, task, inp, t, is_int, extra in sets:
            C, ignore, preds, target, cm = counted(task, inp, t, is_int, extra)
            averages = ["macro"] if task == "binary" else ["micro", "macro", "weighted", "none"]
            betas = [2.0, 0.5] if mid == "fbetaScore" else [1.0]
            zds = [0, 1] if task != "binary" else [0, 1, 0.5]
            if "seed 002" in name:
                zds = [0]
            for average in averages:
                for beta in betas:
                    for zd in zds:
                        if average in ("micro", "weighted") and zd == 1 and "absent" not in name and "nothing" not in name:
                            continue
                        value = tm_score(kind, task, cm, average, zd, beta, ignore, C)
                        checked = sk_check(kind, task, preds, target, C, average, zd, beta, ignore, value)
                        opts = {"task": task, "average": average, "zeroDivision": zd}
                        opts.update(extra)
                        if mid == "fbetaScore":
                            opts["beta"] = beta
                        label = f"{name}, average={average}" if task != "binary" else name
                        label += f", zeroDivision={zd}" + (f", beta={beta}" if mid == "fbetaScore" else "")
                        reference = f"{TM}; checked with {SK}" if checked else f"{TM} only"
                        cases.append(case(label, inputs_of(inp, t, is_int), opts, value, reference))
        # errors
        cases.append(err_case("a target label outside the classes", {"input": enc(np.array([0, 1], dtype=np.int32)), "target": enc(np.array([0, 3], dtype=np.int32))}, {"task": "multiclass", "numClasses": 3}, "E_RANGE"))
        cases.append(err_case("a binary target of 2", {"input": enc(np.array([0.2, 0.7])), "target": enc(np.array([0, 2], dtype=np.int32))}, {}, "E_RANGE"))
        cases.append(err_case("target shaped unlike the input", {"input": enc(np.array([0.2, 0.7])), "target": enc(np.array([0, 1, 1], dtype=np.int32))}, {}, "E_SHAPE"))
        write_fixture(mid, GEN, REF, SEED, cases)


def err_case(name, inputs, options, code):
    return {"name": name, "inputs": inputs, "options": options, "upstream": None, "value": 0, "grads": None, "error": code, "reference": "losskit contract"}


def gen_confusion_matrix():
    cases = []
    for name, task, inp, t, is_int, extra in datasets():
        C, ignore, preds, target, cm = counted(task, inp, t, is_int, extra)
        for normalize in (None, "true", "pred", "all"):
            value = cm_normalize(cm, normalize)
            # scikit-learn cross-check
            if task == "multilabel":
                y = np.moveaxis(target, 1, -1).reshape(-1, C)
                p = np.moveaxis(preds, 1, -1).reshape(-1, C)
                if ignore is None:
                    want = skm.multilabel_confusion_matrix(y, p)
                    assert np.array_equal(want, cm)
                checked = ignore is None
            else:
                y = target.reshape(-1)
                p = preds.reshape(-1)
                if ignore is not None:
                    keep = y != ignore
                    y, p = y[keep], p[keep]
                k = 2 if task == "binary" else C
                want = skm.confusion_matrix(y, p, labels=list(range(k)), normalize=normalize)
                assert np.allclose(want, value, rtol=1e-12, atol=0), (name, normalize)
                checked = True
            opts = {"task": task}
            opts.update(extra)
            if normalize is not None:
                opts["normalize"] = normalize
            reference = f"{SK} (confusion_matrix / multilabel_confusion_matrix)" if checked else f"{TM} only"
            cases.append(case(f"{name}, normalize={normalize}", inputs_of(inp, t, is_int), opts, value, reference))
    # task inferred: labels with numClasses 3 -> multiclass; float same-shape with numClasses 2 -> binary
    p = np.array([0, 2, 1, 1, 0, 2], dtype=np.int32)
    t = np.array([0, 1, 1, 2, 0, 2], dtype=np.int32)
    cases.append(case("task inferred as multiclass from numClasses 3", inputs_of(p, t, True), {"numClasses": 3}, skm.confusion_matrix(t, p, labels=[0, 1, 2]).astype(float), SK))
    s = np.array([0.9, 0.2, 0.7, 0.4, 0.8, 0.1])
    t = np.array([1, 0, 0, 1, 1, 0], dtype=np.int32)
    cases.append(case("task inferred as binary from float scores and numClasses 2", inputs_of(s, t, False), {"numClasses": 2}, skm.confusion_matrix(t, (s > 0.5).astype(int), labels=[0, 1]).astype(float), SK))
    cases.append(err_case("a binary target of 2 without numClasses", {"input": enc(np.array([0.2, 0.7])), "target": enc(np.array([0, 2], dtype=np.int32))}, {}, "E_RANGE"))
    write_fixture("confusionMatrix", GEN, f"{SK}: sklearn.metrics.confusion_matrix; {TM}; {versions()}", SEED, cases)


# ------------------------------------------------------------------------------------------------
# Information theory

WEATHER_P = np.array([0.35, 0.35, 0.1, 0.1, 0.04, 0.04, 0.01, 0.01])
WEATHER_Q = 2.0 ** -np.array([5, 5, 4, 4, 3, 3, 2, 2])


def info_cases(kind):
    r = rng(SEED + 40)
    cases = []

    def value(p, q, base, axis):
        p = np.asarray(p, dtype=np.float64)
        if kind == "entropy":
            terms = scipy.special.entr(p)
        elif kind == "ce":
            terms = -torch.special.xlogy(torch.as_tensor(p), torch.as_tensor(np.asarray(q, dtype=np.float64))).numpy()
        else:
            terms = scipy.special.rel_entr(p, np.asarray(q, dtype=np.float64))
        s = np.sum(terms, axis=axis)
        return s / math.log(base)

    def add(name, p, q, base=math.e, axis=-1):
        inputs = {"p": enc(np.asarray(p, dtype=np.float64))}
        if kind != "entropy":
            inputs["q"] = enc(np.asarray(q, dtype=np.float64))
        opts = {}
        if base != math.e:
            opts["base"] = base
        if axis != -1:
            opts["axis"] = axis
        cases.append(case(name, inputs, opts, value(p, q, base, axis), "scipy " + scipy.__version__ + " special.entr / rel_entr; torch.special.xlogy"))

    add("seed 004 weather distribution in bits", WEATHER_P, WEATHER_Q, base=2)
    add("seed 004 weather distribution in nats", WEATHER_P, WEATHER_Q)
    add("seed 004 cat/dog/pig, true class cat, first prediction", [1, 0, 0], [0.3, 0.45, 0.25])
    add("seed 004 cat/dog/pig, true class cat, second prediction, base 10", [1, 0, 0], [0.5, 0.3, 0.2], base=10)
    p = r.dirichlet(np.ones(5), size=4)
    q = r.dirichlet(np.ones(5), size=4)
    p[1, 2] = 0.0
    p[1] /= p[1].sum()
    add("rows of (4, 5) with a zero probability", p, q)
    add("axis 0 of a (5, 4) tensor, base 2", p.T.copy(), q.T.copy(), base=2, axis=0)
    p3 = r.dirichlet(np.ones(3), size=(2, 2))
    q3 = r.dirichlet(np.ones(3), size=(2, 2))
    add("(2, 2, 3) with axis 1", p3, q3, axis=1)
    add("p = 0 where q = 0", [0.5, 0.5, 0.0], [0.5, 0.5, 0.0])
    if kind != "entropy":
        add("p > 0 where q = 0 gives Infinity", [0.5, 0.5], [1.0, 0.0])
        add("tiny q", [0.5, 0.5], [1.0 - 1e-300, 1e-300])
    add("base 10", [0.2, 0.3, 0.5], [0.1, 0.6, 0.3], base=10)
    cases.append(err_case("a scalar p", {"p": enc(np.float64(0.5))} | ({} if kind == "entropy" else {"q": enc(np.float64(0.5))}), {}, "E_SHAPE"))
    cases.append(err_case("base 1", {"p": enc(np.array([0.5, 0.5]))} | ({} if kind == "entropy" else {"q": enc(np.array([0.5, 0.5]))}), {"base": 1}, "E_OPTION"))
    cases.append(err_case("an axis out of range", {"p": enc(np.array([0.5, 0.5]))} | ({} if kind == "entropy" else {"q": enc(np.array([0.5, 0.5]))}), {"axis": 1}, "E_OPTION"))
    return cases


def gen_information():
    ref = f"scipy {scipy.__version__}: scipy.special.entr / rel_entr; {versions()}: torch.special.xlogy"
    write_fixture("entropy", GEN, ref, SEED, info_cases("entropy"))
    write_fixture("distributionCrossEntropy", GEN, ref, SEED, info_cases("ce"))
    write_fixture("klDivergence", GEN, ref, SEED, info_cases("kl"))


# ------------------------------------------------------------------------------------------------
# NDCG


def ndcg_stable(scores, rel, k, gain):
    """The catalog's NDCG@k: stable sort by descending score, log2 discount, IDCG 0 -> 0, −1 pads."""
    keep = rel != -1
    s, r = scores[keep], rel[keep]
    g = (2.0**r - 1) if gain == "exp2" else r.astype(np.float64)
    order = np.argsort(-s, kind="stable")
    ideal = np.sort(g)[::-1]
    m = len(s) if k is None else min(k, len(s))
    disc = 1.0 / np.log2(np.arange(m) + 2)
    idcg = float(np.sum(ideal[:m] * disc))
    dcg = float(np.sum(g[order][:m] * disc))
    return 0.0 if idcg == 0 else dcg / idcg


def ndcg_sklearn(scores, rel, k, gain):
    keep = rel != -1
    s, r = scores[keep], rel[keep]
    g = (2.0**r - 1) if gain == "exp2" else r.astype(np.float64)
    if len(s) < 2:
        return None
    return float(skm.ndcg_score(g.reshape(1, -1), s.reshape(1, -1), k=k, ignore_ties=True))


def gen_ndcg():
    r = rng(SEED + 50)
    cases = []

    def add(name, scores, rel, k=None, gain="exp2", ties=False):
        scores = np.asarray(scores, dtype=np.float64)
        rel = np.asarray(rel, dtype=np.float64)
        rows = [(scores, rel)] if scores.ndim == 1 else list(zip(scores, rel))
        vals = [ndcg_stable(s, rr, k, gain) for s, rr in rows]
        sk_vals = [None if ties else ndcg_sklearn(s, rr, k, gain) for s, rr in rows]
        checked = all(v is not None for v in sk_vals)
        if checked:
            for a, b in zip(vals, sk_vals):
                assert np.isclose(a, b, rtol=1e-12, atol=1e-15), (name, a, b)
        value = vals[0] if scores.ndim == 1 else float(np.mean(vals))
        opts = {}
        if k is not None:
            opts["k"] = k
        if gain != "exp2":
            opts["gain"] = gain
        ref = f"{SK} ndcg_score(ignore_ties=True), gain applied to y_true" if checked else "numpy transcription of the catalog rule (stable sort)"
        cases.append(case(name, {"scores": enc(scores), "relevance": enc(rel)}, opts, value, ref))

    add("one query of five items", [0.1, 0.9, 0.4, 0.7, 0.3], [3, 0, 2, 1, 0])
    add("one query of five items, k = 3", [0.1, 0.9, 0.4, 0.7, 0.3], [3, 0, 2, 1, 0], k=3)
    add("one query, linear gain, k = 2", [0.1, 0.9, 0.4, 0.7, 0.3], [3, 0, 2, 1, 0], k=2, gain="linear")
    s = np.round(r.normal(size=(4, 6)), 4)
    rel = r.integers(0, 4, size=(4, 6)).astype(float)
    add("four queries of six items", s, rel)
    add("four queries of six items, k = 4, linear", s, rel, k=4, gain="linear")
    rel2 = rel.copy()
    rel2[1, 4:] = -1
    rel2[3, 2:] = -1
    add("four queries with −1 padding", s, rel2)
    rel3 = rel.copy()
    rel3[2] = 0
    add("a query without relevant items scores 0 and counts in the mean", s, rel3, k=3)
    add("tied scores keep their original order", [0.5, 0.5, 0.5, 0.2], [0, 1, 2, 3], ties=True)
    add("tied scores, k = 2, linear", [[1.0, 1.0, 0.0], [0.0, 2.0, 2.0]], [[1, 2, 0], [3, 0, 1]], k=2, gain="linear", ties=True)
    add("k larger than the list", [0.3, 0.2, 0.1], [1, 2, 3], k=10)
    add("fractional relevance", [0.3, 0.2, 0.9, 0.5], [0.5, 1.5, 0.0, 2.5])
    cases.append(err_case("relevance below −1", {"scores": enc(np.array([0.1, 0.2])), "relevance": enc(np.array([-2.0, 1.0]))}, {}, "E_RANGE"))
    cases.append(err_case("relevance shaped unlike scores", {"scores": enc(np.array([0.1, 0.2])), "relevance": enc(np.array([1.0]))}, {}, "E_SHAPE"))
    cases.append(err_case("a rank-3 scores tensor", {"scores": enc(np.zeros((1, 1, 2))), "relevance": enc(np.zeros((1, 1, 2)))}, {}, "E_SHAPE"))
    write_fixture("ndcg", GEN, f"{SK}: sklearn.metrics.ndcg_score; numpy (stable-sort ties)", SEED, cases)


if __name__ == "__main__":
    gen_counting()
    gen_confusion_matrix()
    gen_information()
    gen_ndcg()
