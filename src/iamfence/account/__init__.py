"""The account model (layer 4): principals, policies, boundaries, trust policies, tags."""

from iamfence.account.extras import parse_compute, parse_scp_level, with_optional_inputs
from iamfence.account.model import (
    AccountSnapshot,
    ComputeResource,
    Group,
    InstanceProfile,
    ManagedPolicy,
    PolicyVersion,
    Role,
    User,
)
from iamfence.account.policies import (
    boundary_known,
    boundary_policy,
    group_policies,
    identity_policies,
    policies_attached_to,
)
from iamfence.account.snapshot import inline_policy_name, load_snapshot

__all__ = [
    "AccountSnapshot",
    "ComputeResource",
    "Group",
    "InstanceProfile",
    "ManagedPolicy",
    "PolicyVersion",
    "Role",
    "User",
    "boundary_known",
    "boundary_policy",
    "group_policies",
    "identity_policies",
    "inline_policy_name",
    "load_snapshot",
    "parse_compute",
    "parse_scp_level",
    "policies_attached_to",
    "with_optional_inputs",
]
