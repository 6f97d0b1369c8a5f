"""Golden values for catalog section 4 (boxes) in float64, seeded.

torchvision 0.14.1 (Debian) is called directly for giou, diou, ciou, box_iou, generalized_box_iou,
distance_box_iou, complete_box_iou and box_convert. The other references are not on Debian; their
formulas are transcribed below in torch (repository, file and commit cited beside each) and
autograd gives the gradients. Every box loss is evaluated on the same box sets (overlapping,
disjoint, nested, identical, degenerate) in the three formats: the prediction is converted to xyxy
with torchvision's box_convert inside the graph, so the gradient is with respect to the given
format, as losskit's.
"""

import math

import numpy as np
import torch
from torchvision.ops import (
    box_convert,
    box_iou,
    complete_box_iou,
    complete_box_iou_loss,
    distance_box_iou,
    distance_box_iou_loss,
    generalized_box_iou,
    generalized_box_iou_loss,
)

from common import enc, grad_case, rng, versions, write_fixture

SEED = 4004
GEN = "tools/golden/gen_boxes.py"
FORMATS = ("xyxy", "xywh", "cxcywh")


def random_pairs(r, n, spread=2.0):
    """n random valid xyxy pairs around the origin (mostly overlapping, some disjoint)."""
    def boxes():
        c = r.uniform(-spread, spread, size=(n, 2))
        wh = r.uniform(0.3, 3.0, size=(n, 2))
        return np.concatenate([c - wh / 2, c + wh / 2], axis=1)
    return boxes(), boxes()


def box_sets():
    """name -> (pred xyxy, target xyxy), float64 arrays of shape (N, 4)."""
    r = rng(SEED)
    p, t = random_pairs(r, 6)
    sets = {"random pairs": (p, t)}
    sets["overlapping"] = (
        np.array([[1, 1, 4, 3], [0.1, 0.2, 1.1, 0.9], [-1, -0.5, 0.5, 1.5]]),
        np.array([[0, 0, 2, 2], [0, 0, 1, 1], [-0.7, -1, 1, 1.2]]),
    )
    sets["disjoint"] = (
        np.array([[0, 0, 1, 1], [5, 5, 6, 7], [-3, 0, -2, 0.5]]),
        np.array([[1.5, 2, 3, 3.5], [0, 0, 1, 2], [2, 0.2, 3, 0.4]]),
    )
    sets["nested"] = (
        np.array([[0, 0, 4, 4], [1.2, 1.1, 1.8, 1.7], [-2, -1, 2, 1]]),
        np.array([[1, 0.5, 2, 3], [1, 1, 2, 2], [-1, -0.5, 1.5, 0.25]]),
    )
    sets["identical"] = (
        np.array([[0, 0, 1, 1], [-1.5, 2, 0.5, 3.25]]),
        np.array([[0, 0, 1, 1], [-1.5, 2, 0.5, 3.25]]),
    )
    sets["same centre, other size"] = (
        np.array([[0.5, 0.25, 1.5, 1.75], [-1, -1, 1, 1]]),
        np.array([[0, 0, 2, 2], [-0.5, -2, 0.5, 2]]),
    )
    sets["equal edges and touching boxes"] = (
        np.array([[0, 0, 1, 1], [0, 0, 2, 1], [1, 0, 2, 1]]),
        np.array([[0, 0.5, 1, 2], [0, 0, 1, 3], [0, 0, 1, 1]]),
    )
    return sets


def degenerate_sets():
    """Zero-width / zero-area predictions (finite where the reference is, NaN where it is not)."""
    return {
        "zero-width prediction": (
            np.array([[1, 0, 1, 2], [0.5, 0.5, 0.5, 0.5]]),
            np.array([[0, 0, 2, 2], [0, 0, 1, 1]]),
        ),
    }


def paired_cases(loss_fn, option_sets, sets, formats=FORMATS, reductions=("mean", "sum", "none")):
    """loss_fn(pred_xyxy, target_xyxy, **opts) -> per-row losses. One case per set × format × options."""
    r = rng(SEED + 1)
    cases = []
    for sname, (p, t) in sets.items():
        for fmt in formats:
            pf = box_convert(torch.as_tensor(p), "xyxy", fmt).numpy()
            tf = box_convert(torch.as_tensor(t), "xyxy", fmt).numpy()
            for opts in option_sets:
                for red in reductions:
                    def fn(input, target, _opts=opts, _fmt=fmt, _red=red):
                        pi = box_convert(input, _fmt, "xyxy") if _fmt != "xyxy" else input
                        ti = box_convert(target, _fmt, "xyxy") if _fmt != "xyxy" else target
                        l = loss_fn(pi, ti, **_opts)
                        return l.mean() if _red == "mean" else l.sum() if _red == "sum" else l
                    o = dict(opts)
                    o["format"] = fmt
                    o["reduction"] = red
                    up = r.normal(size=(p.shape[0],)) if red == "none" else None
                    label = ", ".join(f"{k}={v}" for k, v in o.items())
                    cases.append(grad_case(f"{sname} ({label})", fn, {"input": pf, "target": tf}, ["input"], o, upstream=up))
    return cases


def empty_case(loss_fn, opts=None):
    o = dict(opts or {})
    o["reduction"] = "mean"
    return grad_case("empty batch (mean is 0)", lambda input, target: (loss_fn(input, target, **(opts or {})).sum() * 0.0), {"input": np.zeros((0, 4)), "target": np.zeros((0, 4))}, ["input"], o)


def write_pair(entry_id, reference, loss_fn, option_sets, degenerate=True, extra=()):
    sets = box_sets()
    if degenerate:
        sets.update(degenerate_sets())
    cases = paired_cases(loss_fn, option_sets, sets)
    cases.append(empty_case(loss_fn, option_sets[0]))
    cases.extend(extra)
    write_fixture(entry_id, GEN, f"{versions()}: {reference}", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# torchvision losses


def tv_giou(p, t, eps=1e-7):
    return generalized_box_iou_loss(p, t, reduction="none", eps=eps)


def tv_diou(p, t, eps=1e-7):
    return distance_box_iou_loss(p, t, reduction="none", eps=eps)


def tv_ciou(p, t, eps=1e-7):
    return complete_box_iou_loss(p, t, reduction="none", eps=eps)


def torchvision_test_cases(fn, entry):
    """torchvision test/test_ops.py boxes: b1=(−1,−1,1,1), b2=(0,0,1,1), b3=(0,1,1,2), b4=(1,1,2,2)."""
    b1, b2, b3, b4 = [-1, -1, 1, 1], [0, 0, 1, 1], [0, 1, 1, 2], [1, 1, 2, 2]
    cases = []
    pairs = [(b1, b1), (b1, b2), (b2, b3), (b2, b4)] if entry == "giou" else [(b1, b1), (b1, b2), (b1, b3), (b1, b4)]
    for a, b in pairs:
        cases.append(grad_case(f"torchvision test boxes {a} vs {b}", lambda input, target: fn(input, target).sum(), {"input": [a], "target": [b]}, ["input"], {"reduction": "sum"}))
    for red in ("sum", "mean"):
        cases.append(grad_case(f"torchvision test batch (b2,b3),(b2,b4) {red}", lambda input, target, _r=red: getattr(fn(input, target), _r)(), {"input": [b2, b2], "target": [b3, b4]}, ["input"], {"reduction": red}))
    return cases


# ---------------------------------------------------------------------------------------------------
# mmdet iou_loss — open-mmlab/mmdetection @ 10dac4dc99b41311107227845cb80b4bcbf57c76,
# mmdet/models/losses/iou_loss.py (`iou_loss`: bbox_overlaps(pred, target, is_aligned=True)
# .clamp(min=eps), then 1 − iou / −log iou / 1 − iou²) and mmdet/structures/bbox/bbox_overlaps.py
# (aligned: lt = max, rb = min, wh = (rb − lt).clamp(min=0), union = max(union, eps)).
# The catalog uses one eps for both places (mmdet: 1e-6 inside bbox_overlaps).


def mmdet_iou_loss(p, t, mode="linear", eps=1e-7):
    lt = torch.max(p[:, :2], t[:, :2])
    rb = torch.min(p[:, 2:], t[:, 2:])
    wh = (rb - lt).clamp(min=0)
    overlap = wh[:, 0] * wh[:, 1]
    a1 = (p[:, 2] - p[:, 0]) * (p[:, 3] - p[:, 1])
    a2 = (t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1])
    union = a1 + a2 - overlap
    union = torch.max(union, union.new_tensor([eps]))
    ious = (overlap / union).clamp(min=eps)
    if mode == "linear":
        return 1 - ious
    if mode == "square":
        return 1 - ious**2
    return -ious.log()


# ---------------------------------------------------------------------------------------------------
# pairwise matrices and box_convert


def pairwise_fixture(entry_id, fn, reference, with_eps):
    r = rng(SEED + 2)
    a, _ = random_pairs(r, 4)
    b, _ = random_pairs(r, 5)
    extra_a = np.array([[0, 0, 1, 1], [0, 0, 2, 1]])
    extra_b = np.array([[0, 0, 1, 1], [1, 0, 2, 1], [0, 0.5, 1, 2]])
    sets = {"random sets": (a, b), "identical, touching and equal edges": (extra_a, extra_b)}
    cases = []
    for sname, (x, y) in sets.items():
        for fmt in FORMATS:
            xf = box_convert(torch.as_tensor(x), "xyxy", fmt).numpy()
            yf = box_convert(torch.as_tensor(y), "xyxy", fmt).numpy()
            for eps in ((1e-7, 1e-3) if with_eps else (None,)):
                def f(input, target, _fmt=fmt, _eps=eps):
                    pi = box_convert(input, _fmt, "xyxy") if _fmt != "xyxy" else input
                    ti = box_convert(target, _fmt, "xyxy") if _fmt != "xyxy" else target
                    return fn(pi, ti) if _eps is None else fn(pi, ti, eps=_eps)
                o = {"format": fmt}
                if eps is not None:
                    o["eps"] = eps
                cases.append(grad_case(f"{sname} ({fmt}{'' if eps is None else f', eps={eps}'})", f, {"input": xf, "target": yf}, ["input"], o))
                up = r.normal(size=(x.shape[0], y.shape[0]))
                cases.append(grad_case(f"{sname} ({fmt}{'' if eps is None else f', eps={eps}'}) with upstream", f, {"input": xf, "target": yf}, ["input"], o, upstream=up))
    write_fixture(entry_id, GEN, f"{versions()}: {reference}", SEED, cases)


def convert_fixture():
    r = rng(SEED + 3)
    x = np.concatenate([r.uniform(-2, 2, size=(5, 2)), r.uniform(0.1, 3, size=(5, 2))], axis=1)
    cases = []
    for a in FORMATS:
        for b in FORMATS:
            up = r.normal(size=x.shape)
            cases.append(grad_case(f"{a} to {b}", lambda input, _a=a, _b=b: box_convert(input, _a, _b), {"input": x}, ["input"], {"from": a, "to": b}, upstream=up))
    write_fixture("boxConvert", GEN, f"{versions()}: torchvision.ops.box_convert", SEED, cases)


def main():
    write_pair("giou", "torchvision.ops.generalized_box_iou_loss", tv_giou, [{}, {"eps": 1e-3}], extra=torchvision_test_cases(tv_giou, "giou"))
    write_pair("diou", "torchvision.ops.distance_box_iou_loss", tv_diou, [{}, {"eps": 1e-3}], extra=torchvision_test_cases(tv_diou, "diou"))
    write_pair("ciou", "torchvision.ops.complete_box_iou_loss (0.14)", tv_ciou, [{}, {"eps": 1e-3}], extra=torchvision_test_cases(tv_ciou, "ciou"))
    write_pair("iouLoss", "mmdet iou_loss transcribed in torch (open-mmlab/mmdetection@10dac4d)", mmdet_iou_loss, [{"mode": "linear"}, {"mode": "log"}, {"mode": "square"}, {"mode": "linear", "eps": 1e-3}])
    pairwise_fixture("boxIou", box_iou, "torchvision.ops.box_iou", False)
    pairwise_fixture("generalizedBoxIou", generalized_box_iou, "torchvision.ops.generalized_box_iou", False)
    pairwise_fixture("distanceBoxIou", distance_box_iou, "torchvision.ops.distance_box_iou", True)
    pairwise_fixture("completeBoxIou", complete_box_iou, "torchvision.ops.complete_box_iou", True)
    convert_fixture()


if __name__ == "__main__":
    main()
