"""Cheap, sound prefilters for the edge builder: which technique actions a node's policies can
allow at all, which targets a technique can apply to, and when one engine decision can be shared
by many targets. A prefilter only ever removes requests the engine would deny."""

from __future__ import annotations

from iamfence.account import Role, User
from iamfence.catalog import glob_matches
from iamfence.escalation.bindings import COMPUTE_SERVICE, trust_allows_service
from iamfence.escalation.decide import Evaluator
from iamfence.escalation.graph import Graph, Node
from iamfence.escalation.techniques import Effect, TargetKind, Technique
from iamfence.model import Effect as PolicyEffect
from iamfence.model import NamedPolicy, PolicyDocument


def _allowed_statements(documents: list[PolicyDocument], action: str) -> bool:
    for doc in documents:
        for s in doc.statements:
            if s.effect is not PolicyEffect.ALLOW or s.action is None:
                continue
            hit = any(glob_matches(p, action) for p in s.action.patterns)
            if hit != s.action.negated:
                return True
    return False


class Prefilter:
    """Prefilter state and checks shared by every node of one graph."""

    def __init__(self, graph: Graph, techniques: tuple[Technique, ...]) -> None:
        self.graph = graph
        self.techniques = techniques
        self._may: dict[Node, frozenset[str]] = {}
        self._patterns: dict[tuple[Node, str], tuple[str, ...] | None] = {}
        self._static: dict[str, tuple[User | Role, ...]] = {}
        self._static_arns: dict[str, frozenset[str]] = {}
        self._policy_cache: dict[str, frozenset[str]] = {}
        self._trust_cache: dict[tuple[str, str], tuple[bool, bool]] = {}
        self._doc_ids: dict[str, int] = {}
        self._doc_index: dict[PolicyDocument, int] = {}
        self._assume_patterns: dict[Node, tuple[tuple[str, ...], ...]] = {}
        self._needs = {
            t.id: frozenset(a.action.lower() for a in t.actions if not a.evaluate_trust_policy)
            for t in techniques
        }
        self._all_actions = frozenset(
            [a.action.lower() for t in techniques for a in t.actions] + ["sts:assumerole"]
        )

    def may(self, node: Node, action: str) -> bool:
        """Cheap over-approximation: some allow statement of the identity policies (and of the
        boundary, when there is one) names the action. False means the engine would deny."""
        return action.lower() in self.allowed_actions(node)

    def allowed_actions(self, node: Node) -> frozenset[str]:
        """The technique actions (lower-cased) some allow statement of the node's identity
        policies names, and its boundary too when it has one."""
        found = self._may.get(node)
        if found is None:
            ps = self.graph.policies(node)
            found = frozenset().union(*(self._policy_actions(p) for p in ps.identity))
            if found and ps.permissions_boundary is not None:
                found = found & self._policy_actions(ps.permissions_boundary)
            self._may[node] = found
        return found

    def _policy_actions(self, policy: NamedPolicy) -> frozenset[str]:
        found = self._policy_cache.get(policy.name)
        if found is None:
            found = frozenset(
                a for a in self._all_actions if _allowed_statements([policy.document], a)
            )
            self._policy_cache[policy.name] = found
        return found

    def service_trust(self, role: Role, service: str) -> tuple[bool, bool]:
        key = (role.arn, service)
        found = self._trust_cache.get(key)
        if found is None:
            found = trust_allows_service(role, service)
            self._trust_cache[key] = found
        return found

    def may_all(self, node: Node, t: Technique) -> bool:
        """Every required action not decided by a trust policy may be allowed."""
        return self._needs[t.id] <= self.allowed_actions(node)

    def resource_patterns(self, node: Node, action: str) -> tuple[str, ...] | None:
        """The Resource patterns of the identity allow statements naming `action`; None when one
        of them is unrestricted ("*", NotResource, or a policy variable)."""
        key = (node, action)
        if key in self._patterns:
            return self._patterns[key]
        out: list[str] = []
        unrestricted = False
        for policy in self.graph.policies(node).identity:
            for st in policy.document.statements:
                if st.effect is not PolicyEffect.ALLOW or st.action is None:
                    continue
                if any(glob_matches(p, action) for p in st.action.patterns) == st.action.negated:
                    continue
                resource = st.resource
                if (
                    resource is None
                    or resource.negated
                    or any(r == "*" or "${" in r for r in resource.patterns)
                ):
                    unrestricted = True
                    break
                out.extend(resource.patterns)
            if unrestricted:
                break
        found = None if unrestricted else tuple(out)
        self._patterns[key] = found
        return found

    def _static_targets(self, t: Technique) -> tuple[User | Role, ...]:
        """Targets that pass the technique's target-only preconditions (decided once)."""
        found = self._static.get(t.id)
        if found is not None:
            return found
        snapshot = self.graph.snapshot
        pool: tuple[User | Role, ...] = (
            snapshot.roles if t.target is TargetKind.ROLE else snapshot.users
        )
        for pre in t.preconditions:
            if pre.kind == "target_trusts_service" and pre.service is not None:
                service = pre.service
                pool = tuple(
                    p for p in pool if isinstance(p, Role) and self.service_trust(p, service)[0]
                )
            elif pre.kind == "target_has_instance_profile":
                pool = tuple(p for p in pool if isinstance(p, Role) and p.instance_profile_arns)
            elif pre.kind == "target_unbounded":
                pool = tuple(p for p in pool if p.permissions_boundary_arn is None)
            elif pre.kind == "target_bounded":
                pool = tuple(p for p in pool if p.permissions_boundary_arn is not None)
            elif pre.kind == "compute_runs_as_target" and pre.compute is not None:
                service = COMPUTE_SERVICE[pre.compute]
                known = self.graph.index.compute
                pool = tuple(
                    p
                    for p in pool
                    if p.arn in known or (isinstance(p, Role) and self.service_trust(p, service)[0])
                )
        self._static[t.id] = pool
        return pool

    def _by_resource(self, node: Node, t: Technique, pool: list[User | Role]) -> list[User | Role]:
        """Keep the targets the "target" resource patterns of every required action can match."""
        for required in t.actions:
            if required.resource != "target" or required.evaluate_trust_policy:
                continue
            patterns = self.resource_patterns(node, required.action)
            if patterns is None:
                continue
            pool = [p for p in pool if any(glob_matches(pat, p.arn) for pat in patterns)]
        return pool

    def _trusting_roles(self, node: Node, source: User | Role) -> list[Role]:
        """Roles whose trust policy names the source, everyone, or (when its identity policies
        may allow sts:AssumeRole) the source's account."""
        snapshot = self.graph.snapshot
        index = self.graph.index.trusted_by
        seen: dict[str, Role] = {}
        for name in (source.arn, "*"):  # a trust naming the principal or everyone grants alone
            for role in index.get(name, []):
                seen.setdefault(role.arn, role)
        if self.may(node, "sts:AssumeRole"):  # a trust naming the account needs the identity side
            patterns = self.resource_patterns(node, "sts:AssumeRole")
            for name in (
                snapshot.account_id,
                f"arn:{snapshot.partition}:iam::{snapshot.account_id}:root",
            ):
                for role in index.get(name, []):
                    if patterns is None or any(glob_matches(p, role.arn) for p in patterns):
                        seen.setdefault(role.arn, role)
        seen.pop(source.arn, None)
        return list(seen.values())

    def _trust_shared(self, t: Technique) -> bool:
        """Techniques made only of requests decided by the target's own trust policy (assuming
        it): their outcome is shared by roles with the same trust document, tags and resource
        signature."""
        return (
            t.effect is Effect.ACT_AS_TARGET
            and t.target is TargetKind.ROLE
            and t.precondition("trust_policy_rewritten") is None
            and all(a.evaluate_trust_policy and a.resource == "target" for a in t.actions)
        )

    def _trust_signature(self, node: Node, role: Role) -> tuple[object, ...]:
        """(trust document id, which resource patterns of the statements naming
        sts:AssumeRole match the role's ARN)."""
        doc_id = self._doc_ids.get(role.arn)
        if doc_id is None:
            doc = role.trust_policy
            doc_id = (
                self._doc_index.setdefault(doc, len(self._doc_index)) if doc is not None else -1
            )
            self._doc_ids[role.arn] = doc_id
        patterns = self._assume_patterns.get(node)
        if patterns is None:
            ps = self.graph.policies(node)
            docs = [p.document for p in ps.identity]
            if ps.permissions_boundary is not None:
                docs.append(ps.permissions_boundary.document)
            docs.extend(p.document for level in ps.scp for p in level)
            patterns = tuple(
                st.resource.patterns
                for d in docs
                for st in d.statements
                if st.resource is not None
                and (
                    st.action is None
                    or any(glob_matches(a, "sts:AssumeRole") for a in st.action.patterns)
                    != st.action.negated
                )
            )
            self._assume_patterns[node] = patterns
        return (doc_id, tuple(any(glob_matches(p, role.arn) for p in group) for group in patterns))

    def _target_free(self, t: Technique, evaluator: Evaluator) -> bool:
        """True when the technique's outcome cannot depend on which target it is applied to
        beyond the target's tags and binding: every action on the target is decided without
        looking at the resource, and no trust policy or target-specific policy is involved."""
        if t.effect is not Effect.ACT_AS_TARGET or t.target not in (
            TargetKind.ROLE,
            TargetKind.USER,
        ):
            return False
        for a in t.actions:
            if a.evaluate_trust_policy or a.resource in ("target_policy", "target_boundary_policy"):
                return False
            if a.resource == "target" and not evaluator.resource_free(a.action):
                return False
        return True
