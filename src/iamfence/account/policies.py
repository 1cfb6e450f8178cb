"""Which documents apply to a principal: its identity-based policies and its permissions boundary.

IAM User Guide, "Policy evaluation logic" (identity-based policies: inline and managed policies
attached to the user or role, and for a user those of its groups) and "Managing IAM policies"
("the default version is the version that is in effect"). Policies named but missing from the
snapshot are skipped here; the loader reports them (IF517).
"""

from __future__ import annotations

from iamfence.account.model import AccountSnapshot, Group, ManagedPolicy, Role, User
from iamfence.model import NamedPolicy, PolicyType


def _managed(
    snapshot: AccountSnapshot, arns: tuple[str, ...], kind: PolicyType
) -> list[NamedPolicy]:
    out: list[NamedPolicy] = []
    for arn in arns:
        policy = snapshot.policy(arn)
        document = None if policy is None else policy.document
        if document is not None:
            out.append(NamedPolicy(arn, document, kind))
    return out


def group_policies(snapshot: AccountSnapshot, group: Group) -> tuple[NamedPolicy, ...]:
    return (
        *group.inline_policies,
        *_managed(snapshot, group.attached_policy_arns, PolicyType.IDENTITY),
    )


def identity_policies(snapshot: AccountSnapshot, principal: User | Role) -> tuple[NamedPolicy, ...]:
    """Inline policies, attached managed policies (default versions), and for a user the inline and
    attached policies of each of its groups, in that order."""
    out = [
        *principal.inline_policies,
        *_managed(snapshot, principal.attached_policy_arns, PolicyType.IDENTITY),
    ]
    if isinstance(principal, User):
        for name in principal.group_names:
            group = snapshot.group(name)
            if group is not None:
                out.extend(group_policies(snapshot, group))
    return tuple(out)


def boundary_policy(snapshot: AccountSnapshot, principal: User | Role) -> NamedPolicy | None:
    """The principal's permissions boundary document (default version), or None when it has none
    or the boundary policy is not in the snapshot (see `boundary_known`)."""
    arn = principal.permissions_boundary_arn
    if arn is None:
        return None
    found = _managed(snapshot, (arn,), PolicyType.PERMISSIONS_BOUNDARY)
    return found[0] if found else None


def boundary_known(snapshot: AccountSnapshot, principal: User | Role) -> bool:
    """False when the principal names a boundary whose document the snapshot lacks: its effective
    permissions are then unknown (never assume "no boundary")."""
    arn = principal.permissions_boundary_arn
    return arn is None or boundary_policy(snapshot, principal) is not None


def policies_attached_to(
    snapshot: AccountSnapshot, principal: User | Role
) -> tuple[ManagedPolicy, ...]:
    """Customer and AWS managed policies that apply to the principal (groups' included for users)."""
    arns = list(principal.attached_policy_arns)
    if isinstance(principal, User):
        for name in principal.group_names:
            group = snapshot.group(name)
            if group is not None:
                arns.extend(group.attached_policy_arns)
    return tuple(p for arn in dict.fromkeys(arns) if (p := snapshot.policy(arn)) is not None)
