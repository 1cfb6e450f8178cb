"""parse: policy text -> frozen model, collecting every diagnostic; model -> canonical JSON.

Public API: parse_policy, load_policy, ParseResult, policy_to_dict, policy_to_json, SizeLimit,
SourceMap (line:column of any JSON pointer of a parsed text).
"""

from iamfence.parse.api import MAX_BYTES, ParseResult, load_policy, parse_policy
from iamfence.parse.context import SourceMap
from iamfence.parse.limits import DEFAULT_LIMITS, SizeLimit
from iamfence.parse.serialize import policy_to_dict, policy_to_json

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_BYTES",
    "ParseResult",
    "SizeLimit",
    "SourceMap",
    "load_policy",
    "parse_policy",
    "policy_to_dict",
    "policy_to_json",
]
