"""The files `iamfence build` writes, as (relative path, text) pairs: the same design gives the
same bytes."""

from __future__ import annotations

from iamfence.boundary.render_cloudformation import render_cloudformation
from iamfence.boundary.render_terraform import render_terraform
from iamfence.model import BoundaryDesign, PolicyDocument
from iamfence.parse import policy_to_json


def policy_json(document: PolicyDocument) -> str:
    """A policy as written to disk: canonical JSON, 2-space indent, trailing newline."""
    return policy_to_json(document, indent=2) + "\n"


def design_files(design: BoundaryDesign) -> tuple[tuple[str, str], ...]:
    files = [
        ("boundary.json", policy_json(design.boundary_policy)),
        ("developer-policy.json", policy_json(design.developer_policy)),
        ("cloudformation/template.yaml", render_cloudformation(design)),
    ]
    files.extend((f"terraform/{name}", text) for name, text in render_terraform(design))
    return tuple(files)
