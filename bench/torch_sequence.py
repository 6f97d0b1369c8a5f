"""PyTorch side of bench/sequence.mjs: CTC (torch.nn.functional.ctc_loss) and a linear-chain CRF (a torch
transcription of pytorch-crf's CRF.forward, batch first: gold-path score and forward-algorithm
normaliser, gradient by autograd) on the same sizes, value + gradient, printed as JSON. Not a test.
"""

import json
import sys
import timeit

import torch
import torch.nn.functional as F

T, N, C, S = (int(v) for v in sys.argv[1:5]) if len(sys.argv) > 4 else (200, 32, 80, 40)
CN, CT, CK = (int(v) for v in sys.argv[5:8]) if len(sys.argv) > 7 else (64, 128, 50)


def best_ms(fn, min_time=0.5):
    fn()
    number = 1
    while True:
        t = timeit.timeit(fn, number=number)
        if t >= 0.2:
            break
        number *= 2
    reps = max(3, int(min_time / (t / number) / number))
    times = timeit.repeat(fn, number=number, repeat=min(reps, 5))
    return min(times) / number * 1000


def ctc_case(dtype):
    g = torch.Generator().manual_seed(7)
    lp = F.log_softmax(torch.randn(T, N, C, generator=g, dtype=dtype), dim=2)
    tg = torch.randint(1, C, (N, S), generator=g)
    il = torch.full((N,), T)
    tl = torch.full((N,), S)

    def run():
        a = lp.detach().requires_grad_(True)
        v = F.ctc_loss(a, tg, il, tl)
        v.backward()
        return v.item(), a.grad

    return run


def crf_case(dtype):
    g = torch.Generator().manual_seed(7)
    em = torch.randn(CN, CT, CK, generator=g, dtype=dtype)
    tags = torch.randint(0, CK, (CN, CT), generator=g)
    tr = torch.rand(CK, CK, generator=g, dtype=dtype) * 0.2 - 0.1
    st = torch.rand(CK, generator=g, dtype=dtype) * 0.2 - 0.1
    en = torch.rand(CK, generator=g, dtype=dtype) * 0.2 - 0.1
    ar = torch.arange(CN)

    def run():
        e = em.detach().requires_grad_(True)
        A = tr.detach().requires_grad_(True)
        s = st.detach().requires_grad_(True)
        d = en.detach().requires_grad_(True)
        ee = e.transpose(0, 1)
        tt = tags.transpose(0, 1)
        score = s[tt[0]] + ee[0, ar, tt[0]]
        for i in range(1, CT):
            score = score + A[tt[i - 1], tt[i]] + ee[i, ar, tt[i]]
        score = score + d[tt[-1]]
        alpha = s + ee[0]
        for i in range(1, CT):
            alpha = torch.logsumexp(alpha.unsqueeze(2) + A + ee[i].unsqueeze(1), dim=1)
        v = (torch.logsumexp(alpha + d, dim=1) - score).mean()
        v.backward()
        return v.item(), e.grad, A.grad

    return run


def main():
    result = {"torch": torch.__version__, "results": {}}
    for threads in (1, torch.get_num_threads()):
        torch.set_num_threads(threads)
        for dtype, name in ((torch.float32, "float32"), (torch.float64, "float64")):
            label = f"torch {name} ({threads} thread{'s' if threads > 1 else ''})"
            result["results"][f"ctc|{label}"] = best_ms(ctc_case(dtype))
            result["results"][f"crf|{label}"] = best_ms(crf_case(dtype))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
