"""CloudTrail review: which boundary-related IAM calls happened, who made them (the session
issuer's ARN), when, what and from where. Records are CloudTrail event records as delivered
(AWS CloudTrail User Guide, "CloudTrail record contents": eventTime, eventSource, eventName,
userIdentity, sourceIPAddress, userAgent, errorCode, requestParameters, recipientAccountId,
eventID; "CloudTrail userIdentity element": sessionContext.sessionIssuer.arn)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from iamfence.audit import findings as fc
from iamfence.audit.findings import EvidenceValue, Finding, FindingCode

IAM_SOURCE = "iam.amazonaws.com"
BOUNDARY_EVENTS = frozenset(
    {
        "PutRolePermissionsBoundary",
        "PutUserPermissionsBoundary",
        "DeleteRolePermissionsBoundary",
        "DeleteUserPermissionsBoundary",
    }
)
POLICY_EVENTS = frozenset(
    {"CreatePolicyVersion", "SetDefaultPolicyVersion", "DeletePolicyVersion", "DeletePolicy"}
)
CREATE_EVENTS = frozenset({"CreateRole", "CreateUser"})
REVIEWED_EVENTS = BOUNDARY_EVENTS | POLICY_EVENTS | CREATE_EVENTS
# errorCode values IAM records for an authorization failure.
DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})


@dataclass(frozen=True, slots=True)
class TrailWindow:
    since: datetime | None = None
    until: datetime | None = None

    def contains(self, when: datetime | None) -> bool:
        if when is None:
            return self.since is None and self.until is None
        if self.since is not None and when < self.since:
            return False
        return not (self.until is not None and when >= self.until)


def parse_time(text: str) -> datetime | None:
    """CloudTrail's eventTime is ISO 8601 UTC ("2026-11-02T09:15:00Z")."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def review_records(
    records: Iterable[Mapping[str, object]],
    boundary_arn_for: Callable[[str], str],
    window: TrailWindow = TrailWindow(),
) -> Iterator[Finding]:
    """One finding per reviewed event in the window; everything else is skipped."""
    for record in records:
        name = record.get("eventName")
        if record.get("eventSource") != IAM_SOURCE or name not in REVIEWED_EVENTS:
            continue
        when = parse_time(str(record.get("eventTime", "")))
        if not window.contains(when):
            continue
        found = classify(record, boundary_arn_for)
        if found is not None:
            yield found


def _str(mapping: object, *path: str) -> str:
    node = mapping
    for key in path:
        if not isinstance(node, Mapping):
            return ""
        node = node.get(key)
    return node if isinstance(node, str) else ""


def account_of(record: Mapping[str, object]) -> str:
    return _str(record, "recipientAccountId") or _str(record, "userIdentity", "accountId")


def actor_of(record: Mapping[str, object]) -> str:
    """The session issuer (the role or user behind a session), else the caller's own ARN."""
    return (
        _str(record, "userIdentity", "sessionContext", "sessionIssuer", "arn")
        or _str(record, "userIdentity", "arn")
        or _str(record, "userIdentity", "invokedBy")
        or _str(record, "userIdentity", "type")
    )


def _subject(record: Mapping[str, object], name: str, account: str, partition: str) -> str:
    params = record.get("requestParameters")
    if name in POLICY_EVENTS:
        return _str(params, "policyArn")
    kind = "role" if "Role" in name else "user"
    entity = _str(params, "roleName" if kind == "role" else "userName")
    path = _str(params, "path") or "/"
    return f"arn:{partition}:iam::{account}:{kind}{path}{entity}" if entity else ""


def classify(
    record: Mapping[str, object], boundary_arn_for: Callable[[str], str]
) -> Finding | None:
    name = str(record.get("eventName"))
    account = account_of(record)
    expected = boundary_arn_for(account)
    partition = expected.split(":")[1] if expected.count(":") >= 5 else "aws"
    params = record.get("requestParameters")
    subject = _subject(record, name, account, partition)
    if name in POLICY_EVENTS and subject != expected:
        return None
    evidence: dict[str, EvidenceValue] = {
        "event_id": _str(record, "eventID"),
        "event_name": name,
        "event_time": _str(record, "eventTime"),
        "actor": actor_of(record),
        "source_ip": _str(record, "sourceIPAddress"),
        "user_agent": _str(record, "userAgent"),
        "region": _str(record, "awsRegion"),
        "expected_boundary": expected,
    }
    boundary = _str(params, "permissionsBoundary")
    if boundary:
        evidence["requested_boundary"] = boundary
    if name in {"CreatePolicyVersion", "SetDefaultPolicyVersion", "DeletePolicyVersion"}:
        evidence["version_id"] = _str(params, "versionId")
        set_default = params.get("setAsDefault") if isinstance(params, Mapping) else None
        if isinstance(set_default, bool):
            evidence["set_as_default"] = set_default
    error = _str(record, "errorCode")
    if error:
        if error not in DENIED_CODES:
            return None  # failed for another reason (e.g. NoSuchEntity): changed nothing
        evidence["error_code"] = error
        return Finding(
            fc.TRAIL_ACCESS_DENIED.code,
            fc.TRAIL_ACCESS_DENIED.severity,
            account,
            subject,
            tuple(evidence.items()),
        )
    code = _code_for(name, boundary, expected)
    if code is None:
        return None
    return Finding(code.code, code.severity, account, subject, tuple(evidence.items()))


def _code_for(name: str, boundary: str, expected: str) -> FindingCode | None:
    if name in ("DeleteRolePermissionsBoundary", "DeleteUserPermissionsBoundary"):
        return fc.TRAIL_BOUNDARY_REMOVED
    if name in ("PutRolePermissionsBoundary", "PutUserPermissionsBoundary"):
        return fc.TRAIL_BOUNDARY_SET if boundary == expected else fc.TRAIL_BOUNDARY_REPLACED
    if name == "DeletePolicy":
        return fc.TRAIL_BOUNDARY_DELETED
    if name in POLICY_EVENTS:
        return fc.TRAIL_BOUNDARY_EDITED
    if name in CREATE_EVENTS:
        return None if boundary == expected else fc.TRAIL_CREATED_UNBOUNDED
    return None
