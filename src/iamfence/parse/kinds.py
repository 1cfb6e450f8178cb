"""Rules that depend on the policy kind (identity, resource, trust, boundary, SCP, RCP, session).

Sources: IAM User Guide, "IAM JSON policy elements: Principal" (identity policies, permissions
boundaries and session policies have no Principal; resource-based and trust policies need one),
"IAM JSON policy elements: NotPrincipal" (resource-based policies only), "IAM JSON policy elements:
Resource" (a role trust policy has no Resource), "IAM JSON policy elements: Sid" (IAM accepts
ASCII letters and digits); AWS Organizations User Guide, "SCP syntax" (no Principal/NotPrincipal)
and "RCP syntax" (Principal must be "*", no NotPrincipal; Allow only in the AWS-managed
RCPFullAWSAccess; Action, not NotAction). "IAM JSON policy elements: NotPrincipal": NotPrincipal
must be used with Deny.
"""

from __future__ import annotations

import re

from iamfence.model.policy import PolicyType, PrincipalSpec
from iamfence.parse import codes
from iamfence.parse.context import Sink
from iamfence.parse.scanner import JsonValue

NO_PRINCIPAL = frozenset(
    {PolicyType.IDENTITY, PolicyType.PERMISSIONS_BOUNDARY, PolicyType.SESSION, PolicyType.SCP}
)
"""Kinds whose statements never name a principal (the principal is whoever holds the policy)."""
NEEDS_PRINCIPAL = frozenset({PolicyType.RESOURCE, PolicyType.TRUST, PolicyType.RCP})
NOT_PRINCIPAL_ALLOWED = frozenset({PolicyType.RESOURCE})
ALNUM_SID = frozenset(
    {
        PolicyType.IDENTITY,
        PolicyType.PERMISSIONS_BOUNDARY,
        PolicyType.SESSION,
        PolicyType.TRUST,
        PolicyType.SCP,
        PolicyType.RCP,
    }
)
"""Kinds stored by IAM or Organizations, whose Sids are ASCII letters and digits only. Other
services' resource policies accept other characters (e.g. S3 allows spaces)."""
_ALNUM = re.compile(r"[A-Za-z0-9]*\Z")


def _article(kind: PolicyType) -> str:
    return ("an " if kind.value[0] in "aeiou" else "a ") + kind.value


def check_sid(sink: Sink, sid: str, pointer: str) -> bool:
    if sink.kind in ALNUM_SID and not _ALNUM.match(sid):
        sink.add(
            codes.SID_INVALID,
            f"Sid {sid!r} may contain only ASCII letters and digits in {_article(sink.kind)} policy",
            pointer,
        )
        return False
    return True


def check_statement(sink: Sink, value: dict[str, JsonValue], pointer: str) -> bool:
    """Presence rules for Principal, Action and Resource; True when none failed."""
    kind = sink.kind
    good = True
    has_principal = "Principal" in value or "NotPrincipal" in value
    if kind in NO_PRINCIPAL:
        for key in ("Principal", "NotPrincipal"):
            if key in value:
                sink.add(
                    codes.PRINCIPAL_FORBIDDEN,
                    f"{_article(kind)} policy has no {key}: it applies to whoever holds it",
                    f"{pointer}/{key}",
                    at_key=True,
                )
                good = False
    elif "NotPrincipal" in value and kind not in NOT_PRINCIPAL_ALLOWED:
        sink.add(
            codes.NOT_PRINCIPAL_FORBIDDEN,
            f"{_article(kind)} policy does not accept NotPrincipal",
            f"{pointer}/NotPrincipal",
            at_key=True,
        )
        good = False
    good = _check_negations(sink, value, pointer) and good
    if kind in NEEDS_PRINCIPAL and not has_principal:
        wanted = "Principal or NotPrincipal" if kind in NOT_PRINCIPAL_ALLOWED else "Principal"
        sink.add(
            codes.PRINCIPAL_MISSING, f"{_article(kind)} policy statement needs {wanted}", pointer
        )
        good = False
    if "Action" not in value and "NotAction" not in value:
        sink.add(codes.ACTION_MISSING, "Action or NotAction is missing", pointer)
        good = False
    has_resource = "Resource" in value or "NotResource" in value
    if kind is PolicyType.TRUST:
        for key in ("Resource", "NotResource"):
            if key in value:
                sink.add(
                    codes.RESOURCE_FORBIDDEN,
                    f"a trust policy has no {key}: the resource is the role itself",
                    f"{pointer}/{key}",
                    at_key=True,
                )
                good = False
    elif not has_resource:
        sink.add(codes.RESOURCE_MISSING, "Resource or NotResource is missing", pointer)
        good = False
    return good


def _check_negations(sink: Sink, value: dict[str, JsonValue], pointer: str) -> bool:
    """NotPrincipal only with Deny; RCPs neither Allow nor use NotAction."""
    good = True
    allow = value.get("Effect") == "Allow"
    if allow and "NotPrincipal" in value and sink.kind in NOT_PRINCIPAL_ALLOWED:
        sink.add(
            codes.NOT_PRINCIPAL_ALLOW,
            'NotPrincipal is supported only with "Effect": "Deny"',
            f"{pointer}/NotPrincipal",
            at_key=True,
        )
        good = False
    if sink.kind is PolicyType.RCP:
        if allow:
            sink.add(
                codes.RCP_ALLOW,
                "Organizations accepts only Deny in the RCPs you write: Allow is reserved to "
                "the AWS-managed RCPFullAWSAccess policy",
                f"{pointer}/Effect",
            )
        if "NotAction" in value:
            sink.add(
                codes.RCP_NOT_ACTION,
                "an RCP names actions with Action: NotAction is not supported",
                f"{pointer}/NotAction",
                at_key=True,
            )
            good = False
    return good


def check_principal(sink: Sink, principal: PrincipalSpec, pointer: str) -> bool:
    """RCPs name every principal: `"Principal": "*"` exactly."""
    if sink.kind is PolicyType.RCP and not principal.negated and not principal.everyone:
        sink.add(
            codes.RCP_PRINCIPAL,
            'a resource control policy statement must have "Principal": "*"',
            pointer,
        )
        return False
    return True


def _statement_objects(document: dict[str, JsonValue]) -> list[dict[str, JsonValue]]:
    raw = document.get("Statement")
    items = raw if isinstance(raw, list) else [raw]
    return [item for item in items if isinstance(item, dict)]


def infer_kind(document: dict[str, JsonValue]) -> PolicyType:
    """The kind a document most likely is, from its shape alone: a Principal and no Resource in
    any statement -> trust; a Principal with a Resource -> resource; otherwise identity (a
    permissions boundary, session policy or SCP has the same shape: name those explicitly)."""
    statements = _statement_objects(document)
    principal = any("Principal" in s or "NotPrincipal" in s for s in statements)
    resource = any("Resource" in s or "NotResource" in s for s in statements)
    if principal and not resource:
        return PolicyType.TRUST
    if principal:
        return PolicyType.RESOURCE
    return PolicyType.IDENTITY
