"""Wildcards, policy variables, actions, ARNs and principals: naive transcriptions of
IAM User Guide "IAM JSON policy elements: Action / Resource / Principal" and
"IAM policy elements: Variables and tags". Regular expressions built per call, no caching."""

from __future__ import annotations

import re
from collections.abc import Callable

# A pattern is a list of tokens: ("lit", text) or ("any",) for "*" or ("one",) for "?".
Token = tuple[str, ...]
Lookup = Callable[[str], str | None]
"""Returns the single value of a context key for a policy variable, None when it has no value."""

_VAR = re.compile(r"\$\{([^}]*)\}")
_SPECIAL = {"*": "*", "?": "?", "$": "$"}


class UnknownValue(Exception):
    """A policy variable whose key AWS sets but whose value the request does not give: whether the
    pattern matches is unknown (the caller tries both outcomes)."""


class Unresolved(Exception):
    """A policy variable with no value and no default (IAM User Guide, "Policy variables with no
    value"): the pattern can match nothing."""


def tokenize(
    pattern: str, *, variables: bool, lookup: Lookup, wildcards: bool = True
) -> list[Token]:
    """Split a policy string into literal and wildcard tokens, substituting `${...}` variables
    (only when `variables`, i.e. Version 2012-10-17). Substituted text is always literal."""
    tokens: list[Token] = []
    pos = 0
    if variables:
        for m in _VAR.finditer(pattern):
            tokens.extend(_raw_tokens(pattern[pos : m.start()], wildcards))
            tokens.append(("lit", _substitute(m.group(1), lookup)))
            pos = m.end()
    tokens.extend(_raw_tokens(pattern[pos:], wildcards))
    return tokens


def _raw_tokens(text: str, wildcards: bool) -> list[Token]:
    out: list[Token] = []
    for ch in text:
        if wildcards and ch == "*":
            out.append(("any",))
        elif wildcards and ch == "?":
            out.append(("one",))
        else:
            out.append(("lit", ch))
    return out


def _substitute(body: str, lookup: Lookup) -> str:
    body = body.strip()
    if body in _SPECIAL:
        return _SPECIAL[body]
    default: str | None = None
    if "," in body:
        name, rest = body.split(",", 1)
        rest = rest.strip()
        if len(rest) >= 2 and rest[0] == "'" and rest[-1] == "'":
            default = rest[1:-1]
        body = name.strip()
    value = lookup(body)
    if value is None:
        value = default
    if value is None:
        raise Unresolved(body)
    return value


def tokens_match(tokens: list[Token], text: str, *, ignore_case: bool) -> bool:
    regex = "".join(
        ".*" if t[0] == "any" else "." if t[0] == "one" else re.escape(t[1]) for t in tokens
    )
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.fullmatch(regex, text, flags) is not None


def glob(
    pattern: str,
    text: str,
    *,
    ignore_case: bool,
    variables: bool = False,
    lookup: Lookup | None = None,
) -> bool:
    """`*` any run of characters, `?` one character; an unresolved variable matches nothing."""
    try:
        tokens = tokenize(pattern, variables=variables, lookup=lookup or (lambda _k: None))
    except Unresolved:
        return False
    return tokens_match(tokens, text, ignore_case=ignore_case)


def action_matches(pattern: str, action: str) -> bool:
    """Actions: "service:Name", case-insensitive, `*` and `?` (IAM User Guide, "IAM JSON policy
    elements: Action")."""
    return glob(pattern, action, ignore_case=True)


def resource_matches(pattern: str, resource: str, *, variables: bool, lookup: Lookup) -> bool:
    """Resource ARNs, segment by segment: partition, service, region and account compare
    case-insensitively, the resource part case-sensitively; `*` in the resource part spans '/' and
    ':'. A bare "*" matches everything (IAM User Guide, "IAM JSON policy elements: Resource")."""
    if pattern == "*":
        return True
    if resource == "*":
        return False
    p_parts = split_arn(pattern) if variables else pattern.split(":", 5)
    r_parts = resource.split(":", 5)
    if len(p_parts) != 6 or len(r_parts) != 6:
        return glob(pattern, resource, ignore_case=False, variables=variables, lookup=lookup)
    for i, (p, r) in enumerate(zip(p_parts, r_parts, strict=True)):
        if not glob(p, r, ignore_case=i < 5, variables=variables, lookup=lookup):
            return False
    return True


def split_arn(pattern: str) -> list[str]:
    """Split at the first five ':' that are not inside a `${...}` variable."""
    parts: list[str] = []
    current = ""
    depth = 0
    for i, ch in enumerate(pattern):
        if ch == "$" and pattern[i + 1 : i + 2] == "{":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        if ch == ":" and depth == 0 and len(parts) < 5:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def arn_condition_matches(pattern: str, value: str) -> bool:
    """ArnEquals/ArnLike: each of the six colon-delimited parts compared separately, case-sensitive,
    `*` and `?` in every part (IAM User Guide, "Condition operators" § Amazon Resource Name)."""
    p_parts = pattern.split(":", 5)
    v_parts = value.split(":", 5)
    if len(p_parts) != 6 or len(v_parts) != 6 or v_parts[0] != "arn":
        return False
    return all(glob(p, v, ignore_case=False) for p, v in zip(p_parts, v_parts, strict=True))


# ---- principals -------------------------------------------------------------------------------


def principal_account(principal: str) -> str | None:
    parts = principal.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[2] in ("iam", "sts"):
        return parts[4]
    return None


def is_service_principal(principal: str) -> bool:
    return principal.endswith(".amazonaws.com") and not principal.startswith("arn:")


def is_anonymous(principal: str) -> bool:
    return principal in ("*", "anonymous")


def role_of_session(principal: str) -> str | None:
    """arn:aws:sts::A:assumed-role/Name/Session -> arn:aws:iam::A:role/Name."""
    parts = principal.split(":", 5)
    if len(parts) == 6 and parts[2] == "sts" and parts[5].startswith("assumed-role/"):
        name = parts[5].split("/")[1]
        return f"arn:{parts[1]}:iam::{parts[4]}:role/{name}"
    return None


def is_service_linked_role(principal: str) -> bool:
    """Service-linked roles live under the path /aws-service-role/ and are named AWSServiceRoleFor*
    (IAM User Guide, "Using service-linked roles")."""
    parts = principal.split(":", 5)
    if len(parts) != 6:
        return False
    res = parts[5]
    if parts[2] == "iam" and res.startswith("role/aws-service-role/"):
        return True
    return parts[2] == "sts" and res.startswith("assumed-role/AWSServiceRoleFor")


def principal_kind(entry_kind: str, value: str, principal: str) -> str | None:
    """How one Principal entry names the requester: "everyone", "account", "user", "role",
    "session", "service", or None when it does not name it (IAM User Guide, "AWS JSON policy
    elements: Principal")."""
    if entry_kind == "AWS":
        if value == "*":
            return "everyone"
        acct = principal_account(principal)
        if acct is not None and value in (acct, f"arn:aws:iam::{acct}:root"):
            return "account"
        if value == principal:
            if ":assumed-role/" in value or ":federated-user/" in value:
                return "session"
            if ":role/" in value:
                return "role"
            return "user"
        if role_of_session(principal) == value or (
            ":role/" in value and role_of_session(principal) == _strip_role_path(value)
        ):
            return "role"
        return None
    if entry_kind == "Service":
        return "service" if value == principal else None
    return None


def _strip_role_path(role_arn: str) -> str:
    head, _, res = role_arn.partition(":role/")
    return f"{head}:role/{res.rsplit('/', 1)[-1]}"


def derived_keys(principal: str) -> dict[str, str]:
    """Keys AWS sets from the principal (IAM User Guide, "AWS global condition context keys" and
    "Request information that you can use for policy variables"); never time, IP, MFA or tags."""
    parts = principal.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return {}
    account, res = parts[4], parts[5]
    out = {"aws:principalaccount": account}
    if parts[2] == "iam" and res.startswith("user/"):
        out.update(
            {
                "aws:principalarn": principal,
                "aws:username": res.rsplit("/", 1)[-1],
                "aws:principaltype": "User",
            }
        )
    elif parts[2] == "iam" and res.startswith("role/"):
        out.update({"aws:principalarn": principal, "aws:principaltype": "AssumedRole"})
    elif parts[2] == "sts" and res.startswith("assumed-role/"):
        # aws:PrincipalArn is the role ARN with its path, not in the session ARN: see evaluator.
        out.update({"aws:principaltype": "AssumedRole"})
    elif parts[2] == "sts" and res.startswith("federated-user/"):
        out.update({"aws:principalarn": principal, "aws:principaltype": "FederatedUser"})
    elif parts[2] == "iam" and res == "root":
        out.update({"aws:principalarn": principal, "aws:principaltype": "Account"})
    return out
