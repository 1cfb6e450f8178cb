"""Policy documents inside a snapshot: parsed by iamfence.parse, diagnostics re-located under the
snapshot's JSON pointer."""

from __future__ import annotations

from typing import Any

from iamfence.diagnostics import Diagnostic, Location, Severity
from iamfence.model import PolicyDocument, PolicyType
from iamfence.parse.api import parse_policy
from iamfence.parse.limits import SizeLimit

SIZE_CODE = "IF170"
"""A document over the default AWS size limit: IAM accepted it (quotas can be raised, e.g. trust
policies up to 4,096 characters: IAM User Guide, "IAM and AWS STS quotas"), so in a snapshot it is
a warning, not an error."""


def _relocate(d: Diagnostic, file: str, pointer: str) -> Diagnostic:
    severity = Severity.WARNING if d.code == SIZE_CODE else d.severity
    inner = d.location.pointer
    return Diagnostic(d.code, severity, d.message, Location(file, pointer + inner))


def parse_document(
    value: Any, *, kind: PolicyType, file: str, pointer: str, limit: str
) -> tuple[PolicyDocument | None, tuple[Diagnostic, ...]]:
    """Parse one document (a JSON object or a URL-encoded JSON string) of `kind`; `limit` names the
    AWS size limit that applies ("managed", "role-inline", "user-inline", "group-inline", "trust")."""
    result = parse_policy(value, kind=kind, file=file, limit=SizeLimit(limit))
    diagnostics = tuple(_relocate(d, file, pointer) for d in result.diagnostics)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return None, diagnostics
    document = result.document
    if document is None:  # only the size limit failed: parse again without it for the document
        document = parse_policy(value, kind=kind, file=file, limit=SizeLimit.NONE).document
    return document, diagnostics
