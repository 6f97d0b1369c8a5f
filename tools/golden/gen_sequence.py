"""Golden values for catalog section 7 (sequence and NLP), float64, seeded.

References:
- sequenceCrossEntropy: torch.nn.functional.cross_entropy (PyTorch 1.13.1) for the 'uniform' style; the
  'fairseq' style transcribes `label_smoothed_nll_loss` of facebookresearch/fairseq,
  fairseq/criterions/label_smoothed_cross_entropy.py at commit f7c559cf2e519f90f1a80b93c005901da7d1cbb8
  (eps_i = eps / (V - 1); loss = (1 - eps - eps_i) * nll + eps_i * smooth), in torch.
- policyGradient, minimumRisk: the formulas of Rennie et al. 2017 (SCST) and Shen et al. 2016 (MRT) in torch.
- ctc: torch.nn.functional.ctc_loss (PyTorch 1.13.1) for values; gradients by autograd through
  log_softmax (torch's ctc backward is a logits-convention gradient, see gen_ctc).
- crf: a torch transcription of kmkurn/pytorch-crf, torchcrf/__init__.py at commit 623e340 (v0.7.2)
  (`CRF.forward`, `_compute_score`, `_compute_normalizer`, `_viterbi_decode`), batch_first=True.
- sentenceBleu: a plain-Python transcription of sacreBLEU's BLEU (mjpost/sacrebleu,
  sacrebleu/metrics/bleu.py and sacrebleu/metrics/helpers.py), see gen_sentence_bleu.

Usage: /usr/bin/python3 tools/golden/gen_sequence.py [id ...]
"""

import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

from common import enc, grad_case, num, rng, value_case, versions, write_fixture

INF = math.inf
NAN = math.nan

SEED = 7001
GEN = "tools/golden/gen_sequence.py"


def error_case(name, inputs, options, code, int_inputs=()):
    return {
        "name": name,
        "inputs": {k: enc(np.asarray(v), "int32" if k in int_inputs else "float64") for k, v in inputs.items()},
        "options": options,
        "upstream": None,
        "value": 0,
        "grads": None,
        "error": code,
    }


# ---------------------------------------------------------------------------------------------------
# sequenceCrossEntropy


def fairseq_label_smoothed_nll_loss(lprobs, target, epsilon, ignore_index):
    """fairseq's label_smoothed_nll_loss (commit f7c559cf), reduce=False, on (M, V) lprobs and (M) target.

    fairseq gathers at the padding index, which is a valid token id there; losskit's padding id may be
    outside [0, V) (default -100), so the gather index is clamped to 0 at padding before masking.
    """
    target = target.unsqueeze(-1)
    pad_mask = target.eq(ignore_index)
    safe = target.masked_fill(pad_mask, 0)
    nll_loss = -lprobs.gather(dim=-1, index=safe)
    smooth_loss = -lprobs.sum(dim=-1, keepdim=True)
    nll_loss = nll_loss.masked_fill(pad_mask, 0.0)
    smooth_loss = smooth_loss.masked_fill(pad_mask, 0.0)
    eps_i = epsilon / (lprobs.size(-1) - 1)
    loss = (1.0 - epsilon - eps_i) * nll_loss + eps_i * smooth_loss
    return loss.squeeze(-1)


def seq_ce_ref(reduction, eps, style, ignore):
    def fn(input, target):
        N, T, V = input.shape
        x = input.reshape(-1, V)
        y = target.reshape(-1)
        ntok = int((y != ignore).sum())
        if style == "fairseq":
            per = fairseq_label_smoothed_nll_loss(F.log_softmax(x, dim=-1), y, eps, ignore)
        else:
            per = F.cross_entropy(x, y, ignore_index=ignore, label_smoothing=eps, reduction="none")
        if reduction == "none":
            return per.reshape(N, T)
        if reduction == "sum":
            return per.sum()
        if reduction == "sentenceMean":
            return per.sum() / N if N > 0 else per.sum() * 0
        # tokenMean: torch's own 'mean' (which divides by the non-ignored count, also with smoothing)
        if ntok == 0:
            return per.sum() * 0
        if style == "uniform":
            return F.cross_entropy(x, y, ignore_index=ignore, label_smoothing=eps, reduction="mean")
        return per.sum() / ntok

    return fn


def gen_sequence_cross_entropy():
    r = rng(SEED)
    N, T, V = 3, 4, 5
    x = r.normal(size=(N, T, V)) * 1.5
    y = r.integers(0, V, size=(N, T))
    y[0, 3] = -100
    y[1, 2:] = -100
    cases = []
    for style, eps in (("uniform", 0.0), ("uniform", 0.1), ("fairseq", 0.1), ("uniform", 1.0), ("fairseq", 0.3)):
        for red in ("tokenMean", "sentenceMean", "sum", "none"):
            opts = {"labelSmoothing": eps, "smoothingStyle": style, "reduction": red}
            cases.append(grad_case(f"{style} eps={eps} reduction={red}", seq_ce_ref(red, eps, style, -100), {"input": x, "target": y}, ["input"], opts, int_inputs=("target",)))
        up = r.normal(size=(N, T))
        opts = {"labelSmoothing": eps, "smoothingStyle": style, "reduction": "none"}
        cases.append(grad_case(f"{style} eps={eps} reduction=none with upstream", seq_ce_ref("none", eps, style, -100), {"input": x, "target": y}, ["input"], opts, upstream=up, int_inputs=("target",)))
    # padding id inside the vocabulary (fairseq's pad = 1)
    y1 = r.integers(0, V, size=(N, T))
    y1[2, 1:] = 1
    for style in ("uniform", "fairseq"):
        opts = {"ignoreIndex": 1, "labelSmoothing": 0.2, "smoothingStyle": style}
        cases.append(grad_case(f"{style} with ignoreIndex=1 (a vocabulary id)", seq_ce_ref("tokenMean", 0.2, style, 1), {"input": x, "target": y1}, ["input"], opts, int_inputs=("target",)))
    # every position padding: 0 with zero gradient (torch's mean would be NaN)
    yp = np.full((2, 2), -100)
    xp = r.normal(size=(2, 2, 3))
    for red in ("tokenMean", "sentenceMean", "sum"):
        cases.append(grad_case(f"all padding reduction={red}", seq_ce_ref(red, 0.1, "uniform", -100), {"input": xp, "target": yp}, ["input"], {"labelSmoothing": 0.1, "reduction": red}, int_inputs=("target",)))
    # large logits (stability) and a vocabulary of two
    xl = r.normal(size=(2, 3, 2)) * 300
    yl = r.integers(0, 2, size=(2, 3))
    for style in ("uniform", "fairseq"):
        cases.append(grad_case(f"{style} large logits, V=2", seq_ce_ref("sum", 0.1, style, -100), {"input": xl, "target": yl}, ["input"], {"labelSmoothing": 0.1, "smoothingStyle": style, "reduction": "sum"}, int_inputs=("target",)))
    # a -inf logit on a non-target token: unsmoothed loss finite, smoothed +inf
    xi = np.array([[[0.5, -INF, 1.0], [0.2, 0.1, -0.3]]])
    yi = np.array([[0, 2]])
    cases.append(grad_case("a -Infinity logit without smoothing", seq_ce_ref("sum", 0.0, "uniform", -100), {"input": xi, "target": yi}, ["input"], {"reduction": "sum"}, int_inputs=("target",)))
    cases.append(value_case("a -Infinity logit with smoothing is +Infinity", {"input": xi, "target": yi}, {"labelSmoothing": 0.1, "reduction": "sum"}, float(seq_ce_ref("sum", 0.1, "uniform", -100)(torch.as_tensor(xi), torch.as_tensor(yi))), int_inputs=("target",)))
    write_fixture(
        "sequenceCrossEntropy",
        GEN,
        f"{versions()}: torch.nn.functional.cross_entropy ('uniform') and fairseq label_smoothed_nll_loss @f7c559cf transcribed in torch ('fairseq')",
        SEED,
        cases,
    )


# ---------------------------------------------------------------------------------------------------
# policyGradient: −(r − b)·Σ_t mask·logp (Rennie et al. 2017), advantage detached


def pg_ref(reduction, has_baseline, has_mask):
    def fn(logProbs, rewards, baseline=None, mask=None):
        adv = rewards - (baseline if has_baseline else 0.0)
        lp = logProbs if not has_mask else torch.where(mask == 1, logProbs, torch.zeros_like(logProbs))
        per = -adv.detach() * lp.sum(dim=1)
        if reduction == "mean":
            return per.mean() if per.numel() > 0 else per.sum()
        if reduction == "sum":
            return per.sum()
        return per

    return fn


def gen_policy_gradient():
    r = rng(SEED + 1)
    N, T = 4, 5
    lp = -np.abs(r.normal(size=(N, T))) * 2
    rew = r.uniform(0, 1, size=N)
    base = r.uniform(0, 1, size=N)
    mask = np.ones((N, T))
    mask[1, 3:] = 0
    mask[3, 1:] = 0
    cases = []
    for red in ("mean", "sum", "none"):
        cases.append(grad_case(f"baseline and mask reduction={red}", pg_ref(red, True, True), {"logProbs": lp, "rewards": rew, "baseline": base, "mask": mask}, ["logProbs"], {"reduction": red}))
    up = r.normal(size=N)
    cases.append(grad_case("baseline and mask reduction=none with upstream", pg_ref("none", True, True), {"logProbs": lp, "rewards": rew, "baseline": base, "mask": mask}, ["logProbs"], {"reduction": "none"}, upstream=up))
    cases.append(grad_case("no baseline, no mask", pg_ref("mean", False, False), {"logProbs": lp, "rewards": rew}, ["logProbs"], {}))
    cases.append(grad_case("scalar baseline", lambda logProbs, rewards, baseline: pg_ref("mean", True, False)(logProbs, rewards, baseline), {"logProbs": lp, "rewards": rew, "baseline": 0.4}, ["logProbs"], {}))
    # -inf log-probability at a masked position is skipped
    lpi = lp.copy()
    lpi[1, 4] = -INF
    cases.append(grad_case("-Infinity under the mask is skipped", pg_ref("sum", True, True), {"logProbs": lpi, "rewards": rew, "baseline": base, "mask": mask}, ["logProbs"], {"reduction": "sum"}))
    write_fixture("policyGradient", GEN, f"{versions()}: -(rewards - baseline).detach() * (mask * logProbs).sum(1) (Rennie et al. 2017, SCST) in torch", SEED + 1, cases)


# ---------------------------------------------------------------------------------------------------
# minimumRisk: Σ_k softmax(α·logp)_k·cost_k (Shen et al. 2016)


def mrt_ref(reduction, alpha):
    def fn(sequenceLogProbs, costs):
        q = torch.softmax(alpha * sequenceLogProbs, dim=1)
        per = (q * costs).sum(dim=1)
        if reduction == "mean":
            return per.mean()
        if reduction == "sum":
            return per.sum()
        return per

    return fn


def gen_minimum_risk():
    r = rng(SEED + 2)
    N, K = 3, 6
    lp = -np.abs(r.normal(size=(N, K))) * 15 - 5
    cost = r.uniform(0, 1, size=(N, K))
    cases = []
    for alpha in (5e-3, 0.3, 1.0):
        for red in ("mean", "sum", "none"):
            opts = {"reduction": red} if alpha == 5e-3 else {"alpha": alpha, "reduction": red}
            cases.append(grad_case(f"alpha={alpha} reduction={red}", mrt_ref(red, alpha), {"sequenceLogProbs": lp, "costs": cost}, ["sequenceLogProbs"], opts))
    up = r.normal(size=N)
    cases.append(grad_case("alpha=0.3 reduction=none with upstream", mrt_ref("none", 0.3), {"sequenceLogProbs": lp, "costs": cost}, ["sequenceLogProbs"], {"alpha": 0.3, "reduction": "none"}, upstream=up))
    lpb = lp.copy()
    lpb[0, 2] = -INF
    lpb[2] *= 40
    cases.append(grad_case("an impossible candidate and very peaked scores", mrt_ref("sum", 1.0), {"sequenceLogProbs": lpb, "costs": cost}, ["sequenceLogProbs"], {"alpha": 1.0, "reduction": "sum"}))
    cases.append(grad_case("one candidate (gradient 0)", mrt_ref("mean", 0.5), {"sequenceLogProbs": [[-3.0], [-1.0]], "costs": [[0.25], [0.75]]}, ["sequenceLogProbs"], {"alpha": 0.5}))
    write_fixture("minimumRisk", GEN, f"{versions()}: (softmax(alpha * logp, 1) * costs).sum(1) (Shen et al. 2016) in torch", SEED + 2, cases)


# ---------------------------------------------------------------------------------------------------
# ctc: values from torch.nn.functional.ctc_loss; the true gradient with respect to log_probs from
# autograd through Graves et al.'s forward recursion written in probability space (exact in float64
# for these short inputs, no log-space NaN traps in autograd). The generator asserts that this
# forward equals torch's ctc_loss, and records torch's own (logits-convention) backward as
# "torchGrad" for the log-softmax relation test.


def ctc_forward_prob_space(lp, targets, il, tl, blank):
    """Per-sample −log p(target) by the CTC forward algorithm in probability space (autograd-able)."""
    T, N, C = lp.shape
    losses = []
    feasible = []
    for n in range(N):
        L = int(tl[n])
        Tn = int(il[n])
        lab = [int(v) for v in (targets[n, :L] if targets.dim() == 2 else targets[int(tl[:n].sum()):int(tl[:n].sum()) + L])]
        ext = [blank]
        for c in lab:
            ext += [c, blank]
        Sp = len(ext)
        if Tn == 0:
            p = torch.tensor(1.0 if L == 0 else 0.0)
        else:
            y = lp[:Tn, n, :].exp()
            alpha = [y[0, ext[s]] if s < 2 else torch.tensor(0.0) for s in range(Sp)]
            for t in range(1, Tn):
                new = []
                for s in range(Sp):
                    v = alpha[s]
                    if s >= 1:
                        v = v + alpha[s - 1]
                    if s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]:
                        v = v + alpha[s - 2]
                    new.append(v * y[t, ext[s]])
                alpha = new
            p = alpha[Sp - 1] + (alpha[Sp - 2] if Sp >= 2 else 0.0)
        feasible.append(bool(p > 0))
        losses.append(-torch.log(p) if p > 0 else None)
    return losses, feasible


def ctc_case(name, lp, targets, il, tl, opts, upstream=None):
    blank = opts.get("blank", 0)
    zi = opts.get("zeroInfinity", False)
    red = opts.get("reduction", "mean")
    lp_t = torch.as_tensor(np.asarray(lp, dtype=np.float64))
    tg = torch.as_tensor(np.asarray(targets), dtype=torch.int64)
    il_t = torch.as_tensor(np.asarray(il), dtype=torch.int64)
    tl_t = torch.as_tensor(np.asarray(tl), dtype=torch.int64)
    T, N, C = lp_t.shape
    # torch: value and its own backward
    leaf = lp_t.clone().requires_grad_(True)
    tv = F.ctc_loss(leaf, tg, il_t, tl_t, blank=blank, reduction=red, zero_infinity=zi)
    tot = tv if tv.dim() == 0 else (tv * (torch.ones_like(tv) if upstream is None else torch.as_tensor(np.asarray(upstream, dtype=np.float64)))).sum()
    if upstream is not None and tv.dim() == 0:
        tot = tv * float(upstream)
    tot.backward()
    torch_grad = leaf.grad.clone()
    # transcription: true gradient
    x = lp_t.clone().requires_grad_(True)
    per, feas = ctc_forward_prob_space(x, tg, il_t, tl_t, blank)
    zero = (x * 0).sum()
    vals = []
    for n in range(N):
        if per[n] is None:
            vals.append(zero if zi else zero + INF)
        else:
            vals.append(per[n])
    per_t = torch.stack(vals) if N > 0 else x.new_zeros(0)
    if red == "none":
        value = per_t
    elif red == "sum":
        value = per_t.sum()
    else:
        value = (per_t / tl_t.clamp_min(1)).mean() if N > 0 else per_t.sum()
    # the transcription agrees with torch's ctc_loss (except torch's uninitialised value at il = tl = 0)
    ok = torch.ones(N, dtype=torch.bool) if red != "none" else ~((il_t == 0) & (tl_t == 0))
    if red == "none":
        assert torch.allclose(value[ok], tv.detach()[ok], rtol=1e-12, atol=0), (name, value, tv)
    elif not bool(((il_t == 0) & (tl_t == 0)).any()):
        assert torch.allclose(value, tv.detach(), rtol=1e-12, atol=0) or (math.isinf(float(tv)) and float(value) == float(tv)), (name, value, tv)
    if value.dim() == 0:
        total = value * (1.0 if upstream is None else float(upstream))
    else:
        total = (value * (torch.ones_like(value) if upstream is None else torch.as_tensor(np.asarray(upstream, dtype=np.float64)))).sum()
    grad = torch.zeros_like(x)
    if total.requires_grad:
        total.backward()
        grad = x.grad.clone()
    for n in range(N):
        if not feas[n] and not zi:
            grad[: int(il_t[n]), n, :] = NAN  # catalog: NaN gradient for an infeasible sample (as torch)
    # torch's backward is softmax − occupancy (logits convention): equal to the true gradient plus
    # c_n·exp(logProbs) on live frames (checked here for normalised inputs).
    case = {
        "name": name,
        "inputs": {
            "logProbs": enc(lp_t),
            "targets": enc(tg, "int32"),
            "inputLengths": enc(il_t, "int32"),
            "targetLengths": enc(tl_t, "int32"),
        },
        "options": opts,
        "upstream": None if upstream is None else (num(upstream) if np.isscalar(upstream) else enc(np.asarray(upstream, dtype=np.float64))),
        "value": enc(value.detach()) if value.dim() > 0 else num(value),
        "grads": {"logProbs": enc(grad)},
        "torchGrad": enc(torch_grad),
    }
    return case


def gen_ctc():
    r = rng(SEED + 3)
    T, N, C = 6, 4, 4
    lp = torch.log_softmax(torch.as_tensor(r.normal(size=(T, N, C)) * 1.2), dim=2)
    tg = np.array([[1, 2, 3], [2, 2, 0], [3, 1, 1], [1, -1, -1]])  # padding beyond lengths: 0 / -1
    il = [6, 5, 6, 3]
    tl = [3, 2, 3, 1]
    cases = []
    for red in ("mean", "sum", "none"):
        cases.append(ctc_case(f"uneven lengths reduction={red}", lp, tg, il, tl, {"reduction": red}))
    cases.append(ctc_case("uneven lengths reduction=none with upstream", lp, tg, il, tl, {"reduction": "none"}, upstream=r.normal(size=N)))
    cases.append(ctc_case("concatenated targets", lp, np.array([1, 2, 3, 2, 2, 3, 1, 1, 1]), il, tl, {"reduction": "mean"}))
    cases.append(ctc_case("blank = 3 (last class)", lp, np.array([[1, 2, 0], [2, 2, 0], [0, 1, 1], [1, 0, 0]]), il, tl, {"blank": 3, "reduction": "sum"}))
    # target of length 0 (only blanks) and an input exactly as long as the target needs (repeats need a blank)
    cases.append(ctc_case("a target of length 0 and a tight input", lp, np.array([[0, 0, 0], [2, 2, 0], [1, 2, 3], [1, 1, 1]]), [4, 3, 3, 6], [0, 2, 3, 0], {"reduction": "mean"}))
    # infeasible: [2, 2] needs 3 frames, [1, 2, 3] needs 3
    inf_tg = np.array([[2, 2, 0], [1, 2, 3], [1, 0, 0], [3, 0, 0]])
    inf_il = [2, 2, 4, 1]
    inf_tl = [2, 3, 1, 1]
    for zi in (False, True):
        for red in ("mean", "none"):
            cases.append(ctc_case(f"infeasible samples zeroInfinity={zi} reduction={red}", lp, inf_tg, inf_il, inf_tl, {"zeroInfinity": zi, "reduction": red}))
    # unnormalised log-probabilities (the loss does not renormalise) and a longer sequence
    raw = torch.as_tensor(r.normal(size=(3, 2, 3)))
    cases.append(ctc_case("unnormalised log-probabilities", raw, np.array([[1, 2], [2, 0]]), [3, 3], [2, 1], {"reduction": "sum"}))
    T2 = 30
    lp2 = torch.log_softmax(torch.as_tensor(r.normal(size=(T2, 2, 5)) * 2), dim=2)
    tg2 = r.integers(1, 5, size=(2, 12))
    cases.append(ctc_case("T=30 with 12 labels", lp2, tg2, [30, 27], [12, 9], {"reduction": "mean"}))
    write_fixture("ctc", GEN, f"{versions()}: torch.nn.functional.ctc_loss values; true gradient w.r.t. log_probs by autograd through the CTC forward recursion (torch's own backward in torchGrad)", SEED + 3, cases)


# ---------------------------------------------------------------------------------------------------
# crf: pytorch-crf is not on Debian. Transcription in torch of kmkurn/pytorch-crf torchcrf/__init__.py
# at commit 00843f54e6d3817422e779806dc96a129f53a85e (CRF.forward with batch_first=True: _compute_score,
# _compute_normalizer; CRF.decode: _viterbi_decode), written here from its semantics. losskit's value
# is −forward; gradients by autograd.


class TorchCrfTranscription:
    def __init__(self, transitions, start, end):
        self.transitions = transitions
        self.start_transitions = start
        self.end_transitions = end

    def forward(self, emissions, tags, mask, reduction):
        # batch_first=True: (N, T, K) -> (T, N, K)
        emissions = emissions.transpose(0, 1)
        tags = tags.transpose(0, 1)
        mask = mask.transpose(0, 1)
        llh = self.score(emissions, tags, mask) - self.normalizer(emissions, mask)
        if reduction == "none":
            return llh
        if reduction == "sum":
            return llh.sum()
        if reduction == "mean":
            return llh.mean()
        return llh.sum() / mask.to(emissions.dtype).sum()  # token_mean

    def score(self, emissions, tags, mask):
        T, N = tags.shape
        maskf = mask.to(emissions.dtype)
        ar = torch.arange(N)
        score = self.start_transitions[tags[0]] + emissions[0, ar, tags[0]]
        for i in range(1, T):
            score = score + self.transitions[tags[i - 1], tags[i]] * maskf[i]
            score = score + emissions[i, ar, tags[i]] * maskf[i]
        seq_ends = mask.long().sum(dim=0) - 1
        last_tags = tags[seq_ends, ar]
        return score + self.end_transitions[last_tags]

    def normalizer(self, emissions, mask):
        T = emissions.size(0)
        score = self.start_transitions + emissions[0]
        for i in range(1, T):
            nxt = torch.logsumexp(score.unsqueeze(2) + self.transitions + emissions[i].unsqueeze(1), dim=1)
            score = torch.where(mask[i].bool().unsqueeze(1), nxt, score)
        return torch.logsumexp(score + self.end_transitions, dim=1)

    def decode(self, emissions, mask):
        emissions = emissions.transpose(0, 1)
        mask = mask.transpose(0, 1)
        T, N = mask.shape
        score = self.start_transitions + emissions[0]
        history = []
        for i in range(1, T):
            nxt, idx = (score.unsqueeze(2) + self.transitions + emissions[i].unsqueeze(1)).max(dim=1)
            score = torch.where(mask[i].bool().unsqueeze(1), nxt, score)
            history.append(idx)
        score = score + self.end_transitions
        seq_ends = mask.long().sum(dim=0) - 1
        out = []
        for b in range(N):
            best = [int(score[b].max(dim=0)[1])]
            for hist in reversed(history[: int(seq_ends[b])]):
                best.append(int(hist[b][best[-1]]))
            best.reverse()
            out.append(best)
        return out


def crf_case(name, em, tags, mask, trans, start, end, red, upstream=None):
    def fn(emissions, tags, transitions, startTransitions, endTransitions, mask=None):
        m = mask if mask is not None else torch.ones_like(tags)
        return -TorchCrfTranscription(transitions, startTransitions, endTransitions).forward(emissions, tags, m.to(torch.int64), red)

    inputs = {"emissions": em, "tags": tags, "transitions": trans, "startTransitions": start, "endTransitions": end}
    if mask is not None:
        inputs["mask"] = mask
    case = grad_case(name, fn, inputs, ["emissions", "transitions", "startTransitions", "endTransitions"], {"reduction": red}, upstream=upstream, int_inputs=("tags",))
    m = torch.as_tensor(np.asarray(mask if mask is not None else np.ones(np.asarray(tags).shape)), dtype=torch.int64)
    crf = TorchCrfTranscription(torch.as_tensor(np.asarray(trans, dtype=np.float64)), torch.as_tensor(np.asarray(start, dtype=np.float64)), torch.as_tensor(np.asarray(end, dtype=np.float64)))
    case["decode"] = crf.decode(torch.as_tensor(np.asarray(em, dtype=np.float64)), m)
    return case


def gen_crf():
    r = rng(SEED + 4)
    N, T, K = 3, 5, 4
    em = r.normal(size=(N, T, K))
    tags = r.integers(0, K, size=(N, T))
    mask = np.ones((N, T))
    mask[1, 3:] = 0
    mask[2, 1:] = 0
    trans = r.uniform(-0.5, 0.5, size=(K, K))
    start = r.uniform(-0.3, 0.3, size=K)
    end = r.uniform(-0.3, 0.3, size=K)
    cases = []
    for red in ("mean", "sum", "tokenMean", "none"):
        cases.append(crf_case(f"uneven masks reduction={red}", em, tags, mask, trans, start, end, red))
    cases.append(crf_case("uneven masks reduction=none with upstream", em, tags, mask, trans, start, end, "none", upstream=r.normal(size=N)))
    cases.append(crf_case("no mask", em, tags, None, trans, start, end, "mean"))
    # larger scores (peaked posteriors), one tag, and length-1 sequences
    cases.append(crf_case("large scores", em * 20, tags, mask, trans * 30, start * 10, end * 10, "sum"))
    cases.append(crf_case("one tag", r.normal(size=(2, 3, 1)), np.zeros((2, 3), dtype=np.int64), np.array([[1, 1, 0], [1, 1, 1]]), [[0.3]], [0.1], [-0.2], "sum"))
    cases.append(crf_case("sequences of length 1", r.normal(size=(2, 1, 3)), np.array([[2], [0]]), None, trans[:3, :3], start[:3], end[:3], "mean"))
    N2, T2, K2 = 4, 12, 6
    m2 = np.ones((N2, T2))
    for n, L in enumerate([12, 7, 1, 10]):
        m2[n, L:] = 0
    cases.append(crf_case("N=4, T=12, K=6", r.normal(size=(N2, T2, K2)) * 2, r.integers(0, K2, size=(N2, T2)), m2, r.normal(size=(K2, K2)), r.normal(size=K2), r.normal(size=K2), "tokenMean"))
    write_fixture("crf", GEN, f"{versions()}: kmkurn/pytorch-crf torchcrf/__init__.py @00843f54 (CRF.forward, batch_first) transcribed in torch, negated; 'decode' = CRF.decode", SEED + 4, cases)


# ---------------------------------------------------------------------------------------------------
# sentenceBleu: a plain-Python transcription of sacreBLEU's sentence BLEU (mjpost/sacrebleu at commit
# f615c7286d4d813370efb824d94fc2bfcd3a6b94: sacrebleu/compat.py sentence_bleu (smooth_method='exp',
# use_effective_order=True), sacrebleu/metrics/bleu.py BLEU.compute_bleu, _get_closest_ref_len and
# _compute_segment_statistics, sacrebleu/metrics/helpers.py extract_all_word_ngrams, sacrebleu/utils.py
# my_log), on token ids joined by spaces with tokenize='none'. When SACREBLEU_PATH points at an
# installed sacreBLEU (e.g. pip --target from a local wheel), every value is also checked against
# sacrebleu.sentence_bleu in a subprocess.

SMOOTH_DEFAULTS = {"none": None, "floor": 0.1, "add-k": 1, "exp": None}


def sb_my_log(x):
    return -9999999999 if x == 0.0 else math.log(x)


def sb_ngrams(tokens, max_order):
    from collections import Counter

    grams = []
    for n in range(1, max_order + 1):
        for i in range(0, len(tokens) - n + 1):
            grams.append(tuple(tokens[i : i + n]))
    return Counter(grams), len(tokens)


def sb_sentence_bleu(hyp_ids, ref_ids, max_order=4, smooth_method="exp", smooth_value=None):
    hyp = " ".join(str(v) for v in hyp_ids).split()
    ref = " ".join(str(v) for v in ref_ids).split()
    ref_ngrams, ref_len = sb_ngrams(ref, max_order)
    hyp_ngrams, hyp_len = sb_ngrams(hyp, max_order)
    correct = [0] * max_order
    total = [0] * max_order
    for g, c in hyp_ngrams.items():
        n = len(g) - 1
        total[n] += c
        if g in ref_ngrams:
            correct[n] += min(c, ref_ngrams[g])
    if smooth_value is None:
        smooth_value = SMOOTH_DEFAULTS[smooth_method]
    bp = 1.0
    if hyp_len < ref_len:
        bp = math.exp(1 - ref_len / hyp_len) if hyp_len > 0 else 0.0
    precisions = [0.0] * max_order
    if not any(correct):
        return 0.0
    smooth_mteval = 1.0
    eff_order = max_order
    for n in range(1, max_order + 1):
        if smooth_method == "add-k" and n > 1:
            correct[n - 1] += smooth_value
            total[n - 1] += smooth_value
        if total[n - 1] == 0:
            break
        eff_order = n  # use_effective_order=True
        if correct[n - 1] == 0:
            if smooth_method == "exp":
                smooth_mteval *= 2
                precisions[n - 1] = 100.0 / (smooth_mteval * total[n - 1])
            elif smooth_method == "floor":
                precisions[n - 1] = 100.0 * smooth_value / total[n - 1]
        else:
            precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1]
    return bp * math.exp(sum([sb_my_log(p) for p in precisions[:eff_order]]) / eff_order)


def sacrebleu_check(items):
    """Compares with the real sacreBLEU when SACREBLEU_PATH is set; returns how many were checked."""
    import json
    import os
    import subprocess

    path = os.environ.get("SACREBLEU_PATH")
    if not path:
        return 0
    prog = (
        "import json,sys,sacrebleu\n"
        "out=[]\n"
        "for h,r,o,s,v in json.load(sys.stdin):\n"
        "    b=sacrebleu.metrics.BLEU(tokenize='none',smooth_method=s,smooth_value=v,max_ngram_order=o,effective_order=True)\n"
        "    out.append(b.sentence_score(' '.join(map(str,h)),[' '.join(map(str,r))]).score)\n"
        "print(json.dumps(out))\n"
    )
    res = subprocess.run(["/usr/bin/python3", "-c", prog], input=json.dumps(items), capture_output=True, text=True, env={"PYTHONPATH": path}, check=True)
    got = json.loads(res.stdout)
    for (h, r, o, sm, v), g in zip(items, got):
        want = sb_sentence_bleu(h, r, o, sm, v)
        assert abs(g - want) <= 1e-12 * max(1.0, abs(want)), (h, r, o, sm, v, g, want)
    return len(items)


def gen_sentence_bleu():
    r = rng(SEED + 5)
    pairs = [
        ("one substitution", [4, 8, 15, 16, 23, 42], [4, 8, 15, 16, 99, 42]),
        ("identical", [1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7]),
        ("no match at all", [1, 2, 3], [4, 5, 6]),
        ("short hypothesis (brevity penalty)", [1, 2, 3], [1, 2, 3, 4, 5]),
        ("longer hypothesis", [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4]),
        ("unigram matches only", [1, 9, 2, 8, 3], [1, 2, 3, 4, 5]),
        ("repeated tokens (clipped counts)", [7, 7, 7, 7, 7], [7, 7, 3, 7]),
        ("one-token hypothesis", [3], [1, 2, 3]),
        ("two tokens, effective order 2", [2, 3], [1, 2, 3, 4]),
        ("negative and large ids", [-5, 100000, 7, -5, 100000], [-5, 100000, 7, 8]),
        ("empty hypothesis", [], [1, 2]),
        ("empty reference", [1, 2], []),
    ]
    for k in range(4):
        L1 = int(r.integers(3, 25))
        L2 = int(r.integers(3, 25))
        pairs.append((f"random {k + 1}", [int(v) for v in r.integers(0, 6, size=L1)], [int(v) for v in r.integers(0, 6, size=L2)]))
    settings = [("exp", None, 4), ("none", None, 4), ("floor", None, 4), ("floor", 0.3, 4), ("add-k", None, 4), ("add-k", 2, 4), ("exp", None, 2), ("exp", None, 6)]
    cases = []
    check = []
    for name, h, ref in pairs:
        for sm, v, o in settings:
            opts = {}
            if sm != "exp":
                opts["smoothing"] = sm
            if v is not None:
                opts["smoothValue"] = v
            if o != 4:
                opts["maxOrder"] = o
            value = sb_sentence_bleu(h, ref, o, sm, v)
            cases.append(value_case(f"{name} ({sm}{'' if v is None else f' {v}'}, maxOrder {o})", {"hypothesis": np.asarray(h, dtype=np.int64), "reference": np.asarray(ref, dtype=np.int64)}, opts, value, int_inputs=("hypothesis", "reference")))
            check.append((h, ref, o, sm, v))
    checked = sacrebleu_check(check)
    # The committed fixture was checked this way against sacreBLEU 2.6.0 (all 128 values agree to 1e-12).
    ref_note = "sacreBLEU sentence_bleu (tokenize='none', effective order) transcribed in plain Python @f615c72"
    if checked:
        print(f"sentenceBleu: {checked} values agree with the installed sacreBLEU", file=sys.stderr)
    write_fixture("sentenceBleu", GEN, ref_note, SEED + 5, cases)


GENERATORS = {
    "sequenceCrossEntropy": gen_sequence_cross_entropy,
    "policyGradient": gen_policy_gradient,
    "minimumRisk": gen_minimum_risk,
    "ctc": gen_ctc,
    "crf": gen_crf,
    "sentenceBleu": gen_sentence_bleu,
}

if __name__ == "__main__":
    wanted = sys.argv[1:] or list(GENERATORS)
    for k in wanted:
        GENERATORS[k]()
