"""How tightly can a hidden cell be pinned down from what is published?

Every relation (``relations.Relation``) with the published values filled in is a linear equation
in the hidden cells, the unpublished parts and the unpublished remainders, all non-negative
integers. For each hidden cell the tightest interval is the minimum and the maximum of that cell
over all integer solutions, per connected group of equations. A hidden cell is protected when
its interval is at least ``SPAN`` wide and reaches ``SPAN``: an attacker can neither narrow it to
a few values nor conclude that it is a small number.

How, fast enough for thousands of hidden cells:
- each group is one linear programme in HiGHS (``highspy``), re-solved warm for each objective;
  its optimum is an integer point for nearly all these tables, and where it is not, the integer
  programme is solved (a relaxed interval that is already too narrow needs no integer solve: the
  integer interval lies inside it);
- every integer solution is a witness for all cells: a cell that already took two values ``SPAN``
  apart (the larger ≥ ``SPAN``) is protected without its own pair of solves. Witnesses come first
  from a few solutions that push all not-yet-shown cells up together;
- hiding one more cell only widens the others' intervals (every solution stays a solution), so
  after adding suppressions only the cells that were too narrow and the new ones are checked;
- the groups are solved side by side in threads (HiGHS lets go of Python's lock while it solves);
  each group has its own solver and solves its cells in a fixed order, so the answer does not
  depend on how many threads there are.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from pipeline.build.disclosure.relations import Key, Relation

#: a hidden cell's interval must be at least this wide and reach at least this value
SPAN = 5
_TOLERANCE = 1e-6
#: rounds of witness solutions per group before solving cell by cell
_WITNESS_ROUNDS = 40


def _protected(low, high):
    """Whether an interval (or each of arrays of them) is at least SPAN wide and reaches SPAN."""
    return (high - low >= SPAN - _TOLERANCE) & (high >= SPAN - _TOLERANCE)


@dataclass(frozen=True)
class Interval:
    cell: Key
    low: float
    high: float  # float("inf"): no upper bound
    exact: bool  # False: a protected cell whose witnesses already showed enough room
    #: for a cell that is not protected: the relations that pin it down (non-zero duals)
    binding: tuple[Relation, ...] = ()

    @property
    def protected(self) -> bool:
        return bool(_protected(self.low, self.high))


@dataclass(frozen=True)
class Inconsistency:
    """A relation whose published values do not add up (the audit cannot judge its cells)."""

    relation: Relation
    difference: float


@dataclass
class _Row:
    relation: Relation
    terms: dict[int, float]  # variable index → coefficient
    rhs: float


class _Components:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _rows(
    relations: Iterable[Relation], known: dict[Key, float], index: dict[Key, int], slacks: list[int]
) -> tuple[list[_Row], list[Inconsistency]]:
    rows: list[_Row] = []
    broken: list[Inconsistency] = []
    for relation in relations:
        terms: dict[int, float] = {}
        rhs = 0.0
        for key, sign in ((relation.total, 1.0), *((part, -1.0) for part in relation.parts)):
            if key in known:
                rhs -= sign * known[key]
            else:
                variable = index.setdefault(key, len(index) + len(slacks))
                terms[variable] = terms.get(variable, 0.0) + sign
        terms = {v: c for v, c in terms.items() if c != 0.0}
        if relation.remainder:
            if not terms:  # only the remainder is unknown: it is fixed, says nothing of hidden cells
                if rhs > _TOLERANCE:  # total below the sum of its parts
                    broken.append(Inconsistency(relation, rhs))
                continue
            slack = len(index) + len(slacks)
            slacks.append(slack)
            terms[slack] = -1.0
        elif not terms:
            if abs(rhs) > _TOLERANCE:
                broken.append(Inconsistency(relation, rhs))
            continue
        rows.append(_Row(relation, terms, rhs))
    return rows, broken


#: the banner is printed once per process, by its first solver; stdout is closed to it only then
_FIRST_SOLVER = threading.Lock()
_banner_printed = False


def _silent_solver():
    """A HiGHS instance; its licence banner (printed by the first one a process makes) goes nowhere.
    Standard output is taken away only while the first one is made, and under a lock: two threads
    that each saved and restored it would leave it pointing at nothing."""
    global _banner_printed
    import highspy

    with _FIRST_SOLVER:
        if _banner_printed:
            solver = highspy.Highs()
        else:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as sink:
                    os.dup2(sink.fileno(), 1)
                    solver = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _banner_printed = True
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("presolve", "off")
    solver.setOptionValue("simplex_strategy", 4)
    return solver


class _Group:
    """One connected group of equations as a linear programme, re-solved warm for each objective.

    The relaxation's optimum is an integer point for nearly all these tables (sums over a
    hierarchy); when it is not, the integer programme is solved for that objective."""

    def __init__(self, matrix, rhs: np.ndarray, ceiling: float) -> None:
        import highspy

        self.highspy = highspy
        self.matrix = matrix.tocsc()
        self.rhs = rhs
        self.size = matrix.shape[1]
        self.ceiling = ceiling
        self.solver = _silent_solver()
        lp = highspy.HighsLp()
        lp.num_col_ = self.size
        lp.num_row_ = matrix.shape[0]
        lp.col_cost_ = np.zeros(self.size)
        lp.col_lower_ = np.zeros(self.size)
        lp.col_upper_ = np.full(self.size, ceiling)
        lp.row_lower_ = rhs
        lp.row_upper_ = rhs
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = self.matrix.indptr
        lp.a_matrix_.index_ = self.matrix.indices
        lp.a_matrix_.value_ = self.matrix.data
        self.solver.passModel(lp)
        self.lp = lp
        self.integer_solver = None
        self.cost = np.zeros(self.size)
        self.low_seen = np.full(self.size, np.inf)
        self.high_seen = np.full(self.size, -np.inf)

    def _optimise(self, solver, cost: np.ndarray, objective: np.ndarray) -> np.ndarray:
        """Run ``solver`` with ``objective``, changing only the costs that differ; returns the costs now set."""
        changed = np.flatnonzero(objective != cost)
        if len(changed):
            solver.changeColsCost(len(changed), changed.astype(np.int32), objective[changed])
            cost = objective.copy()
        solver.run()
        if solver.getModelStatus() != self.highspy.HighsModelStatus.kOptimal:
            raise ArithmeticError(f"geen optimum: {solver.getModelStatus()}")
        return cost

    def solve(self, objective: np.ndarray, exact: bool = False) -> np.ndarray | None:
        """A point minimising ``objective`` over the non-negative solutions of the relaxation, kept
        as a witness when it is an integer point. When it is not: ``exact`` solves the integer
        programme instead; otherwise None (the relaxation's optimum is still in ``self.bound``)."""
        self.cost = self._optimise(self.solver, self.cost, objective)
        solution = self.solver.getSolution()
        point = np.asarray(solution.col_value)
        self.duals = np.asarray(solution.row_dual)
        self.bound = float(objective @ point)
        if np.abs(point - np.round(point)).max() > _TOLERANCE:
            if not exact:
                return None
            point = self._integer(objective)
        point = np.round(point)
        np.minimum(self.low_seen, point, out=self.low_seen)
        np.maximum(self.high_seen, point, out=self.high_seen)
        return point

    def fixed_point(self, target: int, value: float, tries: int = 3) -> np.ndarray | None:
        """An integer solution with the cell ``target`` at ``value``, looked for cheaply: the cell is
        fixed there and the relaxation solved with a few random objectives (its vertices are nearly
        always integer points). None when none was found; the integer programme decides then."""
        self.solver.changeColBounds(target, value, value)
        rng = np.random.default_rng(target)
        try:
            for _ in range(tries):
                point = self.solve(rng.random(self.size))
                if point is not None:
                    return point
        finally:
            self.solver.changeColBounds(target, 0.0, self.ceiling)
        return None

    def _integer(self, objective: np.ndarray) -> np.ndarray:
        """The integer programme for ``objective``, on a second solver that keeps the model."""
        if self.integer_solver is None:
            self.integer_solver = _silent_solver()
            self.integer_solver.passModel(self.lp)
            self.integer_solver.changeColsIntegrality(
                self.size, np.arange(self.size, dtype=np.int32), np.full(self.size, self.highspy.HighsVarType.kInteger)
            )
            self.integer_cost = np.zeros(self.size)
        self.integer_cost = self._optimise(self.integer_solver, self.integer_cost, objective)
        return np.asarray(self.integer_solver.getSolution().col_value)


def _witnesses(group: _Group, columns: np.ndarray) -> None:
    """Solutions that show room cheaply: all hidden cells as low as they go, then, round after
    round, the cells not yet shown to be protected as high as they go together (in a relation
    one of them takes the room, the next round another), until a round shows nothing new."""
    objective = np.zeros(group.size)
    objective[columns] = 1.0
    group.solve(objective)
    open_cells = columns
    for round_number in range(_WITNESS_ROUNDS):
        high, low = group.high_seen[open_cells], group.low_seen[open_cells]
        still = open_cells[~_protected(low, high)]
        if len(still) == 0 or (len(still) == len(open_cells) and round_number > 0):
            return
        open_cells = still
        objective = np.zeros(group.size)
        objective[open_cells] = -1.0
        if group.solve(objective) is None:  # a fractional vertex shows nothing; the cells are solved one by one
            return


#: one cell's result from a group: low, high, exact, and for a cell that is not protected the rows
#: of the group's equations that pin it down (non-zero duals)
_Bounds = tuple[float, float, bool, tuple[int, ...]]


def _bounds(group: _Group, target: int) -> _Bounds:
    """The exact interval of one cell: the relaxation first; the integer programme only when the
    relaxation's optimum is fractional and its interval would pass (a narrow relaxed interval
    already contains the narrower integer one)."""
    objective = np.zeros(group.size)
    objective[target] = -1.0
    point = group.solve(objective)
    high = float(point[target]) if point is not None else float(np.floor(-group.bound + _TOLERANCE))
    if high >= group.ceiling - 0.5:
        return 0.0, float("inf"), True, ()
    pinning = np.abs(group.duals) > _TOLERANCE
    objective[target] = 1.0
    point_low = group.solve(objective)
    low = float(point_low[target]) if point_low is not None else float(np.ceil(group.bound - _TOLERANCE))
    if not _protected(low, high):
        pinning |= np.abs(group.duals) > _TOLERANCE
        return low, high, True, tuple(int(i) for i in np.flatnonzero(pinning))
    if point is not None and point_low is not None:
        return low, high, True, ()
    if point is None and group.fixed_point(target, high) is None:
        objective[target] = -1.0
        high = float(group.solve(objective, exact=True)[target])
    if point_low is None and group.fixed_point(target, low) is None:
        objective[target] = 1.0
        low = float(group.solve(objective, exact=True)[target])
    return low, high, True, ()


@dataclass
class _Problem:
    """One connected group of equations with the hidden cells to judge in it."""

    matrix: object  # scipy CSR: rows are the group's equations, columns its unknowns
    rhs: np.ndarray
    ceiling: float
    witnesses: np.ndarray  # columns of the hidden cells, in the caller's order (the witness solutions)
    targets: list[int]  # the same columns in the order the cells are judged (sorted by cell)


def _solve(problem: _Problem) -> list[_Bounds]:
    """Every target's interval; a pure function of the problem (one solver, solved in a fixed
    order), so it gives the same answer in any process."""
    group = _Group(problem.matrix, problem.rhs, problem.ceiling)
    _witnesses(group, problem.witnesses)
    result: list[_Bounds] = []
    for target in problem.targets:
        low, high = float(group.low_seen[target]), float(group.high_seen[target])
        if _protected(low, high):
            result.append((low, high, False, ()))
        else:
            result.append(_bounds(group, target))
    return result


def _reachable(start: Iterable[Key], touching: dict[Key, list[Relation]], known: dict[Key, float]) -> list[Relation]:
    """The relations linked to ``start`` through cells that are not published."""
    seen: dict[int, Relation] = {}
    frontier = list(dict.fromkeys(start))  # in the caller's order: a set's order changes per process
    visited = set(frontier)
    while frontier:
        key = frontier.pop()
        for relation in touching.get(key, []):
            if id(relation) in seen:
                continue
            seen[id(relation)] = relation
            for other in (relation.total, *relation.parts):
                if other not in known and other not in visited:
                    visited.add(other)
                    frontier.append(other)
    return list(seen.values())


def audit(
    relations: list[Relation],
    known: dict[Key, float],
    hidden: Iterable[Key],
    only: Iterable[Key] | None = None,
    touching: dict[Key, list[Relation]] | None = None,
    pool: Executor | None = None,
) -> tuple[dict[Key, Interval], list[Inconsistency]]:
    """The interval of every hidden cell that appears in a relation (others are free: unbounded).
    ``only``: just these hidden cells (``touching``, cell → its relations, finds their equations
    quickly). (Hiding one more cell only widens the others' intervals:
    every earlier solution stays a solution. So after adding suppressions, only the cells that
    were too narrow and the newly hidden ones need checking again.) ``pool``: threads
    (:func:`solver_pool`) that solve the groups side by side."""
    from scipy.sparse import csr_array

    if only is not None and touching is not None:  # just the groups of equations these cells are in
        only = list(only)
        relations = _reachable(only, touching, known)
    index: dict[Key, int] = {}
    slacks: list[int] = []
    rows, broken = _rows(relations, known, index, slacks)
    hidden = [key for key in dict.fromkeys(hidden if only is None else only) if key in index]
    groups = _Components()
    for row in rows:
        first, *rest = row.terms
        groups.find(first)
        for variable in rest:
            groups.union(first, variable)
    rows_of: dict[int, list[_Row]] = {}
    for row in rows:
        rows_of.setdefault(groups.find(next(iter(row.terms))), []).append(row)
    hidden_of: dict[int, list[Key]] = {}
    for key in hidden:
        hidden_of.setdefault(groups.find(index[key]), []).append(key)
    problems: list[tuple[list[Key], list[Relation], _Problem]] = []
    for root, cells in hidden_of.items():
        component = rows_of[root]
        variables = sorted({v for row in component for v in row.terms})
        column = {v: i for i, v in enumerate(variables)}
        data, row_ids, col_ids = [], [], []
        for r, row in enumerate(component):
            for variable, coefficient in row.terms.items():
                row_ids.append(r)
                col_ids.append(column[variable])
                data.append(coefficient)
        matrix = csr_array((data, (row_ids, col_ids)), shape=(len(component), len(variables)))
        rhs = np.array([row.rhs for row in component])
        # no variable exceeds the published totals it is part of; beyond this bound it is free
        ceiling = float(np.abs(rhs).sum()) + 10 * SPAN + 1
        ordered = sorted(cells)
        problem = _Problem(
            matrix, rhs, ceiling,
            witnesses=np.array([column[index[key]] for key in cells]),
            targets=[column[index[key]] for key in ordered],
        )  # fmt: skip
        problems.append((ordered, [row.relation for row in component], problem))
    result: dict[Key, Interval] = {}
    for (ordered, group_relations, _), bounds in zip(
        problems, _solve_all([p for *_, p in problems], pool), strict=True
    ):
        for key, (low, high, exact, binding) in zip(ordered, bounds, strict=True):
            result[key] = Interval(key, low, high, exact, tuple(group_relations[i] for i in binding))
    return result, broken


def _solve_all(problems: list[_Problem], pool: Executor | None) -> list[list[_Bounds]]:
    """Each problem solved; side by side in ``pool`` (the biggest first). HiGHS lets go of
    Python's lock while it solves, and each group has its own solver: the answers are the same."""
    if pool is None or len(problems) < 2:
        return [_solve(p) for p in problems]
    size = [p.matrix.shape[1] * len(p.targets) for p in problems]
    futures = {i: pool.submit(_solve, problems[i]) for i in sorted(range(len(problems)), key=lambda i: -size[i])}
    return [futures[i].result() for i in range(len(problems))]


@contextmanager
def solver_pool(workers: int | None = None) -> Iterator[Executor | None]:
    """Threads that solve the groups of :func:`audit` side by side: one per core, or ``GVB_THREADS``;
    None with one."""
    from pipeline.kernel.config import settings

    workers = workers or settings().threads or os.cpu_count() or 1
    if workers < 2:
        yield None
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gvb-audit") as pool:
        yield pool
