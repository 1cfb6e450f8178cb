"""The decision, transcribed from the AWS flow charts with no optimisation:

IAM User Guide, "Policy evaluation logic" § Determining whether a request is allowed or denied within
an account; "Cross-account policy evaluation logic"; "Permissions boundaries for IAM entities"
§ Evaluating effective permissions with boundaries; "Session policies"; Organizations User Guide,
"Service control policies" and "Resource control policies" (every level from the root to the
account must allow). A condition whose outcome AWS does not document makes the decision depend on
it; every combination of such unknowns is tried and the decision is Indeterminate unless all agree.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from tests.reference import conditions as cond
from tests.reference import matching as m

Policy = dict[str, Any]
Oracle = Callable[[tuple[Any, ...]], bool]

TRUST_ACTIONS = {"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity"}


def _as_list(x: Any) -> list[Any]:
    return x if isinstance(x, list) else [x]


class Request:
    def __init__(self, raw: dict[str, Any], *, coarse_unknowns: bool = False) -> None:
        self.coarse_unknowns = coarse_unknowns
        """Coarse mode: any pattern or condition value that uses a variable of unknown value is
        itself unknown (even where the rest of it already decides). Used only to recognise the
        engine's coarser treatment, never to define the expected answer."""
        self.principal: str = raw["principal"]
        self.action: str = raw["action"]
        self.resource: str = raw.get("resource", "*")
        ctx = cond.context_from_json(raw.get("context") or {})
        for k, v in m.derived_keys(self.principal).items():
            ctx.setdefault(k, cond.Ctx((v,), False))
        if ":assumed-role/" in self.principal:
            ctx.setdefault("aws:principalarn", cond.UNKNOWN)
        self.context = ctx

    def lookup(self, key: str) -> str | None:
        c = self.context.get(key.lower())
        if c is cond.UNKNOWN:
            raise m.UnknownValue(key)
        if c is None or c.multi or not c.values:
            return None  # multivalued keys cannot be policy variables
        return c.values[0]

    def uses_unknown(self, text: Any, variables: bool) -> bool:
        if not (variables and self.coarse_unknowns and isinstance(text, str)):
            return False
        names = (b.split(",")[0].strip().lower() for b in _VARIABLE.findall(text))
        return any(self.context.get(n) is cond.UNKNOWN for n in names)


_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def _principal_kinds(stmt: Policy, req: Request, has_boundary: bool) -> set[str] | None:
    """Kinds by which a resource-policy statement names the requester; None: it does not apply."""
    if "NotPrincipal" in stmt:
        if has_boundary and stmt.get("Effect") == "Deny":
            return {
                "notprincipal-boundary"
            }  # always applies (Permissions boundaries page, Important)
        return None if _not_principal_excludes(stmt["NotPrincipal"], req) else {"not-named"}
    if "Principal" not in stmt:
        return {"implied"}  # identity-type documents: the principal is the holder
    kinds = _entries_kinds(stmt["Principal"], req)
    return kinds or None


def _not_principal_excludes(spec: Any, req: Request) -> bool:
    """NotPrincipal spares the requester only when its account ARN and its own ARN (and, for a
    role session, the role ARN) are all listed; otherwise "the policy denies access to the entire
    account containing the principal" (IAM User Guide, "AWS JSON policy elements: NotPrincipal")."""
    if spec == "*":
        return True
    listed = {v for values in spec.values() for v in _as_list(values)}
    account = m.principal_account(req.principal)
    if account is None:
        return req.principal in listed
    needed = {req.principal}
    if req.principal != f"arn:aws:iam::{account}:root":
        needed.add("account")
    role = m.role_of_session(req.principal)
    if role is not None:
        needed.add(role)
    has_account = account in listed or f"arn:aws:iam::{account}:root" in listed
    return all(has_account if n == "account" else n in listed for n in needed)


def _entries_kinds(spec: Any, req: Request) -> set[str]:
    if spec == "*":
        return {"everyone"}
    kinds: set[str] = set()
    for entry_kind, values in spec.items():
        for v in _as_list(values):
            k = m.principal_kind(entry_kind, v, req.principal)
            if k is not None:
                kinds.add(k)
    return kinds


def _statement_applies(
    stmt: Policy, req: Request, variables: bool, ident: tuple[Any, ...], oracle: Oracle
) -> bool:
    if "Action" in stmt and not any(
        m.action_matches(p, req.action) for p in _as_list(stmt["Action"])
    ):
        return False
    if "NotAction" in stmt and any(
        m.action_matches(p, req.action) for p in _as_list(stmt["NotAction"])
    ):
        return False
    for element, negated in (("Resource", False), ("NotResource", True)):
        if element not in stmt:
            continue
        patterns = _as_list(stmt[element])
        hit = _any_resource(patterns, req, variables)
        if hit is not True and any(req.uses_unknown(p, variables) for p in patterns):
            hit = None
        if hit is None:
            hit = oracle((*ident, element))
        if hit == negated:
            return False
    # AND across operators and keys; OR across a key's values (inside cond.clause).
    for ci, (operator, block) in enumerate((stmt.get("Condition") or {}).items()):
        for ki, (key, values) in enumerate(block.items()):
            if any(req.uses_unknown(v, variables) for v in _as_list(values)):
                r = None
            else:
                r = cond.clause(
                    operator,
                    key,
                    _as_list(values),
                    req.context,
                    variables=variables,
                    lookup=req.lookup,
                )
            if r is None:
                r = oracle((*ident, ci, ki))
            if not r:
                return False
    return True


def _any_resource(patterns: list[str], req: Request, variables: bool) -> bool | None:
    """True if a pattern matches; None if none does but one depends on an unknown variable."""
    unknown = False
    for p in patterns:
        try:
            if m.resource_matches(p, req.resource, variables=variables, lookup=req.lookup):
                return True
        except m.UnknownValue:
            unknown = True
    return None if unknown else False


class Verdict:
    """What one policy (or set of policies of one type) says: explicit deny, allow (with the
    principal kinds of the allowing resource-policy statements)."""

    def __init__(self) -> None:
        self.deny = False
        self.allow = False
        self.kinds: set[str] = set()


def _judge(
    policies: list[Policy], req: Request, tag: str, oracle: Oracle, *, has_boundary: bool = False
) -> Verdict:
    v = Verdict()
    for pi, doc in enumerate(policies):
        variables = doc.get("Version") == "2012-10-17"
        for si, stmt in enumerate(_as_list(doc.get("Statement", []))):
            kinds = _principal_kinds(stmt, req, has_boundary)
            if kinds is None:
                continue
            if not _statement_applies(stmt, req, variables, (tag, pi, si), oracle):
                continue
            if stmt["Effect"] == "Deny":
                v.deny = True
            else:
                v.allow = True
                v.kinds |= kinds
    return v


def decide(req: Request, pol: dict[str, Any], oracle: Oracle) -> str:
    identity = pol.get("identity") or []
    boundary = pol.get("permissions_boundary")
    session = pol.get("session") or []
    resource = pol.get("resource")
    scp_levels = pol.get("scp") or []
    rcp_levels = pol.get("rcp") or []
    anonymous = m.is_anonymous(req.principal)
    service = m.is_service_principal(req.principal)
    linked = m.is_service_linked_role(req.principal)
    management = pol.get("management_account")
    # SCPs and RCPs do not apply to calls made by service-linked roles; SCPs do not restrict
    # principals of the management account, RCPs do not restrict its resources (IAM User Guide,
    # "Policy evaluation logic" § AWS Organizations SCPs / RCPs).
    in_management = management is not None and m.principal_account(req.principal) == management
    scp_applies = bool(scp_levels) and not (anonymous or service or linked or in_management)
    resource_in_management = (
        management is not None
        and (pol.get("resource_account") or _arn_account(req.resource)) == management
    )
    if linked or resource_in_management:
        rcp_levels = []

    v_id = _judge(identity, req, "identity", oracle)
    v_pb = _judge([boundary], req, "boundary", oracle) if boundary else None
    v_sess = _judge(session, req, "session", oracle) if session else None
    v_res = (
        _judge([resource], req, "resource", oracle, has_boundary=boundary is not None)
        if resource
        else Verdict()
    )
    v_scp = (
        [_judge(level, req, f"scp{i}", oracle) for i, level in enumerate(scp_levels)]
        if scp_applies
        else []
    )
    v_rcp = [_judge(level, req, f"rcp{i}", oracle) for i, level in enumerate(rcp_levels)]

    # 1. An explicit deny in any applicable policy wins.
    every = [v_id, v_res, *v_scp, *v_rcp, *(x for x in (v_pb, v_sess) if x is not None)]
    if any(x.deny for x in every):
        return "ExplicitDeny"
    # 2. SCPs, then RCPs: every level from the root to the account must allow.
    if not all(x.allow for x in v_scp) or not all(x.allow for x in v_rcp):
        return "ImplicitDeny"
    # Unsigned and service-principal requests: only a resource policy can grant.
    if anonymous or service:
        return "Allow" if v_res.kinds & {"everyone", "service"} else "ImplicitDeny"

    boundary_ok = v_pb is None or v_pb.allow
    session_ok = v_sess is None or v_sess.allow
    identity_side = v_id.allow and boundary_ok and session_ok
    p_account = m.principal_account(req.principal)
    r_account = pol.get("resource_account") or _arn_account(req.resource) or p_account
    if p_account != r_account:
        # Cross-account: the resource policy AND the principal's side must both allow.
        return "Allow" if v_res.allow and identity_side else "ImplicitDeny"
    if _needs_resource_grant(req) and not v_res.allow:
        return "ImplicitDeny"  # KMS key policies and role trust policies must grant
    if v_res.kinds & {"user", "session", "everyone", "not-named"}:
        return "Allow"  # not limited by an implicit deny in identity, boundary or session policies
    if "role" in v_res.kinds and boundary_ok and session_ok:
        return "Allow"  # a role ARN grant is limited by the boundary and session policies
    return "Allow" if identity_side else "ImplicitDeny"


def _arn_account(resource: str) -> str | None:
    parts = resource.split(":", 5)
    return parts[4] or None if len(parts) == 6 else None


def _needs_resource_grant(req: Request) -> bool:
    parts = req.resource.split(":", 5)
    if len(parts) != 6:
        return False
    if req.action.lower().startswith("kms:") and parts[2] == "kms" and parts[5].startswith("key/"):
        return True
    return (
        req.action.lower() in TRUST_ACTIONS and parts[2] == "iam" and parts[5].startswith("role/")
    )


def evaluate_case(case: dict[str, Any], *, coarse_unknowns: bool = False) -> str:
    """Allow | ExplicitDeny | ImplicitDeny | Indeterminate for one case in the request-file shape."""
    req = Request(case["request"], coarse_unknowns=coarse_unknowns)
    pol = case.get("policies") or {}
    unknown: list[tuple[Any, ...]] = []

    def probe(atom: tuple[Any, ...]) -> bool:
        if atom not in unknown:
            unknown.append(atom)
        return False

    first = decide(req, pol, probe)
    if not unknown:
        return first
    outcomes = set()
    if len(unknown) > 10:
        return "Indeterminate"  # too many undocumented outcomes to try them all
    for bits in itertools.product((False, True), repeat=len(unknown)):
        table = dict(zip(unknown, bits, strict=True))
        outcomes.add(decide(req, pol, lambda a, t=table: t.get(a, False)))
    return outcomes.pop() if len(outcomes) == 1 else "Indeterminate"
