"""The seed study's statsmodels loop (a published MixedLM + joblib bias study), as the reference that
mixsim's study benchmark is measured against: N = 5000 rows, 5 groups drawn uniformly at random,
beta0 = 10, beta1 = -0.5, intercept SD 1, slope SD 0.25, noise SD 1, random-intercept REML fit.

usage: python3 seed_statsmodels.py REPS JOBS   (JOBS = 1: a plain loop; > 1: joblib.Parallel)
prints: seconds for REPS replicates, and the mean slope estimate
"""
import sys
import time
import warnings

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf


def replicate(seed):
    rng = np.random.default_rng(seed)
    n, n_groups = 5000, 5
    group = rng.integers(0, n_groups, n)
    x = rng.normal(size=n)
    b0 = rng.normal(0, 1, n_groups)
    b1 = rng.normal(0, 0.25, n_groups)
    y = 10 - 0.5 * x + b0[group] + b1[group] * x + rng.normal(size=n)
    data = pd.DataFrame({"response": y, "X": x, "group": group})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = smf.mixedlm("response ~ X", data, groups=data["group"]).fit(reml=True)
    return fit.params["X"]


if __name__ == "__main__":
    reps, jobs = int(sys.argv[1]), int(sys.argv[2])
    start = time.perf_counter()
    if jobs == 1:
        slopes = [replicate(s) for s in range(reps)]
    else:
        from joblib import Parallel, delayed
        slopes = Parallel(n_jobs=jobs)(delayed(replicate)(s) for s in range(reps))
    print(f"{time.perf_counter() - start:.3f} {np.mean(slopes):.5f}")
