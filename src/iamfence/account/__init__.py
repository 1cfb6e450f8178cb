"""The account model (layer 4): principals, policies, boundaries, trust policies, tags."""

from iamfence.account.model import (
    AccountSnapshot,
    Group,
    ManagedPolicy,
    PolicyVersion,
    Role,
    User,
)

__all__ = ["AccountSnapshot", "Group", "ManagedPolicy", "PolicyVersion", "Role", "User"]
