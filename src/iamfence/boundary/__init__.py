"""Boundary authoring (layer 5): the spec (intent) -> the boundary and the developer policy (a
`BoundaryDesign`), and the Terraform and CloudFormation renderers (text). No I/O here."""

from iamfence.boundary.builder import build_design
from iamfence.boundary.codes import ALL_CODES, SpecCode
from iamfence.boundary.loader import load_spec
from iamfence.boundary.outputs import design_files, policy_json
from iamfence.boundary.profiles import PROFILES, Profile, profile_names, profile_text
from iamfence.boundary.render_cloudformation import render_cloudformation
from iamfence.boundary.render_terraform import render_terraform
from iamfence.boundary.size import MANAGED_POLICY_LIMIT, policy_size
from iamfence.boundary.spec import (
    ACCOUNT_PLACEHOLDER,
    SPEC_VERSION,
    ExtraDeny,
    PolicyName,
    ServiceSpec,
    Spec,
)

__all__ = [
    "ACCOUNT_PLACEHOLDER",
    "ALL_CODES",
    "MANAGED_POLICY_LIMIT",
    "PROFILES",
    "SPEC_VERSION",
    "ExtraDeny",
    "PolicyName",
    "Profile",
    "ServiceSpec",
    "Spec",
    "SpecCode",
    "build_design",
    "design_files",
    "load_spec",
    "policy_json",
    "policy_size",
    "profile_names",
    "profile_text",
    "render_cloudformation",
    "render_terraform",
]
