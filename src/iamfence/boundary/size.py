"""Managed-policy size: "The size of each managed policy cannot exceed 6,144 characters. IAM does
not count white space when calculating the size of a policy against this quota." (IAM User Guide,
"IAM and AWS STS quotas", IAM object quotas)."""

from __future__ import annotations

from iamfence.model import PolicyDocument
from iamfence.parse import policy_to_json

MANAGED_POLICY_LIMIT = 6144


def policy_size(document: PolicyDocument) -> int:
    """Characters IAM counts: the minified JSON without any white space."""
    return sum(1 for ch in policy_to_json(document) if not ch.isspace())


def fits(document: PolicyDocument) -> bool:
    return policy_size(document) <= MANAGED_POLICY_LIMIT
