"""Edges of the principal graph: a technique applied by one node to one target, every required
action decided by the engine for that principal on the concrete resource (conditions, resources,
boundaries and SCPs respected). Role trust policies are evaluated as the resource-based policy of
sts:AssumeRole (IAM UG, "Policy evaluation for requests within a single account")."""

from __future__ import annotations

from dataclasses import dataclass, replace

from iamfence.account import Group, Role, User, group_policies, policies_attached_to
from iamfence.catalog import glob_matches
from iamfence.escalation.bindings import (
    Binding,
    bindings,
    customer_managed,
    rewritten_trust,
    version_document,
)
from iamfence.escalation.decide import Certainty, Check, Evaluator, TrustPolicy, tags_context
from iamfence.escalation.graph import Graph, Mode, Node, Variant
from iamfence.escalation.prefilter import Prefilter
from iamfence.escalation.techniques import Effect, Family, RequiredAction, TargetKind, Technique
from iamfence.model import (
    ContextType,
    ContextValue,
    NamedPolicy,
)
from iamfence.model import (
    Effect as PolicyEffect,
)

NEW_NAME = "iamfence-new"


@dataclass(frozen=True, slots=True)
class Edge:
    technique: Technique
    source: Node
    target: Node
    checks: tuple[Check, ...]
    certainty: Certainty
    conditions: tuple[str, ...] = ()
    """Preconditions the snapshot cannot decide (codes, e.g. "target_login_profile")."""
    then: Edge | None = None
    """For techniques that raise a principal the source can act as: the act-as edge that follows."""

    @property
    def steps(self) -> tuple[Edge, ...]:
        return (self,) if self.then is None else (self, *self.then.steps)


_SELF_MODES = {
    Effect.SELF_ANY_POLICY: {Mode.AS_IS: Mode.ELEVATED, Mode.UNBOUNDED: Mode.FREE},
    Effect.REMOVE_BOUNDARY: {Mode.AS_IS: Mode.UNBOUNDED, Mode.ELEVATED: Mode.FREE},
}
_AS_IS_ONLY = {Effect.POLICY_VERSION, Effect.REMOVE_POLICY, Effect.SET_TAGS, Effect.JOIN_GROUP}


@dataclass(frozen=True, slots=True)
class _Attempt:
    """One technique applied by one node to one target with one binding."""

    technique: Technique
    node: Node
    source: User | Role
    target: User | Role | Group | None
    option: Binding
    evaluator: Evaluator
    new_arn: str


class EdgeBuilder(Prefilter):
    def __init__(self, graph: Graph, techniques: tuple[Technique, ...]) -> None:
        super().__init__(graph, techniques)
        self._edges: dict[Node, tuple[Edge, ...]] = {}
        self._rewritten: dict[tuple[str, str], TrustPolicy] = {}
        snapshot = graph.snapshot
        self.admin_policy = f"arn:{snapshot.partition}:iam::aws:policy/AdministratorAccess"

    # ------------------------------------------------------------------ edges
    def edges(self, node: Node) -> tuple[Edge, ...]:
        found = self._edges.get(node)
        if found is not None:
            return found
        source = self.graph.principal(node)
        out: list[Edge] = []
        if source is not None and node.mode is not Mode.VARIANT and node.mode is not Mode.FREE:
            allowed = self.allowed_actions(node)
            usable = [t for t in self.techniques if self._needs[t.id] <= allowed]
            acting = [t for t in usable if t.effect is Effect.ACT_AS_TARGET]
            if self.graph.bounded(node):  # name boundary escapes by their family-E technique
                acting.sort(key=lambda t: t.family is not Family.BOUNDARY_ESCAPE)
            covered: set[str] = set()
            for t in acting:
                produced = self._apply(t, node, source, {}, covered)
                covered.update(e.target.arn for e in produced if e.certainty is Certainty.ASSERTED)
                out.extend(produced)
            act_as = {e.target.arn: e for e in out if e.certainty is Certainty.ASSERTED}
            for e in out:
                act_as.setdefault(e.target.arn, e)
            for t in usable:
                if t.effect is not Effect.ACT_AS_TARGET:
                    out.extend(self._apply(t, node, source, act_as))
        result = tuple(out)
        self._edges[node] = result
        return result

    def _applies(self, t: Technique, node: Node, source: User | Role) -> bool:
        kind = "user" if isinstance(source, User) else "role"
        if kind not in t.source_types:
            return False
        if t.requires_boundary and not self.graph.bounded(node):
            return False
        if t.effect in _SELF_MODES:
            return node.mode in _SELF_MODES[t.effect] and (
                t.effect is not Effect.REMOVE_BOUNDARY or self.graph.bounded(node)
            )
        if t.effect in _AS_IS_ONLY:
            return node.mode is Mode.AS_IS
        if t.effect is Effect.BOUNDARY_VERSION:
            return node.mode in (Mode.AS_IS, Mode.ELEVATED)
        return True

    def _targets(
        self, t: Technique, node: Node, source: User | Role, act_as: dict[str, Edge]
    ) -> list[User | Role | Group | None]:
        snapshot = self.graph.snapshot
        if not self.may_all(node, t):
            return []
        if t.target is TargetKind.SELF:
            return [source]
        if t.target in (TargetKind.NEW_ROLE, TargetKind.NEW_USER):
            return [None]
        if t.target is TargetKind.GROUP:
            if not isinstance(source, User):
                return []
            return [g for g in snapshot.groups if g.name not in source.group_names]
        static = self._static_arns.get(t.id)
        if static is None:
            static = frozenset(p.arn for p in self._static_targets(t))
            self._static_arns[t.id] = static
        if t.effect in (Effect.TARGET_ANY_POLICY, Effect.TARGET_REMOVE_BOUNDARY):
            found = [self.graph.index.principals.get(arn) for arn in act_as if arn in static]
            pool = [p for p in found if p is not None and p.arn != source.arn]
        elif (
            t.actions[0].evaluate_trust_policy and t.precondition("trust_policy_rewritten") is None
        ):
            pool = [p for p in self._trusting_roles(node, source) if p.arn in static]
        else:
            pool = [p for p in self._static_targets(t) if p.arn != source.arn]
        return list(self._by_resource(node, t, pool))

    def _apply(
        self,
        t: Technique,
        node: Node,
        source: User | Role,
        act_as: dict[str, Edge],
        covered: set[str] | None = None,
    ) -> list[Edge]:
        """Edges of one technique; targets in `covered` already have an asserted act-as edge
        (the search needs one edge per target, and keeps the first, best-named one)."""
        if not self._applies(t, node, source):
            return []
        out: list[Edge] = []
        targets = self._targets(t, node, source, act_as)
        if covered:
            targets = [x for x in targets if x is None or x.arn not in covered]
        if not targets:
            return out
        evaluator = self.graph.evaluator(node)
        compute = self.graph.index.compute
        shared = self._target_free(t, evaluator)
        by_trust = self._trust_shared(t)
        memo: dict[tuple[object, ...], Edge | None] = {}
        for target in targets:
            principal_target = target if isinstance(target, User | Role) else None
            options = bindings(
                t,
                self.graph.snapshot,
                source,
                principal_target,
                compute.get(target.arn, []) if target else [],
                trust=self.service_trust,
            )
            for option in self._expand(t, source, target, options):
                key: tuple[object, ...] = (
                    option,
                    principal_target.tags if principal_target else (),
                )
                if by_trust and isinstance(principal_target, Role):
                    key = (*key, *self._trust_signature(node, principal_target))
                if (shared or by_trust) and principal_target is not None and key in memo:
                    edge = _retarget(memo[key], principal_target.arn)
                else:
                    attempt = _Attempt(t, node, source, target, option, evaluator, self._new_arn(t))
                    edge = self._try(attempt, act_as)
                    memo[key] = edge
                if edge is not None:
                    out.append(edge)
                    if t.effect not in _AS_IS_ONLY and t.effect is not Effect.BOUNDARY_VERSION:
                        break
        return out

    def _expand(
        self,
        t: Technique,
        source: User | Role,
        target: User | Role | Group | None,
        options: list[Binding],
    ) -> list[Binding]:
        """Fill selectors no precondition bound: the policies of the holder, the source's groups."""
        snapshot = self.graph.snapshot
        selectors = {a.resource for a in t.actions}
        out = options
        if "target_policy" in selectors:
            holder = target if isinstance(target, User | Role) else source
            arns = [
                p.arn for p in policies_attached_to(snapshot, holder) if customer_managed(p.arn)
            ]
            out = [
                o if o.policy else replace(o, policy=arn)
                for o in out
                for arn in ([o.policy] if o.policy else arns)
            ]
        if "self_group" in selectors and isinstance(source, User):
            groups = [g.arn for n in source.group_names if (g := snapshot.group(n)) is not None]
            out = [
                o if o.group else replace(o, group=arn)
                for o in out
                for arn in ([o.group] if o.group else groups)
            ]
        if "group" in selectors and isinstance(target, Group):
            out = [replace(o, group=target.arn) for o in out]
        return [
            o
            for o in out
            if ("target_policy" not in selectors or o.policy)
            and ("self_group" not in selectors or o.group)
        ]

    def _try(self, a: _Attempt, act_as: dict[str, Edge]) -> Edge | None:
        t, node, target, option = a.technique, a.node, a.target, a.option
        checks: list[Check] = []
        created: str | None = None
        created_by: dict[str, str] = {}
        for required in t.actions:
            result = self._check(required, a, created, created_by)
            if result is None:
                return None
            checks.append(result)
            if required.resource.startswith("new:"):
                created = result.resource
                created_by[required.action.lower()] = result.resource
        dest = self._destination(a)
        if dest is None:
            return None
        then = None
        if (
            t.effect in (Effect.TARGET_ANY_POLICY, Effect.TARGET_REMOVE_BOUNDARY)
            and target is not None
        ):
            then = act_as.get(target.arn)
            if then is None:
                return None
        possible = (
            option.conditions
            or any(c.certainty is Certainty.POSSIBLE for c in checks)
            or self.graph.boundary_unknown(node)
            or t.effect is Effect.SET_TAGS
            or (then is not None and then.certainty is Certainty.POSSIBLE)
        )
        certainty = Certainty.POSSIBLE if possible else Certainty.ASSERTED
        conditions = option.conditions + (
            ("chooses_own_tags",) if t.effect is Effect.SET_TAGS else ()
        )
        return Edge(t, node, dest, tuple(checks), certainty, conditions, then)

    def _new_arn(self, t: Technique) -> str:
        s = self.graph.snapshot
        kind = "role" if t.target is TargetKind.NEW_ROLE else "user"
        return f"arn:{s.partition}:iam::{s.account_id}:{kind}/{NEW_NAME}"

    # ------------------------------------------------------------------ one required action
    def _check(
        self, required: RequiredAction, a: _Attempt, created: str | None, created_by: dict[str, str]
    ) -> Check | None:
        t, source, target, option, evaluator, new_arn = (
            a.technique,
            a.source,
            a.target,
            a.option,
            a.evaluator,
            a.new_arn,
        )
        context = self._context(required, option, created_by)
        if required.evaluate_trust_policy:
            role_arn = new_arn if target is None else target.arn
            trust = self._trust(t, source, role_arn)
            if trust is None:
                return None
            return evaluator.check(required.action, role_arn, context, trust)
        candidates = self._resources(required, a, created)
        possible: Check | None = None
        for resource, tags in candidates:
            ctx = {**context, **tags}
            result = evaluator.check(required.action, resource, ctx)
            if result is not None and result.certainty is Certainty.ASSERTED:
                return result
            possible = possible or result
        return possible

    def _context(
        self, required: RequiredAction, option: Binding, created_by: dict[str, str]
    ) -> dict[str, ContextValue]:
        out: dict[str, ContextValue] = {}
        for key, raw in required.context:
            value = raw.replace("${admin_policy}", self.admin_policy)
            if "${new_policy}" in value:
                value = value.replace("${new_policy}", created_by.get("iam:createpolicy", ""))
            if "${removed_policy}" in value:
                value = value.replace("${removed_policy}", option.policy or "")
            kind = ContextType.ARN if value.startswith("arn:") else ContextType.STRING
            out[key] = ContextValue(kind, (value,))
        return out

    def _trust(self, t: Technique, source: User | Role, role_arn: str) -> TrustPolicy | None:
        rewritten = (
            t.precondition("trust_policy_rewritten") is not None or t.target is TargetKind.NEW_ROLE
        )
        if not rewritten:
            return self.graph.index.trusts.get(role_arn)
        key = (role_arn, source.arn)
        found = self._rewritten.get(key)
        if found is None:
            found = TrustPolicy.build(
                rewritten_trust(role_arn, source.arn), self.graph.snapshot.account_id
            )
            self._rewritten[key] = found
        return found

    def _resources(
        self, required: RequiredAction, a: _Attempt, created: str | None
    ) -> list[tuple[str, dict[str, ContextValue]]]:
        """Concrete resources to try for a selector, each with the resource's known tags."""
        source, target, option, new_arn = a.source, a.target, a.option, a.new_arn
        selector = required.resource
        if selector == "self":
            return [(source.arn, _resource_tags(source))]
        if selector == "target":
            if isinstance(target, User | Role):
                return [(target.arn, _resource_tags(target))]
            return [(new_arn, {})]
        if selector == "${created}":
            return [(created or new_arn, {})]
        if selector == "any":
            return [("*", {})]
        fixed = {
            "target_policy": option.policy,
            "self_group": option.group,
            "group": option.group,
            "compute": option.compute,
            "boundary_policy": source.permissions_boundary_arn,
            "target_boundary_policy": target.permissions_boundary_arn
            if isinstance(target, User | Role)
            else None,
        }
        if selector == "compute" and option.compute_template is not None:
            template = option.compute_template
            return [(r, {}) for r in self._new_resources(required.action, template, a.evaluator)]
        if selector in fixed:
            value = fixed[selector]
            if value is None or (
                selector.endswith("boundary_policy") and not customer_managed(value)
            ):
                return []
            return [(value, {})]
        if selector.startswith("new:"):
            return [
                (r, {}) for r in self._new_resources(required.action, selector[4:], a.evaluator)
            ]
        return []

    def _new_resources(self, action: str, template: str, evaluator: Evaluator) -> list[str]:
        """Names an attacker may pick for a resource it creates: a default, then names that fit
        the resource patterns of the allow statements naming the action (wildcards filled in)."""
        s = self.graph.snapshot
        text = template.replace("${partition}", s.partition).replace("${account}", s.account_id)
        parts = text.split(":", 5)
        if len(parts) == 6 and parts[3] == "*":
            parts[3] = "us-east-1"
        default = ":".join(parts).replace("*", NEW_NAME)
        out = [default]
        for policy in evaluator.policies.identity:
            for st in policy.document.statements:
                if (
                    st.effect is not PolicyEffect.ALLOW
                    or st.action is None
                    or st.resource is None
                    or st.resource.negated
                ):
                    continue
                if any(glob_matches(p, action) for p in st.action.patterns) == st.action.negated:
                    continue
                for pattern in st.resource.patterns:
                    concrete = pattern.replace("*", NEW_NAME).replace("?", "x")
                    if pattern != "*" and "${" not in pattern and glob_matches(text, concrete):
                        out.append(concrete)
        return list(dict.fromkeys(out))[:6]

    # ------------------------------------------------------------------ where an edge leads
    def _destination(self, a: _Attempt) -> Node | None:
        t, node, source, target, new_arn = a.technique, a.node, a.source, a.target, a.new_arn
        effect = t.effect
        if effect in _SELF_MODES:
            return Node(source.arn, _SELF_MODES[effect][node.mode])
        if effect is Effect.ACT_AS_TARGET:
            return Node(target.arn) if isinstance(target, User | Role) else None
        if effect is Effect.TARGET_ANY_POLICY:
            return Node(target.arn, Mode.ELEVATED) if target is not None else None
        if effect is Effect.TARGET_REMOVE_BOUNDARY:
            return Node(target.arn, Mode.UNBOUNDED) if target is not None else None
        if effect is Effect.NEW_UNBOUNDED_PRINCIPAL:
            return Node(new_arn, Mode.FREE)
        return self._variant(a)

    def _variant(self, a: _Attempt) -> Node | None:
        t, node, source, target, option = a.technique, a.node, a.source, a.target, a.option
        graph = self.graph
        base = graph.policies(node)
        identity = base.identity
        boundary = base.permissions_boundary
        tags_open = False
        label = t.effect.value
        if t.effect is Effect.POLICY_VERSION and option.policy and option.version:
            doc = version_document(graph.snapshot, option.policy, option.version)
            if doc is None:
                return None
            identity = tuple(
                NamedPolicy(p.name, doc, p.type) if p.name == option.policy else p for p in identity
            )
            label = f"{label}:{option.policy}:{option.version}"
        elif t.effect is Effect.BOUNDARY_VERSION and boundary is not None and option.version:
            doc = version_document(graph.snapshot, boundary.name, option.version)
            if doc is None:
                return None
            boundary = NamedPolicy(boundary.name, doc, boundary.type)
            label = f"{label}:{boundary.name}:{option.version}"
        elif t.effect is Effect.REMOVE_POLICY and option.removed:
            identity = tuple(p for p in identity if p.name not in option.removed)
            label = f"{label}:{','.join(option.removed)}"
        elif t.effect is Effect.JOIN_GROUP and isinstance(target, Group):
            identity = (*identity, *group_policies(graph.snapshot, target))
            label = f"{label}:{target.arn}"
        elif t.effect is Effect.SET_TAGS:
            tags_open = True
        else:
            return None
        dest = Node(source.arn, Mode.VARIANT, label)
        graph.variants.setdefault(dest, Variant(dest, identity, boundary, tags_open))
        return dest


def _retarget(edge: Edge | None, target_arn: str) -> Edge | None:
    """The same edge for another target whose checks the engine decides identically."""
    if edge is None:
        return None
    old = edge.target.arn
    old_trust, new_trust = f"{old}#trust", f"{target_arn}#trust"
    checks = tuple(
        replace(
            c,
            resource=target_arn,
            deciding=tuple(
                replace(r, policy=new_trust) if r.policy == old_trust else r for r in c.deciding
            ),
            reason=c.reason.replace(old_trust, new_trust) if c.reason else c.reason,
        )
        if c.resource == old
        else c
        for c in edge.checks
    )
    return replace(edge, target=replace(edge.target, arn=target_arn), checks=checks)


def _resource_tags(principal: User | Role) -> dict[str, ContextValue]:
    """IAM users and roles are resources too: their tags are aws:ResourceTag and iam:ResourceTag
    keys (Service Authorization Reference, IAM condition keys)."""
    return tags_context(("aws:ResourceTag/", "iam:ResourceTag/"), principal.tags)
