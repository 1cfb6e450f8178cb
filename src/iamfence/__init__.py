"""iamfence: run AWS IAM permissions boundaries end to end, and prove that they hold.

The library surface: `from iamfence import parse_policy, authorize, Request`. The prover lives in
`iamfence.symbolic` (importing it loads z3), the renderers in `iamfence.report`."""

from iamfence.account import AccountSnapshot, load_snapshot
from iamfence.analysis.effective import effective_permissions
from iamfence.boundary import build_design, load_spec
from iamfence.catalog import Catalog, load_catalog
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
from iamfence.testing import generate_battery, run_local

__version__ = "0.1.0"

__all__ = [
    "AccountSnapshot",
    "ActionSpec",
    "Arn",
    "AuthorizationResult",
    "BoundaryDesign",
    "Catalog",
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
    "build_design",
    "compile_policies",
    "effective_permissions",
    "generate_battery",
    "lint_policy",
    "load_catalog",
    "load_policy",
    "load_snapshot",
    "load_spec",
    "parse_policy",
    "policy_to_json",
    "run_local",
]
