"""User-written tests (in a spec under `tests:` or in separate YAML files): name, principal
(`developer`, `app-role` or an ARN), action, resource, context, `expect: allow|deny`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamfence.diagnostics import Diagnostic, Location, Severity, json_pointer
from iamfence.errors import InvalidInputError
from iamfence.model import BoundaryDesign, ContextType, ContextValue, Request
from iamfence.testing.cases import APP_ROLE, DEVELOPER, Category, Expectation, TestCase
from iamfence.testing.names import DesignNames, session_arn

FIELDS = {"name", "why", "principal", "action", "resource", "context", "expect"}
REQUIRED = ("name", "principal", "action", "resource", "expect")


def _context_value(value: Any) -> ContextValue | None:
    if isinstance(value, bool):
        return ContextValue.boolean(value)
    if isinstance(value, int | float):
        return ContextValue(ContextType.NUMBER, (str(value),))
    if isinstance(value, str):
        return ContextValue.string(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float | bool) for v in value):
        return ContextValue(
            ContextType.STRING,
            tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in value),
            multi=True,
        )
    return None


def _principal_arn(who: str, names: DesignNames) -> str:
    if who == DEVELOPER:
        return session_arn(names.role("iamfence-developer", "/"))
    if who == APP_ROLE:
        return session_arn(names.role(names.app_role_name))
    return who


def user_tests(
    items: Any, names: DesignNames, *, file: str = "<input>", base: str = ""
) -> tuple[TestCase, ...]:
    """Typed test cases from parsed YAML/JSON; every problem is a located diagnostic with the same
    code as in request/case files (IF601 not an object, IF602 missing field, IF604 unknown field,
    IF605 bad expect, IF606 bad context value), and any error raises InvalidInputError carrying all
    of them."""
    problems: list[Diagnostic] = []

    def bad(code: str, message: str, *parts: str | int) -> None:
        where = Location(file, base + json_pointer(*parts))
        problems.append(Diagnostic(code, Severity.ERROR, message, where))

    if not isinstance(items, Sequence) or isinstance(items, str):
        bad("IF601", "tests must be a list of test objects")
        raise InvalidInputError(tuple(problems))
    cases: list[TestCase] = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            bad("IF601", "a test must be an object", i)
            continue
        for key in sorted(set(item) - FIELDS):
            bad("IF604", f"unknown test field {key!r}", i, str(key))
        missing = [f for f in REQUIRED if not isinstance(item.get(f), str) or not item.get(f)]
        for f in missing:
            bad("IF602", f"test field {f!r} must be a non-empty string", i, f)
        expect = str(item.get("expect", "")).lower()
        if "expect" not in missing and expect not in ("allow", "deny"):
            bad("IF605", "expect must be 'allow' or 'deny'", i, "expect")
        context: list[tuple[str, ContextValue]] = []
        raw_context = item.get("context") or {}
        if not isinstance(raw_context, Mapping):
            bad("IF606", "context must be an object of key: value", i, "context")
            raw_context = {}
        for key, value in raw_context.items():
            typed = _context_value(value)
            if typed is None:
                bad(
                    "IF606",
                    f"context value of {key!r} must be a scalar or a list",
                    i,
                    "context",
                    key,
                )
            else:
                context.append((str(key), typed))
        if missing or expect not in ("allow", "deny"):
            continue
        who = str(item["principal"])
        request = Request(
            _principal_arn(who, names), str(item["action"]), str(item["resource"]), tuple(context)
        )
        cases.append(
            TestCase(
                str(item["name"]),
                str(item.get("why") or "written by the spec's authors"),
                Category.USER,
                who,
                request,
                Expectation(expect),
            )
        )
    if problems:
        raise InvalidInputError(tuple(problems))
    return tuple(cases)


def design_tests(design: BoundaryDesign, names: DesignNames) -> tuple[TestCase, ...]:
    """The spec's inline `tests:` as test cases."""
    return tuple(
        TestCase(
            t.name,
            "written by the spec's authors",
            Category.USER,
            t.principal,
            Request(_principal_arn(t.principal, names), t.action, t.resource, t.context),
            Expectation.ALLOW if t.expect_allow else Expectation.DENY,
        )
        for t in design.tests
    )
