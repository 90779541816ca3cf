"""Statistical disclosure control: which published figures are linked by arithmetic, and how
tightly an attacker can pin down a hidden figure from everything that is published.

- ``relations``: the linear relations among the published cells (gemeente ⊂ district ⊂ eenheid,
  sub-indicators ⊂ their total indicator, H1 + H2 = year, wijk parts ⊂ a split gemeente);
- ``audit``: for every hidden cell the tightest interval of non-negative integers the published
  figures allow (integer linear programming with SciPy's HiGHS), and whether it is wide enough.

``pipeline.build.suppress`` uses both to choose the secondary suppressions in the build; ``gvb publish``
runs the audit on the public table alone and refuses to publish when a hidden cell is derivable.
"""
