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


GENERATORS = {
    "sequenceCrossEntropy": gen_sequence_cross_entropy,
    "policyGradient": gen_policy_gradient,
    "minimumRisk": gen_minimum_risk,
}

if __name__ == "__main__":
    wanted = sys.argv[1:] or list(GENERATORS)
    for k in wanted:
        GENERATORS[k]()
