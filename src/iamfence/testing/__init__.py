"""Boundary tests (layer 5): the battery generated from a design, user tests, the local backend and
the developer's role pre-flight check. The AWS backend lives in adapters/sandbox.py."""

from iamfence.testing.battery import generate_battery
from iamfence.testing.cases import (
    APP_ROLE,
    DEVELOPER,
    Category,
    Expectation,
    Status,
    TestCase,
    TestOutcome,
    TestReport,
)
from iamfence.testing.local import policy_set_for, run_local
from iamfence.testing.names import DesignNames
from iamfence.testing.role_check import RoleCheck, check_role, trust_warnings
from iamfence.testing.user_tests import design_tests, user_tests

__all__ = [
    "APP_ROLE",
    "DEVELOPER",
    "Category",
    "DesignNames",
    "Expectation",
    "RoleCheck",
    "Status",
    "TestCase",
    "TestOutcome",
    "TestReport",
    "check_role",
    "design_tests",
    "generate_battery",
    "policy_set_for",
    "run_local",
    "trust_warnings",
    "user_tests",
]
