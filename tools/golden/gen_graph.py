"""Golden values for catalog section 8 (graph: gaeReconstruction, gaeDense, vgaeKl), float64, seeded.

PyTorch Geometric and tkipf/gae are not on Debian, so their loss code is transcribed in torch here and
autograd produces the gradients:

- PyG `GAE.recon_loss` and `VGAE.kl_loss`, pyg-team/pytorch_geometric
  torch_geometric/nn/models/autoencoder.py @ 03559e9176ff8810625a805989153853767c8f8b (EPS = 1e-15,
  MAX_LOGSTD = 10, InnerProductDecoder σ(z_i·z_j)):
    pos_loss = −log(σ(v_pos) + EPS).mean(); neg_loss = −log(1 − σ(v_neg) + EPS).mean(); pos + neg
    kl = −0.5·mean(sum(1 + 2·logstd − μ² − exp(logstd)², dim=1)), logstd.clamp(max=10)
  The reference below evaluates the same expressions in a rounding-safe arrangement: σ(v) + EPS as
  1 + (EPS − σ(−v)) through log1p for v ≥ 0 and 1 − σ(v) as σ(−v). It is checked against the literal
  PyG expressions on every case whose decoder logits are moderate (|v| ≤ 8, where the literal form
  still carries ~14 digits); for confident edges PyG's literal 1 − sigmoid(v) loses digits (e.g. 1e-4
  relative at v = 30), which a 1e-12 comparison would see.
- tkipf/gae gae/optimizer.py and gae/train.py @ 1fe204d2e1f738bae945483a65ceb5560303ab0e:
    pos_weight = (N² − ΣA)/ΣA, norm = N²/((N² − ΣA)·2), labels = A + I,
    cost = norm · mean(weighted_cross_entropy_with_logits(logits = ZZᵀ, labels, pos_weight))
  with TF's weighted_cross_entropy_with_logits = pos_weight·y·(−log σ(x)) + (1 − y)·(−log σ(−x)),
  written with torch.nn.functional.logsigmoid (F.softplus's threshold 20 would cost digits).
"""

import numpy as np
import torch
import torch.nn.functional as F

from common import grad_case, reduce, rng, versions, write_fixture

SEED = 8001
GEN = "tools/golden/gen_graph.py"
EPS = 1e-15
MAX_LOGSTD = 10.0


def neg_log_sigmoid_eps(u, eps):
    """−log(σ(u) + eps), rounding-safe (see the module docstring)."""
    if eps == 0:
        return -F.logsigmoid(u)
    safe_pos = -torch.log1p(eps - torch.sigmoid(-u))
    safe_neg = -torch.log(torch.sigmoid(u) + eps)
    return torch.where(u >= 0, safe_pos, safe_neg)


def decode(z, e):
    return (z[e[0]] * z[e[1]]).sum(dim=1)


def recon(eps=EPS):
    def fn(embeddings, posEdges, negEdges):
        pos = neg_log_sigmoid_eps(decode(embeddings, posEdges), eps).mean()
        neg = neg_log_sigmoid_eps(-decode(embeddings, negEdges), eps).mean()
        return pos + neg

    return fn


def recon_literal(embeddings, posEdges, negEdges, eps=EPS):
    """PyG's recon_loss as written (InnerProductDecoder with sigmoid=True)."""
    pos_loss = -torch.log(torch.sigmoid(decode(embeddings, posEdges)) + eps).mean()
    neg_loss = -torch.log(1 - torch.sigmoid(decode(embeddings, negEdges)) + eps).mean()
    return pos_loss + neg_loss


def recon_case(name, z, pos, neg, eps=EPS, options=None, upstream=None, check_literal=True):
    inputs = {"embeddings": z, "posEdges": pos, "negEdges": neg}
    case = grad_case(name, recon(eps), inputs, ["embeddings"], options or {}, upstream=upstream, int_inputs=("posEdges", "negEdges"))
    if check_literal:
        zt = torch.as_tensor(np.asarray(z, dtype=np.float64))
        pt, nt = torch.as_tensor(np.asarray(pos)), torch.as_tensor(np.asarray(neg))
        v = torch.cat([decode(zt, pt), decode(zt, nt)])
        assert v.abs().max() <= 8, name
        lit = float(recon_literal(zt, pt, nt, eps))
        assert abs(lit - case["value"]) <= 1e-13 * abs(lit), (name, lit, case["value"])
    return case


def random_edges(r, n, e):
    return np.stack([r.integers(0, n, size=e), r.integers(0, n, size=e)])


def gen_gae_reconstruction():
    r = rng(SEED)
    z = r.normal(size=(6, 3))
    pos = random_edges(r, 6, 5)
    neg = random_edges(r, 6, 7)
    cases = [
        recon_case("6 nodes, 5 positive and 7 negative edges", z, pos, neg),
        recon_case("scalar upstream 2.5", z, pos, neg, upstream=2.5),
        recon_case("eps=0 (exact BCE with logits)", z, pos, neg, 0.0, {"eps": 0.0}),
        recon_case("eps=1e-3", z, pos, neg, 1e-3, {"eps": 1e-3}),
    ]
    # Self-loops and a repeated edge count like any edge.
    loops = np.array([[0, 0, 2, 3], [0, 1, 2, 1]])
    cases.append(recon_case("self-loops and a repeated edge", z, loops, np.array([[1, 4, 4], [5, 2, 2]])))
    # Confident edges: decoder logits up to ±60 on both sides (the rounding-safe form matters here).
    big = r.normal(size=(5, 4)) * 4
    cases.append(recon_case("confident edges (logits up to about ±60)", big, random_edges(r, 5, 6), random_edges(r, 5, 6), check_literal=False))
    cases.append(recon_case("confident edges with eps=0", big, random_edges(r, 5, 6), random_edges(r, 5, 6), 0.0, {"eps": 0.0}, check_literal=False))
    # Logits of ±40 and ±700 exactly, on a one-dimensional embedding.
    ext = np.array([[np.sqrt(40.0)], [np.sqrt(40.0)], [-np.sqrt(40.0)], [np.sqrt(700.0)], [-np.sqrt(700.0)]])
    e = np.array([[0, 0, 3, 3, 1], [1, 2, 4, 3, 2]])
    cases.append(recon_case("decoder logits ±40 and ±700", ext, e, e, check_literal=False))
    cases.append(recon_case("decoder logits ±40 and ±700, eps=0", ext, e, e, 0.0, {"eps": 0.0}, check_literal=False))
    write_fixture("gaeReconstruction", GEN, f"{versions()}: PyG GAE.recon_loss transcribed in torch (autoencoder.py @ 03559e9)", SEED, cases)


def gae_dense(embeddings, adjacency):
    n = adjacency.shape[0]
    s = adjacency.sum()
    pos_weight = (n * n - s) / s
    norm = n * n / ((n * n - s) * 2)
    labels = adjacency + torch.eye(n)
    logits = embeddings @ embeddings.t()
    wce = -pos_weight * labels * F.logsigmoid(logits) - (1 - labels) * F.logsigmoid(-logits)
    return norm * wce.mean()


def random_graph(r, n, p):
    a = (r.uniform(size=(n, n)) < p).astype(np.float64)
    a = np.triu(a, 1)
    return a + a.T


def gen_gae_dense():
    r = rng(SEED + 1)
    cases = []
    for n, d, p in ((5, 2, 0.4), (8, 3, 0.3), (12, 4, 0.25)):
        z = r.normal(size=(n, d))
        a = random_graph(r, n, p)
        assert a.sum() > 0
        cases.append(grad_case(f"{n} nodes, D={d}, {int(a.sum()) // 2} edges", gae_dense, {"embeddings": z, "adjacency": a}, ["embeddings"], {}))
    z = r.normal(size=(4, 2))
    full = np.ones((4, 4)) - np.eye(4)
    cases.append(grad_case("complete graph K4", gae_dense, {"embeddings": z, "adjacency": full}, ["embeddings"], {}))
    cases.append(grad_case("one edge, scalar upstream -0.5", gae_dense, {"embeddings": z, "adjacency": [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]}, ["embeddings"], {}, upstream=-0.5))
    big = r.normal(size=(6, 3)) * 5
    cases.append(grad_case("confident logits (|x| up to about 100)", gae_dense, {"embeddings": big, "adjacency": random_graph(r, 6, 0.5)}, ["embeddings"], {}))
    write_fixture("gaeDense", GEN, f"{versions()}: tkipf/gae OptimizerAE cost transcribed in torch (optimizer.py, train.py @ 1fe204d)", SEED, cases)


def vgae_kl(red):
    def fn(mu, logStd):
        logstd = logStd.clamp(max=MAX_LOGSTD)
        per = -0.5 * torch.sum(1 + 2 * logstd - mu**2 - logstd.exp() ** 2, dim=1)
        return reduce(per, red)

    return fn


def gen_vgae_kl():
    r = rng(SEED + 2)
    mu = r.normal(size=(5, 3))
    ls = r.normal(size=(5, 3)) * 0.7
    data = {"mu": mu, "logStd": ls}
    cases = [grad_case(f"reduction={red}", vgae_kl(red), data, ["mu", "logStd"], {"reduction": red}) for red in ("mean", "sum", "none")]
    cases.append(grad_case("reduction=none with upstream", vgae_kl("none"), data, ["mu", "logStd"], {"reduction": "none"}, upstream=r.normal(size=(5,))))
    # logStd above MAX_LOGSTD = 10 is clamped (no gradient), exactly 10 passes the gradient (torch's clamp).
    clamp = {"mu": [[0.5, -1.0, 0.0], [2.0, 0.0, 1e-3]], "logStd": [[10.0, 12.5, -3.0], [9.5, -20.0, 1e-7]]}
    cases.append(grad_case("logStd at and above the clamp 10", vgae_kl("none"), clamp, ["mu", "logStd"], {"reduction": "none"}))
    write_fixture("vgaeKl", GEN, f"{versions()}: PyG VGAE.kl_loss transcribed in torch (autoencoder.py @ 03559e9)", SEED, cases)


if __name__ == "__main__":
    gen_gae_reconstruction()
    gen_gae_dense()
    gen_vgae_kl()
