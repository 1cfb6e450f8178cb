"""AWS size limits of policy documents.

Sources: IAM User Guide, "IAM and AWS STS quotas" (managed policy 6,144 characters; inline policies
per principal: user 2,048, group 5,120, role 10,240; role trust policy 2,048 by default; session
policies 2,048; "IAM doesn't count white space when calculating the size of a policy") and AWS
Organizations User Guide, "Quotas for AWS Organizations" (SCP and RCP documents 5,120 characters).
AWS-DEVIATION: Organizations counts the document as stored; we count it without whitespace, like
IAM, so the SCP/RCP check may pass a document AWS rejects only for its whitespace (a warning would be
a guess about the caller's formatting).
"""

from __future__ import annotations

from enum import Enum

from iamfence.model.policy import PolicyType


class SizeLimit(Enum):
    """Which AWS limit applies to a document (see `characters` for the figure)."""

    MANAGED = "managed"
    ROLE_INLINE = "role-inline"
    USER_INLINE = "user-inline"
    GROUP_INLINE = "group-inline"
    SCP = "scp"
    RCP = "rcp"
    TRUST = "trust"
    SESSION = "session"
    NONE = "none"

    @property
    def characters(self) -> int:
        """The limit in characters, whitespace not counted; 0 means no limit."""
        return _CHARACTERS[self]


_CHARACTERS: dict[SizeLimit, int] = {
    SizeLimit.MANAGED: 6144,
    SizeLimit.ROLE_INLINE: 10240,
    SizeLimit.USER_INLINE: 2048,
    SizeLimit.GROUP_INLINE: 5120,
    SizeLimit.SCP: 5120,
    SizeLimit.RCP: 5120,
    SizeLimit.TRUST: 2048,
    SizeLimit.SESSION: 2048,
    SizeLimit.NONE: 0,
}

DEFAULT_LIMITS: dict[PolicyType, SizeLimit] = {
    PolicyType.IDENTITY: SizeLimit.MANAGED,
    PolicyType.PERMISSIONS_BOUNDARY: SizeLimit.MANAGED,
    PolicyType.SCP: SizeLimit.SCP,
    PolicyType.RCP: SizeLimit.RCP,
    PolicyType.TRUST: SizeLimit.TRUST,
    PolicyType.SESSION: SizeLimit.SESSION,
    PolicyType.RESOURCE: SizeLimit.NONE,  # set by each service (e.g. S3 bucket policy 20 KB)
}
"""The limit used when the caller names none. A permissions boundary is a managed policy; an identity
policy is assumed managed (pass SizeLimit.ROLE_INLINE etc. for inline policies)."""


_WHITESPACE = frozenset(" \t\n\r\f\v")


def counted_size(text: str) -> int:
    """Characters that count against the limit: all but whitespace."""
    return sum(1 for ch in text if ch not in _WHITESPACE)
