"""Rules that depend on the policy kind (identity, resource, trust, boundary, SCP, RCP, session).

Sources: IAM User Guide, "IAM JSON policy elements: Principal" (identity policies, permissions
boundaries and session policies have no Principal; resource-based and trust policies need one),
"IAM JSON policy elements: NotPrincipal" (resource-based policies only), "IAM JSON policy elements:
Resource" (a role trust policy has no Resource), "IAM JSON policy elements: Sid" (IAM accepts
ASCII letters and digits); AWS Organizations User Guide, "SCP syntax" (no Principal/NotPrincipal)
and "RCP syntax" (Principal must be "*", no NotPrincipal).
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
