"""Golden values for catalog section 1 (regression) from PyTorch 1.13.1, float64, seeded."""

import math

import numpy as np
import torch
import torch.nn.functional as F

from common import enc, grad_case, reduce, rng, versions, write_fixture

INF = math.inf
NAN = math.nan

SEED = 1001
GEN = "tools/golden/gen_regression.py"


def reductions_cases(fn_of_reduction, inputs, diff, extra_options=None, prefix=""):
    """One case per reduction, plus a 'none' case with a random upstream."""
    r = rng(SEED + 7)
    cases = []
    for red in ("mean", "sum", "none"):
        opts = dict(extra_options or {})
        opts["reduction"] = red
        cases.append(grad_case(f"{prefix}reduction={red}", fn_of_reduction(red), inputs, diff, opts))
    shape = next(iter(inputs.values())).shape
    up = r.normal(size=shape)
    opts = dict(extra_options or {})
    opts["reduction"] = "none"
    cases.append(grad_case(f"{prefix}reduction=none with upstream", fn_of_reduction("none"), inputs, diff, opts, upstream=up))
    return cases


def error_case(name, inputs, options, code):
    """A case where losskit must throw LossError `code` (the generator checks that torch raises too)."""
    return {
        "name": name,
        "inputs": {k: enc(np.asarray(v, dtype=np.float64)) for k, v in inputs.items()},
        "options": options,
        "upstream": None,
        "value": 0,
        "grads": None,
        "error": code,
    }


def gen_mse():
    r = rng(SEED)
    x = r.normal(size=(3, 4))
    y = r.normal(size=(3, 4))
    cases = reductions_cases(lambda red: lambda input, target: F.mse_loss(input, target, reduction=red), {"input": x, "target": y}, ["input"])
    big = {"input": [1e150, -3.0, 0.0, 5e-300], "target": [-1e150, -3.0, 1e-300, 0.0]}
    cases.append(grad_case("huge and tiny residuals", lambda input, target: F.mse_loss(input, target), big, ["input"], {}))
    cases.append(grad_case("scalar input", lambda input, target: F.mse_loss(input, target), {"input": 2.0, "target": -1.5}, ["input"], {}))
    write_fixture("mse", GEN, f"{versions()}: torch.nn.functional.mse_loss", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# l1 (alias mae): torch.nn.functional.l1_loss


def gen_l1():
    r = rng(SEED + 1)
    x = r.normal(size=(3, 4))
    y = r.normal(size=(3, 4))
    cases = reductions_cases(lambda red: lambda input, target: F.l1_loss(input, target, reduction=red), {"input": x, "target": y}, ["input"])
    # Residual exactly 0 (kink: torch's sign gives 0) and tiny residuals; then huge residuals, ±Infinity
    # and NaN (torch's sign(NaN) is 0, so the NaN element's gradient is 0 while its value is NaN). Extreme
    # magnitudes get their own case: the comparison's absolute tolerance scales with a tensor's largest entry.
    kinks = {"input": [0.0, 2.5, -0.0, 5e-324, 1e-300], "target": [0.0, 2.5, 0.0, 0.0, 0.0]}
    cases.append(grad_case("zero and tiny residuals", lambda input, target: F.l1_loss(input, target, reduction="none"), kinks, ["input"], {"reduction": "none"}))
    ext = {"input": [1e300, -1e300, INF, -INF, NAN], "target": [-1e300, 0.0, 0.0, 1.0, 0.0]}
    cases.append(grad_case("huge, infinite and NaN residuals", lambda input, target: F.l1_loss(input, target, reduction="none"), ext, ["input"], {"reduction": "none"}))
    cases.append(grad_case("scalar input", lambda input, target: F.l1_loss(input, target), {"input": -2.0, "target": 0.75}, ["input"], {}))
    write_fixture("l1", GEN, f"{versions()}: torch.nn.functional.l1_loss", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# rmse: sqrt(mse_loss(x, y) + eps), scalar (no reduction option)


def torch_rmse(eps=0.0, scale=1.0):
    """sqrt(mean((x−y)²) + eps). With scale = 2^k the same quantity is computed as
    sqrt(mean((s·d)²) + eps·s²)/s (exact power-of-two rescaling, mathematically identical) so that
    residuals near 1e±200 neither overflow nor underflow in the reference either."""

    def fn(input, target):
        return torch.sqrt(F.mse_loss(input * scale, target * scale) + eps * scale * scale) / scale

    return fn


def gen_rmse():
    r = rng(SEED + 2)
    x = r.normal(size=(3, 4))
    y = r.normal(size=(3, 4))
    data = {"input": x, "target": y}
    cases = [
        grad_case("default eps=0", torch_rmse(), data, ["input"], {}),
        grad_case("eps=0.5", torch_rmse(0.5), data, ["input"], {"eps": 0.5}),
        grad_case("eps=1e-12", torch_rmse(1e-12), data, ["input"], {"eps": 1e-12}),
        grad_case("scalar upstream 2.5", torch_rmse(), data, ["input"], {}, upstream=2.5),
        grad_case("one element", torch_rmse(), {"input": [3.0], "target": [-1.0]}, ["input"], {}),
        grad_case("rank-0 input", torch_rmse(), {"input": -0.25, "target": 1.0}, ["input"], {}),
        grad_case("3-D input", torch_rmse(), {"input": r.normal(size=(2, 3, 2)), "target": r.normal(size=(2, 3, 2))}, ["input"], {}),
        # Some residuals are 0 (their gradient is 0 as long as the result is not 0).
        grad_case("some zero residuals", torch_rmse(), {"input": [1.0, 2.0, -3.0], "target": [1.0, 2.0, 0.0]}, ["input"], {}),
        grad_case(
            "huge residuals (reference rescaled by 2^-700)",
            torch_rmse(0.0, 2.0**-700),
            {"input": [1e200, -3e200, 0.0], "target": [-1e200, 1e199, 5.0]},
            ["input"],
            {},
        ),
        grad_case(
            "huge residuals with eps=1 (reference rescaled by 2^-700)",
            torch_rmse(1.0, 2.0**-700),
            {"input": [1e200, -3e200, 0.0], "target": [-1e200, 1e199, 5.0]},
            ["input"],
            {"eps": 1.0},
        ),
        grad_case(
            "tiny residuals (reference rescaled by 2^700)",
            torch_rmse(0.0, 2.0**700),
            {"input": [1e-200, -3e-200, 0.0], "target": [0.0, 0.0, 2e-201]},
            ["input"],
            {},
        ),
        # With eps > 0 the tiny residuals are negligible: no rescaling needed in the reference.
        grad_case("tiny residuals with eps=1e-6", torch_rmse(1e-6), {"input": [1e-200, -3e-200], "target": [0.0, 0.0]}, ["input"], {"eps": 1e-6}),
    ]
    write_fixture("rmse", GEN, f"{versions()}: torch.sqrt(torch.nn.functional.mse_loss(input, target) + eps)", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# huber and smoothL1: torch.nn.functional.huber_loss / smooth_l1_loss


def branch_inputs(k):
    """Residuals exactly at ±k, just inside and outside, 0 and 10·k (k a power of 2 so that x − y = ±k
    exactly)."""
    x = [k, -k, 0.5 + k, k * (1 - 2**-20), -k * (1 + 2**-20), 0.0, 10 * k, -10 * k]
    y = [0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0]
    return {"input": x, "target": y}


# Residuals far beyond any threshold, ±Infinity and NaN (a case of their own: the comparison's absolute
# tolerance scales with a tensor's largest finite entry).
EXTREME_RESIDUALS = {"input": [1e300, -1e300, 3e299, INF, -INF, NAN], "target": [0.0, 0.0, -1e299, 0.0, 0.0, 0.0]}


def gen_huber():
    r = rng(SEED + 3)
    x = 2 * r.normal(size=(3, 4))
    y = r.normal(size=(3, 4))
    data = {"input": x, "target": y}
    cases = reductions_cases(lambda red: lambda input, target: F.huber_loss(input, target, reduction=red), data, ["input"])
    for delta in (0.5, 2.0, 1e-3, 1e6):
        cases.append(grad_case(f"delta={delta:g}", lambda input, target, d=delta: F.huber_loss(input, target, delta=d), data, ["input"], {"delta": delta}))
    for delta in (1.0, 0.5, 4.0):
        cases.append(
            grad_case(
                f"branch points, delta={delta:g}",
                lambda input, target, d=delta: F.huber_loss(input, target, reduction="none", delta=d),
                branch_inputs(delta),
                ["input"],
                {"reduction": "none", "delta": delta},
            )
        )
    for delta in (1.0, 1e-3):
        cases.append(
            grad_case(
                f"huge, infinite and NaN residuals, delta={delta:g}",
                lambda input, target, d=delta: F.huber_loss(input, target, reduction="none", delta=d),
                EXTREME_RESIDUALS,
                ["input"],
                {"reduction": "none", "delta": delta},
            )
        )
    for delta in (0.0, -1.0):
        try:
            F.huber_loss(torch.zeros(1), torch.zeros(1), delta=delta)
            raise AssertionError("torch accepted delta <= 0")
        except RuntimeError:
            pass
        cases.append(error_case(f"delta={delta:g} is rejected", {"input": [1.0], "target": [0.0]}, {"delta": delta}, "E_OPTION"))
    write_fixture("huber", GEN, f"{versions()}: torch.nn.functional.huber_loss", SEED, cases)


def gen_smooth_l1():
    r = rng(SEED + 4)
    x = 2 * r.normal(size=(3, 4))
    y = r.normal(size=(3, 4))
    data = {"input": x, "target": y}
    cases = reductions_cases(lambda red: lambda input, target: F.smooth_l1_loss(input, target, reduction=red), data, ["input"])
    for beta in (0.0, 0.5, 2.0, 1e-12, 1e6):
        cases.append(grad_case(f"beta={beta:g}", lambda input, target, b=beta: F.smooth_l1_loss(input, target, beta=b), data, ["input"], {"beta": beta}))
    for beta in (1.0, 0.5, 4.0, 0.0):
        # beta=0: torch's kernel takes the `x <= -beta` branch at a zero residual, so its gradient is −1.
        cases.append(
            grad_case(
                f"branch points, beta={beta:g}",
                lambda input, target, b=beta: F.smooth_l1_loss(input, target, reduction="none", beta=b),
                branch_inputs(beta),
                ["input"],
                {"reduction": "none", "beta": beta},
            )
        )
    for beta in (1.0, 0.0):
        cases.append(
            grad_case(
                f"huge, infinite and NaN residuals, beta={beta:g}",
                lambda input, target, b=beta: F.smooth_l1_loss(input, target, reduction="none", beta=b),
                EXTREME_RESIDUALS,
                ["input"],
                {"reduction": "none", "beta": beta},
            )
        )
    try:
        F.smooth_l1_loss(torch.zeros(1), torch.zeros(1), beta=-1.0)
        raise AssertionError("torch accepted beta < 0")
    except RuntimeError:
        pass
    cases.append(error_case("beta=-1 is rejected", {"input": [1.0], "target": [0.0]}, {"beta": -1.0}, "E_OPTION"))
    write_fixture("smoothL1", GEN, f"{versions()}: torch.nn.functional.smooth_l1_loss", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# logCosh: Keras LogCosh element values, transcribed from keras/src/losses/losses.py `log_cosh`:
#   def _logcosh(x): return x + ops.softplus(x * -2.0) - ops.cast(ops.log(2.0), x.dtype)
# (Keras then averages the last axis; losskit's reductions average over all elements.) torch's softplus
# switches to the identity above `threshold` (default 20), an error of e^-20 ≈ 2e-9 absolute; the
# transcription raises the threshold to 50, beyond which log1p(e^-50) is below one ulp of the result.


def keras_log_cosh(reduction):
    def fn(input, target):
        x = input - target
        l = x + F.softplus(-2.0 * x, threshold=50.0) - math.log(2.0)
        return reduce(l, reduction)

    return fn


def gen_log_cosh():
    r = rng(SEED + 5)
    x = 2 * r.normal(size=(3, 4))
    y = r.normal(size=(3, 4))
    cases = reductions_cases(keras_log_cosh, {"input": x, "target": y}, ["input"])
    # Separate cases per magnitude (the comparison's absolute tolerance scales with the largest entry).
    # ±Infinity is left out: Keras' x + softplus(−2x) gives ∞ − ∞ = NaN at x = −∞; losskit gives +∞
    # (tested in logCosh.test.ts).
    for name, d in (
        ("tiny residuals", [1e-8, -1e-8, 0.0, 1e-4, -3e-3, 5e-324]),
        ("moderate residuals around the softplus switch", [0.5, -0.5, 9.75, -10.25, 10.0 + 2**-30, 17.5, -18.5, 20.0, -20.0]),
        ("large residuals", [40.0, -40.0, 354.5, 700.0, -700.0, 800.0, -800.0]),
        ("huge residuals", [1e300, -1e300, 3e299]),
    ):
        cases.append(grad_case(name, keras_log_cosh("none"), {"input": d, "target": [0.0] * len(d)}, ["input"], {"reduction": "none"}))
    write_fixture("logCosh", GEN, f"{versions()}: Keras LogCosh element values (keras/src/losses/losses.py log_cosh) transcribed in torch", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# msle: Keras MeanSquaredLogarithmicError element values, keras/src/losses/losses.py
# `mean_squared_logarithmic_error`:
#   first_log = ops.log(ops.maximum(y_pred, epsilon) + 1.0)
#   second_log = ops.log(ops.maximum(y_true, epsilon) + 1.0)
#   return ops.mean(ops.square(first_log - second_log), axis=-1)
# with epsilon = backend.epsilon() = 1e-7. log(m + 1) is written log1p(m) here and in losskit (the same
# function without the rounding of m + 1). TF's Maximum gradient goes to the first argument where
# x >= y (math_grad._MaximumMinimumGrad), like torch.clamp(min=): at x == 1e-7 exactly the gradient
# passes, below it is 0.
KERAS_EPSILON = 1e-7


def keras_msle(reduction):
    def fn(input, target):
        first = torch.log1p(torch.clamp(input, min=KERAS_EPSILON))
        second = torch.log1p(torch.clamp(target, min=KERAS_EPSILON))
        return reduce(torch.square(first - second), reduction)

    return fn


def gen_msle():
    r = rng(SEED + 6)
    x = r.exponential(size=(3, 4))
    y = r.exponential(size=(3, 4))
    cases = reductions_cases(keras_msle, {"input": x, "target": y}, ["input"])
    clamp = {
        "input": [KERAS_EPSILON, 5e-8, -3.0, 0.0, 1e-7 * (1 + 2**-40), 2.0, -INF, 1e-12, 0.25],
        "target": [0.5, 0.5, 2.0, -1.0, 0.0, -5.0, 1.0, 1e-12, 0.25],
    }
    cases.append(grad_case("clamp boundary, negative and equal values", keras_msle("none"), clamp, ["input"], {"reduction": "none"}))
    ext = {"input": [1e300, INF, 1e10, 0.5], "target": [1.0, 1.0, 1e300, 1e300]}
    cases.append(grad_case("huge and infinite values", keras_msle("none"), ext, ["input"], {"reduction": "none"}))
    write_fixture("msle", GEN, f"{versions()}: Keras MeanSquaredLogarithmicError element values (keras/src/losses/losses.py mean_squared_logarithmic_error) transcribed in torch", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# mape: Keras MeanAbsolutePercentageError element values, keras/src/losses/losses.py
# `mean_absolute_percentage_error`:
#   diff = ops.abs((y_true - y_pred) / ops.maximum(ops.abs(y_true), epsilon))
#   return 100.0 * ops.mean(diff, axis=-1)
# The abs gradient at 0 is 0 in TF and torch.


def keras_mape(reduction):
    def fn(input, target):
        diff = torch.abs((target - input) / torch.clamp(torch.abs(target), min=KERAS_EPSILON))
        return reduce(100.0 * diff, reduction)

    return fn


def gen_mape():
    r = rng(SEED + 7)
    x = r.normal(size=(3, 4))
    y = r.normal(size=(3, 4))
    cases = reductions_cases(keras_mape, {"input": x, "target": y}, ["input"])
    small = {"input": [2.0, -3.0, -1e-9, 1.5, 0.25], "target": [2.0, -3.0, -1e-9, 1e300, -4.0]}
    cases.append(grad_case("perfect predictions and a huge target", keras_mape("none"), small, ["input"], {"reduction": "none"}))
    tiny = {"input": [1.0, 0.5, 4.0, -2.0, 3.0], "target": [0.0, 1e-9, -1e-7, -0.0, 1e-7 * (1 + 2**-40)]}
    cases.append(grad_case("zero and tiny targets (clamped at 1e-7)", keras_mape("none"), tiny, ["input"], {"reduction": "none"}))
    ext = {"input": [1e300, INF, -INF], "target": [1.0, 1.0, -2.0]}
    cases.append(grad_case("huge and infinite predictions", keras_mape("none"), ext, ["input"], {"reduction": "none"}))
    write_fixture("mape", GEN, f"{versions()}: Keras MeanAbsolutePercentageError element values (keras/src/losses/losses.py mean_absolute_percentage_error) transcribed in torch", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# poissonNll: torch.nn.functional.poisson_nll_loss


def gen_poisson_nll():
    r = rng(SEED + 8)
    x = r.normal(size=(3, 4))
    y = r.poisson(2.0, size=(3, 4)).astype(float)
    data = {"input": x, "target": y}

    def pnll(red, **kw):
        return lambda input, target: F.poisson_nll_loss(input, target, reduction=red, **kw)

    cases = reductions_cases(lambda red: pnll(red), data, ["input"])
    rates = {"input": r.exponential(size=(3, 4)) + 0.05, "target": y}
    cases.append(grad_case("logInput=false", pnll("mean", log_input=False), rates, ["input"], {"logInput": False}))
    cases.append(grad_case("logInput=false, eps=0.5", pnll("mean", log_input=False, eps=0.5), rates, ["input"], {"logInput": False, "eps": 0.5}))
    cases.append(grad_case("logInput=false, eps=0", pnll("mean", log_input=False, eps=0.0), rates, ["input"], {"logInput": False, "eps": 0.0}))
    # The Stirling term applies only where target > 1: targets at 0, 0.5, 1 exactly, just above 1, 2, 50.
    stir = {"input": [0.3, -0.2, 0.1, 0.7, 1.5, 3.0], "target": [0.0, 0.5, 1.0, 1.0 + 2**-40, 2.0, 50.0]}
    cases.append(grad_case("full=true around target 1", pnll("none", full=True), stir, ["input"], {"reduction": "none", "full": True}))
    stir_rates = {"input": [0.3, 0.2, 0.1, 0.7, 1.5, 3.0], "target": stir["target"]}
    cases.append(grad_case("full=true, logInput=false", pnll("none", full=True, log_input=False), stir_rates, ["input"], {"reduction": "none", "full": True, "logInput": False}))
    cases.append(grad_case("full=true, reduction=sum", pnll("sum", full=True), stir, ["input"], {"reduction": "sum", "full": True}))
    ext = {"input": [-700.0, -40.0, 0.0, 40.0, -1e300], "target": [3.0, 2.0, 0.0, 2.0, 0.0]}
    cases.append(grad_case("very negative and large log-rates", pnll("none"), ext, ["input"], {"reduction": "none"}))
    ext = {"input": [700.0, 709.5, 710.0], "target": [0.0, 1.0, 1.0]}
    cases.append(grad_case("log-rates at the exp overflow", pnll("none"), ext, ["input"], {"reduction": "none"}))
    ext_rates = {"input": [0.0, 1e-300, 1e-8, 2.0], "target": [0.0, 2.0, 1.0, 0.0]}
    cases.append(grad_case("zero and tiny rates with logInput=false", pnll("none", log_input=False), ext_rates, ["input"], {"reduction": "none", "logInput": False}))
    ext_rates = {"input": [1e300, 3e299], "target": [3.0, 0.0]}
    cases.append(grad_case("huge rates with logInput=false", pnll("none", log_input=False), ext_rates, ["input"], {"reduction": "none", "logInput": False}))
    write_fixture("poissonNll", GEN, f"{versions()}: torch.nn.functional.poisson_nll_loss", SEED, cases)


# ---------------------------------------------------------------------------------------------------
# gaussianNll: torch.nn.functional.gaussian_nll_loss (var clamped in place under no_grad)


def gen_gaussian_nll():
    r = rng(SEED + 9)

    def gnll(red, **kw):
        return lambda input, target, var: F.gaussian_nll_loss(input, target, var, reduction=red, **kw)

    x = r.normal(size=(3, 4))
    y = r.normal(size=(3, 4))
    v = r.exponential(size=(3, 4)) + 0.1
    data = {"input": x, "target": y, "var": v}
    diff = ["input", "var"]
    cases = reductions_cases(lambda red: gnll(red), data, diff)
    cases.append(grad_case("full=true", gnll("mean", full=True), data, diff, {"full": True}))
    cases.append(grad_case("full=true, reduction=none", gnll("none", full=True), data, diff, {"reduction": "none", "full": True}))
    cases.append(grad_case("eps=0.5 clamps some variances", gnll("mean", eps=0.5), data, diff, {"eps": 0.5}))
    # var shapes: one dim short (homoscedastic per row), last dim 1, 3-D input, scalar var for 1-D input.
    cases.append(grad_case("var one dim short (N)", gnll("mean"), {"input": x, "target": y, "var": r.exponential(size=(3,)) + 0.1}, diff, {}))
    cases.append(grad_case("var one dim short, reduction=none with upstream", gnll("none"), {"input": x, "target": y, "var": r.exponential(size=(3,)) + 0.1}, diff, {"reduction": "none"}, upstream=r.normal(size=(3, 4))))
    cases.append(grad_case("var last dim 1 (N, 1)", gnll("sum"), {"input": x, "target": y, "var": r.exponential(size=(3, 1)) + 0.1}, diff, {"reduction": "sum"}))
    x3 = r.normal(size=(2, 3, 2))
    y3 = r.normal(size=(2, 3, 2))
    cases.append(grad_case("3-D input, var (N, d1)", gnll("none"), {"input": x3, "target": y3, "var": r.exponential(size=(2, 3)) + 0.1}, diff, {"reduction": "none"}))
    cases.append(grad_case("3-D input, var (N, d1, 1)", gnll("mean"), {"input": x3, "target": y3, "var": r.exponential(size=(2, 3, 1)) + 0.1}, diff, {}))
    cases.append(grad_case("1-D input, rank-0 var", gnll("sum"), {"input": [0.5, -1.0, 2.0], "target": [0.0, 0.0, 1.0], "var": 0.7}, diff, {"reduction": "sum"}))
    cases.append(grad_case("1-D input, var (1)", gnll("none"), {"input": [0.5, -1.0, 2.0], "target": [0.0, 0.0, 1.0], "var": [0.7]}, diff, {"reduction": "none"}))
    cases.append(grad_case("rank-0 input, var (1) gives a (1) output", gnll("none"), {"input": 2.0, "target": 1.0, "var": [0.5]}, diff, {"reduction": "none"}))
    # Clamping: var below eps (gradient evaluated at eps), exactly 0, exactly eps, and a shared clamped var.
    clamp = {"input": [0.1, 0.2, 0.3, 0.4, 0.0], "target": [0.0, 0.0, 0.0, 0.0, 0.0], "var": [1e-8, 0.0, 1e-6, 2.0, 1e-9]}
    cases.append(grad_case("variances below, at and above eps", gnll("none"), clamp, diff, {"reduction": "none"}))
    cases.append(grad_case("variances below eps=1e-3", gnll("sum", eps=1e-3), clamp, diff, {"reduction": "sum", "eps": 1e-3}))
    cases.append(grad_case("shared variance below eps", gnll("sum"), {"input": [[0.1, -0.3], [2.0, 1.0]], "target": [[0.0, 0.0], [1.0, 1.0]], "var": [1e-7, 3.0]}, diff, {"reduction": "sum"}))
    ext = {"input": [1e150, -2e150, 3.0], "target": [0.0, 0.0, 3.0], "var": [1e300, 1e300, 1e300]}
    cases.append(grad_case("huge residuals and variances", gnll("none"), ext, diff, {"reduction": "none"}))
    ext = {"input": [1e150, 1e-150], "target": [0.0, 0.0], "var": [1e-300, 1e-300]}
    cases.append(grad_case("huge residual over a clamped variance", gnll("none"), ext, diff, {"reduction": "none"}))
    for name, inputs in (
        ("negative var is rejected", {"input": [1.0, 2.0], "target": [0.0, 0.0], "var": [1.0, -1e-300]}),
        ("var of a wrong shape is rejected", {"input": np.zeros((2, 3)), "target": np.zeros((2, 3)), "var": np.ones(3)}),
    ):
        try:
            F.gaussian_nll_loss(*(torch.as_tensor(np.asarray(inputs[k], dtype=np.float64)) for k in ("input", "target", "var")))
            raise AssertionError(f"torch accepted: {name}")
        except ValueError:
            pass
        cases.append(error_case(name, inputs, {}, "E_RANGE" if "negative" in name else "E_SHAPE"))
    write_fixture("gaussianNll", GEN, f"{versions()}: torch.nn.functional.gaussian_nll_loss", SEED, cases)


if __name__ == "__main__":
    gen_mse()
    gen_l1()
    gen_rmse()
    gen_huber()
    gen_smooth_l1()
    gen_log_cosh()
    gen_msle()
    gen_mape()
    gen_poisson_nll()
    gen_gaussian_nll()
