"""Where @cloud-copilot/iam-simulate is known to differ from AWS's documented behaviour.

Each known difference carries the AWS documentation it departs from and a normaliser: a rewrite of
a case into one that AWS decides identically (per that documentation) but that avoids the oracle's
quirk. A difference between engine and oracle is explained when the oracle, run on the normalised
case, gives the engine's answer. Nothing else may differ."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

Case = dict[str, Any]


@dataclass(frozen=True)
class KnownDifference:
    id: str
    doc: str
    oracle_behaviour: str
    normalise: Callable[[Case], Case | None]
    """An AWS-equivalent case without the quirk; None when the case does not involve it."""


def _walk_conditions(case: Case) -> list[dict[str, Any]]:
    """Every Condition block of every policy in the case."""
    pol = case.get("policies") or {}
    docs: list[Any] = [*(pol.get("identity") or []), *(pol.get("session") or [])]
    docs += [d for d in (pol.get("permissions_boundary"), pol.get("resource")) if d]
    for levels in (pol.get("scp") or [], pol.get("rcp") or []):
        for level in levels:
            docs.extend(level)
    out = []
    for doc in docs:
        stmts = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]
        out.extend(st["Condition"] for st in stmts if st.get("Condition"))
    return out


def _epoch_to_iso(case: Case) -> Case | None:
    new = copy.deepcopy(case)
    changed = False
    for cond in _walk_conditions(new):
        for op, block in cond.items():
            if not op.split(":")[-1].startswith("Date"):
                continue
            for key, values in block.items():
                vals = values if isinstance(values, list) else [values]
                if any(str(v).isdigit() for v in vals):
                    changed = True
                    block[key] = [
                        datetime.fromtimestamp(int(v), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                        if str(v).isdigit()
                        else v
                        for v in vals
                    ]
    return new if changed else None


def _split_ipv4_zero(case: Case) -> Case | None:
    new = copy.deepcopy(case)
    changed = False
    for cond in _walk_conditions(new):
        for op, block in cond.items():
            if "IpAddress" not in op:
                continue
            for key, values in block.items():
                vals = values if isinstance(values, list) else [values]
                if "0.0.0.0/0" in vals:
                    changed = True
                    block[key] = [v for v in vals if v != "0.0.0.0/0"] + [
                        "0.0.0.0/1",
                        "128.0.0.0/1",
                    ]
    return new if changed else None


def _derived_keys(principal: str) -> dict[str, str]:
    parts = principal.split(":", 5)
    if len(parts) != 6:
        return {}
    account, res = parts[4], parts[5]
    keys = {"aws:PrincipalAccount": account}
    if res.startswith("user/"):
        keys.update(
            {
                "aws:PrincipalArn": principal,
                "aws:username": res.rsplit("/", 1)[-1],
                "aws:PrincipalType": "User",
            }
        )
    elif res.startswith("role/"):
        keys.update({"aws:PrincipalArn": principal, "aws:PrincipalType": "AssumedRole"})
    elif res.startswith("assumed-role/"):
        role = f"arn:{parts[1]}:iam::{account}:role/{res.split('/')[1]}"
        keys.update({"aws:PrincipalArn": role, "aws:PrincipalType": "AssumedRole"})
    return keys


def _add_principal_keys(case: Case) -> Case | None:
    new = copy.deepcopy(case)
    ctx = new["request"].setdefault("context", {})
    given = {k.lower() for k in ctx}
    added = {
        k: v
        for k, v in _derived_keys(new["request"]["principal"]).items()
        if k.lower() not in given
    }
    if not added:
        return None
    ctx.update(added)
    return new


def _is_service_linked(principal: str) -> bool:
    return ":role/aws-service-role/" in principal or ":assumed-role/AWSServiceRoleFor" in principal


def _drop_org_policies_for_slr(case: Case) -> Case | None:
    pol = case.get("policies") or {}
    if not _is_service_linked(case["request"]["principal"]) or not (
        pol.get("scp") or pol.get("rcp")
    ):
        return None
    new = copy.deepcopy(case)
    new["policies"]["scp"] = []
    new["policies"]["rcp"] = []
    return new


def _names_session(case: Case) -> bool:
    principal = case["request"]["principal"]
    doc = (case.get("policies") or {}).get("resource")
    if ":assumed-role/" not in principal or not doc:
        return False
    for st in doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]:
        p = st.get("Principal")
        names = p == "*" or (
            isinstance(p, dict)
            and principal in (p.get("AWS") if isinstance(p.get("AWS"), list) else [p.get("AWS")])
        )
        if st.get("Effect") == "Allow" and names:
            return True
    return False


def _session_arn_grant_unlimited(case: Case) -> Case | None:
    pol = case.get("policies") or {}
    if not pol.get("session") or not _names_session(case):
        return None
    new = copy.deepcopy(case)
    # Keep the session policies' denies; lift only their implicit deny.
    for doc in new["policies"]["session"]:
        stmts = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]
        doc["Statement"] = [*stmts, {"Effect": "Allow", "Action": "*", "Resource": "*"}]
    return new


KNOWN_DIFFERENCES: tuple[KnownDifference, ...] = (
    KnownDifference(
        "epoch-seconds-read-as-milliseconds",
        "IAM User Guide: Condition operators § Date condition operators (epoch/UNIX time, seconds)",
        "reads an all-digit Date* value as milliseconds since the epoch",
        _epoch_to_iso,
    ),
    KnownDifference(
        "ipv4-slash-zero-never-matches",
        "IAM User Guide: Condition operators § IP address condition operators (RFC 4632 CIDR)",
        "IpAddress with 0.0.0.0/0 matches no IPv4 address (NotIpAddress then matches all)",
        _split_ipv4_zero,
    ),
    KnownDifference(
        "principal-keys-not-derived",
        "IAM User Guide: AWS global condition context keys (aws:PrincipalArn, aws:PrincipalAccount, "
        "aws:PrincipalType always present for IAM principals; aws:username for IAM users)",
        "does not set aws:PrincipalArn / aws:PrincipalAccount / aws:username / aws:PrincipalType from the principal",
        _add_principal_keys,
    ),
    KnownDifference(
        "service-linked-role-restricted-by-scp-rcp",
        "IAM User Guide: Policy evaluation logic (SCPs and RCPs do not apply to service-linked roles)",
        "applies SCPs and RCPs to service-linked roles",
        _drop_org_policies_for_slr,
    ),
    KnownDifference(
        "session-policy-limits-session-arn-grant",
        "IAM User Guide: Session policies (a resource-based policy naming the session ARN is not "
        "limited by the session policy)",
        "lets a session policy's implicit deny limit a resource-policy grant to the session ARN or *",
        _session_arn_grant_unlimited,
    ),
)
