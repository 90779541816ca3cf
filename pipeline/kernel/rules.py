"""The rules the published figures follow that more than one stage needs: the build applies them
(they reach the SQL via ``build_params``) and the wording explains them in the Toelichting."""

from __future__ import annotations

#: a change in a count is significant below this p-value (exact Poisson test, pipeline.build.stats)
SIGNIFICANCE_LEVEL = 0.05
#: a significant change is 'sterk' from this percentage
STRONG_CHANGE_PCT = 25
