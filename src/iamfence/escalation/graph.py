"""The principal graph: nodes are users and roles in a mode (as they are, with any identity policy
they could give themselves, without their boundary, or both), plus terminal variants (a principal
after one specific change, e.g. joining a group). Edges are techniques, decided by the engine
(see edges.py). Admin-equivalence and "more access" are decided by the engine too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from iamfence.account import (
    AccountSnapshot,
    Role,
    User,
    boundary_known,
    boundary_policy,
    identity_policies,
)
from iamfence.catalog import glob_matches
from iamfence.engine import Decision, PolicySet
from iamfence.escalation.decide import Certainty, Check, Evaluator, TrustPolicy
from iamfence.model import (
    Effect,
    NamedPolicy,
    PolicyDocument,
    PolicyType,
    allow_everything,
)

ATTACKER_POLICY = NamedPolicy(
    "iamfence:attacker-chosen-policy",
    allow_everything(),
    PolicyType.IDENTITY,
)
"""The identity policy a principal that can edit its own policies would give itself."""


class Mode(Enum):
    AS_IS = "as-is"
    ELEVATED = "elevated"
    """Any identity policy added (existing denies stay); the boundary still applies."""
    UNBOUNDED = "unbounded"
    """The permissions boundary removed, replaced or rewritten."""
    FREE = "elevated-unbounded"
    VARIANT = "variant"
    """Terminal: the principal after one specific change (see Node.variant)."""


@dataclass(frozen=True, slots=True)
class Node:
    arn: str
    mode: Mode = Mode.AS_IS
    variant: str = ""
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.arn, self.mode.value, self.variant)))

    def __hash__(self) -> int:  # nodes are dictionary keys on the search's hot path
        return self._hash


@dataclass(frozen=True, slots=True)
class Access:
    """Whether a node is admin-equivalent, with the probe checks as evidence."""

    admin: bool
    certainty: Certainty
    checks: tuple[Check, ...]


@dataclass(frozen=True, slots=True)
class Variant:
    """A terminal node's policies: what changed, and the resulting identity and boundary."""

    node: Node
    identity: tuple[NamedPolicy, ...]
    boundary: NamedPolicy | None
    tags_open: bool = False


def session_arn(snapshot: AccountSnapshot, principal: User | Role) -> str:
    """The ARN requests are made with: the user, or a session of the role (IAM UG, "IAM
    identifiers": arn:aws:sts::account:assumed-role/role-name/role-session-name)."""
    if isinstance(principal, User):
        return principal.arn
    return f"arn:{snapshot.partition}:sts::{snapshot.account_id}:assumed-role/{principal.name}/iamfence"


def admin_probes(partition: str, account: str) -> tuple[tuple[str, str], ...]:
    """Requests an admin-equivalent principal can make: `*` on `*` is judged on one request per
    major service plus an action no policy names explicitly (only `*`, `service:*`-free patterns
    and NotAction grant it)."""
    return (
        ("iamfence-probe:AnyAction", "*"),
        ("iam:PutRolePolicy", f"arn:{partition}:iam::{account}:role/iamfence-probe"),
        ("iam:CreateUser", f"arn:{partition}:iam::{account}:user/iamfence-probe"),
        ("s3:GetObject", f"arn:{partition}:s3:::iamfence-probe-bucket/object"),
        ("ec2:RunInstances", f"arn:{partition}:ec2:us-east-1:{account}:instance/*"),
        (
            "lambda:UpdateFunctionCode",
            f"arn:{partition}:lambda:us-east-1:{account}:function:iamfence-probe",
        ),
        ("dynamodb:PutItem", f"arn:{partition}:dynamodb:us-east-1:{account}:table/iamfence-probe"),
        (
            "secretsmanager:GetSecretValue",
            f"arn:{partition}:secretsmanager:us-east-1:{account}:secret:iamfence-probe",
        ),
        ("organizations:LeaveOrganization", "*"),
    )


@dataclass(slots=True)
class GraphIndex:
    """Lookups built once per snapshot."""

    principals: dict[str, User | Role] = field(default_factory=dict)
    trusted_by: dict[str, list[Role]] = field(default_factory=dict)
    """Trust-policy principal value ("*", an ARN, an account id) -> roles whose trust names it."""
    trusts: dict[str, TrustPolicy] = field(default_factory=dict)
    compute: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Role ARN -> (compute kind, compute ARN) known to run as it."""


def _trust_principals(role: Role) -> Iterable[str]:
    doc = role.trust_policy
    if doc is None:
        return
    for s in doc.statements:
        if s.effect is not Effect.ALLOW or s.principal is None:
            continue
        if (
            s.action is not None
            and not s.action.negated
            and not any(glob_matches(p, "sts:AssumeRole") for p in s.action.patterns)
        ):
            continue
        if s.principal.everyone or s.principal.negated:
            yield "*"
        for entry in s.principal.entries:
            yield entry.value


def build_index(snapshot: AccountSnapshot) -> GraphIndex:
    index = GraphIndex()
    for p in snapshot.principals:
        index.principals[p.arn] = p
    for role in snapshot.roles:
        if role.trust_policy is not None:
            policy = NamedPolicy(f"{role.arn}#trust", role.trust_policy, PolicyType.TRUST)
            index.trusts[role.arn] = TrustPolicy.build(policy, snapshot.account_id)
        for value in dict.fromkeys(_trust_principals(role)):
            index.trusted_by.setdefault(value, []).append(role)
    for c in snapshot.compute:
        index.compute.setdefault(c.role_arn, []).append((c.kind, c.arn))
    return index


class Graph:
    """Evaluators, admin checks and edges per node, computed on demand and cached."""

    def __init__(self, snapshot: AccountSnapshot) -> None:
        self.snapshot = snapshot
        self.index = build_index(snapshot)
        self.scp = snapshot.scp_levels
        self.variants: dict[Node, Variant] = {}
        self._evaluators: dict[Node, Evaluator] = {}
        self._access: dict[Node, Access] = {}
        self._policies: dict[Node, PolicySet] = {}
        self._probes = admin_probes(snapshot.partition, snapshot.account_id)

    def principal(self, node: Node) -> User | Role | None:
        return self.index.principals.get(node.arn)

    def boundary_unknown(self, node: Node) -> bool:
        p = self.principal(node)
        return (
            p is not None
            and node.mode in (Mode.AS_IS, Mode.ELEVATED)
            and not boundary_known(self.snapshot, p)
        )

    def bounded(self, node: Node) -> bool:
        """Whether the node's requests are limited by a permissions boundary."""
        if node.mode is Mode.VARIANT:
            return self.variants[node].boundary is not None
        p = self.principal(node)
        return (
            p is not None
            and p.permissions_boundary_arn is not None
            and node.mode in (Mode.AS_IS, Mode.ELEVATED)
        )

    def policies(self, node: Node) -> PolicySet:
        found = self._policies.get(node)
        if found is None:
            found = self._policy_set(node)
            self._policies[node] = found
        return found

    def _policy_set(self, node: Node) -> PolicySet:
        if node.mode is Mode.VARIANT:
            v = self.variants[node]
            return PolicySet(identity=v.identity, permissions_boundary=v.boundary, scp=self.scp)
        p = self.principal(node)
        if p is None:  # a principal the attacker creates: the attacker's policy, no boundary
            return PolicySet(identity=(ATTACKER_POLICY,), scp=self.scp)
        identity = identity_policies(self.snapshot, p)
        if node.mode in (Mode.ELEVATED, Mode.FREE):
            identity = (*identity, ATTACKER_POLICY)
        boundary = (
            boundary_policy(self.snapshot, p) if node.mode in (Mode.AS_IS, Mode.ELEVATED) else None
        )
        return PolicySet(identity=identity, permissions_boundary=boundary, scp=self.scp)

    def request_principal(self, node: Node) -> str:
        p = self.principal(node)
        if p is not None:
            return session_arn(self.snapshot, p)
        name = node.arn.rsplit("/", 1)[-1]
        if ":role/" in node.arn:
            return f"arn:{self.snapshot.partition}:sts::{self.snapshot.account_id}:assumed-role/{name}/iamfence"
        return node.arn

    def evaluator(self, node: Node) -> Evaluator:
        found = self._evaluators.get(node)
        if found is None:
            p = self.principal(node)
            tags = p.tags if p is not None else ()
            tags_open = node.mode is Mode.VARIANT and self.variants[node].tags_open
            found = Evaluator(
                self.policies(node),
                self.request_principal(node),
                () if tags_open else tags,
                tags_open=tags_open,
            )
            self._evaluators[node] = found
        return found

    def access(self, node: Node) -> Access:
        """Admin-equivalent: every probe allowed (asserted), or allowed with some step possible."""
        found = self._access.get(node)
        if found is not None:
            return found
        if not self._could_be_admin(node):
            found = Access(False, Certainty.ASSERTED, ())
            self._access[node] = found
            return found
        evaluator = self.evaluator(node)
        checks: list[Check] = []
        for action, resource in self._probes:
            check = evaluator.check(action, resource)
            if check is None:
                found = Access(False, Certainty.ASSERTED, ())
                break
            checks.append(check)
        if found is None:
            possible = any(
                c.certainty is Certainty.POSSIBLE for c in checks
            ) or self.boundary_unknown(node)
            found = Access(
                True, Certainty.POSSIBLE if possible else Certainty.ASSERTED, tuple(checks)
            )
        self._access[node] = found
        return found

    def _could_be_admin(self, node: Node) -> bool:
        """Static precheck: an admin-equivalent principal is allowed an action no policy names
        (the first probe), which only `*`-like patterns and NotAction grant."""
        ps = self.policies(node)
        probe = self._probes[0][0]
        docs = [p.document for p in ps.identity]
        if not _may_allow(docs, probe):
            return False
        return ps.permissions_boundary is None or _may_allow(
            [ps.permissions_boundary.document], probe
        )

    def witness(self, target: Node, source: Node) -> Check | None:
        """A request the target may make that the source may not: evidence of "more access"."""
        t_eval = self.evaluator(target)
        s_eval = self.evaluator(source)
        for action, resource in _candidate_requests(t_eval.policies, self.snapshot):
            got = t_eval.check(action, resource)
            if got is None or got.certainty is not Certainty.ASSERTED:
                continue
            mine = s_eval.check(action, resource)
            if mine is None:
                return got
        return None


def _may_allow(documents: list[PolicyDocument], action: str) -> bool:
    for doc in documents:
        for s in doc.statements:
            if s.effect is Effect.ALLOW and s.action is not None:
                hit = any(glob_matches(p, action) for p in s.action.patterns)
                if hit != s.action.negated:
                    return True
    return False


def _instantiate(pattern: str) -> str:
    return pattern.replace("*", "iamfence").replace("?", "x")


def _candidate_requests(
    policies: PolicySet, snapshot: AccountSnapshot, limit: int = 24
) -> list[tuple[str, str]]:
    """Concrete requests drawn from the allow statements of a policy set (wildcards filled in)."""
    out: list[tuple[str, str]] = []
    probes = admin_probes(snapshot.partition, snapshot.account_id)
    for policy in policies.identity:
        for s in policy.document.statements:
            if s.effect is not Effect.ALLOW or s.action is None:
                continue
            if s.action.negated or "*" in s.action.patterns:
                out.extend(probes)
                continue
            resources: tuple[str, ...] = ("*",)
            if s.resource is not None and not s.resource.negated:
                resources = s.resource.patterns
            for action in s.action.patterns:
                for resource in resources[:2]:
                    out.append(
                        (_instantiate(action), _instantiate(resource) if resource != "*" else "*")
                    )
            if len(out) >= limit:
                return list(dict.fromkeys(out))[:limit]
    return list(dict.fromkeys(out))[:limit]


def decision_of(check: Check | None) -> Decision | None:
    return None if check is None else check.decision
