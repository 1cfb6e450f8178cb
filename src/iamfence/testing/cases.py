"""Boundary test cases and results: the sandbox verification battery of the seed's step 4 ("verify
allowed actions succeed, blocked actions are denied, the boundary cannot be self-modified") as data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from iamfence.engine import Decision, StatementRef
from iamfence.model import PolicyType, Request


class Expectation(Enum):
    ALLOW = "allow"
    DENY = "deny"

    def met_by(self, decision: Decision) -> bool | None:
        """True/False when the decision meets/violates the expectation; None when Indeterminate."""
        if decision is Decision.INDETERMINATE:
            return None
        return (decision is Decision.ALLOW) is (self is Expectation.ALLOW)


class Category(Enum):
    SERVICE = "allowed-service"
    ACCESS_LEVEL = "blocked-access-level"
    BLOCKED_SERVICE = "blocked-service"
    ROLE_CREATION = "role-creation"
    GUARD = "guard"
    PASS_ROLE = "pass-role"
    ASSUME_ROLE = "assume-role"
    SELF_MODIFICATION = "self-modification"
    USER = "user"


DEVELOPER = "developer"
"""The delegated admin: carries the developer policy (and the boundary when self-propagating)."""
APP_ROLE = "app-role"
"""A role a developer created: the boundary plus the widest identity policy a developer could attach."""


@dataclass(frozen=True, slots=True)
class TestCase:
    """One test: who asks for what, what must happen, and why the test exists."""

    __test__ = False  # not a pytest class

    name: str
    why: str
    category: Category
    principal: str
    """DEVELOPER, APP_ROLE or a principal ARN."""
    request: Request
    expect: Expectation


class Status(Enum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    """The backend could not decide (Indeterminate, an API error): never counted as passed."""


@dataclass(frozen=True, slots=True)
class TestOutcome:
    __test__ = False

    case: TestCase
    status: Status
    decision: Decision
    deciding: tuple[StatementRef, ...] = ()
    blocked_by: tuple[PolicyType, ...] = ()
    detail: str = ""
    """Backend-specific evidence: an Indeterminate reason, an AWS error code, a rollback result."""
    critical: bool = False
    """A tamper probe that unexpectedly succeeded against a real account."""


@dataclass(frozen=True, slots=True)
class TestReport:
    __test__ = False

    backend: str
    outcomes: tuple[TestOutcome, ...]

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def ok(self) -> bool:
        return all(o.status is Status.PASSED for o in self.outcomes)

    @property
    def failures(self) -> tuple[TestOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status is not Status.PASSED)
