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


# ---------------------------------------------------------------------------------------------------
# Formula-defined rows (catalog section 4): IoU = I/(U + eps), + eps on every squared enclosing
# quantity, I = clamp(iw, 0)·clamp(ih, 0) (the YOLO-style codes these losses live in).


def _geo(p, t):
    iw = (torch.min(p[:, 2], t[:, 2]) - torch.max(p[:, 0], t[:, 0])).clamp(min=0)
    ih = (torch.min(p[:, 3], t[:, 3]) - torch.max(p[:, 1], t[:, 1])).clamp(min=0)
    inter = iw * ih
    pw, ph = p[:, 2] - p[:, 0], p[:, 3] - p[:, 1]
    tw, th = t[:, 2] - t[:, 0], t[:, 3] - t[:, 1]
    union = pw * ph + tw * th - inter
    cw = torch.max(p[:, 2], t[:, 2]) - torch.min(p[:, 0], t[:, 0])
    ch = torch.max(p[:, 3], t[:, 3]) - torch.min(p[:, 1], t[:, 1])
    dx = (p[:, 2] + p[:, 0]) / 2 - (t[:, 0] + t[:, 2]) / 2
    dy = (p[:, 3] + p[:, 1]) / 2 - (t[:, 1] + t[:, 3]) / 2
    return inter, union, pw, ph, tw, th, cw, ch, dx, dy


def eiou_loss(p, t, eps=1e-7):
    """Zhang et al. (arXiv 2101.08158) L_EIoU, the catalog's eps placement."""
    inter, union, pw, ph, tw, th, cw, ch, dx, dy = _geo(p, t)
    iou = inter / (union + eps)
    return 1 - iou + (dx**2 + dy**2) / (cw**2 + ch**2 + eps) + (pw - tw) ** 2 / (cw**2 + eps) + (ph - th) ** 2 / (ch**2 + eps)


def focal_eiou_loss(p, t, eps=1e-7, gamma=0.5):
    """IoU^γ · L_EIoU with IoU^γ detached (the YOLO-style ports' Focal=True)."""
    inter, union, *_ = _geo(p, t)
    w = (inter / (union + eps)).detach() ** gamma
    return w * eiou_loss(p, t, eps)


def alpha_iou_loss(p, t, eps=1e-7, alpha=3.0, variant="iou"):
    """α-IoU (He et al.), the catalog's clean form of Jacobi93/Alpha-IoU utils/general.py
    bbox_alpha_iou @ 39d439e (the code puts eps at (IoU + eps)^α and inside the penalty powers; the
    catalog's form differs from it by O(eps)); β of the CIoU variant under no_grad as the code."""
    inter, union, pw, ph, tw, th, cw, ch, dx, dy = _geo(p, t)
    iou = inter / (union + eps)
    loss = 1 - iou**alpha
    if variant == "giou":
        c = cw * ch
        loss = loss + ((c - union) / (c + eps)) ** alpha
    elif variant in ("diou", "ciou"):
        loss = loss + ((dx**2 + dy**2) / (cw**2 + ch**2 + eps)) ** alpha
        if variant == "ciou":
            v = (4 / math.pi**2) * (torch.atan(tw / th) - torch.atan(pw / ph)) ** 2
            with torch.no_grad():
                beta = v / (1 - iou + v + eps)
            loss = loss + (beta * v) ** alpha
    return loss


def mmyolo_siou_loss(p, t, eps=1e-7, theta=4.0):
    """open-mmlab/mmyolo @ 0629a47a3e5f74c7a80e5c97ab60cf726391a9c7, mmyolo/models/losses/iou_loss.py,
    bbox_overlaps(iou_mode='siou', bbox_format='xyxy'), without the final clamp(−1, 1) (catalog) and
    with the shape exponent as the theta option (mmyolo hard-codes 4). The in-place `h1 += eps` of the
    original is written out of place (same values)."""
    b1x1, b1y1, b1x2, b1y2 = p.unbind(-1)
    b2x1, b2y1, b2x2, b2y2 = t.unbind(-1)
    overlap = (torch.min(b1x2, b2x2) - torch.max(b1x1, b2x1)).clamp(0) * (torch.min(b1y2, b2y2) - torch.max(b1y1, b2y1)).clamp(0)
    w1, h1 = b1x2 - b1x1, b1y2 - b1y1
    w2, h2 = b2x2 - b2x1, b2y2 - b2y1
    union = (w1 * h1) + (w2 * h2) - overlap + eps
    h1 = h1 + eps
    h2 = h2 + eps
    ious = overlap / union
    enclose_wh = (torch.max(p[:, 2:], t[:, 2:]) - torch.min(p[:, :2], t[:, :2])).clamp(min=0)
    enclose_w, enclose_h = enclose_wh[:, 0], enclose_wh[:, 1]
    sigma_cw = (b2x1 + b2x2) / 2 - (b1x1 + b1x2) / 2
    sigma_ch = (b2y1 + b2y2) / 2 - (b1y1 + b1y2) / 2
    sigma = torch.pow(sigma_cw**2 + sigma_ch**2, 0.5)
    sin_alpha = torch.abs(sigma_cw) / sigma
    sin_beta = torch.abs(sigma_ch) / sigma
    sin_alpha = torch.where(sin_alpha > pow(2, 0.5) / 2, sin_beta, sin_alpha)
    angle_cost = torch.cos(torch.arcsin(sin_alpha) * 2 - math.pi / 2)
    rho_x = (sigma_cw / enclose_w) ** 2
    rho_y = (sigma_ch / enclose_h) ** 2
    gamma = angle_cost - 2
    distance_cost = 2 - torch.exp(gamma * rho_x) - torch.exp(gamma * rho_y)
    omiga_w = torch.abs(w1 - w2) / torch.max(w1, w2)
    omiga_h = torch.abs(h1 - h2) / torch.max(h1, h2)
    shape_cost = torch.pow(1 - torch.exp(-1 * omiga_w), theta) + torch.pow(1 - torch.exp(-1 * omiga_h), theta)
    return 1 - (ious - 0.5 * (distance_cost + shape_cost))


def wiou_loss(p, t, version="v3", alpha=1.9, delta=3.0, iouMean=1.0):
    """Instinct323/wiou @ 01f7f07f9092491efd288c339195e1bb9a850aa2, iou.py IouLoss: ltype='WIoU',
    monotonous None (v1) / True (v2) / False (v3), with iou_mean given (no running update here)."""
    pred_xy = (p[..., :2] + p[..., 2:4]) / 2
    pred_wh = p[..., 2:4] - p[..., :2]
    target_xy = (t[..., :2] + t[..., 2:4]) / 2
    target_wh = t[..., 2:4] - t[..., :2]
    min_coord = torch.minimum(p[..., :4], t[..., :4])
    max_coord = torch.maximum(p[..., :4], t[..., :4])
    wh_inter = torch.relu(min_coord[..., 2:4] - max_coord[..., :2])
    s_inter = torch.prod(wh_inter, dim=-1)
    s_union = torch.prod(pred_wh, dim=-1) + torch.prod(target_wh, dim=-1) - s_inter
    wh_box = max_coord[..., 2:4] - min_coord[..., :2]
    l2_box = torch.square(wh_box).sum(dim=-1)
    l2_center = torch.square(pred_xy - target_xy).sum(dim=-1)
    iou = 1 - s_inter / s_union
    loss = torch.exp(l2_center / l2_box.detach()) * iou
    if version != "v1":
        beta = iou.detach() / iouMean
        if version == "v2":
            loss = loss * beta.sqrt()
        else:
            loss = loss * (beta / (delta * torch.pow(torch.as_tensor(alpha), beta - delta)))
    return loss


def nwd_loss(p, t, eps=1e-7, constant=12.8):
    """jwwangchn/NWD @ b8168016ec0ecc925cdc4346aff7869696508f83, mmdet/models/losses/iou_loss.py,
    wasserstein_loss(mode='exp')."""
    center1 = (p[:, :2] + p[:, 2:]) / 2
    center2 = (t[:, :2] + t[:, 2:]) / 2
    whs = center1[:, :2] - center2[:, :2]
    center_distance = whs[:, 0] * whs[:, 0] + whs[:, 1] * whs[:, 1] + eps
    w1 = p[:, 2] - p[:, 0] + eps
    h1 = p[:, 3] - p[:, 1] + eps
    w2 = t[:, 2] - t[:, 0] + eps
    h2 = t[:, 3] - t[:, 1] + eps
    wh_distance = ((w1 - w2) ** 2 + (h1 - h2) ** 2) / 4
    return 1 - torch.exp(-torch.sqrt(center_distance + wh_distance) / constant)


def cdiou_loss(p, t, eps=1e-7, **kw):
    """CDIoU, the catalog's definition (no official code): 1 − I/(U+eps) + λ·Σ corner distances /
    (4·√(C_w² + C_h² + eps)); the norm of a zero offset gets gradient 0 (torch.linalg.norm's
    subgradient at 0 is 0 as well)."""
    lam = kw.get("lambda", 1.0)
    inter, union, pw, ph, tw, th, cw, ch, dx, dy = _geo(p, t)
    iou = inter / (union + eps)
    corners = [(0, 1), (2, 1), (2, 3), (0, 3)]
    total = 0
    for cx, cy in corners:
        total = total + torch.linalg.norm(torch.stack([p[:, cx] - t[:, cx], p[:, cy] - t[:, cy]], dim=-1), dim=-1)
    return 1 - iou + lam * total / (4 * torch.sqrt(cw**2 + ch**2 + eps))


def main2():
    write_pair("eiou", "Efficient-IoU (Zhang et al.) transcribed in torch", eiou_loss, [{}, {"eps": 1e-3}])
    write_pair("focalEiou", "Focal-EIoU (Zhang et al.) transcribed in torch, IoU^gamma detached", focal_eiou_loss, [{}, {"gamma": 0}, {"gamma": 2.0, "eps": 1e-3}])
    write_pair("alphaIou", "alpha-IoU (He et al.; Jacobi93/Alpha-IoU@39d439e) transcribed in torch", alpha_iou_loss,
               [{"variant": v, "alpha": a} for v in ("iou", "giou", "diou", "ciou") for a in (3.0, 1.0)] + [{"variant": "diou", "alpha": 2.5, "eps": 1e-3}])
    write_pair("siou", "mmyolo bbox_overlaps(iou_mode='siou') transcribed in torch (open-mmlab/mmyolo@0629a47), no final clamp", mmyolo_siou_loss, [{}, {"theta": 2.0, "eps": 1e-3}])
    write_pair("wiou", "Wise-IoU (Instinct323/wiou@01f7f07 iou.py) transcribed in torch", wiou_loss,
               [{"version": "v1"}, {"version": "v2", "iouMean": 0.6}, {"version": "v3", "iouMean": 0.6}, {"version": "v3", "alpha": 1.7, "delta": 2.7}])
    write_pair("nwd", "NWD wasserstein_loss (jwwangchn/NWD@b816801) transcribed in torch", nwd_loss, [{}, {"constant": 2.0, "eps": 1e-3}])
    write_pair("cdiou", "CDIoU (the catalog's definition) in torch", cdiou_loss, [{}, {"lambda": 0.3, "eps": 1e-3}])


# ---------------------------------------------------------------------------------------------------
# Repulsion loss (Wang et al., CVPR 2018): no official code. The catalog's definition, with
# Smooth_ln as meituan/YOLOv6 yolov6/utils/RepulsionLoss.py @ 6b83533 (`smooth_ln`), written in torch
# without YOLOv6's detach() so that autograd differentiates every term.


def _box_iou(a, b):
    iw = (torch.min(a[2], b[2]) - torch.max(a[0], b[0])).clamp(min=0)
    ih = (torch.min(a[3], b[3]) - torch.max(a[1], b[1])).clamp(min=0)
    inter = iw * ih
    return inter, (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter


def smooth_ln(x, sigma):
    return torch.where(x <= sigma, -torch.log(1 - x), (x - sigma) / (1 - sigma) - math.log(1 - sigma))


def repulsion_loss(input, target, gtBoxes, assigned, alpha=0.5, beta=0.5, sigmaRepGt=0.5, sigmaRepBox=0.5, eps=1e-7, fmt="xyxy"):
    p = box_convert(input, fmt, "xyxy") if fmt != "xyxy" else input
    t = box_convert(target, fmt, "xyxy") if fmt != "xyxy" else target
    g = box_convert(gtBoxes, fmt, "xyxy") if fmt != "xyxy" else gtBoxes
    n = p.shape[0]
    d = p - t
    attr = torch.where(d.abs() < 1, 0.5 * d**2, d.abs() - 0.5).sum() / n
    rep_gt = p.new_zeros(())
    for i in range(n):
        best, bj = None, -1
        for j in range(g.shape[0]):
            if j == int(assigned[i]):
                continue
            inter, union = _box_iou(p[i].detach(), g[j])
            v = float(inter / union)
            if bj < 0 or v > best:
                best, bj = v, j
        if bj >= 0:
            inter, _ = _box_iou(p[i], g[bj])
            area = (g[bj][2] - g[bj][0]) * (g[bj][3] - g[bj][1])
            rep_gt = rep_gt + smooth_ln(inter / area, sigmaRepGt)
    rep_box = p.new_zeros(())
    count = 0
    for i in range(n):
        for j in range(i + 1, n):
            if int(assigned[i]) == int(assigned[j]):
                continue
            inter, union = _box_iou(p[i], p[j])
            iou = inter / union
            rep_box = rep_box + smooth_ln(iou, sigmaRepBox)
            count += int(float(iou) > 0)
    return attr + alpha * rep_gt / n + beta * rep_box / (count + eps)


def repulsion_fixture():
    r = rng(SEED + 5)
    gts = np.array([[0, 0, 1, 2], [0.8, 0, 1.8, 2], [2.5, 0.2, 3.4, 2.1]])
    assigned = np.array([0, 1, 0, 2, 1, 2])
    target = gts[assigned]
    pred = target + r.normal(scale=0.15, size=target.shape)
    far = target + r.normal(scale=1.5, size=target.shape)
    far[:, 2:] = np.maximum(far[:, 2:], far[:, :2] + 0.3)
    cases = []
    option_sets = [{}, {"alpha": 1.0, "beta": 0.0}, {"sigmaRepGt": 0.0, "sigmaRepBox": 0.9, "eps": 1e-3}, {"alpha": 0.3, "beta": 2.0, "sigmaRepGt": 0.95}]
    for sname, pr in (("close proposals", pred), ("far proposals (large residuals)", far)):
        for fmt in FORMATS:
            conv = lambda a: box_convert(torch.as_tensor(a), "xyxy", fmt).numpy()
            for opts in option_sets:
                o = dict(opts)
                o["format"] = fmt
                fn = lambda input, target, gtBoxes, assigned, _o=opts, _f=fmt: repulsion_loss(input, target, gtBoxes, assigned, fmt=_f, **_o)
                cases.append(grad_case(f"{sname} ({', '.join(f'{k}={v}' for k, v in o.items())})", fn,
                                       {"input": conv(pr), "target": conv(target), "gtBoxes": conv(gts), "assigned": assigned}, ["input"], o, int_inputs=("assigned",)))
    one_gt = {"input": pred[:2], "target": gts[[0, 0]], "gtBoxes": gts[:1], "assigned": np.array([0, 0])}
    cases.append(grad_case("a single ground truth (no repulsion terms)", lambda input, target, gtBoxes, assigned: repulsion_loss(input, target, gtBoxes, assigned), one_gt, ["input"], {}, int_inputs=("assigned",)))
    write_fixture("repulsion", GEN, f"{versions()}: repulsion loss (Wang et al. 2018), the catalog definition in torch", SEED, cases)


if __name__ == "__main__":
    main()
    main2()
    repulsion_fixture()
