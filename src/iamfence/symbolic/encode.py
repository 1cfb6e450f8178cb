"""A policy set, for one fixed action, as a z3 formula over the resource and the context.

Evaluation follows the IAM User Guide, "Policy evaluation logic" and "Policy evaluation for requests
within a single account": an explicit Deny in any policy wins; otherwise the request is allowed only
if an identity-based policy allows it AND the permissions boundary (when set) allows it
("Permissions boundaries for IAM entities") AND the session policies (when given) allow it ("Session
policies") AND every SCP level from the root down to the account allows it ("Service control
policies: SCP evaluation"). Resource-based policies and RCPs are not modelled: a query over a policy
set that has them is UNKNOWN.

The action is fixed per encoding (each pattern is decided in Python: case-insensitive, IAM User
Guide "IAM JSON policy elements: Action"), so only statements that can apply are encoded; the
resource and every context key the remaining statements mention are z3 variables."""

from __future__ import annotations

from collections.abc import Iterator

from iamfence.engine.context import ALWAYS_PRESENT, IAM_PRINCIPAL_ALWAYS, ORG_ALWAYS
from iamfence.engine.principal import classify, derived_context
from iamfence.engine.types import PolicySet
from iamfence.model import Effect, NamedPolicy, Request, Statement
from iamfence.symbolic.conditions import ContextModel, KeyInfo, scan_clause
from iamfence.symbolic.patterns import Alphabet, glob_items, glob_match, items_regex
from iamfence.symbolic.resource import ResourceModel
from iamfence.symbolic.types import ContextRequirement, Query, Requirement, ResourceTarget
from iamfence.symbolic.values import (
    Unsupported,
    VarRef,
    scalar_text,
    split_parts,
    template,
    variable_keys,
)
from iamfence.symbolic.z3_backend import (
    Expr,
    Formula,
    conj,
    disj,
    literal,
    neg,
    re_literal,
    readable,
    string_value,
    z3,
)

PINNED_KEYS = (
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principaltype",
    "aws:username",
    "aws:principalisawsservice",
    "aws:principalservicename",
)
"""Keys AWS sets from the principal ("AWS global condition context keys"). The model fixes them
to what the engine derives (or absent), never lets the solver choose them."""


def principal_facts(principal: str) -> dict[str, str | None]:
    """The pinned keys' values for `principal` (None: absent), as the engine derives them."""
    derived = derived_context(classify(principal))
    facts: dict[str, str | None] = {}
    for key in PINNED_KEYS:
        value = derived.get(key)
        facts[key] = value.values[0] if value is not None and len(value.values) == 1 else None
    return facts


def always_present(principal: str, in_organization: bool) -> frozenset[str]:
    """Keys every request carries (the engine reads a missing one as unknown): IAM User Guide,
    "AWS global condition context keys" (aws:CurrentTime, aws:EpochTime, aws:SecureTransport;
    aws:userid for IAM principals; aws:PrincipalOrgID inside an organization)."""
    keys = set(ALWAYS_PRESENT)
    if classify(principal).is_iam:
        keys |= IAM_PRINCIPAL_ALWAYS
        if in_organization:
            keys |= ORG_ALWAYS
    return frozenset(keys)


def action_applies(statement: Statement, action: str) -> bool:
    """Action / NotAction against a fixed action (a statement without either matches nothing)."""
    if statement.action is None:
        return False
    hit = any(glob_match(p.strip(), action, ignore_case=True) for p in statement.action.patterns)
    return hit != statement.action.negated


def is_action_pattern(action: str) -> bool:
    """A query action with `*` or `?` is a pattern: the action is then a solver variable."""
    return "*" in action or "?" in action


def policies_of(policies: PolicySet) -> Iterator[NamedPolicy]:
    """Every policy of a set, the resource policy included."""
    yield from policies.identity
    if policies.permissions_boundary is not None:
        yield policies.permissions_boundary
    yield from policies.session
    if policies.resource is not None:
        yield policies.resource
    for level in policies.scp:
        yield from level


class Encoding:
    """The variables of one (policy sets, principal, action) triple and the formulas of single
    statements; several policy sets (a diff) share the variables."""

    def __init__(
        self,
        policy_sets: tuple[PolicySet, ...],
        principal: str,
        action: str,
        requirements: tuple[ContextRequirement, ...] = (),
        target: ResourceTarget | None = None,
    ) -> None:
        for ps in policy_sets:
            if ps.rcp:
                raise Unsupported("RCPs are not modelled symbolically")
        self.principal = principal
        self.action = action
        self.action_var: Expr | None = None
        if is_action_pattern(action):
            # IAM UG, "IAM JSON policy elements: Action": names ignore letter case, so the free
            # action is lower-case and every pattern is lower-cased before it becomes a regex.
            self.action_var = z3.String("action")
        self.fixed = principal_facts(principal)
        infos: dict[str, KeyInfo] = {}
        literals: list[str] = [principal, action]
        if target is not None:
            literals.extend((target.glob, target.name_outside_prefix or "", *target.exclude))
        literals.extend(v for v in self.fixed.values() if v)
        for ps in policy_sets:
            for policy in policies_of(ps):
                self._gather(policy, infos, literals)
        for req in requirements:
            name = req.key.lower()
            info = infos.setdefault(name, KeyInfo(name))
            info.spelling = info.spelling or req.key
            info.clauses += 1
            info.multi = info.multi or req.multi
            literals.append(req.value)
        self.mentioned = tuple(sorted(infos))
        in_org = any(ps.scp for ps in policy_sets)
        self.always = always_present(principal, in_org)
        self.alphabet = Alphabet.for_literals(literals)
        self.context = ContextModel(infos, self.alphabet, self.fixed)
        self.resource = ResourceModel(self.alphabet, target)
        self.domain: list[Expr] = list(self.resource.domain)
        self.domain.extend(self.context.domain)
        if self.action_var is not None:
            lower_char = z3.Union(z3.Range("!", "@"), z3.Range("[", "~"))
            pattern = items_regex(glob_items(action.lower()), self.alphabet, "any", None)
            self.domain.append(z3.InRe(self.action_var, z3.Star(lower_char)))
            self.domain.append(z3.InRe(self.action_var, pattern))
        for key in sorted(self.always & set(self.context.keys)):
            # AWS sets these keys on every request, with well-formed values.
            kv = self.context.keys[key]
            self.domain.append(kv.present)
            if kv.kind.value not in ("string", "arn", "binary"):
                self.domain.extend(kv.valid)

    def _gather(self, policy: NamedPolicy, infos: dict[str, KeyInfo], literals: list[str]) -> None:
        """What the statements that may apply say about context keys, and their literal text."""
        for statement in policy.document.statements:
            if self.action_var is not None and statement.action is not None:
                literals.extend(p.lower() for p in statement.action.patterns)
            if self.action_var is None and not action_applies(statement, self.action):
                continue
            texts: list[str] = []
            if statement.resource is not None:
                texts.extend(statement.resource.patterns)
            for clause in statement.conditions:
                scan_clause(infos, clause)
                texts.extend(scalar_text(v) for v in clause.values)
            literals.extend(texts)
            if policy.document.supports_variables:
                for text in texts:
                    for key in variable_keys(text, self.fixed):
                        infos.setdefault(key, KeyInfo(key)).clauses += 1

    # -- statements -------------------------------------------------------------------------

    def statement(
        self, statement: Statement, variables: bool, *, has_resource: bool = True
    ) -> Expr:
        """Resource (unless `has_resource` is False: trust policies) and conditions; the caller
        has checked the action and the principal."""
        parts: list[Expr] = []
        if has_resource or statement.resource is not None:
            if statement.resource is None:
                return False  # no Resource element: matches nothing (engine)
            hits = [self._resource_match(p, variables) for p in statement.resource.patterns]
            resource = disj(*hits) if hits else False
            parts.append(neg(resource) if statement.resource.negated else resource)
        parts.extend(self.context.clause(c, variables=variables) for c in statement.conditions)
        return conj(*parts) if parts else True

    def _resource_match(self, pattern: str, variables: bool) -> Expr:
        if pattern == "*":
            return True
        parts = template(pattern, variables=variables, wildcards=True, known=self.fixed)
        if parts is None:  # a variable with no value: the pattern matches nothing
            return False
        if not any(isinstance(p, VarRef) for p in parts):
            return self.resource.matches(tuple(p for p in parts if isinstance(p, str)))
        # a variable the solver chooses: supported in the resource part, with at most a trailing *
        split = split_parts(parts)
        if len(split) != 6 or any(isinstance(p, VarRef) for seg in split[:5] for p in seg):
            raise Unsupported(f"policy variable outside the resource part of {pattern!r}")
        prefix = self.resource.prefix_matches([[str(p) for p in seg] for seg in split[:5]])
        return conj(prefix, self.context.symbolic_match(self.resource.rest, split[5]))

    def any_statement(self, policy: NamedPolicy, effect: Effect) -> Expr:
        """Some statement of `policy` with `effect` applies (policies attached to the principal:
        the Principal element is not read, as in the engine)."""
        terms = [
            conj(self.action_match(s), self.statement(s, policy.document.supports_variables))
            for s in policy.document.statements
            if s.effect is effect and self.action_match(s) is not False
        ]
        return disj(*terms) if terms else False

    def action_match(self, statement: Statement) -> Formula:
        """Action / NotAction: a Python bool for a fixed action, a formula for a free one."""
        if self.action_var is None:
            return action_applies(statement, self.action)
        if statement.action is None:
            return False
        hits = [
            z3.InRe(self.action_var, items_regex(glob_items(p.strip().lower()), self.alphabet,
                                                 "any", None))
            for p in statement.action.patterns
        ]  # fmt: skip
        hit = disj(*hits)
        return neg(hit) if statement.action.negated else hit

    def exclude_signatures(
        self, patterns: tuple[str, ...], signatures: frozenset[tuple[bool, ...]]
    ) -> list[Expr]:
        """The free action matches `patterns` (lower-cased) in a way none of `signatures` does:
        it is treated differently from every action with a known signature."""
        if self.action_var is None or not patterns:
            return []
        hits = [
            z3.InRe(self.action_var, items_regex(glob_items(p), self.alphabet, "any", None))
            for p in patterns
        ]
        # Action names in the Service Authorization Reference are letters and digits after the
        # service prefix (lower-cased here, like every free action).
        name = z3.Plus(z3.Union(z3.Range("a", "z"), z3.Range("0", "9")))
        shape = z3.Concat(z3.Star(self.alphabet.char_except(":")), re_literal(":"), name)
        return [
            z3.InRe(self.action_var, shape),
            *(
                neg(conj(*(h if bit else neg(h) for h, bit in zip(hits, sig, strict=True))))
                for sig in signatures
            ),
        ]

    def action_starts(self, prefix: str) -> Formula:
        """The action (lower-cased) starts with `prefix`."""
        if self.action_var is None:
            return self.action.lower().startswith(prefix)
        return z3.InRe(self.action_var, z3.Concat(re_literal(prefix), self.alphabet.strings()))

    # -- the query's side -------------------------------------------------------------------

    def target(self, query: Query) -> list[Expr]:
        """Constraints for the query's resource target and context requirements."""
        target = query.resource
        out = [neg(self.resource.equals(e)) for e in target.exclude]
        if target.name_outside_prefix is not None:
            name_char = self.alphabet.char_except("/")
            starts = z3.Concat(
                re_literal(target.name_outside_prefix), z3.Star(self.alphabet.char())
            )
            name = z3.Intersect(z3.Plus(name_char), z3.Complement(starts))
            tail = z3.Concat(z3.Star(self.alphabet.char()), re_literal("/"), name)
            out.append(z3.InRe(self.resource.rest, tail))
        out.extend(self._requirement(r) for r in query.requirements)
        return out

    def _requirement(self, req: ContextRequirement) -> Expr:
        kv = self.context.keys[req.key.lower()]
        if kv.kind.value not in ("string", "arn", "binary"):
            raise Unsupported(f"condition key {req.key} is used as {kv.kind.value}")
        value = literal(req.value)
        if req.requirement is Requirement.PRESENT:
            return kv.present
        if kv.info.multi:
            some_equal = disj(
                *(conj(u, v == value) for u, v in zip(kv.used, kv.values, strict=True))
            )
            some_other = disj(
                *(conj(u, v != value) for u, v in zip(kv.used, kv.values, strict=True))
            )
        else:
            some_equal = kv.values[0] == value
            some_other = kv.values[0] != value
        if req.requirement is Requirement.CONTAINS:
            return conj(kv.present, some_equal)
        return disj(neg(kv.present), some_other)

    def preferences(self) -> tuple[list[Expr], list[Expr]]:
        """Readability hints for examples, tried before being dropped: (resource, context)."""
        service = self.action.split(":", 1)[0].lower().replace("*", "").replace("?", "")
        account = classify(self.principal).account
        resource = [neg(self.resource.star), *self.resource.preferences(service, account)]
        if self.action_var is not None:
            name = z3.Plus(z3.Union(z3.Range("a", "z"), z3.Range("0", "9"), re_literal("-")))
            resource.insert(0, z3.InRe(self.action_var, z3.Concat(name, re_literal(":"), name)))
        context = [
            z3.InRe(value, readable())
            for kv in self.context.keys.values()
            if kv.kind.value in ("string", "arn")
            for value in kv.values
        ]
        return resource, context

    def request(self, model: object) -> Request:
        """The concrete request a model describes: every key a policy or the query mentions that
        is present (pinned keys included, with the engine's own values)."""
        resource = self.resource.value(model)
        context = self.context.extract(model, self.mentioned)
        action = self.action
        if self.action_var is not None:
            action = string_value(model, self.action_var)
        return Request(self.principal, action, resource, context)
