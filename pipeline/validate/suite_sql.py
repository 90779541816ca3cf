"""A GX suite's expectations run as DuckDB SQL, with the findings GX itself would give.

The suites in ``expectations/`` stay the one definition of each rule. ``gvb validate`` runs them
in Great Expectations (the gate, with its data docs); where the same rules must run on millions of
rows that never leave DuckDB (a file at ingest, the marts before publishing) they are translated
here, expectation by expectation, into SQL over a relation. Each translation keeps GX's own
meaning (nulls are not checked by a column-map rule; a duplicate key marks every row that shares
it; at most ``MAX_EXAMPLES`` rows are named, in row order), and ``tests/validate/test_suite_sql.py``
checks for every kind of expectation in the suites that both routes give the same findings.
"""

from __future__ import annotations

from typing import Any

import duckdb

from pipeline.validate.gx_runtime import MAX_EXAMPLES, Finding, SuiteOutcome, example_of, json_value

#: DuckDB column types that pandas would hold as one of GX's integer dtype names
_INTEGER_TYPES = {"BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT"}
_INTEGER_DTYPES = {"int64", "Int64", "int32", "Int32", "int16", "Int16", "int8", "Int8"}


#: in a uniqueness rule's condition: how many rows share the row's key (see ``_with_duplicates``)
_DUPLICATE = "_gedeelde_sleutel"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _unexpected(spec: dict) -> str | None:
    """The SQL condition of a row that breaks a column-map or multi-column expectation."""
    kwargs = spec["kwargs"]
    kind = spec["type"]
    column = _ident(kwargs["column"]) if "column" in kwargs else None
    if kind == "expect_column_values_to_not_be_null":
        return f"{column} is null"
    if kind == "expect_column_values_to_be_null":
        return f"{column} is not null"
    if kind == "expect_column_values_to_be_in_set":
        values = ", ".join(_literal(v) for v in kwargs["value_set"])
        return f"{column} is not null and {column} not in ({values})"
    if kind == "expect_column_values_to_match_regex":
        return f"{column} is not null and not regexp_matches(cast({column} as varchar), {_literal(kwargs['regex'])})"
    if kind == "expect_column_values_to_be_between":
        bounds = []
        if kwargs.get("min_value") is not None:
            bounds.append(f"{column} {'>' if kwargs.get('strict_min') else '>='} {_literal(kwargs['min_value'])}")
        if kwargs.get("max_value") is not None:
            bounds.append(f"{column} {'<' if kwargs.get('strict_max') else '<='} {_literal(kwargs['max_value'])}")
        return f"{column} is not null and not ({' and '.join(bounds) or 'true'})"
    if kind == "expect_compound_columns_to_be_unique":
        return f"{_DUPLICATE} > 1"
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = _ident(kwargs["column_A"]), _ident(kwargs["column_B"])
        compare = ">=" if kwargs.get("or_equal") else ">"
        return f"not ({a} is null and {b} is null) and not coalesce({a} {compare} {b}, false)"
    return None


def _table_check(spec: dict, columns: dict[str, str]) -> tuple[bool | str, Any] | None:
    """(passed, observed value) of an expectation on the table's shape or a column's type.

    A type is checked as GX checks a pandas column: an integer column passes, except one with an
    empty cell (pandas then holds it as a nullable ``Int64``, which GX does not accept); for such a
    column ``passed`` is the condition of an empty cell, counted with the row rules."""
    kwargs = spec["kwargs"]
    if spec["type"] == "expect_table_columns_to_match_set":
        expected = set(kwargs["column_set"])
        present = set(columns)
        exact = kwargs.get("exact_match", True)
        return (present == expected if exact else expected <= present), list(columns)
    if spec["type"] == "expect_column_values_to_be_in_type_list":
        column_type = columns.get(kwargs["column"], "")
        wanted = set(kwargs["type_list"])
        if column_type in _INTEGER_TYPES and wanted & _INTEGER_DTYPES:
            return f"{_ident(kwargs['column'])} is null", column_type
        return column_type in wanted, column_type
    return None


def run_suite_sql(
    con: duckdb.DuckDBPyConnection,
    suite: dict,
    relation: str,
    order_by: list[str],
    index_columns: list[str],
    only_blocking: bool = False,
    batch: str | None = None,
    position: str | None = None,
) -> SuiteOutcome:
    """Run ``suite`` over ``relation`` in ``con``; findings as :func:`gx_runtime.run_suite` gives them.

    ``order_by`` is the rows' own order (the file's rows, the mart's key), in which examples are named;
    ``index_columns`` are the columns an example names (``bron_bestand``/``bron_rij`` or a mart cell).
    ``position`` names a column of ``relation`` that only carries the row order: it is not checked.
    """
    specs = [s for s in suite["expectations"] if not only_blocking or s["meta"]["ernst"] == "blokkerend"]
    described = con.execute(f"describe {relation}").fetchall()
    columns = {name: str(kind) for name, kind, *_ in described if name != position}
    row_rules: list[tuple[int, str]] = []
    typed: dict[int, tuple[str, str]] = {}  # integer columns: the condition of an empty cell, the type
    outcomes: dict[int, tuple[bool, int | None, list[dict[str, Any]], Any]] = {}
    for number, spec in enumerate(specs):
        shape = _table_check(spec, columns)
        if isinstance(shape, tuple) and isinstance(shape[0], str):
            typed[number] = (shape[0], shape[1])
            continue
        if shape is not None:
            outcomes[number] = (bool(shape[0]), None, [], json_value(shape[1]))
            continue
        condition = _unexpected(spec)
        if condition is None:
            raise ValueError(f"{spec['type']} heeft geen SQL-vertaling; voeg die toe in pipeline/validate/suite_sql.py")
        missing = _missing_columns(spec, columns)
        if missing:  # GX fails such an expectation with an error; so does this
            outcomes[number] = (False, None, [], f"kolom ontbreekt: {', '.join(missing)}")
            continue
        row_rules.append((number, condition))
    if row_rules or typed:
        empty_cells = {number: condition for number, (condition, _) in typed.items()}
        _count_and_name(con, specs, relation, order_by, index_columns, row_rules, outcomes, empty_cells)
    for number, (_, column_type) in typed.items():
        passed = outcomes[number][0]
        outcomes[number] = (passed, None, [], column_type if passed else f"{column_type} met lege cellen")
    findings: list[Finding] = []
    checks: list[dict[str, Any]] = []
    for number, spec in enumerate(specs):
        passed, count, examples, observed = outcomes[number]
        meta = spec.get("meta") or {}
        kwargs = spec["kwargs"]
        column = kwargs.get("column") or (",".join(kwargs.get("column_list", [])) or None)
        description = meta.get("omschrijving", spec["type"])
        checks.append(
            {"omschrijving": description, "kolom": column, "ernst": meta.get("ernst", "blokkerend"), "geslaagd": passed}
        )
        if passed:
            continue
        findings.append(
            Finding(
                bron=suite["name"],
                expectation=spec["type"],
                kolom=column,
                ernst=meta.get("ernst", "blokkerend"),
                regel=meta.get("regel", spec["type"]),
                omschrijving=description,
                aantal=count,
                voorbeelden=examples,
                waargenomen=observed if count is None else None,
                batch=batch,
            )
        )
    passed_count = sum(1 for check in checks if check["geslaagd"])
    return SuiteOutcome(suite["name"], len(specs), passed_count, findings, None, checks)


def _missing_columns(spec: dict, columns: dict[str, str]) -> list[str]:
    kwargs = spec["kwargs"]
    named = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs] + list(kwargs.get("column_list", []))
    return [c for c in named if c not in columns]


def _count_and_name(
    con: duckdb.DuckDBPyConnection,
    specs: list[dict],
    relation: str,
    order_by: list[str],
    index_columns: list[str],
    row_rules: list[tuple[int, str]],
    outcomes: dict[int, tuple[bool, int | None, list[dict[str, Any]], Any]],
    counted_only: dict[int, str],
) -> None:
    """One scan counts the failing rows of every rule (a uniqueness rule by a grouping of its own);
    only a failed rule is looked at again, to name its first rows in the rows' own order. Rules in
    ``counted_only`` (a column's type) are only counted: they fail as a whole, naming no row."""
    plain = [(number, condition) for number, condition in row_rules if _DUPLICATE not in condition]
    plain += list(counted_only.items())
    counts: dict[int, int] = {}
    if plain:
        found = con.execute(
            "select "
            + ", ".join(f"count(*) filter (where {condition})" for _, condition in plain)
            + f" from {relation}"
        ).fetchall()[0]
        counts.update({number: int(count) for (number, _), count in zip(plain, found, strict=True)})
    for number, _ in row_rules:
        if number not in counts:
            key = ", ".join(_ident(c) for c in specs[number]["kwargs"]["column_list"])
            counts[number] = int(
                con.execute(
                    f"select coalesce(sum(n), 0) from (select count(*) as n from {relation} group by {key} having n > 1)"
                ).fetchall()[0][0]
            )
    for number in counted_only:
        outcomes[number] = (not counts[number], None, [], None)
    order = ", ".join(_ident(c) for c in order_by)
    for number, condition in row_rules:
        if not counts[number]:
            outcomes[number] = (True, 0, [], None)
            continue
        spec = specs[number]
        column = spec["kwargs"].get("column")
        wanted = [c for c in dict.fromkeys([*index_columns, *([column] if column else [])]) if c]
        rows = con.execute(
            f"select {', '.join(_ident(c) for c in wanted)} from {_with_duplicates(spec, relation)} "
            f"where {condition} order by {order} limit {MAX_EXAMPLES}"
        ).fetchall()
        examples = [example_of(dict(zip(wanted, row, strict=True)), column) for row in rows]
        outcomes[number] = (False, counts[number], examples, None)


def _with_duplicates(spec: dict, relation: str) -> str:
    """``relation``, for a uniqueness rule with the number of rows that share each row's key."""
    if spec["type"] != "expect_compound_columns_to_be_unique":
        return relation
    key = ", ".join(_ident(c) for c in spec["kwargs"]["column_list"])
    return f"(select *, count(*) over (partition by {key}) as {_DUPLICATE} from {relation})"
