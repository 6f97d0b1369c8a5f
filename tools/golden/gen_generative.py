"""Golden values for catalog section 6 (generative) from PyTorch 1.13, float64, seeded.

No GAN loss is a torch.nn.functional function, so each reference is the paper's formula written in
torch ops (torch.nn.functional where one exists: mse_loss, binary_cross_entropy_with_logits, relu),
and autograd produces every gradient:

- LSGAN (Mao et al. 2017, arXiv 1611.04076): D = ½·mean((D(x) − b)²) + ½·mean((D(G(z)) − a)²),
  G = ½·mean((D(G(z)) − c)²); the ½ is the paper's and TF-GAN's (tensorflow/gan
  tensorflow_gan/python/losses/losses_impl.py @ 0479fbdbf6e58eccead5a562f73e0eca6a1d1c5c,
  `least_squares_*_loss`: squared_difference / 2.0; the seed's formulas omit it). Labels are options:
  the 0-1 coding (a, b, c) = (0, 1, 1) is the default, the χ² coding (−1, 1, 0) has its own cases.
- WGAN (Arjovsky et al. 2017): critic mean(fake) − mean(real), generator −mean(fake).
- WGAN-GP (Gulrajani et al. 2017): λ·mean_n((‖g_n‖₂ − target)²) over the per-sample gradients g_n of
  the critic at interpolates; one case takes g from a small critic by autograd.grad (create_graph), as a
  training step does, then differentiates the penalty with respect to those gradients.
- Minimax / non-saturating GAN with logits (Goodfellow et al. 2014) and Salimans et al.'s (2016)
  one-sided label smoothing: D = mean BCE(real, 1 − ε) + mean BCE(fake, 0); G non-saturating
  mean BCE(fake, 1), saturating −mean BCE(fake, 0).
- Hinge GAN (Lim & Ye 2017; Miyato et al. 2018): D = mean relu(1 − real) + mean relu(1 + fake),
  G = −mean(fake).
- VAE KL (Kingma & Welling 2014, appendix B): −½·Σ_d(1 + logVar − μ² − exp(logVar)), mean over N.

Two-input discriminator losses reduce each term on its own and add them ('sum' = Σ real-term +
Σ fake-term, 'mean' = Σ real-term / N_real + Σ fake-term / N_fake); 'none' is the elementwise sum.
"""

import numpy as np
import torch
import torch.nn.functional as F

from common import grad_case, reduce, rng, versions, write_fixture

SEED = 6001
GEN = "tools/golden/gen_generative.py"
REDUCTIONS = ("mean", "sum", "none")


def two_term(real_term, fake_term, red):
    """Each term reduced on its own, then added; 'none' is the elementwise sum."""

    def fn(real, fake):
        if red == "none":
            return real_term(real) + fake_term(fake)
        return reduce(real_term(real), red) + reduce(fake_term(fake), red)

    return fn


def one_term(term, red):
    def fn(fake):
        return reduce(term(fake), red)

    return fn


def two_term_cases(make, real, fake, extra=None, prefix=""):
    """mean / sum / none, a 'none' case with a random upstream, a scalar upstream on 'mean'."""
    r = rng(SEED + 99)
    data = {"real": real, "fake": fake}
    cases = []
    for red in REDUCTIONS:
        cases.append(grad_case(f"{prefix}reduction={red}", make(red), data, ["real", "fake"], {**(extra or {}), "reduction": red}))
    up = r.normal(size=np.shape(real))
    cases.append(grad_case(f"{prefix}reduction=none with upstream", make("none"), data, ["real", "fake"], {**(extra or {}), "reduction": "none"}, upstream=up))
    cases.append(grad_case(f"{prefix}scalar upstream -1.5 on mean", make("mean"), data, ["real", "fake"], {**(extra or {}), "reduction": "mean"}, upstream=-1.5))
    return cases


def unequal_cases(make, real, fake, extra=None, prefix=""):
    """Batches of different sizes (and shapes) under 'mean' and 'sum'."""
    data = {"real": real, "fake": fake}
    return [
        grad_case(f"{prefix}real {list(np.shape(real))} and fake {list(np.shape(fake))}, reduction={red}", make(red), data, ["real", "fake"], {**(extra or {}), "reduction": red})
        for red in ("mean", "sum")
    ]


def one_term_cases(make, fake, extra=None, prefix=""):
    r = rng(SEED + 98)
    data = {"fake": fake}
    cases = []
    for red in REDUCTIONS:
        cases.append(grad_case(f"{prefix}reduction={red}", make(red), data, ["fake"], {**(extra or {}), "reduction": red}))
    up = r.normal(size=np.shape(fake))
    cases.append(grad_case(f"{prefix}reduction=none with upstream", make("none"), data, ["fake"], {**(extra or {}), "reduction": "none"}, upstream=up))
    return cases


# Logits at the branch points of softplus / sigmoid: tiny, moderate, ±20, ±40, ±700.
EXTREME_LOGITS = [1e-8, -1e-8, 2.5, -3.0, 20.0, -20.0, 40.0, -40.0, 700.0, -700.0]


# ---------------------------------------------------------------------------------------------------
# LSGAN


def lsgan_d(a=0.0, b=1.0):
    def make(red):
        return two_term(
            lambda real: 0.5 * F.mse_loss(real, torch.full_like(real, b), reduction="none"),
            lambda fake: 0.5 * F.mse_loss(fake, torch.full_like(fake, a), reduction="none"),
            red,
        )

    return make


def gen_lsgan_discriminator():
    r = rng(SEED)
    real = r.normal(size=(3, 4))
    fake = r.normal(size=(3, 4))
    cases = two_term_cases(lsgan_d(), real, fake)
    cases += two_term_cases(lsgan_d(-1.0, 1.0), real, fake, {"a": -1.0, "b": 1.0}, "chi-squared coding a=-1, b=1: ")
    cases += two_term_cases(lsgan_d(0.1, 0.9), real, fake, {"a": 0.1, "b": 0.9}, "soft labels a=0.1, b=0.9: ")
    cases += unequal_cases(lsgan_d(), r.normal(size=(5,)), r.normal(size=(2, 1)))
    cases.append(grad_case("huge scores", lsgan_d()("mean"), {"real": [1e150, -2e150], "fake": [3e150, 0.5]}, ["real", "fake"], {}))
    write_fixture("lsganDiscriminator", GEN, f"{versions()}: 0.5*mse_loss(real, b) + 0.5*mse_loss(fake, a) (Mao et al. 2017)", SEED, cases)


def gen_lsgan_generator():
    r = rng(SEED + 1)
    fake = r.normal(size=(2, 3))

    def make(c):
        return lambda red: one_term(lambda fake: 0.5 * F.mse_loss(fake, torch.full_like(fake, c), reduction="none"), red)

    cases = one_term_cases(make(1.0), fake)
    cases += one_term_cases(make(0.0), fake, {"c": 0.0}, "chi-squared coding c=0: ")
    cases.append(grad_case("c=0.8 on a 3-D batch", make(0.8)("mean"), {"fake": r.normal(size=(2, 2, 3))}, ["fake"], {"c": 0.8}))
    cases.append(grad_case("rank-0 input", make(1.0)("mean"), {"fake": -0.75}, ["fake"], {}))
    write_fixture("lsganGenerator", GEN, f"{versions()}: 0.5*mse_loss(fake, c) (Mao et al. 2017)", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# WGAN and hinge


def wgan_critic(red):
    return two_term(lambda real: -real, lambda fake: fake, red)


def gen_wgan_critic():
    r = rng(SEED + 2)
    real = r.normal(size=(4, 2)) * 3
    fake = r.normal(size=(4, 2)) * 3
    cases = two_term_cases(wgan_critic, real, fake)
    cases += unequal_cases(wgan_critic, r.normal(size=(3,)), r.normal(size=(7,)))
    write_fixture("wganCritic", GEN, f"{versions()}: fake.mean() - real.mean() (Arjovsky et al. 2017)", SEED, cases)


def gen_wgan_generator():
    r = rng(SEED + 3)
    cases = one_term_cases(lambda red: one_term(lambda fake: -fake, red), r.normal(size=(3, 2)) * 2)
    write_fixture("wganGenerator", GEN, f"{versions()}: -fake.mean() (Arjovsky et al. 2017)", SEED, cases)


def hinge_d(red):
    return two_term(lambda real: F.relu(1.0 - real), lambda fake: F.relu(1.0 + fake), red)


def gen_hinge_discriminator():
    r = rng(SEED + 4)
    real = r.normal(size=(3, 4)) * 2
    fake = r.normal(size=(3, 4)) * 2
    cases = two_term_cases(hinge_d, real, fake)
    cases += unequal_cases(hinge_d, r.normal(size=(6,)), r.normal(size=(2, 2)))
    # At the hinge (real = 1, fake = −1) torch's relu passes no gradient: the subgradient 0.
    kink = {"real": [1.0, 0.5, 1.5, 1.0], "fake": [-1.0, -0.5, -1.5, 0.25]}
    cases.append(grad_case("at the hinges (subgradient 0, as torch's relu)", hinge_d("none"), kink, ["real", "fake"], {"reduction": "none"}))
    write_fixture("hingeGanDiscriminator", GEN, f"{versions()}: relu(1 - real).mean() + relu(1 + fake).mean() (Lim & Ye 2017; Miyato et al. 2018)", SEED, cases)


def gen_hinge_generator():
    r = rng(SEED + 5)
    cases = one_term_cases(lambda red: one_term(lambda fake: -fake, red), r.normal(size=(2, 5)))
    write_fixture("hingeGanGenerator", GEN, f"{versions()}: -fake.mean() (Lim & Ye 2017; Miyato et al. 2018)", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# WGAN-GP


def penalty(lam=10.0, target=1.0):
    def make(red):
        def fn(gradients):
            n = gradients.shape[0] if gradients.dim() > 0 else 1
            norms = torch.linalg.vector_norm(gradients.reshape(n, -1), 2, dim=1)
            return reduce(lam * (norms - target) ** 2, red)

        return fn

    return make


def critic_gradients(r, n, shape):
    """Per-sample gradients of a small tanh critic at interpolates x̂ = εx + (1−ε)x̃ (WGAN-GP's recipe)."""
    d = int(np.prod(shape))
    w1 = torch.as_tensor(r.normal(size=(d, 8)) * 0.5)
    w2 = torch.as_tensor(r.normal(size=(8, 1)))
    real = torch.as_tensor(r.normal(size=(n, *shape)))
    fake = torch.as_tensor(r.normal(size=(n, *shape)))
    eps = torch.as_tensor(r.uniform(size=(n,) + (1,) * len(shape)))
    xhat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    scores = torch.tanh(xhat.reshape(n, -1) @ w1) @ w2
    (g,) = torch.autograd.grad(scores.sum(), xhat, create_graph=True)
    return g.detach()


def gen_gradient_penalty():
    r = rng(SEED + 6)
    g = r.normal(size=(4, 2, 3)) * 0.6
    cases = []
    for red in REDUCTIONS:
        cases.append(grad_case(f"reduction={red}", penalty()(red), {"gradients": g}, ["gradients"], {"reduction": red}))
    cases.append(grad_case("reduction=none with upstream", penalty()("none"), {"gradients": g}, ["gradients"], {"reduction": "none"}, upstream=r.normal(size=(4,))))
    cases.append(grad_case("lambda=5, target=0.5", penalty(5.0, 0.5)("mean"), {"gradients": g}, ["gradients"], {"lambda": 5.0, "target": 0.5}))
    cases.append(grad_case("zero-centred: target=0", penalty(10.0, 0.0)("mean"), {"gradients": g}, ["gradients"], {"target": 0.0}))
    # A zero row: the norm's gradient is 0 there (torch masks norm = 0), the penalty λ·target².
    gz = g.copy()
    gz[1] = 0.0
    cases.append(grad_case("a zero gradient row", penalty()("none"), {"gradients": gz}, ["gradients"], {"reduction": "none"}))
    cases.append(grad_case("(N) gradients: one number per sample", penalty()("mean"), {"gradients": [0.5, -2.0, 1.25]}, ["gradients"], {}))
    cases.append(grad_case("gradients of a tanh critic at interpolates", penalty()("mean"), {"gradients": critic_gradients(r, 5, (3, 2))}, ["gradients"], {}))
    write_fixture("gradientPenalty", GEN, f"{versions()}: lambda*(linalg.vector_norm(g.reshape(N,-1), dim=1) - target)**2 (Gulrajani et al. 2017)", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# Minimax / non-saturating GAN


def bce(x, t):
    return F.binary_cross_entropy_with_logits(x, torch.full_like(x, t), reduction="none")


def gan_d(eps=0.0):
    return lambda red: two_term(lambda real: bce(real, 1.0 - eps), lambda fake: bce(fake, 0.0), red)


def gen_gan_discriminator():
    r = rng(SEED + 7)
    real = r.normal(size=(3, 4)) * 3
    fake = r.normal(size=(3, 4)) * 3
    cases = two_term_cases(gan_d(), real, fake)
    cases += two_term_cases(gan_d(0.1), real, fake, {"labelSmoothing": 0.1}, "one-sided smoothing 0.1: ")
    cases += unequal_cases(gan_d(), r.normal(size=(5,)), r.normal(size=(2, 4)))
    ext = np.array(EXTREME_LOGITS)
    cases.append(grad_case("extreme logits", gan_d()("none"), {"real": ext, "fake": -ext[::-1].copy()}, ["real", "fake"], {"reduction": "none"}))
    cases.append(grad_case("extreme logits, smoothing 0.25", gan_d(0.25)("none"), {"real": ext, "fake": ext}, ["real", "fake"], {"reduction": "none", "labelSmoothing": 0.25}))
    write_fixture("ganDiscriminator", GEN, f"{versions()}: binary_cross_entropy_with_logits(real, 1-eps) + binary_cross_entropy_with_logits(fake, 0)", SEED, cases)


def gen_gan_generator():
    r = rng(SEED + 8)
    fake = r.normal(size=(2, 3)) * 3

    def make(saturating):
        if saturating:
            return lambda red: one_term(lambda fake: -bce(fake, 0.0), red)
        return lambda red: one_term(lambda fake: bce(fake, 1.0), red)

    cases = one_term_cases(make(False), fake, prefix="non-saturating: ")
    cases += one_term_cases(make(True), fake, {"saturating": True}, "saturating: ")
    ext = np.array(EXTREME_LOGITS)
    cases.append(grad_case("non-saturating: extreme logits", make(False)("none"), {"fake": ext}, ["fake"], {"reduction": "none"}))
    cases.append(grad_case("saturating: extreme logits", make(True)("none"), {"fake": ext}, ["fake"], {"reduction": "none", "saturating": True}))
    write_fixture("ganGenerator", GEN, f"{versions()}: binary_cross_entropy_with_logits(fake, 1) / -binary_cross_entropy_with_logits(fake, 0)", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# VAE KL


def vae_kl(red):
    def fn(mu, logVar):
        per = -0.5 * torch.sum(1 + logVar - mu**2 - logVar.exp(), dim=tuple(range(1, mu.dim())))
        return reduce(per, red)

    return fn


def gen_vae_kl():
    r = rng(SEED + 9)
    mu = r.normal(size=(4, 5))
    lv = r.normal(size=(4, 5))
    data = {"mu": mu, "logVar": lv}
    cases = [grad_case(f"reduction={red}", vae_kl(red), data, ["mu", "logVar"], {"reduction": red}) for red in REDUCTIONS]
    cases.append(grad_case("reduction=none with upstream", vae_kl("none"), data, ["mu", "logVar"], {"reduction": "none"}, upstream=r.normal(size=(4,))))
    ext = {"mu": [[0.0, 3.0, -1e-4], [1e3, 0.0, 0.5]], "logVar": [[-30.0, 30.0, 1e-6], [0.0, -1e-6, 200.0]]}
    cases.append(grad_case("large and tiny log-variances", vae_kl("none"), ext, ["mu", "logVar"], {"reduction": "none"}))
    cases.append(grad_case("(N, C, H) latents: sums over every non-batch axis", vae_kl("mean"), {"mu": r.normal(size=(2, 3, 2)), "logVar": r.normal(size=(2, 3, 2))}, ["mu", "logVar"], {}))
    write_fixture("vaeKl", GEN, f"{versions()}: -0.5*sum(1 + logVar - mu**2 - logVar.exp(), dim=1) (Kingma & Welling 2014)", SEED, cases)


if __name__ == "__main__":
    gen_lsgan_discriminator()
    gen_lsgan_generator()
    gen_wgan_critic()
    gen_wgan_generator()
    gen_gradient_penalty()
    gen_gan_discriminator()
    gen_gan_generator()
    gen_hinge_discriminator()
    gen_hinge_generator()
    gen_vae_kl()
