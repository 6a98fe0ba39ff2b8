"""The README's table of Cognito operations matches botocore's model and the dispatch table (spec §6)."""

from __future__ import annotations

from pathlib import Path

from cognate.cognito_api.dispatch import OPERATIONS, UNSIGNED
from cognate.cognito_api.shapes import service_model

README = (Path(__file__).resolve().parents[3] / "README.md").read_text()
START, END = "<!-- operations-table:start -->\n", "<!-- operations-table:end -->"


def _rows() -> dict[str, tuple[str, str]]:
    table = README[README.index(START) + len(START):README.index(END)]
    rows: dict[str, tuple[str, str]] = {}
    for line in table.strip().splitlines()[2:]:
        operation, supported, signed = (cell.strip() for cell in line.strip("|").split("|")[:3])
        rows[operation] = (supported, signed)
    return rows


def test_every_model_operation_is_listed_once_in_order() -> None:
    listed = [line.split("|")[1].strip() for line in
              README[README.index(START) + len(START):README.index(END)].strip().splitlines()[2:]]
    assert listed == sorted(service_model().operation_names)


def test_supported_marks_match_the_dispatch_table() -> None:
    rows = _rows()
    assert {op for op, (supported, _) in rows.items() if supported == "✓"} == set(OPERATIONS)
    assert {supported for supported, _ in rows.values()} == {"✓", "—"}


def test_signed_column_matches_the_unsigned_list() -> None:
    for operation, (_, signed) in _rows().items():
        assert signed == ("no" if operation in UNSIGNED else "SigV4"), operation
