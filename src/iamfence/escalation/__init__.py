"""Privilege-escalation analysis (layer 5): the technique catalog as data, the principal graph
decided by the engine, shortest paths to admin-equivalent principals with evidence."""

from iamfence.escalation.decide import Certainty, Check
from iamfence.escalation.edges import Edge
from iamfence.escalation.graph import Access, Mode, Node
from iamfence.escalation.search import (
    BoundaryCheck,
    EscalationPath,
    EscalationReport,
    PrincipalResult,
    Reach,
    SearchLimits,
    analyze,
)
from iamfence.escalation.techniques import (
    Effect,
    Family,
    Technique,
    load_techniques,
    parse_techniques,
    technique_schema,
)

__all__ = [
    "Access",
    "BoundaryCheck",
    "Certainty",
    "Check",
    "Edge",
    "Effect",
    "EscalationPath",
    "EscalationReport",
    "Family",
    "Mode",
    "Node",
    "PrincipalResult",
    "Reach",
    "SearchLimits",
    "Technique",
    "analyze",
    "load_techniques",
    "parse_techniques",
    "technique_schema",
]
