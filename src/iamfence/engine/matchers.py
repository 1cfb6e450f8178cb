"""Action, Resource and Principal matchers, compiled once per statement.

- Actions (IAM UG, "IAM JSON policy elements: Action"): `service:Action`, letter case ignored,
  `*` and `?` wildcards; NotAction matches every action the list does not.
- Resources (IAM UG, "IAM JSON policy elements: Resource", "Using wildcards in resource ARNs"):
  compared segment by segment; partition, service, region and account ignore letter case, the
  resource part is case-sensitive; in the resource part `*` spans `/` and `:`; in a pattern with
  fewer than six segments a `*` that ends a segment expands past the colons. NotResource inverts.
- Principals (IAM UG, "AWS JSON policy elements: Principal" / "NotPrincipal").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from typing import Protocol

from iamfence.engine.patterns import (
    QMARK,
    STAR,
    UNKNOWN,
    Part,
    Template,
    Var,
    _Unknown,
    parse_template,
)
from iamfence.engine.principal import PrincipalClass, PrincipalInfo
from iamfence.model import ActionSpec, PrincipalKind, PrincipalSpec, ResourceSpec


class Tri(IntEnum):
    NO = 0
    YES = 1
    UNKNOWN = 2


# ---------------------------------------------------------------- actions


@dataclass(frozen=True, slots=True)
class ActionMatcher:
    negated: bool
    everything: bool
    exact: frozenset[str]
    regex: re.Pattern[str] | None
    services: frozenset[str] | None
    """Service prefixes this statement can match (None: any service; used for the index)."""

    def matches(self, action: str) -> bool:
        """`action` lower-cased."""
        hit = (
            self.everything
            or action in self.exact
            or (self.regex is not None and self.regex.match(action) is not None)
        )
        return hit != self.negated


def compile_actions(spec: ActionSpec | None) -> ActionMatcher:
    if spec is None:  # no Action element (e.g. built by hand): matches nothing
        return ActionMatcher(False, False, frozenset(), None, frozenset())
    exact: set[str] = set()
    wild: list[str] = []
    services: set[str] | None = set()
    everything = False
    for pattern in spec.patterns:
        text = pattern.strip().lower()
        if text == "*":
            everything = True
            services = None
            continue
        service = text.split(":", 1)[0]
        if services is not None:
            if "*" in service or "?" in service or ":" not in text:
                services = None
            else:
                services.add(service)
        if "*" in text or "?" in text:
            wild.append(_glob(text))
        else:
            exact.add(text)
    regex = re.compile("(?:" + "|".join(wild) + r")\Z", re.DOTALL) if wild else None
    if spec.negated:
        services = None
    return ActionMatcher(
        spec.negated,
        everything,
        frozenset(exact),
        regex,
        None if services is None else frozenset(services),
    )


def _glob(text: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)


# ---------------------------------------------------------------- resources


def _colons(parts: tuple[Part, ...]) -> int:
    return sum(p.count(":") for p in parts if isinstance(p, str) and p not in (STAR, QMARK))


def _ends_segment(parts: tuple[Part, ...], index: int) -> bool:
    """The part after `index` starts with ':' (or there is none)."""
    if index == len(parts) - 1:
        return True
    nxt = parts[index + 1]
    return isinstance(nxt, str) and nxt not in (STAR, QMARK) and nxt.startswith(":")


def arn_pattern_regex(parts: tuple[Part, ...]) -> str:
    """Regex source for a resource ARN pattern (variables resolved).

    IAM UG, "IAM JSON policy elements: Resource" (Using wildcards in resource ARNs): "If the *
    wildcard is the last character of a resource ARN segment, it can expand to match beyond the
    colon boundaries." Applied to patterns with fewer than six segments (e.g.
    `arn:aws:ec2:*:instance/*`), where the request ARN's colons cannot otherwise line up; in a
    full six-segment pattern a `*` stays inside its segment (the resource part aside)."""
    out: list[str] = []
    segment = 0
    short = _colons(parts) < 5
    for index, part in enumerate(parts):
        if part == STAR:
            if segment >= 5 or (short and _ends_segment(parts, index)):
                out.append(".*")
            else:
                out.append("[^:]*")
        elif part == QMARK:
            out.append("." if segment >= 5 else "[^:]")
        else:
            assert isinstance(part, str)
            chunk: list[str] = []
            for ch in part:
                if ch == ":" and segment < 5:
                    if chunk:
                        out.append("(?i:" + re.escape("".join(chunk)) + ")")
                        chunk = []
                    out.append(":")
                    segment += 1
                elif segment < 5:
                    chunk.append(ch)
                else:
                    out.append(re.escape(ch))
            if chunk:
                out.append("(?i:" + re.escape("".join(chunk)) + ")")
    return "".join(out)


@lru_cache(maxsize=8192)
def _arn_regex(parts: tuple[Part, ...]) -> re.Pattern[str]:
    return re.compile(arn_pattern_regex(parts) + r"\Z", re.DOTALL)


@dataclass(frozen=True, slots=True)
class ResourceMatcher:
    negated: bool
    everything: bool
    regex: re.Pattern[str] | None
    templates: tuple[Template, ...]
    """Patterns with policy variables, resolved per request."""

    def matches(self, resource: str, lookup: VariableLookup | None) -> Tri:
        hit = self.everything or (self.regex is not None and self.regex.match(resource) is not None)
        if not hit and self.templates:
            found = self._match_templates(resource, lookup)
            if found is Tri.UNKNOWN:
                return found
            hit = found is Tri.YES
        return Tri.YES if hit != self.negated else Tri.NO

    def _match_templates(self, resource: str, lookup: VariableLookup | None) -> Tri:
        result = Tri.NO
        for template in self.templates:
            parts = resolve(template, lookup)
            if parts is UNKNOWN:
                result = Tri.UNKNOWN
                continue
            if parts is None:  # IAM UG, "Policy variables with no value": matches nothing
                continue
            assert isinstance(parts, tuple)
            if _arn_regex(parts).match(resource):
                return Tri.YES
        return result


def compile_resources(spec: ResourceSpec | None, variables: bool) -> ResourceMatcher:
    if spec is None:
        return ResourceMatcher(False, False, None, ())
    everything = False
    sources: list[str] = []
    templates: list[Template] = []
    for pattern in spec.patterns:
        if pattern == "*":
            everything = True
            continue
        template = parse_template(pattern, variables)
        if template.has_vars:
            templates.append(template)
        else:
            sources.append(arn_pattern_regex(template.parts))
    regex = re.compile("(?:" + "|".join(sources) + r")\Z", re.DOTALL) if sources else None
    return ResourceMatcher(spec.negated, everything, regex, tuple(templates))


class VariableLookup(Protocol):
    """Where policy variables take their values (the evaluation context)."""

    def variable(self, key: str) -> str | _Unknown | None: ...


def resolve(
    template: Template, lookup: VariableLookup | None
) -> tuple[Part, ...] | _Unknown | None:
    """Substitute variables: None when one has no value (and no default), UNKNOWN when one is a
    key AWS sets but the request does not carry."""
    if not template.has_vars:
        return template.parts
    out: list[Part] = []
    for part in template.parts:
        if isinstance(part, Var):
            value = lookup.variable(part.key) if lookup is not None else None
            if isinstance(value, _Unknown):
                return UNKNOWN
            if value is None:
                value = part.default
            if value is None:
                return None
            out.append(value)
        else:
            out.append(part)
    return tuple(out)


# ---------------------------------------------------------------- principals


class Grant(IntEnum):
    """How a resource-policy statement names the principal (best first)."""

    NONE = 0
    ACCOUNT = 1
    """The account (id or :root ARN): AWS delegates to the account's identity policies."""
    ROLE = 2
    """The role ARN of a role session."""
    DIRECT = 3
    """The user, the session, the federated user, a service, "*" (everyone)."""


@dataclass(frozen=True, slots=True)
class PrincipalMatcher:
    negated: bool
    everyone: bool
    accounts: frozenset[str]
    arns: frozenset[str]
    role_names: frozenset[tuple[str, str]]
    """(account, role name) of role ARNs, to match sessions of the role."""
    others: frozenset[str]
    """Service, federated and canonical-user values, lower-cased."""

    def grant(self, info: PrincipalInfo, principal_arn: str | None) -> Grant:
        if self.everyone:
            return Grant.DIRECT
        kind = info.kind
        if kind is PrincipalClass.ANONYMOUS:
            return Grant.NONE
        if kind in (PrincipalClass.SERVICE, PrincipalClass.OTHER):
            return (
                Grant.DIRECT
                if info.text.lower() in self.others or info.text in self.arns
                else Grant.NONE
            )
        if info.text in self.arns:
            # IAM UG, "Policy evaluation for requests within a single account": naming the role
            # ARN is limited by the boundary and session policies; naming a session is not.
            return Grant.ROLE if kind is PrincipalClass.ROLE else Grant.DIRECT
        if kind is PrincipalClass.SESSION and self._names_role(info, principal_arn):
            return Grant.ROLE
        if info.account is not None and info.account in self.accounts:
            return Grant.ACCOUNT
        return Grant.NONE

    def _names_role(self, info: PrincipalInfo, principal_arn: str | None) -> bool:
        if principal_arn is not None and principal_arn != info.role_arn:
            return principal_arn in self.arns
        return (info.account or "", info.name or "") in self.role_names

    def mentions(self, info: PrincipalInfo, principal_arn: str | None) -> bool:
        """Any identity the principal acts as is listed (used for Allow + NotPrincipal, where the
        sound reading grants less)."""
        return self.grant(info, principal_arn) is not Grant.NONE

    def excludes(self, info: PrincipalInfo, principal_arn: str | None) -> bool:
        """NotPrincipal: IAM UG, "AWS JSON policy elements: NotPrincipal": with Deny, a principal
        is spared only when every identity it acts as is listed (the session ARN, the role ARN and
        the account for a role session; the user and the account for a user)."""
        if self.everyone:
            return True
        kind = info.kind
        if kind is PrincipalClass.ANONYMOUS:
            return False
        if kind in (PrincipalClass.SERVICE, PrincipalClass.OTHER):
            return info.text.lower() in self.others or info.text in self.arns
        account_listed = info.account is not None and info.account in self.accounts
        if kind is PrincipalClass.ROOT:
            return account_listed
        if kind is PrincipalClass.SESSION:
            return (
                account_listed and info.text in self.arns and self._names_role(info, principal_arn)
            )
        return account_listed and info.text in self.arns


_ROLE = re.compile(r"^arn:[^:]+:iam::(\d{12}):role/(?:.*/)?([^/]+)$")
_ROOT = re.compile(r"^arn:[^:]+:iam::(\d{12}):root$")


def compile_principals(spec: PrincipalSpec | None) -> PrincipalMatcher | None:
    if spec is None:
        return None
    everyone = spec.everyone
    accounts: set[str] = set()
    arns: set[str] = set()
    roles: set[tuple[str, str]] = set()
    others: set[str] = set()
    for entry in spec.entries:
        value = entry.value.strip()
        if entry.kind is PrincipalKind.AWS:
            if value == "*":
                everyone = True
            elif value.isdigit():
                accounts.add(value)
            elif (root := _ROOT.match(value)) is not None:
                accounts.add(root.group(1))
            else:
                arns.add(value)
                role = _ROLE.match(value)
                if role is not None:
                    roles.add((role.group(1), role.group(2)))
        else:
            others.add(value.lower())
    return PrincipalMatcher(
        spec.negated,
        everyone,
        frozenset(accounts),
        frozenset(arns),
        frozenset(roles),
        frozenset(others),
    )
