"""Spec text -> `Spec`: YAML composed into nodes (which keep line and column), converted to plain
values with a JSON pointer -> location table, validated against SPEC_SCHEMA, then typed. Every
problem is a located IF4xx diagnostic; any error raises InvalidInputError carrying them all."""

from __future__ import annotations

from typing import Any

import jsonschema
import yaml

from iamfence.boundary import codes
from iamfence.boundary.schema import SPEC_SCHEMA
from iamfence.boundary.spec import (
    ACCESS_WORDS,
    DEFAULT_BOUNDARY_NAME,
    DEFAULT_DEVELOPER_NAME,
    DEFAULT_ROLE_PREFIX,
    SPEC_VERSION,
    ExtraDeny,
    PolicyName,
    ServiceSpec,
    Spec,
)
from iamfence.diagnostics import Diagnostic, Location, json_pointer
from iamfence.errors import InvalidInputError
from iamfence.model import ConditionClause, ContextType, ContextValue, DesignTest

MAX_NODES = 100_000
_VALIDATOR = jsonschema.Draft202012Validator(SPEC_SCHEMA)


class _Tree:
    """Plain values built from YAML nodes, remembering where each value (and each key) starts."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[str, Location] = {}
        self.keys: dict[str, Location] = {}
        self.diagnostics: list[Diagnostic] = []
        self.nodes = 0

    def mark(self, node: yaml.Node, pointer: str) -> Location:
        m = node.start_mark
        return Location(self.file, pointer, m.line + 1, m.column + 1)

    def convert(self, loader: yaml.SafeLoader, node: yaml.Node, pointer: str) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:  # aliases can make a small text expand without bound
            raise yaml.YAMLError(f"more than {MAX_NODES} values (alias expansion?)")
        self.values[pointer] = self.mark(node, pointer)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar(loader, key_node, pointer)
                child = pointer + json_pointer(str(key))
                if str(key) in out:
                    self.diagnostics.append(
                        codes.DUPLICATE_KEY.at(self.mark(key_node, child), f"duplicate key {key!r}")
                    )
                    continue
                self.keys[child] = self.mark(key_node, child)
                out[str(key)] = self.convert(loader, value_node, child)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [
                self.convert(loader, item, pointer + json_pointer(i))
                for i, item in enumerate(node.value)
            ]
        return self.scalar(loader, node, pointer)

    def scalar(self, loader: yaml.SafeLoader, node: yaml.Node, pointer: str) -> Any:
        """A scalar's value; one PyYAML cannot construct (the date 2026-13-45) is a diagnostic."""
        try:
            return loader.construct_object(node)
        except (ValueError, TypeError, OverflowError) as exc:
            where = self.mark(node, pointer)
            self.diagnostics.append(codes.NOT_YAML.at(where, f"not a valid value: {exc}"))
            return None

    def where(self, pointer: str) -> Location:
        probe = pointer
        while probe not in self.values and probe:
            probe = probe.rsplit("/", 1)[0]
        found = self.values.get(probe, Location(self.file))
        return Location(self.file, pointer, found.line, found.column)


def _compose(text: str, tree: _Tree) -> Any:
    loader: yaml.SafeLoader | None = None
    try:
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        if node is None:
            return None
        return tree.convert(loader, node, "")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = (
            Location(tree.file, "", mark.line + 1, mark.column + 1) if mark else Location(tree.file)
        )
        tree.diagnostics.append(codes.NOT_YAML.at(loc, f"not valid YAML: {exc.problem or exc}"))
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0]
        tree.diagnostics.append(
            codes.NOT_YAML.at(Location(tree.file), f"not valid YAML: {problem}")
        )
    except RecursionError:
        tree.diagnostics.append(codes.NOT_YAML.at(Location(tree.file), "nesting too deep"))
    finally:
        if loader is not None:
            loader.dispose()
    return None


def _schema_diagnostics(data: Any, tree: _Tree) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for error in _VALIDATOR.iter_errors(data):
        pointer = json_pointer(*error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            for extra in sorted(set(error.instance) - set(allowed)):
                child = pointer + json_pointer(extra)
                loc = tree.keys.get(child, tree.where(child))
                hint = f" (known: {', '.join(sorted(allowed))})" if allowed else ""
                out.append(codes.UNKNOWN_FIELD.at(loc, f"unknown field {extra!r}{hint}"))
        elif error.validator == "required":
            out.append(codes.MISSING_FIELD.at(tree.where(pointer), error.message))
        elif error.validator == "const" and pointer == "/version":
            out.append(codes.VERSION.at(tree.where(pointer), f"version must be {SPEC_VERSION!r}"))
        else:
            out.append(codes.INVALID_VALUE.at(tree.where(pointer), _message(error)))
    return out


def _message(error: jsonschema.ValidationError) -> str:
    if error.validator == "pattern" and isinstance(error.instance, int):
        return f"{error.instance!r} must be a quoted string"
    if error.validator == "type" and isinstance(error.instance, int | float):
        return f"{error.instance!r} is a number; quote it if a string is meant"
    return str(error.message)


def _duplicates(data: dict[str, Any], tree: _Tree) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for field in ("allowed_regions", "pass_role_services", "protected_tag_keys"):
        seen: set[str] = set()
        for i, item in enumerate(data.get(field, [])):
            if item in seen:
                loc = tree.where(json_pointer(field, i))
                out.append(codes.DUPLICATE_ENTRY.at(loc, f"{item!r} is listed twice"))
            seen.add(item)
    seen_services: set[str] = set()
    for i, entry in enumerate(data.get("services", [])):
        name = entry["service"]
        if name in seen_services:
            loc = tree.where(json_pointer("services", i, "service"))
            out.append(codes.DUPLICATE_ENTRY.at(loc, f"service {name!r} is listed twice"))
        seen_services.add(name)
    return out


def _context_value(value: Any) -> ContextValue:
    if isinstance(value, bool):
        return ContextValue.boolean(value)
    if isinstance(value, int | float):
        return ContextValue(ContextType.NUMBER, (str(value),))
    if isinstance(value, list):
        return ContextValue.strings([str(v) for v in value])
    return ContextValue.string(str(value))


def _clauses(conditions: dict[str, dict[str, Any]]) -> tuple[ConditionClause, ...]:
    out: list[ConditionClause] = []
    for operator, block in conditions.items():
        for key, value in block.items():
            values = tuple(value) if isinstance(value, list) else (value,)
            out.append(ConditionClause(operator, key, values))
    return tuple(out)


def _policy_name(raw: dict[str, Any] | None, default: str) -> PolicyName:
    raw = raw or {}
    return PolicyName(raw.get("name", default), raw.get("path", "/"))


def _typed(data: dict[str, Any], tree: _Tree) -> Spec:
    services = tuple(
        ServiceSpec(
            s["service"],
            tuple(ACCESS_WORDS[w] for w in dict.fromkeys(s.get("access", []))),
            tuple(s.get("allow", [])),
            tuple(s.get("deny", [])),
            tuple(s.get("resources", [])),
        )
        for s in data["services"]
    )
    extra = tuple(
        ExtraDeny(
            d.get("sid"),
            tuple(d["actions"]),
            tuple(d.get("resources", ["*"])),
            _clauses(d.get("conditions", {})),
        )
        for d in data.get("extra_deny", [])
    )
    tests = tuple(
        DesignTest(
            t["name"],
            t["principal"],
            t["action"],
            t["resource"],
            tuple((k, _context_value(v)) for k, v in t.get("context", {}).items()),
            t["expect"] == "allow",
        )
        for t in data.get("tests", [])
    )
    return Spec(
        account_id=data.get("account_id"),
        partition=data.get("partition", "aws"),
        boundary_policy=_policy_name(data.get("boundary_policy"), DEFAULT_BOUNDARY_NAME),
        developer_policy=_policy_name(data.get("developer_policy"), DEFAULT_DEVELOPER_NAME),
        role_prefix=data.get("role_prefix", DEFAULT_ROLE_PREFIX),
        role_path=data.get("role_path", "/"),
        allowed_regions=tuple(data.get("allowed_regions", [])),
        pass_role_services=tuple(data.get("pass_role_services", [])),
        protected_tag_keys=tuple(data.get("protected_tag_keys", [])),
        services=services,
        extra_deny=extra,
        self_propagating=data.get("self_propagating", True),
        user_management=data.get("user_management", False),
        tests=tests,
        file=tree.file,
        locations=tuple(sorted(tree.values.items())),
    )


def _sorted(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(diagnostics, key=lambda d: (d.location.line, d.location.column, d.code)))


def load_spec(text: str, file: str = "<input>") -> Spec:
    """Parse and validate a spec; raise InvalidInputError with every located diagnostic."""
    tree = _Tree(file)
    data = _compose(text, tree)
    if tree.diagnostics:
        raise InvalidInputError(_sorted(tree.diagnostics))
    if not isinstance(data, dict):
        loc = tree.where("")
        raise InvalidInputError((codes.NOT_MAPPING.at(loc, "the spec must be a YAML mapping"),))
    if data.get("version") != SPEC_VERSION:
        loc = tree.where("/version")
        found = "missing" if "version" not in data else f"{data['version']!r}"
        msg = f"version must be {SPEC_VERSION!r} (found {found})"
        raise InvalidInputError((codes.VERSION.at(loc, msg),))
    problems = _schema_diagnostics(data, tree)
    if not problems:
        problems = _duplicates(data, tree)
    if problems:
        raise InvalidInputError(_sorted(problems))
    return _typed(data, tree)
