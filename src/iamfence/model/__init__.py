"""The policy language, requests and designs as frozen values (layer 1: imports nothing but layer 0)."""

from iamfence.model.arn import Arn
from iamfence.model.design import BoundaryDesign, DesignTest, ServiceGrant
from iamfence.model.policy import (
    ActionSpec,
    ConditionClause,
    ConditionScalar,
    Effect,
    NamedPolicy,
    PolicyDocument,
    PolicyType,
    PrincipalEntry,
    PrincipalKind,
    PrincipalSpec,
    ResourceSpec,
    Statement,
    allow_everything,
)
from iamfence.model.request import ContextType, ContextValue, Request

__all__ = [
    "ActionSpec",
    "Arn",
    "BoundaryDesign",
    "ConditionClause",
    "ConditionScalar",
    "ContextType",
    "ContextValue",
    "DesignTest",
    "Effect",
    "NamedPolicy",
    "PolicyDocument",
    "PolicyType",
    "PrincipalEntry",
    "PrincipalKind",
    "PrincipalSpec",
    "Request",
    "ResourceSpec",
    "ServiceGrant",
    "Statement",
    "allow_everything",
]
