"""One required action of a technique, decided by the engine for one principal on one concrete
resource, with its evidence and a certainty.

The engine reads a context key the request does not carry as absent (IAM User Guide, "Condition
operators": a missing key), which is right for the request we build, but a real attacker's request
carries more keys than we can know: a source IP, MFA, a requested region, request tags. A key is
*open* when neither the principal, the target nor the technique determines it. When an outcome
hangs on an open key (a statement matched the action and resource, and one of its conditions was
decided only because the open key was absent), the step is reported "possible under conditions":
never asserted and never dropped. Indeterminate engine answers are "possible" too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum

from iamfence.catalog import glob_matches
from iamfence.engine import (
    AuthorizationResult,
    CompiledPolicySet,
    Decision,
    PolicySet,
    StatementRef,
    compile_policies,
)
from iamfence.model import (
    ContextType,
    ContextValue,
    Effect,
    NamedPolicy,
    PolicyDocument,
    Request,
    Statement,
)


class Certainty(Enum):
    ASSERTED = "asserted"
    POSSIBLE = "possible"


@dataclass(frozen=True, slots=True)
class Check:
    """Evidence for one required action: the request, the engine's decision, the statements that
    decided, and whether the step is asserted or only possible (with the reason)."""

    action: str
    resource: str
    principal: str
    context: tuple[tuple[str, str], ...]
    decision: Decision
    certainty: Certainty
    deciding: tuple[StatementRef, ...] = ()
    reason: str | None = None


_ABSENT_REASONS = frozenset(
    {
        "key-absent",
        "negated-absent",
        "if-exists-absent",
        "for-all-values-absent",
        "for-any-value-absent",
    }
)
_MISMATCH = frozenset({"action-mismatch", "resource-mismatch", "principal-mismatch"})
_CODE = re.compile(r"^(?P<op>[^()]+)\((?P<key>[^()]+)\)=(?P<reason>[\w-]+)$")
_DETERMINED_PREFIXES = ("aws:principaltag/", "iam:")
_DETERMINED_KEYS = frozenset(
    {
        "aws:principalarn",
        "aws:principalaccount",
        "aws:principaltype",
        "aws:username",
        "aws:userid",
        "aws:principalisawsservice",
        "aws:principalservicename",
        "aws:principalorgid",
        "aws:securetransport",
        "aws:currenttime",
        "aws:epochtime",
        "aws:resourceaccount",
    }
)
"""Keys fixed by the principal, the account, or left unknown to the engine itself (time)."""


def is_open_key(key: str, given: frozenset[str], tags_open: bool = False) -> bool:
    """A key a real request may carry with a value the analysis cannot know. `iam:` keys are
    fixed by the action and the technique (iam:PassedToService, iam:PolicyARN,
    iam:PermissionsBoundary: an attacker leaves out a boundary it does not want); principal tags
    come from the snapshot."""
    k = key.lower()
    if tags_open and k.startswith("aws:principaltag/"):
        return True
    if k in given or k in _DETERMINED_KEYS:
        return False
    return not k.startswith(_DETERMINED_PREFIXES)


def document_open_keys(document: PolicyDocument, tags_open: bool = False) -> frozenset[str]:
    return frozenset(
        c.key.lower()
        for s in document.statements
        for c in s.conditions
        if is_open_key(c.key, frozenset(), tags_open)
    )


def _string_value(value: ContextValue) -> str:
    return ",".join(value.values)


def context_of(pairs: Mapping[str, ContextValue]) -> tuple[tuple[str, ContextValue], ...]:
    return tuple(pairs.items())


def tags_context(
    prefixes: tuple[str, ...], tags: tuple[tuple[str, str], ...]
) -> dict[str, ContextValue]:
    out: dict[str, ContextValue] = {}
    for prefix in prefixes:
        for key, value in tags:
            out[f"{prefix}{key}"] = ContextValue.string(value)
    return out


SECURE = {"aws:SecureTransport": ContextValue.boolean(True)}
"""Attackers use the AWS CLI/SDK over TLS: aws:SecureTransport is true in their requests."""


def _open_absent(codes: tuple[str, ...], given: frozenset[str], tags_open: bool) -> bool:
    """True when a condition of this statement was decided by an open key being absent."""
    for code in codes:
        m = _CODE.match(code)
        if m and m["reason"] in _ABSENT_REASONS and is_open_key(m["key"], given, tags_open):
            return True
    return False


def _matched(codes: tuple[str, ...]) -> bool:
    return not any(c in _MISMATCH for c in codes)


RefKey = tuple[str, int]
"""(policy name, statement index): how denies are recognised in explanations."""


def _possible_reason(
    result: AuthorizationResult,
    given: frozenset[str],
    deny_refs: frozenset[RefKey],
    tags_open: bool,
) -> str | None:
    """Why this outcome depends on open context, or None when it does not."""
    explanation = result.explanation
    if explanation is None:
        return None
    details = [(ref, codes) for ref, codes in explanation.details if _matched(codes)]
    hanging = [ref for ref, codes in details if _open_absent(codes, given, tags_open)]
    if not hanging:
        return None
    names = ", ".join(f"{r.policy}#{r.statement_index}" for r in hanging[:3])
    decision = result.decision
    if decision is Decision.ALLOW:
        return f"a real request may carry context keys these statements test: {names}"
    allows = [ref for ref in hanging if (ref.policy, ref.statement_index) not in deny_refs]
    if decision is Decision.EXPLICIT_DENY:
        deciding = set(explanation.deciding)
        if deciding and all(ref in hanging for ref in deciding):
            return f"the denying statements depend on context a real request may carry: {names}"
        return None
    if allows:
        return f"allowed only if a real request carries context these statements test: {names}"
    return None


class Evaluator:
    """The compiled policies of one principal (in one graph mode) and the requests it makes."""

    __slots__ = (
        "_cache",
        "_deny_refs",
        "_docs",
        "_free",
        "compiled",
        "has_open",
        "policies",
        "principal",
        "principal_context",
        "tags_open",
    )

    def __init__(
        self,
        policies: PolicySet,
        principal: str,
        principal_tags: tuple[tuple[str, str], ...],
        *,
        tags_open: bool = False,
    ) -> None:
        """`tags_open`: the principal can choose its own tags (aws:PrincipalTag keys are open)."""
        self.tags_open = tags_open
        self.policies = policies
        self.principal = principal
        self.compiled: CompiledPolicySet = compile_policies(policies)
        self.principal_context = {**SECURE, **tags_context(("aws:PrincipalTag/",), principal_tags)}
        docs = [
            *policies.identity,
            *((policies.permissions_boundary,) if policies.permissions_boundary else ()),
        ]
        docs.extend(p for level in policies.scp for p in level)
        self.has_open = any(document_open_keys(p.document, tags_open) for p in docs)
        self._deny_refs = frozenset(_deny_refs(docs))
        self._cache: dict[tuple[object, ...], Check | None] = {}
        self._free: dict[str, bool] = {}
        self._docs = tuple(docs)

    def check(
        self,
        action: str,
        resource: str,
        context: Mapping[str, ContextValue] | None = None,
        trust: TrustPolicy | None = None,
    ) -> Check | None:
        """The check when the engine allows (asserted) or may allow (possible); None when the
        request is denied whatever context a real request carries."""
        ctx = {**self.principal_context, **(context or {})}
        free = trust is None and self.resource_free(action)
        key = (
            action,
            "" if free else resource,
            tuple(sorted((k, v.values) for k, v in ctx.items())),
            None if trust is None else trust.name,
        )
        if key in self._cache:
            hit = self._cache[key]
            if hit is not None and hit.resource != resource:
                hit = replace(hit, resource=resource)
            return hit
        request = Request(self.principal, action, resource, context_of(ctx))
        outcome = self._decide(request, ctx, trust)
        self._cache[key] = outcome
        return outcome

    def _decide(
        self, request: Request, ctx: dict[str, ContextValue], trust: TrustPolicy | None
    ) -> Check | None:
        compiled = self.compiled if trust is None else self._with_trust(trust)
        deny_refs = self._deny_refs if trust is None else self._deny_refs | trust.deny_refs
        has_open = self.has_open or (trust is not None and trust.has_open)
        result = compiled.authorize(request)
        decision = result.decision
        simple = tuple(
            (k, _string_value(v))
            for k, v in ctx.items()
            if k not in SECURE and not k.startswith("aws:PrincipalTag/")
        )

        def check(
            certainty: Certainty, deciding: tuple[StatementRef, ...], reason: str | None
        ) -> Check:
            return Check(
                request.action,
                request.resource,
                self.principal,
                simple,
                decision,
                certainty,
                deciding,
                reason,
            )

        if decision is Decision.INDETERMINATE:
            explained = compiled.authorize(request, explain=True)
            details = explained.explanation.details if explained.explanation else ()
            return check(Certainty.POSSIBLE, tuple(r for r, _ in details)[:5], result.reason)
        if decision is not Decision.ALLOW and not has_open:
            return None
        explained = compiled.authorize(request, explain=True)
        given = frozenset(k.lower() for k in ctx)
        reason = _possible_reason(explained, given, deny_refs, self.tags_open) if has_open else None
        deciding = explained.explanation.deciding if explained.explanation else ()
        if decision is Decision.ALLOW:
            return check(Certainty.POSSIBLE if reason else Certainty.ASSERTED, deciding, reason)
        return None if reason is None else check(Certainty.POSSIBLE, deciding, reason)

    def resource_free(self, action: str) -> bool:
        """True when no statement naming `action` looks at the resource (every one has Resource
        "*"): the decision is then the same for every resource of the account, and is computed
        once. sts: and kms: actions are excluded (their resource policies must grant)."""
        found = self._free.get(action)
        if found is None:
            found = not action.lower().startswith(("sts:", "kms:")) and all(
                _star_resource(s)
                for p in self._docs
                for s in p.document.statements
                if s.action is None
                or any(glob_matches(a, action) for a in s.action.patterns) != s.action.negated
            )
            self._free[action] = found
        return found

    def _with_trust(self, trust: TrustPolicy) -> CompiledPolicySet:
        """The principal's compiled policies plus a role's trust policy as the resource-based
        policy of the request (IAM UG, "Policy evaluation for requests within a single account":
        a role trust policy is a resource-based policy that must allow)."""
        return self.compiled.with_resource_policy(
            trust.policy, trust.account, compiled_in=trust.compiled
        )


def _star_resource(statement: Statement) -> bool:
    r = statement.resource
    return r is not None and not r.negated and r.patterns == ("*",)


def _deny_refs(policies: list[NamedPolicy]) -> list[RefKey]:
    return [
        (p.name, i)
        for p in policies
        for i, s in enumerate(p.document.statements)
        if s.effect is Effect.DENY
    ]


@dataclass(slots=True)
class TrustPolicy:
    """A role's trust policy compiled once, reused for every principal that tries the role."""

    name: str
    policy: NamedPolicy
    account: str
    compiled: CompiledPolicySet | None
    has_open: bool
    deny_refs: frozenset[RefKey]

    @staticmethod
    def build(policy: NamedPolicy, account: str) -> TrustPolicy:
        compiled: CompiledPolicySet | None = compile_policies(
            PolicySet(resource=policy, resource_account=account)
        )
        if not hasattr(compiled, "resource"):  # engine internals changed: compile per request
            compiled = None
        refs = frozenset(_deny_refs([policy]))
        return TrustPolicy(
            policy.name, policy, account, compiled, bool(document_open_keys(policy.document)), refs
        )


def arn_context(key: str, value: str) -> ContextValue:
    return ContextValue(ContextType.ARN, (value,))
