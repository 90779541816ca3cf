"""Statistics the marts use: is a change in a count more than chance?

For two counts x1 (a year earlier) and x2 (now) with exposures e1 and e2 (inhabitants), the exact
conditional test for two Poisson rates: given n = x1 + x2, x2 follows Binomial(n, e2 / (e1 + e2))
when the rates are equal. The two-sided p-value doubles the smaller tail (capped at 1).
"""

from __future__ import annotations

import numpy as np


def poisson_rate_p_values(x1: np.ndarray, x2: np.ndarray, e1: np.ndarray, e2: np.ndarray) -> np.ndarray:
    """Two-sided p-values; NaN where a count or exposure is missing or not positive."""
    from scipy.stats import binom  # scipy only when counts are tested

    x1, x2, e1, e2 = (np.asarray(a, dtype="float64") for a in (x1, x2, e1, e2))
    valid = ~(np.isnan(x1) | np.isnan(x2) | np.isnan(e1) | np.isnan(e2)) & (e1 > 0) & (e2 > 0) & (x1 >= 0) & (x2 >= 0)
    n = np.where(valid, x1 + x2, 0)
    p = np.where(valid, e2 / np.where(valid, e1 + e2, 1), 0.5)
    k = np.where(valid, x2, 0)
    lower = binom.cdf(k, n, p)
    upper = binom.sf(k - 1, n, p)
    result = np.minimum(1.0, 2 * np.minimum(lower, upper))
    result = np.where(n == 0, 1.0, result)
    return np.where(valid, result, np.nan)
