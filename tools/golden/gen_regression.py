"""Golden values for catalog section 1 (regression) from PyTorch 1.13.1, float64, seeded."""

import torch
import torch.nn.functional as F

from common import grad_case, rng, versions, write_fixture

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


def gen_mse():
    r = rng(SEED)
    x = r.normal(size=(3, 4))
    y = r.normal(size=(3, 4))
    cases = reductions_cases(lambda red: lambda input, target: F.mse_loss(input, target, reduction=red), {"input": x, "target": y}, ["input"])
    big = {"input": [1e150, -3.0, 0.0, 5e-300], "target": [-1e150, -3.0, 1e-300, 0.0]}
    cases.append(grad_case("huge and tiny residuals", lambda input, target: F.mse_loss(input, target), big, ["input"], {}))
    cases.append(grad_case("scalar input", lambda input, target: F.mse_loss(input, target), {"input": 2.0, "target": -1.5}, ["input"], {}))
    write_fixture("mse", GEN, f"{versions()}: torch.nn.functional.mse_loss", SEED, cases)


if __name__ == "__main__":
    gen_mse()
