"""Symbolic reasoning (layer 4): "can any request matching this pattern be allowed?" proven with
z3 over every resource name and context value, escalation properties of a boundary design, and a
semantic diff of two policies. Every counterexample is replayed through the engine.

Importing this package imports z3 (in symbolic/z3_backend.py only): callers that must start fast
(the CLI) import it inside the command function."""

from iamfence.symbolic.diff import action_classes, diff_policies
from iamfence.symbolic.properties import (
    Subject,
    escalation_properties,
    subject,
    subject_from_design,
)
from iamfence.symbolic.solve import (
    DEFAULT_TIMEOUT_SECONDS,
    can_allow,
    check_property,
    differs,
    prove_properties,
    replay,
)
from iamfence.symbolic.types import (
    ActionClass,
    ContextRequirement,
    DiffEntry,
    DiffResult,
    Direction,
    ProofReport,
    Property,
    PropertyResult,
    Query,
    QueryResult,
    Requirement,
    ResourceTarget,
    Verdict,
)

__all__ = [
    "DEFAULT_TIMEOUT_SECONDS",
    "ActionClass",
    "ContextRequirement",
    "DiffEntry",
    "DiffResult",
    "Direction",
    "ProofReport",
    "Property",
    "PropertyResult",
    "Query",
    "QueryResult",
    "Requirement",
    "ResourceTarget",
    "Subject",
    "Verdict",
    "action_classes",
    "can_allow",
    "check_property",
    "diff_policies",
    "differs",
    "escalation_properties",
    "prove_properties",
    "replay",
    "subject",
    "subject_from_design",
]
