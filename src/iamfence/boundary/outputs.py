"""The files `iamfence build` writes, as (relative path, text) pairs: the same design gives the
same bytes."""

from __future__ import annotations

import json

from iamfence.boundary.render_cloudformation import render_cloudformation
from iamfence.boundary.render_terraform import render_terraform
from iamfence.boundary.size import MANAGED_POLICY_LIMIT, policy_size
from iamfence.model import BoundaryDesign, PolicyDocument
from iamfence.parse import policy_to_json


def policy_json(document: PolicyDocument) -> str:
    """A policy as written to disk: canonical JSON, 2-space indent, trailing newline."""
    return policy_to_json(document, indent=2) + "\n"


def outputs_json(design: BoundaryDesign) -> str:
    """A summary for scripts: the policy ARNs and names, the writable prefix, the sizes."""
    summary = {
        "boundary_policy_arn": design.boundary_policy_arn,
        "developer_policy_arn": design.developer_policy_arn,
        "role_prefix": design.role_prefix,
        "role_path": design.role_path,
        "boundary_size": policy_size(design.boundary_policy),
        "developer_policy_size": policy_size(design.developer_policy),
        "size_limit": MANAGED_POLICY_LIMIT,
    }
    return json.dumps(summary, indent=2) + "\n"


def design_files(design: BoundaryDesign) -> tuple[tuple[str, str], ...]:
    files = [
        ("boundary.json", policy_json(design.boundary_policy)),
        ("developer-policy.json", policy_json(design.developer_policy)),
        ("outputs.json", outputs_json(design)),
        ("cloudformation/template.yaml", render_cloudformation(design)),
    ]
    files.extend((f"terraform/{name}", text) for name, text in render_terraform(design))
    return tuple(files)
