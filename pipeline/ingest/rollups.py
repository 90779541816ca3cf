"""Roll-up codes must not be mixed with their parts: a gemeente total next to its wijken."""

from __future__ import annotations

import pandas as pd


def rollup_mixed(frame: pd.DataFrame) -> pd.Series:
    """True for a GM row whose wijken/buurten are also there, or a WK row whose buurten are."""
    area = frame["gebied_code"].astype("string").fillna("")
    level = area.str.slice(0, 2)
    keyed = pd.DataFrame(
        {
            "periode": frame["periode"],
            "soort": frame["soort_code"],
            "gm": frame["gemeente_code"],
            "wk": "WK" + area.str.slice(2, 8),
        }
    )
    finer_gm = keyed.loc[level != "GM", ["periode", "soort", "gm"]].drop_duplicates().assign(_finer=True)
    finer_wk = keyed.loc[level == "BU", ["periode", "soort", "wk"]].drop_duplicates().assign(_finer=True)
    has_parts_gm = keyed.merge(finer_gm, on=["periode", "soort", "gm"], how="left")["_finer"].fillna(False).to_numpy()
    as_wijk = keyed.assign(wk=area)
    has_parts_wk = as_wijk.merge(finer_wk, on=["periode", "soort", "wk"], how="left")["_finer"].fillna(False).to_numpy()
    mixed = ((level == "GM").to_numpy() & has_parts_gm.astype(bool)) | (
        (level == "WK").to_numpy() & has_parts_wk.astype(bool)
    )
    return pd.Series(mixed, index=frame.index, dtype="bool")
