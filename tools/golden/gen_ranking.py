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

import itertools
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


# ---------------------------------------------------------------------------------------------------
# Slate losses: allRank (allegro/allRank@c884756, allrank/models/losses/*.py) transcribed in torch.
# Each *_slates function returns the per-slate values (losskit's 'none'); allRank's own reduction is
# their mean (or, for lambdaLoss, their sum). PADDED_Y_VALUE = -1, DEFAULT_EPS = 1e-10.

PAD = -1.0
EPS = 1e-10


def list_net_slates(y_pred, y_true, eps=EPS):
    """allrank/models/losses/listNet.py: listNet, before torch.mean."""
    y_pred = y_pred.clone()
    y_true = y_true.clone()
    mask = y_true == PAD
    y_pred[mask] = float("-inf")
    y_true[mask] = float("-inf")
    preds_smax = F.softmax(y_pred, dim=1)
    true_smax = F.softmax(y_true, dim=1)
    preds_smax = preds_smax + eps
    preds_log = torch.log(preds_smax)
    return -torch.sum(true_smax * preds_log, dim=1)


def list_mle_slates(y_pred, y_true, eps=EPS):
    """allrank/models/losses/listMLE.py: listMLE without the torch.randperm shuffle, with a stable sort."""
    y_true_sorted, indices = y_true.sort(descending=True, dim=-1, stable=True)
    mask = y_true_sorted == PAD
    preds_sorted_by_true = torch.gather(y_pred, dim=1, index=indices)
    preds_sorted_by_true[mask] = float("-inf")
    max_pred_values, _ = preds_sorted_by_true.max(dim=1, keepdim=True)
    preds_sorted_by_true_minus_max = preds_sorted_by_true - max_pred_values
    cumsums = torch.cumsum(preds_sorted_by_true_minus_max.exp().flip(dims=[1]), dim=1).flip(dims=[1])
    observation_loss = torch.log(cumsums + eps) - preds_sorted_by_true_minus_max
    observation_loss[mask] = 0.0
    return torch.sum(observation_loss, dim=1)


def approx_ndcg_slates(y_pred, y_true, eps=EPS, alpha=1.0):
    """allrank/models/losses/approxNDCG.py: approxNDCGLoss before -torch.mean; D in float64."""
    y_pred = y_pred.clone()
    y_true = y_true.clone()
    padded_mask = y_true == PAD
    y_pred[padded_mask] = float("-inf")
    y_true[padded_mask] = float("-inf")
    y_pred_sorted, indices_pred = y_pred.sort(descending=True, dim=-1, stable=True)
    y_true_sorted, _ = y_true.sort(descending=True, dim=-1)
    true_sorted_by_preds = torch.gather(y_true, dim=1, index=indices_pred)
    true_diffs = true_sorted_by_preds[:, :, None] - true_sorted_by_preds[:, None, :]
    padded_pairs_mask = torch.isfinite(true_diffs)
    padded_pairs_mask.diagonal(dim1=-2, dim2=-1).zero_()
    true_sorted_by_preds.clamp_(min=0.0)
    y_true_sorted.clamp_(min=0.0)
    pos_idxs = torch.arange(1, y_pred.shape[1] + 1)
    D = torch.log2(1.0 + pos_idxs.double())[None, :]
    maxDCGs = torch.sum((torch.pow(2, y_true_sorted) - 1) / D, dim=-1).clamp(min=eps)
    G = (torch.pow(2, true_sorted_by_preds) - 1) / maxDCGs[:, None]
    scores_diffs = y_pred_sorted[:, :, None] - y_pred_sorted[:, None, :]
    scores_diffs[~padded_pairs_mask] = 0.0
    approx_pos = 1.0 + torch.sum(padded_pairs_mask.double() * (torch.sigmoid(-alpha * scores_diffs).clamp(min=eps)), dim=-1)
    approx_D = torch.log2(1.0 + approx_pos)
    return -torch.sum(G / approx_D, dim=-1)


def ndcgLoss1_scheme(G, D, *args):
    return (G / D)[:, :, None]


def ndcgLoss2_scheme(G, D, *args):
    pos_idxs = torch.arange(1, G.shape[1] + 1, device=G.device)
    delta_idxs = torch.abs(pos_idxs[:, None] - pos_idxs[None, :])
    deltas = torch.abs(torch.pow(torch.abs(D[0, delta_idxs - 1]), -1.0) - torch.pow(torch.abs(D[0, delta_idxs]), -1.0))
    deltas.diagonal().zero_()
    return deltas[None, :, :] * torch.abs(G[:, :, None] - G[:, None, :])


def lambdaRank_scheme(G, D, *args):
    return torch.abs(torch.pow(D[:, :, None], -1.0) - torch.pow(D[:, None, :], -1.0)) * torch.abs(G[:, :, None] - G[:, None, :])


def ndcgLoss2PP_scheme(G, D, *args):
    return args[0] * ndcgLoss2_scheme(G, D) + lambdaRank_scheme(G, D)


def rankNet_scheme(G, D, *args):
    return 1.0


SCHEMES = {
    "ndcgLoss1": ndcgLoss1_scheme,
    "ndcgLoss2": ndcgLoss2_scheme,
    "lambdaRank": lambdaRank_scheme,
    "ndcgLoss2PP": ndcgLoss2PP_scheme,
    "rankNet": rankNet_scheme,
}


def lambda_loss_slates(y_pred, y_true, eps=EPS, weighing_scheme="ndcgLoss2PP", k=None, sigma=1.0, mu=10.0, reduction_log="binary"):
    """allrank/models/losses/lambdaLoss.py: lambdaLoss with the sum taken per slate; stable sorts, D in float64."""
    y_pred = y_pred.clone()
    y_true = y_true.clone()
    padded_mask = y_true == PAD
    y_pred[padded_mask] = float("-inf")
    y_true[padded_mask] = float("-inf")
    y_pred_sorted, indices_pred = y_pred.sort(descending=True, dim=-1, stable=True)
    y_true_sorted, _ = y_true.sort(descending=True, dim=-1)
    true_sorted_by_preds = torch.gather(y_true, dim=1, index=indices_pred)
    true_diffs = true_sorted_by_preds[:, :, None] - true_sorted_by_preds[:, None, :]
    padded_pairs_mask = torch.isfinite(true_diffs)
    if weighing_scheme != "ndcgLoss1":
        padded_pairs_mask = padded_pairs_mask & (true_diffs > 0)
    ndcg_at_k_mask = torch.zeros((y_pred.shape[1], y_pred.shape[1]), dtype=torch.bool)
    ndcg_at_k_mask[:k, :k] = 1
    true_sorted_by_preds.clamp_(min=0.0)
    y_true_sorted.clamp_(min=0.0)
    pos_idxs = torch.arange(1, y_pred.shape[1] + 1)
    D = torch.log2(1.0 + pos_idxs.double())[None, :]
    maxDCGs = torch.sum(((torch.pow(2, y_true_sorted) - 1) / D)[:, :k], dim=-1).clamp(min=eps)
    G = (torch.pow(2, true_sorted_by_preds) - 1) / maxDCGs[:, None]
    weights = SCHEMES[weighing_scheme](G, D, mu, true_sorted_by_preds)
    scores_diffs = (y_pred_sorted[:, :, None] - y_pred_sorted[:, None, :]).clamp(min=-1e8, max=1e8)
    scores_diffs.masked_fill(torch.isnan(scores_diffs), 0.0)
    weighted_probas = (torch.sigmoid(sigma * scores_diffs).clamp(min=eps) ** weights).clamp(min=eps)
    losses = torch.log(weighted_probas) if reduction_log == "natural" else torch.log2(weighted_probas)
    sel = padded_pairs_mask & ndcg_at_k_mask
    return -torch.where(sel, losses, torch.zeros_like(losses)).sum(dim=(1, 2))


def rank_net_parts(y_pred, y_true, weight_by_diff=False):
    """allrank/models/losses/rankNet.py: rankNet's per-pair BCE-with-logits terms, their slate and the pair count."""
    y_pred = y_pred.clone()
    y_true = y_true.clone()
    mask = y_true == PAD
    y_pred[mask] = float("-inf")
    y_true[mask] = float("-inf")
    b, l = y_true.shape
    document_pairs_candidates = list(itertools.product(range(l), repeat=2))
    pairs_true = y_true[:, document_pairs_candidates]
    selected_pred = y_pred[:, document_pairs_candidates]
    true_diffs = pairs_true[:, :, 0] - pairs_true[:, :, 1]
    pred_diffs = selected_pred[:, :, 0] - selected_pred[:, :, 1]
    the_mask = (true_diffs > 0) & (~torch.isinf(true_diffs))
    slate_of_pair = torch.arange(b)[:, None].expand(b, l * l)[the_mask]
    pred_diffs = pred_diffs[the_mask]
    weight = torch.abs(true_diffs)[the_mask] if weight_by_diff else None
    targets = torch.ones_like(pred_diffs)
    per_pair = F.binary_cross_entropy_with_logits(pred_diffs, targets, weight=weight, reduction="none")
    # allRank's own value: BCEWithLogitsLoss(weight=weight)(pred_diffs, targets), the mean over pairs.
    allrank_mean = torch.nn.BCEWithLogitsLoss(weight=weight)(pred_diffs, targets) if pred_diffs.numel() else None
    return per_pair, slate_of_pair, b, allrank_mean


def rank_net_value(red, weight_by_diff=False):
    def fn(scores, relevance):
        per_pair, slate, b, allrank_mean = rank_net_parts(scores, relevance, weight_by_diff)
        if red == "none":
            return torch.zeros(b).index_add(0, slate, per_pair)
        if red == "sum":
            return per_pair.sum()
        value = per_pair.sum() / per_pair.numel()
        assert torch.allclose(value, allrank_mean, rtol=1e-14, atol=0), (value, allrank_mean)
        return value

    return fn


def slate_value(per_slate, red):
    def fn(scores, relevance):
        v = per_slate(scores, relevance)
        return v.mean() if red == "mean" else v.sum() if red == "sum" else v

    return fn


def slate_batch(seed, b=3, l=6, levels=4, pad_last=2):
    r = rng(seed)
    scores = r.normal(size=(b, l))
    rel = r.integers(0, levels, size=(b, l)).astype(np.float64)
    rel[-1, l - pad_last :] = PAD
    return {"scores": scores, "relevance": rel}


PUBLISHED = [
    ("allRank test slate [0.5, 0.3, 0.5]", {"scores": [[0.5, 0.3, 0.5]], "relevance": [[0.5, 0.3, 0.5]]}),
    ("allRank test slate, padded", {"scores": [[0.5, 0.3, 0.5, 1.0]], "relevance": [[0.5, 0.3, 0.5, PAD]]}),
]


def slate_cases(entry, per_slate_of, option_sets, seed, extra_inputs=()):
    """Reductions of the default options on a random batch, then each option set in 'none'."""
    ins = slate_batch(SEED + seed)
    diff = ["scores"]
    cases = reductions_cases(lambda red: slate_value(per_slate_of({}), red), ins, diff, {}, none_shape=(3,), seed=seed)
    unpadded = slate_batch(SEED + seed, pad_last=0)
    for opts in option_sets:
        # With eps = 0 allRank's padded items give 0·log 0 = NaN (torch); losskit drops them, so the
        # eps = 0 cases use a batch without padding.
        batch = unpadded if opts.get("eps") == 0.0 else ins
        cases.append(grad_case(f"options {opts}", slate_value(per_slate_of(opts), "none"), batch, diff, dict(opts, reduction="none")))
    for name, inputs in list(PUBLISHED) + list(extra_inputs):
        cases.append(grad_case(name, slate_value(per_slate_of({}), "mean"), inputs, diff, {}))
    return cases


def gen_list_net():
    def per_slate_of(opts):
        return lambda scores, relevance: list_net_slates(scores, relevance, eps=opts.get("eps", EPS))

    ties = [("tied scores and relevance", {"scores": [[0.2, 0.2, -0.4, 0.9]], "relevance": [[1.0, 1.0, 0.0, 2.0]]})]
    cases = slate_cases("listNet", per_slate_of, [{"eps": 0.0}, {"eps": 1e-3}], 11, ties)
    cases.append(grad_case("allRank test slate [0.5, 0.2] with eps 0", slate_value(per_slate_of({"eps": 0.0}), "mean"), {"scores": [[0.5, 0.2]], "relevance": [[1.0, 0.0]]}, ["scores"], {"eps": 0.0}))
    write_fixture("listNet", GEN, f"{versions()}: {ALLRANK} allrank/models/losses/listNet.py transcribed in torch", SEED, cases)


def gen_list_mle():
    def per_slate_of(opts):
        return lambda scores, relevance: list_mle_slates(scores, relevance, eps=opts.get("eps", EPS))

    extra = [
        ("allRank test slate [0.5, 0.3] + padded", {"scores": [[0.5, 0.3, 0.5]], "relevance": [[1.0, 0.0, PAD]]}),
        ("tied relevance (stable order) and tied max scores", {"scores": [[0.7, 0.1, 0.7, -0.3, 0.7]], "relevance": [[1.0, 2.0, 1.0, 1.0, 0.0]]}),
    ]
    cases = slate_cases("listMle", per_slate_of, [{"eps": 0.0}, {"eps": 0.5}], 12, extra)
    write_fixture("listMle", GEN, f"{versions()}: {ALLRANK} allrank/models/losses/listMLE.py transcribed in torch (no shuffle, stable sort)", SEED, cases)


def gen_approx_ndcg():
    def per_slate_of(opts):
        return lambda scores, relevance: approx_ndcg_slates(scores, relevance, eps=opts.get("eps", EPS), alpha=opts.get("alpha", 1.0))

    extra = [("an all-irrelevant slate beside a graded one", {"scores": [[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]], "relevance": [[0.0, 0.0, 0.0], [2.0, 0.0, 1.0]]})]
    cases = slate_cases("approxNdcg", per_slate_of, [{"alpha": 3.0}, {"alpha": 0.5, "eps": 1e-3}], 13, extra)
    write_fixture("approxNdcg", GEN, f"{versions()}: {ALLRANK} allrank/models/losses/approxNDCG.py transcribed in torch (float64 discounts)", SEED, cases)


def gen_lambda_loss():
    def per_slate_of(opts):
        return lambda scores, relevance: lambda_loss_slates(
            scores,
            relevance,
            weighing_scheme=opts.get("scheme", "ndcgLoss2PP"),
            k=opts.get("k"),
            sigma=opts.get("sigma", 1.0),
            mu=opts.get("mu", 10.0),
            reduction_log=opts.get("logBase", "binary"),
        )

    option_sets = []
    for scheme in ("ndcgLoss2PP", "ndcgLoss1", "ndcgLoss2", "lambdaRank", "rankNet"):
        for log_base in ("binary", "natural"):
            for k in (None, 3):
                opts = {"scheme": scheme, "logBase": log_base}
                if k is not None:
                    opts["k"] = k
                option_sets.append(opts)
    option_sets += [{"sigma": 2.5, "mu": 4.0}, {"scheme": "lambdaRank", "k": 1}, {"k": 10}]
    ties = [("tied scores (stable sort by prediction)", {"scores": [[0.4, 0.4, -0.2, 0.4, 0.9]], "relevance": [[2.0, 0.0, 1.0, 3.0, 0.0]]})]
    cases = slate_cases("lambdaLoss", per_slate_of, option_sets, 14, ties)
    # The published allRank values are for other schemes and log bases than the default.
    for name, inputs in PUBLISHED:
        for opts in ({"scheme": "ndcgLoss1"}, {"scheme": "rankNet", "logBase": "natural"}):
            cases.append(grad_case(f"{name}, {opts}", slate_value(per_slate_of(opts), "sum"), inputs, ["scores"], dict(opts, reduction="sum")))
    write_fixture("lambdaLoss", GEN, f"{versions()}: {ALLRANK} allrank/models/losses/lambdaLoss.py transcribed in torch (stable sorts, float64 discounts, per-slate sums)", SEED, cases)


def gen_rank_net():
    ins = slate_batch(SEED + 15)
    diff = ["scores"]
    cases = reductions_cases(lambda red: rank_net_value(red), ins, diff, {}, none_shape=(3,), seed=15)
    for red in ("mean", "none"):
        cases.append(grad_case(f"weightByDiff, reduction={red}", rank_net_value(red, True), ins, diff, {"weightByDiff": True, "reduction": red}))
    pub = {"scores": [[0.5, 0.2, 0.1]], "relevance": [[1.0, 0.0, 0.0]]}
    cases.append(grad_case("allRank test slate [0.5, 0.2, 0.1]", rank_net_value("mean"), pub, diff, {}))
    pub_pad = {"scores": [[0.5, 0.2, 0.1, 0.66]], "relevance": [[1.0, 0.0, 0.0, PAD]]}
    cases.append(grad_case("allRank test slate, padded", rank_net_value("mean"), pub_pad, diff, {}))
    write_fixture("rankNet", GEN, f"{versions()}: {ALLRANK} allrank/models/losses/rankNet.py transcribed in torch", SEED, cases)


GENERATORS = {
    "marginRanking": gen_margin_ranking,
    "hingeEmbedding": gen_hinge_embedding,
    "cosineEmbedding": gen_cosine_embedding,
    "tripletMargin": gen_triplet_margin,
    "contrastive": gen_contrastive,
    "infoNce": gen_info_nce,
    "ntXent": gen_nt_xent,
    "listNet": gen_list_net,
    "listMle": gen_list_mle,
    "approxNdcg": gen_approx_ndcg,
    "lambdaLoss": gen_lambda_loss,
    "rankNet": gen_rank_net,
}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(GENERATORS):
        GENERATORS[name]()
