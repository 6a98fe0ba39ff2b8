"""Audit events are written as their own field dicts (`SqlStore._write_audit`), so the fields must be the columns."""

from __future__ import annotations

from dataclasses import fields

from cognate.domain.signin import AuditEvent
from cognate.store.sql.auth_tables import AuditEventRow


def test_audit_event_fields_are_exactly_the_audit_table_columns() -> None:
    columns = {column.name for column in AuditEventRow.__table__.columns} - {"id"}
    assert {f.name for f in fields(AuditEvent)} == columns
    event = AuditEvent(at=1.0, event="token_issue", outcome="success", detail={"door": "oauth"})
    assert set(vars(event)) == columns  # what the writer hands to the INSERT
