"""Evidence shared by every renderer: a deciding statement (policy type, policy, statement index,
Sid) as JSON and as text."""

from __future__ import annotations

from typing import Any

from iamfence.engine import StatementRef


def statement_ref_json(ref: StatementRef) -> dict[str, Any]:
    return {
        "policy_type": ref.policy_type.value,
        "policy": ref.policy,
        "statement_index": ref.statement_index,
        "sid": ref.sid,
    }


def statement_ref_text(ref: StatementRef) -> str:
    sid = f" ({ref.sid})" if ref.sid else ""
    return f"{ref.policy_type.value} {ref.policy} statement {ref.statement_index}{sid}"
