"""Golden values for catalog section 5 (ranking and metric learning), float64, seeded.

torch losses come from PyTorch 1.13 (torch.nn.functional). The others are transcribed in torch here and
differentiated by autograd:
- contrastive: Hadsell, Chopra, LeCun (CVPR 2006), Eq. 4, with labels 1 = similar, 0 = dissimilar.
- infoNce: in-batch InfoNCE (van den Oord et al. 2018; CLIP's one direction) as F.cross_entropy over
  F.normalize(q) @ F.normalize(k).T / tau.
- ntXent: GRACE, github.com/CRIPAC-DIG/GRACE, model.py (GRACE.semi_loss / GRACE.loss), commit
  b3b5ac3fcbaabbb50e8bd69a075b46cd82a50378, checked against the SimCLR form (logsumexp over the 2N views
  without self) in the same case.
- listNet, listMle, approxNdcg, lambdaLoss, rankNet: allRank, github.com/allegro/allRank,
  allrank/models/losses/{listNet,listMLE,approxNDCG,lambdaLoss,rankNet}.py, commit
  c88475661cb72db292d13283fdbc4f2ae6498ee4, with losskit's documented departures: listMLE without the
  random shuffle and with a stable sort (catalog tie rule), stable sorts by prediction, discounts
  log2(1 + i) in float64 (allRank computes them from `pos_idxs.float()`), and lambdaLoss's 'mean' as the
  sum divided by the number of slates.
Run with Debian's /usr/bin/python3: `python3 tools/golden/gen_ranking.py [id ...]`.
"""

import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

from common import enc, grad_case, reduce, rng, versions, write_fixture

INF = math.inf
NAN = math.nan
SEED = 5005
GEN = "tools/golden/gen_ranking.py"
ALLRANK = "allegro/allRank@c88475661cb72db292d13283fdbc4f2ae6498ee4"


def error_case(name, inputs, options, code):
    return {
        "name": name,
        "inputs": {k: enc(np.asarray(v, dtype=np.float64)) for k, v in inputs.items()},
        "options": options,
        "upstream": None,
        "value": 0,
        "grads": None,
        "error": code,
    }


def reductions_cases(fn_of_reduction, inputs, diff, extra=None, prefix="", none_shape=None, seed=0):
    """mean, sum, none, and none with a random upstream of the 'none' output's shape."""
    r = rng(SEED + 7 + seed)
    cases = []
    for red in ("mean", "sum", "none"):
        opts = dict(extra or {})
        opts["reduction"] = red
        cases.append(grad_case(f"{prefix}reduction={red}", fn_of_reduction(red), inputs, diff, opts))
    opts = dict(extra or {})
    opts["reduction"] = "none"
    up = r.normal(size=none_shape)
    cases.append(grad_case(f"{prefix}reduction=none with upstream", fn_of_reduction("none"), inputs, diff, opts, upstream=up))
    return cases


# ---------------------------------------------------------------------------------------------------
# torch pairwise losses


def gen_margin_ranking():
    r = rng(SEED + 1)
    x1 = r.normal(size=(2, 3))
    x2 = r.normal(size=(2, 3))
    y = np.where(r.random(size=(2, 3)) < 0.5, -1.0, 1.0)
    ins = {"input1": x1, "input2": x2, "target": y}
    f = lambda red, m: lambda input1, input2, target: F.margin_ranking_loss(input1, input2, target, margin=m, reduction=red)
    cases = reductions_cases(lambda red: f(red, 0.3), ins, ["input1", "input2"], {"margin": 0.3}, none_shape=(2, 3))
    cases.append(grad_case("default margin 0", f("mean", 0.0), ins, ["input1", "input2"], {}))
    # Hinge argument exactly 0 (−y(x1 − x2) + m = 0): torch's clamp_min keeps the slope.
    kink = {"input1": [1.5, 0.25, 2.0], "input2": [1.0, 0.75, 2.0], "target": [1.0, -1.0, 1.0]}
    cases.append(grad_case("hinge argument exactly 0", f("none", 0.5), kink, ["input1", "input2"], {"margin": 0.5, "reduction": "none"}))
    cases.append(error_case("target 0 is not a label", {"input1": [1.0], "input2": [0.0], "target": [0.0]}, {}, "E_RANGE"))
    write_fixture("marginRanking", GEN, f"{versions()}: torch.nn.functional.margin_ranking_loss", SEED, cases)


def gen_hinge_embedding():
    r = rng(SEED + 2)
    x = np.abs(r.normal(size=(3, 4))) * 1.5
    y = np.where(r.random(size=(3, 4)) < 0.5, -1.0, 1.0)
    ins = {"input": x, "target": y}
    f = lambda red, m: lambda input, target: F.hinge_embedding_loss(input, target, margin=m, reduction=red)
    cases = reductions_cases(lambda red: f(red, 1.0), ins, ["input"], {}, none_shape=(3, 4))
    cases.append(grad_case("margin 2", f("mean", 2.0), ins, ["input"], {"margin": 2.0}))
    kink = {"input": [1.0, 0.5, 1.0], "target": [-1.0, -1.0, 1.0]}
    cases.append(grad_case("margin - x exactly 0", f("none", 1.0), kink, ["input"], {"reduction": "none"}))
    write_fixture("hingeEmbedding", GEN, f"{versions()}: torch.nn.functional.hinge_embedding_loss", SEED, cases)


def gen_cosine_embedding():
    r = rng(SEED + 3)
    x1 = r.normal(size=(4, 5))
    x2 = r.normal(size=(4, 5))
    y = np.array([1.0, -1.0, -1.0, 1.0])
    ins = {"input1": x1, "input2": x2, "target": y}
    diff = ["input1", "input2"]
    f = lambda red, m: lambda input1, input2, target: F.cosine_embedding_loss(input1, input2, target, margin=m, reduction=red)
    cases = reductions_cases(lambda red: f(red, -0.2), ins, diff, {"margin": -0.2}, none_shape=(4,))
    cases.append(grad_case("default margin 0", f("mean", 0.0), ins, diff, {}))
    zero = {"input1": [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [1.0, 2.0, -1.0]], "input2": [[0.5, -1.0, 2.0], [0.5, -1.0, 2.0], [0.0, 0.0, 0.0]], "target": [1.0, -1.0, -1.0]}
    cases.append(grad_case("zero vectors (torch's 1e-12 in the norms)", f("none", 0.0), zero, diff, {"reduction": "none"}))
    one = {"input1": [0.3, -0.8, 1.1], "input2": [0.9, 0.2, 0.4], "target": 1.0}
    cases.append(grad_case("one pair of 1-D embeddings", f("sum", 0.0), one, diff, {"reduction": "sum"}))
    write_fixture("cosineEmbedding", GEN, f"{versions()}: torch.nn.functional.cosine_embedding_loss", SEED, cases)


def gen_triplet_margin():
    r = rng(SEED + 4)
    a = r.normal(size=(4, 3))
    p = a + 0.5 * r.normal(size=(4, 3))
    n = r.normal(size=(4, 3))
    ins = {"anchor": a, "positive": p, "negative": n}
    diff = ["anchor", "positive", "negative"]
    f = lambda red, **kw: lambda anchor, positive, negative: F.triplet_margin_loss(anchor, positive, negative, reduction=red, **kw)
    cases = reductions_cases(lambda red: f(red), ins, diff, {}, none_shape=(4,))
    for opts in ({"swap": True}, {"p": 1.0}, {"p": 3.0, "margin": 2.0}, {"p": 1.5, "eps": 0.0, "swap": True}, {"eps": 0.01, "margin": 0.2}):
        cases.append(grad_case(f"options {opts}", f("none", **opts), ins, diff, dict(opts, reduction="none")))
    # Swap with d(a, n) = d(p, n) exactly (positive = anchor): torch.min halves the gradient.
    tie = {"anchor": [[0.5, -0.25]], "positive": [[0.5, -0.25]], "negative": [[1.0, 0.75]]}
    cases.append(grad_case("swap with tied negative distances", f("none", swap=True, margin=2.0), tie, diff, {"swap": True, "margin": 2.0, "reduction": "none"}))
    # Hinge argument exactly 0 with eps 0: d(a,p) = 1, d(a,n) = 2, margin 1.
    kink = {"anchor": [[0.0, 0.0]], "positive": [[1.0, 0.0]], "negative": [[0.0, 2.0]]}
    cases.append(grad_case("hinge argument exactly 0", f("none", eps=0.0), kink, diff, {"eps": 0.0, "reduction": "none"}))
    one = {"anchor": [0.1, 0.2, 0.3], "positive": [0.2, 0.1, 0.5], "negative": [0.15, 0.3, 0.2]}
    cases.append(grad_case("one 1-D triplet", f("sum"), one, diff, {"reduction": "sum"}))
    write_fixture("tripletMargin", GEN, f"{versions()}: torch.nn.functional.triplet_margin_loss", SEED, cases)


def contrastive_ref(x1, x2, y, margin, red):
    d = torch.norm(x1 - x2, p=2, dim=-1)
    loss = y * 0.5 * d ** 2 + (1 - y) * 0.5 * torch.clamp_min(margin - d, 0) ** 2
    return reduce(loss, red)


def gen_contrastive():
    r = rng(SEED + 5)
    x1 = r.normal(size=(5, 3)) * 0.5
    x2 = r.normal(size=(5, 3)) * 0.5
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.0])
    ins = {"input1": x1, "input2": x2, "target": y}
    diff = ["input1", "input2"]
    f = lambda red, m: lambda input1, input2, target: contrastive_ref(input1, input2, target, m, red)
    cases = reductions_cases(lambda red: f(red, 1.0), ins, diff, {}, none_shape=(5,))
    cases.append(grad_case("margin 2.5", f("mean", 2.5), ins, diff, {"margin": 2.5}))
    same = {"input1": [[0.3, 0.4], [0.3, 0.4]], "input2": [[0.3, 0.4], [0.3, 0.4]], "target": [0.0, 1.0]}
    cases.append(grad_case("identical embeddings (d = 0)", f("none", 1.0), same, diff, {"reduction": "none"}))
    write_fixture("contrastive", GEN, f"{versions()}: Hadsell et al. 2006 Eq. 4 transcribed in torch", SEED, cases)


GENERATORS = {
    "marginRanking": gen_margin_ranking,
    "hingeEmbedding": gen_hinge_embedding,
    "cosineEmbedding": gen_cosine_embedding,
    "tripletMargin": gen_triplet_margin,
    "contrastive": gen_contrastive,
}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(GENERATORS):
        GENERATORS[name]()
