"""Who is asking: the request principal classified, and the context keys AWS derives from it.

IAM User Guide, "IAM identifiers" (ARN forms of users, roles, assumed-role sessions, federated
users) and "AWS global condition context keys" (aws:PrincipalArn, aws:PrincipalAccount,
aws:PrincipalType, aws:username, aws:PrincipalServiceName, aws:PrincipalIsAWSService).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache

from iamfence.model import ContextType, ContextValue


class PrincipalClass(Enum):
    USER = "User"
    ROLE = "Role"
    SESSION = "AssumedRole"
    FEDERATED_USER = "FederatedUser"
    ROOT = "Account"
    SERVICE = "Service"
    ANONYMOUS = "Anonymous"
    OTHER = "Other"
    """A web-identity/SAML provider, a canonical user or another string: matched literally."""


@dataclass(frozen=True, slots=True)
class PrincipalInfo:
    text: str
    kind: PrincipalClass
    partition: str = "aws"
    account: str | None = None
    name: str | None = None
    """User, role or federated-user name (last path element), the service name for services."""
    role_arn: str | None = None
    """For a session: the role ARN with path "/" (the session ARN does not carry the path)."""
    arn: str | None = None
    """The ARN aws:PrincipalArn reports (the role ARN for sessions)."""
    is_iam: bool = False
    """A user, role, role session, federated user or account root (set by `classify`)."""


_IAM_KINDS = frozenset(
    {
        PrincipalClass.USER,
        PrincipalClass.ROLE,
        PrincipalClass.SESSION,
        PrincipalClass.FEDERATED_USER,
        PrincipalClass.ROOT,
    }
)


@lru_cache(maxsize=4096)
def classify(principal: str) -> PrincipalInfo:
    info = _classify(principal)
    if info.kind in _IAM_KINDS:
        return replace(info, is_iam=True)
    return info


def _classify(principal: str) -> PrincipalInfo:
    text = principal.strip()
    if text in ("*", "anonymous", ""):
        return PrincipalInfo(text, PrincipalClass.ANONYMOUS)
    if not text.startswith("arn:"):
        if text.endswith(".amazonaws.com") or text.endswith(".amazonaws.com.cn"):
            return PrincipalInfo(text, PrincipalClass.SERVICE, name=text)
        return PrincipalInfo(text, PrincipalClass.OTHER)
    parts = text.split(":", 5)
    if len(parts) != 6:
        return PrincipalInfo(text, PrincipalClass.OTHER)
    _, partition, service, _, account, resource = parts
    kind, _, rest = resource.partition("/")
    if service == "iam" and resource == "root":
        return PrincipalInfo(text, PrincipalClass.ROOT, partition, account, arn=text)
    if service == "iam" and kind == "user" and rest:
        name = rest.rsplit("/", 1)[-1]
        return PrincipalInfo(text, PrincipalClass.USER, partition, account, name, arn=text)
    if service == "iam" and kind == "role" and rest:
        name = rest.rsplit("/", 1)[-1]
        return PrincipalInfo(text, PrincipalClass.ROLE, partition, account, name, text, text)
    if service == "sts" and kind == "assumed-role" and "/" in rest:
        role_name = rest.split("/", 1)[0]
        # IAM UG, aws:PrincipalArn: for a role session the key holds the role's ARN, with its
        # path, which the session ARN does not carry: the key is not derived for sessions but
        # treated as set-and-unknown (context.py), unless the request gives it. `role_arn` (path
        # "/") serves only principal matching, which goes by role name.
        role_arn = f"arn:{partition}:iam::{account}:role/{role_name}"
        return PrincipalInfo(
            text, PrincipalClass.SESSION, partition, account, role_name, role_arn, role_arn
        )
    if service == "sts" and kind == "federated-user" and rest:
        return PrincipalInfo(
            text, PrincipalClass.FEDERATED_USER, partition, account, rest, arn=text
        )
    return PrincipalInfo(text, PrincipalClass.OTHER, partition, account or None)


def derived_context(info: PrincipalInfo) -> dict[str, ContextValue]:
    """Keys AWS sets from the principal alone (lower-cased names). Never time, IP, MFA or tags;
    aws:userid is not derivable (AWS's unique id) and is taken only from the request."""
    out: dict[str, ContextValue] = {}
    if info.kind is PrincipalClass.SERVICE:
        out["aws:principalservicename"] = ContextValue.string(info.text)
        out["aws:principalisawsservice"] = ContextValue.boolean(True)
        return out
    if info.kind is PrincipalClass.ANONYMOUS:
        out["aws:principaltype"] = ContextValue.string("Anonymous")
        return out
    if not info.is_iam:
        return out
    out["aws:principalisawsservice"] = ContextValue.boolean(False)
    if info.arn and info.kind is not PrincipalClass.SESSION:
        out["aws:principalarn"] = ContextValue(ContextType.ARN, (info.arn,))
    if info.account:
        out["aws:principalaccount"] = ContextValue.string(info.account)
    ptype = {
        PrincipalClass.USER: "User",
        PrincipalClass.SESSION: "AssumedRole",
        PrincipalClass.ROLE: "AssumedRole",
        PrincipalClass.FEDERATED_USER: "FederatedUser",
        PrincipalClass.ROOT: "Account",
    }[info.kind]
    out["aws:principaltype"] = ContextValue.string(ptype)
    if info.kind is PrincipalClass.USER and info.name:
        # IAM UG, aws:username: present for IAM users only.
        out["aws:username"] = ContextValue.string(info.name)
    return out


def is_service_linked_role(
    info: PrincipalInfo, principal_arn: str | None, *, known_path: bool = False
) -> bool:
    """Service-linked roles live under path /aws-service-role/ (IAM UG, "Using service-linked
    roles"). A role ARN carries its path, so the path decides; so does a session's role ARN
    (aws:PrincipalArn) when the request gives it (`known_path`, or an ARN other than the
    path-"/" form). Only when the path is not known does a session fall back on the
    AWSServiceRoleFor name prefix."""
    if info.kind is PrincipalClass.ROLE:
        return ":role/aws-service-role/" in info.text
    if principal_arn is not None and (known_path or principal_arn != info.role_arn):
        return ":role/aws-service-role/" in principal_arn
    return info.kind is PrincipalClass.SESSION and (info.name or "").startswith("AWSServiceRoleFor")
