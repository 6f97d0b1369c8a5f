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


# ---------------------------------------------------------------------------------------------------
# infoNce and ntXent


def info_nce_ref(q, k, tau, normalize, red):
    if normalize:
        q = F.normalize(q, dim=1)
        k = F.normalize(k, dim=1)
    logits = q @ k.t() / tau
    return F.cross_entropy(logits, torch.arange(q.shape[0]), reduction=red)


def gen_info_nce():
    r = rng(SEED + 6)
    q = r.normal(size=(6, 4))
    k = q + 0.8 * r.normal(size=(6, 4))
    ins = {"query": q, "key": k}
    diff = ["query", "key"]
    f = lambda red, tau=0.07, nz=True: lambda query, key: info_nce_ref(query, key, tau, nz, red)
    cases = reductions_cases(lambda red: f(red, 0.3), ins, diff, {"temperature": 0.3}, none_shape=(6,))
    cases.append(grad_case("default temperature 0.07", f("mean"), ins, diff, {}))
    cases.append(grad_case("raw dot product (normalize=false)", f("none", 1.5, False), ins, diff, {"temperature": 1.5, "normalize": False, "reduction": "none"}))
    zero = {"query": np.vstack([np.zeros((1, 4)), q[1:3]]), "key": np.vstack([k[0:2], np.full((1, 4), 1e-13)])}
    cases.append(grad_case("a zero query and a key below F.normalize's eps", f("none", 0.5), zero, diff, {"temperature": 0.5, "reduction": "none"}))
    cases.append(grad_case("one pair (loss 0)", f("sum", 0.2), {"query": [[1.0, 2.0]], "key": [[0.5, -1.0]]}, diff, {"temperature": 0.2, "reduction": "sum"}))
    bq = r.normal(size=(41, 5))
    bk = bq + r.normal(size=(41, 5))
    up = r.normal(size=(41,))
    cases.append(grad_case("41 pairs (more than one block of 32 rows), upstream", f("none", 0.25), {"query": bq, "key": bk}, diff, {"temperature": 0.25, "reduction": "none"}, upstream=up))
    write_fixture("infoNce", GEN, f"{versions()}: F.cross_entropy(F.normalize(q) @ F.normalize(k).T / tau, arange(N))", SEED, cases)


def nt_xent_simclr(z1, z2, tau, red):
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.t() / tau
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool), -INF)
    pos = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    per_view = torch.logsumexp(sim, dim=1) - sim[torch.arange(2 * n), pos]
    return reduce(0.5 * (per_view[:n] + per_view[n:]), red)


def nt_xent_grace(z1, z2, tau, red):
    """GRACE.semi_loss / GRACE.loss (CRIPAC-DIG/GRACE model.py), 'none' = the per-node ret."""
    f = lambda x: torch.exp(x / tau)
    sim = lambda a, b: F.normalize(a) @ F.normalize(b).t()

    def semi(a, b):
        refl = f(sim(a, a))
        between = f(sim(a, b))
        return -torch.log(between.diag() / (refl.sum(1) + between.sum(1) - refl.diag()))

    return reduce((semi(z1, z2) + semi(z2, z1)) * 0.5, red)


def checked_nt_xent(red, tau):
    def fn(z1, z2):
        v = nt_xent_simclr(z1, z2, tau, red)
        g = nt_xent_grace(z1.detach(), z2.detach(), tau, red)
        assert torch.allclose(v.detach(), g, rtol=1e-12, atol=1e-13), (v, g)
        return v

    return fn


def gen_nt_xent():
    r = rng(SEED + 8)
    z1 = r.normal(size=(5, 4))
    z2 = z1 + 0.7 * r.normal(size=(5, 4))
    ins = {"z1": z1, "z2": z2}
    diff = ["z1", "z2"]
    cases = reductions_cases(lambda red: checked_nt_xent(red, 0.5), ins, diff, {}, none_shape=(5,))
    cases.append(grad_case("temperature 0.1", checked_nt_xent("mean", 0.1), ins, diff, {"temperature": 0.1}))
    zero = {"z1": np.vstack([np.zeros((1, 4)), z1[1:3]]), "z2": z2[0:3]}
    cases.append(grad_case("a zero embedding", checked_nt_xent("none", 0.7), zero, diff, {"temperature": 0.7, "reduction": "none"}))
    cases.append(grad_case("one pair (loss 0)", checked_nt_xent("sum", 0.5), {"z1": [[1.0, 2.0]], "z2": [[0.5, -1.0]]}, diff, {"reduction": "sum"}))
    b1 = r.normal(size=(19, 6))
    b2 = b1 + r.normal(size=(19, 6))
    up = r.normal(size=(19,))
    cases.append(grad_case("19 pairs (38 views, more than one block of 32 rows), upstream", checked_nt_xent("none", 0.4), {"z1": b1, "z2": b2}, diff, {"temperature": 0.4, "reduction": "none"}, upstream=up))
    write_fixture("ntXent", GEN, f"{versions()}: SimCLR NT-Xent in torch, equal to CRIPAC-DIG/GRACE@b3b5ac3 model.py GRACE.loss", SEED, cases)


GENERATORS = {
    "marginRanking": gen_margin_ranking,
    "hingeEmbedding": gen_hinge_embedding,
    "cosineEmbedding": gen_cosine_embedding,
    "tripletMargin": gen_triplet_margin,
    "contrastive": gen_contrastive,
    "infoNce": gen_info_nce,
    "ntXent": gen_nt_xent,
}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(GENERATORS):
        GENERATORS[name]()
