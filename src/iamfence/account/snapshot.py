"""`aws iam get-account-authorization-details` output -> `AccountSnapshot` (pure: no I/O).

Input shape: IAM API Reference, "GetAccountAuthorizationDetails" (UserDetailList, GroupDetailList,
RoleDetailList, Policies with PolicyVersionList; IsTruncated and Marker for paging). The AWS CLI and
boto3 write documents as JSON objects; the raw API returns them URL-encoded (RFC 3986): both are
accepted (the parser decodes them). `data` is one response object or a list of page objects, merged
in order. A last page still marked `IsTruncated: true` means pages are missing: an error, because an
analysis of part of an account can miss escalation paths.

Diagnostic codes: IF510-IF529 (see `codes` below); the file reader uses IF500-IF503.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from iamfence.account.loader_docs import parse_document
from iamfence.account.model import (
    AccountSnapshot,
    Group,
    InstanceProfile,
    ManagedPolicy,
    PolicyVersion,
    Role,
    User,
)
from iamfence.diagnostics import Diagnostic, Location, Severity, has_errors, json_pointer
from iamfence.errors import InvalidInputError
from iamfence.model import Arn, NamedPolicy, PolicyType

NOT_OBJECT = "IF510"  # the input or a page is not a JSON object
TRUNCATED = "IF511"  # IsTruncated true / Marker on the last page: pages are missing
WRONG_TYPE = "IF512"  # a field has the wrong JSON type
MISSING = "IF513"  # a required field is missing
NOT_ARN = "IF514"  # an Arn field is not an IAM ARN
ACCOUNT_MISMATCH = "IF515"  # ARNs name more than one account
DUPLICATE = "IF516"  # the same ARN twice
UNKNOWN_POLICY = "IF517"  # an attached or boundary policy ARN not in Policies (warning)
UNKNOWN_GROUP = "IF518"  # a user is in a group not in GroupDetailList (warning)
NO_DEFAULT_VERSION = "IF519"  # a managed policy without a default version document
EMPTY = "IF520"  # no principals, groups or policies at all: nothing to analyse

_LISTS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")


@dataclass(slots=True)
class _Reader:
    """Typed field access that records located diagnostics instead of raising."""

    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(
        self, code: str, message: str, pointer: str, severity: Severity = Severity.ERROR
    ) -> None:
        self.diagnostics.append(Diagnostic(code, severity, message, Location(self.file, pointer)))

    def text(self, obj: Mapping[str, Any], key: str, pointer: str, *, required: bool = True) -> str:
        value = obj.get(key)
        if value is None:
            if required:
                self.add(MISSING, f"{key} is missing", pointer)
            return ""
        if isinstance(value, str):
            return value
        if hasattr(value, "isoformat"):  # boto3 returns datetime values for dates
            return str(value.isoformat())
        self.add(WRONG_TYPE, f"{key} must be a string", json_pointer_join(pointer, key))
        return ""

    def items(self, obj: Mapping[str, Any], key: str, pointer: str) -> list[tuple[str, Any]]:
        """The members of a list field as (pointer, item); a missing field is an empty list."""
        value = obj.get(key)
        if value is None:
            return []
        where = json_pointer_join(pointer, key)
        if not isinstance(value, list):
            self.add(WRONG_TYPE, f"{key} must be a list", where)
            return []
        return [(json_pointer_join(where, i), item) for i, item in enumerate(value)]

    def objects(
        self, obj: Mapping[str, Any], key: str, pointer: str
    ) -> list[tuple[str, Mapping[str, Any]]]:
        out: list[tuple[str, Mapping[str, Any]]] = []
        for where, item in self.items(obj, key, pointer):
            if isinstance(item, Mapping):
                out.append((where, item))
            else:
                self.add(WRONG_TYPE, f"each item of {key} must be an object", where)
        return out

    def strings(self, obj: Mapping[str, Any], key: str, pointer: str) -> tuple[str, ...]:
        out: list[str] = []
        for where, item in self.items(obj, key, pointer):
            if isinstance(item, str):
                out.append(item)
            else:
                self.add(WRONG_TYPE, f"each item of {key} must be a string", where)
        return tuple(out)

    def document(
        self, value: Any, kind: PolicyType, name: str, pointer: str, limit: str
    ) -> NamedPolicy | None:
        parsed, diagnostics = parse_document(
            value, kind=kind, file=self.file, pointer=pointer, limit=limit
        )
        self.diagnostics.extend(diagnostics)
        return None if parsed is None else NamedPolicy(name, parsed, kind)


def json_pointer_join(pointer: str, *parts: str | int) -> str:
    return pointer + json_pointer(*parts)


def _pages(
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]], reader: _Reader
) -> list[tuple[str, Mapping[str, Any]]]:
    if isinstance(data, Mapping):
        return [("", data)]
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        pages: list[tuple[str, Mapping[str, Any]]] = []
        for i, page in enumerate(data):
            if isinstance(page, Mapping):
                pages.append((json_pointer(i), page))
            else:
                reader.add(NOT_OBJECT, "each page must be a JSON object", json_pointer(i))
        return pages
    reader.add(NOT_OBJECT, "the snapshot must be a JSON object or a list of page objects", "")
    return []


def _check_truncation(pages: list[tuple[str, Mapping[str, Any]]], reader: _Reader) -> None:
    if not pages:
        return
    pointer, last = pages[-1]
    if last.get("IsTruncated") is True or last.get("Marker"):
        key = "IsTruncated" if last.get("IsTruncated") is True else "Marker"
        reader.add(
            TRUNCATED,
            "the snapshot is truncated: the last page says more pages follow; collect every page "
            "(aws iam get-account-authorization-details paginates automatically) and try again",
            json_pointer_join(pointer, key),
        )


def _tags(reader: _Reader, obj: Mapping[str, Any], pointer: str) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for where, tag in reader.objects(obj, "Tags", pointer):
        out.append(
            (reader.text(tag, "Key", where), reader.text(tag, "Value", where, required=False))
        )
    return tuple(out)


def _attached(reader: _Reader, obj: Mapping[str, Any], pointer: str) -> tuple[str, ...]:
    return tuple(
        reader.text(item, "PolicyArn", where)
        for where, item in reader.objects(obj, "AttachedManagedPolicies", pointer)
    )


def _inline(
    reader: _Reader, obj: Mapping[str, Any], key: str, pointer: str, *, owner: str, limit: str
) -> tuple[NamedPolicy, ...]:
    out: list[NamedPolicy] = []
    for where, item in reader.objects(obj, key, pointer):
        name = reader.text(item, "PolicyName", where)
        if "PolicyDocument" not in item:
            reader.add(MISSING, "PolicyDocument is missing", where)
            continue
        doc = reader.document(
            item["PolicyDocument"],
            PolicyType.IDENTITY,
            inline_policy_name(owner, name),
            json_pointer_join(where, "PolicyDocument"),
            limit,
        )
        if doc is not None:
            out.append(doc)
    return tuple(out)


def inline_policy_name(owner_arn: str, policy_name: str) -> str:
    """How evidence names an inline policy: the owner's ARN, '#', the policy name."""
    return f"{owner_arn}#{policy_name}"


def _boundary(reader: _Reader, obj: Mapping[str, Any], pointer: str) -> str | None:
    value = obj.get("PermissionsBoundary")
    if value is None:
        return None
    where = json_pointer_join(pointer, "PermissionsBoundary")
    if not isinstance(value, Mapping):
        reader.add(WRONG_TYPE, "PermissionsBoundary must be an object", where)
        return None
    return reader.text(value, "PermissionsBoundaryArn", where) or None


def _user(reader: _Reader, obj: Mapping[str, Any], where: str) -> User:
    arn = reader.text(obj, "Arn", where)
    return User(
        arn=arn,
        name=reader.text(obj, "UserName", where),
        path=reader.text(obj, "Path", where, required=False) or "/",
        user_id=reader.text(obj, "UserId", where, required=False),
        create_date=reader.text(obj, "CreateDate", where, required=False),
        inline_policies=_inline(
            reader, obj, "UserPolicyList", where, owner=arn, limit="user-inline"
        ),
        attached_policy_arns=_attached(reader, obj, where),
        group_names=reader.strings(obj, "GroupList", where),
        permissions_boundary_arn=_boundary(reader, obj, where),
        tags=_tags(reader, obj, where),
    )


def _group(reader: _Reader, obj: Mapping[str, Any], where: str) -> Group:
    arn = reader.text(obj, "Arn", where)
    return Group(
        arn=arn,
        name=reader.text(obj, "GroupName", where),
        path=reader.text(obj, "Path", where, required=False) or "/",
        inline_policies=_inline(
            reader, obj, "GroupPolicyList", where, owner=arn, limit="group-inline"
        ),
        attached_policy_arns=_attached(reader, obj, where),
    )


def _role(
    reader: _Reader, obj: Mapping[str, Any], where: str, profiles: dict[str, InstanceProfile]
) -> Role:
    arn = reader.text(obj, "Arn", where)
    name = reader.text(obj, "RoleName", where)
    trust: NamedPolicy | None = None
    if "AssumeRolePolicyDocument" in obj:
        trust = reader.document(
            obj["AssumeRolePolicyDocument"],
            PolicyType.TRUST,
            f"{arn}#trust",
            json_pointer_join(where, "AssumeRolePolicyDocument"),
            "trust",
        )
    profile_arns: list[str] = []
    for pwhere, profile in reader.objects(obj, "InstanceProfileList", where):
        parn = reader.text(profile, "Arn", pwhere)
        roles = tuple(
            reader.text(r, "RoleName", rwhere)
            for rwhere, r in reader.objects(profile, "Roles", pwhere)
        )
        profile_arns.append(parn)
        known = profiles.get(parn)
        merged = tuple(dict.fromkeys((*(known.role_names if known else ()), *roles, name)))
        profiles[parn] = InstanceProfile(
            parn,
            reader.text(profile, "InstanceProfileName", pwhere),
            reader.text(profile, "Path", pwhere, required=False) or "/",
            merged,
        )
    last_used = obj.get("RoleLastUsed")
    last = None
    if isinstance(last_used, Mapping):
        last = (
            reader.text(
                last_used, "LastUsedDate", json_pointer_join(where, "RoleLastUsed"), required=False
            )
            or None
        )
    return Role(
        arn=arn,
        name=name,
        path=reader.text(obj, "Path", where, required=False) or "/",
        role_id=reader.text(obj, "RoleId", where, required=False),
        create_date=reader.text(obj, "CreateDate", where, required=False),
        trust_policy=None if trust is None else trust.document,
        inline_policies=_inline(
            reader, obj, "RolePolicyList", where, owner=arn, limit="role-inline"
        ),
        attached_policy_arns=_attached(reader, obj, where),
        permissions_boundary_arn=_boundary(reader, obj, where),
        tags=_tags(reader, obj, where),
        instance_profile_arns=tuple(profile_arns),
        last_used=last,
    )


def _policy(reader: _Reader, obj: Mapping[str, Any], where: str) -> ManagedPolicy:
    arn = reader.text(obj, "Arn", where)
    default_id = reader.text(obj, "DefaultVersionId", where, required=False)
    versions: list[PolicyVersion] = []
    for vwhere, version in reader.objects(obj, "PolicyVersionList", where):
        vid = reader.text(version, "VersionId", vwhere)
        flag = version.get("IsDefaultVersion")
        if flag is not None and not isinstance(flag, bool):
            reader.add(
                WRONG_TYPE,
                "IsDefaultVersion must be true or false",
                json_pointer_join(vwhere, "IsDefaultVersion"),
            )
        is_default = flag is True or (flag is None and vid == default_id)
        doc = None
        if "Document" in version:
            named = reader.document(
                version["Document"],
                PolicyType.IDENTITY,
                arn,
                json_pointer_join(vwhere, "Document"),
                "managed",
            )
            doc = None if named is None else named.document
        else:
            reader.add(MISSING, "Document is missing", vwhere)
        versions.append(
            PolicyVersion(
                vid, doc, is_default, reader.text(version, "CreateDate", vwhere, required=False)
            )
        )
    if not any(v.is_default and v.document is not None for v in versions):
        reader.add(NO_DEFAULT_VERSION, "the policy has no default version with a document", where)
    count = obj.get("AttachmentCount")
    bcount = obj.get("PermissionsBoundaryUsageCount")
    return ManagedPolicy(
        arn=arn,
        # The name is the ARN's last element: some producers (moto) leave PolicyName out.
        name=reader.text(obj, "PolicyName", where, required=False) or arn.rsplit("/", 1)[-1],
        path=reader.text(obj, "Path", where, required=False) or "/",
        default_version_id=default_id or next((v.version_id for v in versions if v.is_default), ""),
        versions=tuple(versions),
        attachment_count=count if isinstance(count, int) and not isinstance(count, bool) else 0,
        permissions_boundary_usage_count=bcount
        if isinstance(bcount, int) and not isinstance(bcount, bool)
        else 0,
    )


def _account(reader: _Reader, arns: list[tuple[str, str]]) -> tuple[str, str]:
    """The account id and partition named by the principals' and customer policies' ARNs."""
    account, partition = "", "aws"
    for pointer, text in arns:
        arn = Arn.parse(text)
        if arn is None or arn.service != "iam":
            reader.add(NOT_ARN, f"not an IAM ARN: {text!r}", pointer)
            continue
        partition = arn.partition
        if arn.account in ("", "aws"):  # AWS managed policies have no account
            continue
        if not account:
            account = arn.account
        elif arn.account != account:
            reader.add(
                ACCOUNT_MISMATCH,
                f"ARN of account {arn.account}, but the snapshot is of {account}",
                pointer,
            )
    return account, partition


def _cross_check(
    reader: _Reader,
    users: list[tuple[str, User]],
    groups: list[tuple[str, Group]],
    roles: list[tuple[str, Role]],
    policies: list[tuple[str, ManagedPolicy]],
) -> None:
    seen: set[str] = set()
    everything: list[tuple[str, User | Group | Role | ManagedPolicy]] = [
        *users,
        *groups,
        *roles,
        *policies,
    ]
    for pointer, item in everything:
        if item.arn and item.arn in seen:
            reader.add(DUPLICATE, f"{item.arn} appears twice", json_pointer_join(pointer, "Arn"))
        seen.add(item.arn)
    known_policies = {p.arn for _, p in policies}
    group_names = {g.name for _, g in groups}
    warn = Severity.WARNING
    owners: list[tuple[str, User | Group | Role]] = [*users, *groups, *roles]
    for pointer, owner in owners:
        for arn in owner.attached_policy_arns:
            if arn not in known_policies:
                reader.add(
                    UNKNOWN_POLICY,
                    f"attached policy {arn} is not in the snapshot: its permissions are unknown",
                    pointer,
                    warn,
                )
        boundary = getattr(owner, "permissions_boundary_arn", None)
        if boundary and boundary not in known_policies:
            reader.add(
                UNKNOWN_POLICY,
                f"permissions boundary {boundary} is not in the snapshot: its limits are unknown",
                pointer,
                warn,
            )
    for pointer, user in users:
        for name in user.group_names:
            if name not in group_names:
                reader.add(UNKNOWN_GROUP, f"group {name} is not in the snapshot", pointer, warn)


def load_snapshot(
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]], *, file: str = "<input>"
) -> AccountSnapshot:
    """Build the account snapshot from get-account-authorization-details data (one response or a
    list of pages). Raises InvalidInputError with every error diagnostic (file + JSON pointer);
    warnings are kept on `AccountSnapshot.diagnostics`."""
    reader = _Reader(file)
    pages = _pages(data, reader)
    _check_truncation(pages, reader)
    users: list[tuple[str, User]] = []
    groups: list[tuple[str, Group]] = []
    roles: list[tuple[str, Role]] = []
    policies: list[tuple[str, ManagedPolicy]] = []
    profiles: dict[str, InstanceProfile] = {}
    for pointer, page in pages:
        for where, obj in reader.objects(page, "UserDetailList", pointer):
            users.append((where, _user(reader, obj, where)))
        for where, obj in reader.objects(page, "GroupDetailList", pointer):
            groups.append((where, _group(reader, obj, where)))
        for where, obj in reader.objects(page, "RoleDetailList", pointer):
            roles.append((where, _role(reader, obj, where, profiles)))
        for where, obj in reader.objects(page, "Policies", pointer):
            policies.append((where, _policy(reader, obj, where)))
    if not pages and not has_errors(reader.diagnostics):
        reader.add(EMPTY, "no pages at all: not a get-account-authorization-details output", "")
    elif (
        pages
        and not (users or groups or roles or policies)
        and not any(k in p for _, p in pages for k in _LISTS)
    ):
        reader.add(
            EMPTY,
            "no UserDetailList, GroupDetailList, RoleDetailList or Policies: not a get-account-authorization-details output",
            "",
        )
    everything: list[tuple[str, User | Group | Role | ManagedPolicy]] = [
        *users,
        *groups,
        *roles,
        *policies,
    ]
    arns = [(json_pointer_join(w, "Arn"), x.arn) for w, x in everything if x.arn]
    account, partition = _account(reader, arns)
    _cross_check(reader, users, groups, roles, policies)
    if has_errors(reader.diagnostics):
        raise InvalidInputError(
            tuple(d for d in reader.diagnostics if d.severity is Severity.ERROR)
        )
    return AccountSnapshot(
        account_id=account,
        users=tuple(u for _, u in users),
        roles=tuple(r for _, r in roles),
        groups=tuple(g for _, g in groups),
        policies=tuple(p for _, p in policies),
        partition=partition,
        instance_profiles=tuple(profiles.values()),
        diagnostics=tuple(reader.diagnostics),
    )
