"""Concrete, AWS-faithful authorization (layer 3). `authorize(request, policies)` is the one entry
point; `compile_policies` gives the fast form for many requests."""

from iamfence.engine.authorize import CompiledPolicySet, authorize, compile_policies
from iamfence.engine.types import (
    AuthorizationResult,
    Decision,
    Explanation,
    PolicySet,
    StatementRef,
)

__all__ = [
    "AuthorizationResult",
    "CompiledPolicySet",
    "Decision",
    "Explanation",
    "PolicySet",
    "StatementRef",
    "authorize",
    "compile_policies",
]
