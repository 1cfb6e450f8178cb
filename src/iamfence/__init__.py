"""iamfence: run AWS IAM permissions boundaries end to end, and prove that they hold.

The library surface: `from iamfence import parse_policy, authorize, Request`."""

from iamfence.diagnostics import Diagnostic, Location, Severity
from iamfence.engine import (
    AuthorizationResult,
    CompiledPolicySet,
    Decision,
    Explanation,
    PolicySet,
    StatementRef,
    authorize,
    compile_policies,
)
from iamfence.errors import (
    IamfenceError,
    InfrastructureError,
    InternalError,
    InvalidInputError,
    UsageError,
)
from iamfence.lint import lint_policy
from iamfence.model import (
    ActionSpec,
    Arn,
    BoundaryDesign,
    ConditionClause,
    ContextType,
    ContextValue,
    Effect,
    NamedPolicy,
    PolicyDocument,
    PolicyType,
    PrincipalEntry,
    PrincipalKind,
    PrincipalSpec,
    Request,
    ResourceSpec,
    ServiceGrant,
    Statement,
)
from iamfence.parse import load_policy, parse_policy, policy_to_json

__version__ = "0.1.0"

__all__ = [
    "ActionSpec",
    "Arn",
    "AuthorizationResult",
    "BoundaryDesign",
    "CompiledPolicySet",
    "ConditionClause",
    "ContextType",
    "ContextValue",
    "Decision",
    "Diagnostic",
    "Effect",
    "Explanation",
    "IamfenceError",
    "InfrastructureError",
    "InternalError",
    "InvalidInputError",
    "Location",
    "NamedPolicy",
    "PolicyDocument",
    "PolicySet",
    "PolicyType",
    "PrincipalEntry",
    "PrincipalKind",
    "PrincipalSpec",
    "Request",
    "ResourceSpec",
    "ServiceGrant",
    "Severity",
    "Statement",
    "StatementRef",
    "UsageError",
    "__version__",
    "authorize",
    "compile_policies",
    "lint_policy",
    "load_policy",
    "parse_policy",
    "policy_to_json",
]
