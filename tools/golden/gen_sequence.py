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


GENERATORS = {
    "sequenceCrossEntropy": gen_sequence_cross_entropy,
}

if __name__ == "__main__":
    wanted = sys.argv[1:] or list(GENERATORS)
    for k in wanted:
        GENERATORS[k]()
