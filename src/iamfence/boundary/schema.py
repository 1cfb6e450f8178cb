"""The JSON schema of the boundary spec (draft 2020-12). docs/spec.md describes each field."""

from __future__ import annotations

from typing import Any

_NAME = {"type": "string", "pattern": r"^[\w+=,.@-]{1,128}$"}
_PATH = {"type": "string", "pattern": r"^/([\x21-\x2e\x30-\x7e]+/)*$", "maxLength": 512}
_ACTION = {"type": "string", "pattern": r"^[a-z0-9-]+:[A-Za-z0-9*?]+$"}
_SCALAR = {"type": ["string", "boolean", "number"]}

_POLICY_NAME = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"name": _NAME, "path": _PATH},
}

_SERVICE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["service"],
    "properties": {
        "service": {"type": "string", "pattern": r"^[a-z0-9-]+$"},
        "access": {
            "type": "array",
            "items": {
                "enum": ["list", "read", "write", "tagging", "permissions-management"],
            },
        },
        "allow": {"type": "array", "items": _ACTION},
        "deny": {"type": "array", "items": _ACTION},
        "resources": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": r"^arn:\S+$"},
        },
    },
}

_EXTRA_DENY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["actions"],
    "properties": {
        "sid": {"type": "string", "pattern": r"^[A-Za-z0-9]+$"},
        "actions": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "resources": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "conditions": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {
                    "oneOf": [_SCALAR, {"type": "array", "minItems": 1, "items": _SCALAR}]
                },
            },
        },
    },
}

_TEST = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "principal", "action", "resource", "expect"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "principal": {
            "anyOf": [
                {"enum": ["developer", "app-role"]},
                {"type": "string", "pattern": r"^arn:[a-z-]+:(iam|sts)::"},
            ]
        },
        "action": {"type": "string", "pattern": r"^[a-z0-9-]+:[A-Za-z0-9]+$"},
        "resource": {"type": "string", "minLength": 1},
        "context": {
            "type": "object",
            "additionalProperties": {
                "oneOf": [_SCALAR, {"type": "array", "items": {"type": "string"}}]
            },
        },
        "expect": {"enum": ["allow", "deny"]},
    },
}

SPEC_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "iamfence boundary spec",
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "services"],
    "properties": {
        "version": {"const": "iamfence/v1"},
        "account_id": {"type": ["string", "null"], "pattern": r"^[0-9]{12}$"},
        "partition": {"enum": ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"]},
        "boundary_policy": _POLICY_NAME,
        "developer_policy": _POLICY_NAME,
        "role_prefix": {"type": "string", "pattern": r"^[\w+=,.@-]{1,32}$"},
        "role_path": _PATH,
        "allowed_regions": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^[a-z]{2}(-[a-z]+)+-[0-9]$"},
        },
        "pass_role_services": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$"},
        },
        "protected_tag_keys": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 128},
        },
        "services": {"type": "array", "minItems": 1, "items": _SERVICE},
        "extra_deny": {"type": "array", "items": _EXTRA_DENY},
        "self_propagating": {"type": "boolean"},
        "user_management": {"type": "boolean"},
        "tests": {"type": "array", "items": _TEST},
    },
}
