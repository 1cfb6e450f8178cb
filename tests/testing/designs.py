"""A hand-written design for tests that must not depend on the generator."""

from __future__ import annotations

from iamfence.model import BoundaryDesign, PolicyType, ServiceGrant
from iamfence.parse import load_policy

ACCOUNT = "111122223333"
BOUNDARY_ARN = f"arn:aws:iam::{ACCOUNT}:policy/iamfence-boundary"
DEVELOPER_ARN = f"arn:aws:iam::{ACCOUNT}:policy/iamfence-developer"

BOUNDARY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Services",
            "Effect": "Allow",
            "Action": ["s3:*", "iam:*", "sts:AssumeRole"],
            "Resource": "*",
        },
        {
            "Sid": "NoBoundaryEdits",
            "Effect": "Deny",
            "Action": ["iam:CreatePolicyVersion", "iam:DeletePolicy"],
            "Resource": BOUNDARY_ARN,
        },
    ],
}
DEVELOPER = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "CreateBounded", "Effect": "Allow", "Action": "iam:CreateRole", "Resource": f"arn:aws:iam::{ACCOUNT}:role/app-*",
         "Condition": {"StringEquals": {"iam:PermissionsBoundary": BOUNDARY_ARN}}},
    ],
}  # fmt: skip


def hand_design(**changes: object) -> BoundaryDesign:
    values: dict[str, object] = {
        "partition": "aws",
        "account_id": ACCOUNT,
        "boundary_policy_name": "iamfence-boundary",
        "boundary_policy_path": "/",
        "boundary_policy_arn": BOUNDARY_ARN,
        "developer_policy_name": "iamfence-developer",
        "developer_policy_arn": DEVELOPER_ARN,
        "role_prefix": "app-",
        "role_path": "/",
        "allowed_regions": ("eu-west-1",),
        "pass_role_services": ("lambda.amazonaws.com",),
        "protected_tag_keys": ("owner",),
        "services": (ServiceGrant("s3", ("List", "Read", "Write")),),
        "allow_user_management": False,
        "self_propagating": True,
        "boundary_policy": load_policy(BOUNDARY, kind=PolicyType.PERMISSIONS_BOUNDARY),
        "developer_policy": load_policy(DEVELOPER, kind=PolicyType.IDENTITY),
    }
    values.update(changes)
    return BoundaryDesign(**values)  # type: ignore[arg-type]
