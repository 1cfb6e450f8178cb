"""Boundary compliance checks on one account snapshot: every role carries the expected permissions
boundary, users too (configurable), the boundary policy exists and its default version is the
expected document, and roles carrying the boundary are named inside the developer role prefix."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from iamfence.account.model import AccountSnapshot, Role, User
from iamfence.audit import findings as fc
from iamfence.audit.exemptions import builtin_reason
from iamfence.audit.findings import Finding
from iamfence.model import Arn, PolicyDocument, Statement

SemanticDiff = Callable[[PolicyDocument, PolicyDocument], tuple[str, ...]]
"""(expected, actual) -> human-checkable differences, e.g. requests one allows and the other not."""

ACCOUNT_PLACEHOLDERS = ("${AccountId}", "{account_id}", "<account-id>")


@dataclass(frozen=True, slots=True)
class AuditConfig:
    """What the audit expects. `boundary_arn` may name the boundary in one account (its account id
    is replaced by each audited account's) or carry an account placeholder such as ${AccountId}."""

    boundary_arn: str
    expected_document: PolicyDocument | None = None
    role_prefix: str | None = None
    role_path: str | None = None
    check_users: bool = True
    semantic_diff: SemanticDiff | None = None
    document_for: Callable[[str], PolicyDocument | None] | None = None
    """The expected document per account (a spec builds one per account id); overrides
    `expected_document`."""

    def expected_document_for(self, account_id: str) -> PolicyDocument | None:
        if self.document_for is not None:
            return self.document_for(account_id)
        return self.expected_document

    def boundary_arn_for(self, account_id: str) -> str:
        arn = self.boundary_arn
        for placeholder in ACCOUNT_PLACEHOLDERS:
            arn = arn.replace(placeholder, account_id)
        parsed = Arn.parse(arn)
        if parsed is None or parsed.account in ("aws", "") or not account_id:
            return arn
        # Customer managed policies used as boundaries live in the principal's own account.
        return str(
            Arn(parsed.partition, parsed.service, parsed.region, account_id, parsed.resource)
        )


def check_account(snapshot: AccountSnapshot, config: AuditConfig) -> list[Finding]:
    """Every finding for one account, built-in exemptions already applied (muted, still listed)."""
    expected = config.boundary_arn_for(snapshot.account_id)
    out: list[Finding] = []
    for role in snapshot.roles:
        out.extend(_check_role(snapshot.account_id, role, expected, config))
    if config.check_users:
        for user in snapshot.users:
            out.extend(_check_user(snapshot.account_id, user, expected))
    out.extend(check_boundary_policy(snapshot, expected, config))
    return out


def _check_role(account: str, role: Role, expected: str, config: AuditConfig) -> Iterator[Finding]:
    actual = role.permissions_boundary_arn
    found: Finding | None = None
    if actual is None:
        found = Finding.of(
            fc.ROLE_WITHOUT_BOUNDARY,
            account,
            role.arn,
            role_name=role.name,
            expected_boundary=expected,
            path=role.path,
        )
    elif actual != expected:
        found = Finding.of(
            fc.ROLE_OTHER_BOUNDARY,
            account,
            role.arn,
            role_name=role.name,
            expected_boundary=expected,
            actual_boundary=actual,
            path=role.path,
        )
    elif not _inside_prefix(role, config):
        found = Finding.of(
            fc.ROLE_OUTSIDE_PREFIX,
            account,
            role.arn,
            role_name=role.name,
            role_prefix=config.role_prefix or "",
            role_path="" if config.role_path in (None, "/") else str(config.role_path),
            path=role.path,
        )
    if found is None:
        return
    reason = builtin_reason(role.path, role.name)
    yield found.mute(reason) if reason else found


def _inside_prefix(role: Role, config: AuditConfig) -> bool:
    if config.role_prefix and not role.name.startswith(config.role_prefix):
        return False
    return not (
        config.role_path and config.role_path != "/" and not role.path.startswith(config.role_path)
    )


def _check_user(account: str, user: User, expected: str) -> Iterator[Finding]:
    actual = user.permissions_boundary_arn
    if actual is None:
        yield Finding.of(
            fc.USER_WITHOUT_BOUNDARY,
            account,
            user.arn,
            user_name=user.name,
            expected_boundary=expected,
        )
    elif actual != expected:
        yield Finding.of(
            fc.USER_OTHER_BOUNDARY,
            account,
            user.arn,
            user_name=user.name,
            expected_boundary=expected,
            actual_boundary=actual,
        )


def check_boundary_policy(
    snapshot: AccountSnapshot, expected_arn: str, config: AuditConfig
) -> list[Finding]:
    """The boundary policy must exist; when an expected document is known, its default version
    must say the same (compared after normalising order and case of action names)."""
    account = snapshot.account_id
    policy = snapshot.policy(expected_arn)
    if policy is None:
        if Arn.parse(expected_arn) is not None and expected_arn.split(":")[4] == "aws":
            return []  # AWS managed: not in a LocalManagedPolicy listing, and AWS keeps it.
        return [
            Finding.of(
                fc.BOUNDARY_MISSING,
                account,
                expected_arn,
                policies_in_snapshot=len(snapshot.policies),
            )
        ]
    expected_document = config.expected_document_for(account)
    if expected_document is None:
        return []
    actual = policy.document
    if actual is None:
        return [
            Finding.of(
                fc.BOUNDARY_DRIFTED,
                account,
                expected_arn,
                default_version=policy.default_version_id,
                differences=("the default version's document is not in the snapshot",),
            )
        ]
    if normalise(actual) == normalise(expected_document):
        return []
    differences: tuple[str, ...] = syntactic_differences(expected_document, actual)
    method = "syntactic"
    if config.semantic_diff is not None:
        differences = config.semantic_diff(expected_document, actual)
        method = "semantic"
        if not differences:
            return []  # written differently, means the same
    return [
        Finding.of(
            fc.BOUNDARY_DRIFTED,
            account,
            expected_arn,
            default_version=policy.default_version_id,
            comparison=method,
            differences=differences,
        )
    ]


def _norm_statement(s: Statement) -> tuple[object, ...]:
    action = (
        None
        if s.action is None
        else (s.action.negated, tuple(sorted(p.lower() for p in s.action.patterns)))
    )
    resource = (
        None if s.resource is None else (s.resource.negated, tuple(sorted(s.resource.patterns)))
    )
    conditions = tuple(
        sorted(
            (c.operator.lower(), c.key.lower(), tuple(sorted(map(str, c.values))))
            for c in s.conditions
        )
    )
    return (s.effect.value, action, resource, repr(s.principal), conditions)


def normalise(document: PolicyDocument) -> tuple[object, ...]:
    """A comparable form: statement order, pattern order, Sid and action case do not matter
    (action names are case-insensitive: IAM User Guide, "IAM JSON policy elements: Action")."""
    return (
        document.version,
        tuple(sorted((_norm_statement(s) for s in document.statements), key=repr)),
    )


def syntactic_differences(expected: PolicyDocument, actual: PolicyDocument) -> tuple[str, ...]:
    want = {repr(_norm_statement(s)): s for s in expected.statements}
    have = {repr(_norm_statement(s)): s for s in actual.statements}
    out = [
        f"missing statement {_label(s, i)}"
        for i, (k, s) in enumerate(want.items())
        if k not in have
    ]
    out += [
        f"extra statement {_label(s, i)}" for i, (k, s) in enumerate(have.items()) if k not in want
    ]
    if expected.version != actual.version:
        out.append(f"version {actual.version!r}, expected {expected.version!r}")
    return tuple(out)


def _label(s: Statement, index: int) -> str:
    actions = ",".join(s.action.patterns[:3]) if s.action else ""
    return f"{s.sid or f'#{index}'} ({s.effect.value} {actions})"
