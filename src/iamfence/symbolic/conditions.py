"""The request context as z3 variables, and condition operators as z3 formulas.

IAM User Guide, "IAM JSON policy elements: Condition operators" and "Single-valued vs. multivalued
context keys":
- a key missing from the context makes a condition false, except negated operators (StringNotEquals,
  StringNotLike, NumericNotEquals, DateNotEquals, NotIpAddress, ArnNotEquals, ArnNotLike), which are
  true, `...IfExists`, which is true, and `ForAllValues:`, which is true;
- several values for one key are ORed (for negated operators: none may match);
- `ForAnyValue:` needs one request value to match, `ForAllValues:` every request value;
- `Null: true` means the key is missing, `Null: false` that it is present.

Multivalued keys are a bounded set: one slot per clause on the key. Each clause, positively or
negated, is either "some value satisfies P" (one witness) or "every value satisfies P" (fewer values
only help), so a set that satisfies the formula keeps doing so when cut down to its witnesses: the
bound loses no answer. Keys used with operators of different types are unsupported.

As in the engine (and AWS: "a context value of the wrong type never matches"), a request value
the operator cannot read (not a number, date, address, Boolean or ARN) makes the operator false,
negated operators included; each non-string value therefore carries a `valid` flag. A policy
value the operator cannot read matches nothing. An empty multivalued key counts as absent."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from iamfence.model import ConditionClause, ContextType, ContextValue
from iamfence.parse.operators import split_operator
from iamfence.symbolic.patterns import (
    QMARK,
    STAR,
    Alphabet,
    arn_condition_re,
    arn_like_value,
    items_regex,
)
from iamfence.symbolic.values import (
    MAX_DATE_MS,
    Part,
    Unsupported,
    VarRef,
    bool_text,
    date_ms,
    ip_range,
    number_decimals,
    parse_number,
    render_date,
    render_ip,
    render_number,
    scalar_text,
    scaled_number,
    template,
)
from iamfence.symbolic.z3_backend import (
    Expr,
    Formula,
    as_expr,
    bool_value,
    conj,
    disj,
    int_value,
    literal,
    neg,
    string_value,
    z3,
)


class KeyKind(Enum):
    STRING = "string"
    ARN = "arn"
    BINARY = "binary"
    NUMBER = "number"
    DATE = "date"
    BOOL = "bool"
    IP = "ip"


_KIND_OF_BASE: dict[str, KeyKind] = {
    **dict.fromkeys(("StringEquals", "StringEqualsIgnoreCase", "StringLike"), KeyKind.STRING),
    **dict.fromkeys(("StringNotEquals", "StringNotEqualsIgnoreCase"), KeyKind.STRING),
    "StringNotLike": KeyKind.STRING,
    **dict.fromkeys(("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"), KeyKind.ARN),
    "BinaryEquals": KeyKind.BINARY,
    **dict.fromkeys(("NumericEquals", "NumericNotEquals", "NumericLessThan"), KeyKind.NUMBER),
    **dict.fromkeys(("NumericLessThanEquals", "NumericGreaterThan"), KeyKind.NUMBER),
    "NumericGreaterThanEquals": KeyKind.NUMBER,
    **dict.fromkeys(("DateEquals", "DateNotEquals", "DateLessThan"), KeyKind.DATE),
    **dict.fromkeys(("DateLessThanEquals", "DateGreaterThan"), KeyKind.DATE),
    "DateGreaterThanEquals": KeyKind.DATE,
    "Bool": KeyKind.BOOL,
    "IpAddress": KeyKind.IP,
    "NotIpAddress": KeyKind.IP,
}
_NEGATED: dict[str, str] = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "NumericNotEquals": "NumericEquals",
    "DateNotEquals": "DateEquals",
    "NotIpAddress": "IpAddress",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}
_STRING_KINDS = (KeyKind.STRING, KeyKind.ARN, KeyKind.BINARY)
_CONTEXT_TYPE = {
    KeyKind.STRING: ContextType.STRING,
    KeyKind.ARN: ContextType.ARN,
    KeyKind.BINARY: ContextType.BINARY,
    KeyKind.NUMBER: ContextType.NUMBER,
    KeyKind.DATE: ContextType.DATE,
    KeyKind.BOOL: ContextType.BOOL,
    KeyKind.IP: ContextType.IP,
}

KNOWN_MULTIVALUED = frozenset(
    {"aws:tagkeys", "aws:calledvia", "aws:principalorgpaths", "aws:resourceorgpaths"}
)
"""Keys AWS documents as multivalued ("AWS global condition context keys")."""


@dataclass(slots=True)
class KeyInfo:
    """What the policies and the query say about one key (gathered before variables exist)."""

    name: str
    kinds: set[KeyKind] = field(default_factory=set)
    multi: bool = False
    clauses: int = 0
    decimals: int = 0
    spelling: str = ""
    """The key as a policy or the query first wrote it (counterexamples use it)."""

    @property
    def kind(self) -> KeyKind:
        if len(self.kinds) > 1 and self.kinds <= set(_STRING_KINDS):
            return KeyKind.ARN if KeyKind.ARN in self.kinds else KeyKind.STRING
        if len(self.kinds) > 1:
            names = ", ".join(sorted(k.value for k in self.kinds))
            raise Unsupported(f"condition key {self.name} is used as several types ({names})")
        return next(iter(self.kinds), KeyKind.STRING)


@dataclass(slots=True)
class KeyVars:
    info: KeyInfo
    kind: KeyKind
    present: Expr
    values: list[Expr]
    used: list[Expr]
    v6: list[Expr]
    valid: list[Expr]


class ContextModel:
    """z3 variables for every context key the policies or the query mention."""

    def __init__(
        self,
        infos: Mapping[str, KeyInfo],
        alphabet: Alphabet,
        fixed: Mapping[str, str | None],
    ) -> None:
        self.alphabet = alphabet
        self.fixed = dict(fixed)
        self.keys: dict[str, KeyVars] = {}
        self.domain: list[Expr] = []
        for name, info in sorted(infos.items()):
            self.keys[name] = self._variables(name, info)

    def _variables(self, name: str, info: KeyInfo) -> KeyVars:
        kind = info.kind
        slots = max(1, info.clauses) if info.multi else 1
        if info.multi and kind not in _STRING_KINDS:
            raise Unsupported(f"multivalued condition key {name} of type {kind.value}")
        present = z3.Bool(f"present|{name}")
        values = [self._value_var(f"{name}|{i}", kind) for i in range(slots)]
        used = [z3.Bool(f"used|{name}|{i}") for i in range(slots)] if info.multi else []
        v6 = [z3.Bool(f"v6|{name}|{i}") for i in range(slots)] if kind is KeyKind.IP else []
        valid = [z3.Bool(f"valid|{name}|{i}") for i in range(slots)]
        keyvars = KeyVars(info, kind, present, values, used, v6, valid)
        self.domain.extend(self._domain(keyvars))
        return keyvars

    def _value_var(self, label: str, kind: KeyKind) -> Expr:
        if kind in _STRING_KINDS:
            return z3.String(f"value|{label}")
        if kind is KeyKind.BOOL:
            return z3.Bool(f"value|{label}")
        return z3.Int(f"value|{label}")

    def _domain(self, kv: KeyVars) -> list[Expr]:
        out: list[Expr] = [z3.Implies(neg(kv.present), neg(u)) for u in kv.used]
        if kv.used:  # an empty set is the same as a missing key (engine and IAM UG)
            out.append(z3.Implies(kv.present, disj(*kv.used)))
        for i, value in enumerate(kv.values):
            if kv.kind in _STRING_KINDS:
                out.append(z3.InRe(value, self.alphabet.strings()))
            elif kv.kind is KeyKind.DATE:
                out.append(conj(value >= 0, value < MAX_DATE_MS))
            elif kv.kind is KeyKind.IP:
                out.append(conj(value >= 0, value < 2**128))
                out.append(z3.Implies(neg(kv.v6[i]), value < 2**32))
        name = kv.info.name
        if name in self.fixed:
            out.extend(self._fixed(kv, self.fixed[name]))
        return out

    def _fixed(self, kv: KeyVars, value: str | None) -> list[Expr]:
        if value is None:
            return [neg(kv.present)]
        if kv.info.multi:
            raise Unsupported(f"key {kv.info.name} is set from the principal but used as a set")
        if kv.kind is KeyKind.BOOL and bool_text(value) is not None:
            return [kv.present, kv.valid[0], kv.values[0] == z3.BoolVal(value == "true")]
        if kv.kind not in _STRING_KINDS:
            raise Unsupported(f"key {kv.info.name} is set from the principal, used as {kv.kind}")
        return [kv.present, kv.values[0] == literal(value)]

    # -- clauses ---------------------------------------------------------------------------

    def clause(self, clause: ConditionClause, *, variables: bool) -> Expr:
        op = split_operator(clause.operator)
        if op is None:
            raise Unsupported(f"condition operator {clause.operator}")
        kv = self.keys[clause.key.lower()]
        if op.base == "Null":
            options = [bool_text(v) for v in clause.values]
            terms = [neg(kv.present) if o == "true" else kv.present for o in options if o]
            return disj(*terms) if terms else False
        negated = op.base in _NEGATED
        base = _NEGATED.get(op.base, op.base)

        def element(index: int) -> Expr:
            match = self._matches(kv, index, base, clause.values, variables)
            readable = self._readable(kv, index, base)
            return conj(readable, neg(match) if negated else match)

        if op.set_prefix is None:
            if kv.info.multi:
                raise Unsupported(
                    f"single-valued operator {clause.operator} on multivalued key {clause.key}"
                )
            formula = disj(neg(kv.present), element(0)) if negated else conj(kv.present, element(0))
        elif op.set_prefix == "ForAnyValue:":
            formula = disj(*(conj(u, element(i)) for i, u in enumerate(kv.used)))
        else:
            formula = conj(*(z3.Implies(u, as_expr(element(i))) for i, u in enumerate(kv.used)))
        return disj(neg(kv.present), formula) if op.if_exists else formula

    def _readable(self, kv: KeyVars, index: int, base: str) -> Expr:
        """The operator can read the request value (engine: `convert` is not None)."""
        family = _KIND_OF_BASE[base]
        if family is KeyKind.ARN:
            return z3.InRe(kv.values[index], arn_like_value(self.alphabet))
        if family is KeyKind.STRING:
            return True
        return kv.valid[index]

    def _matches(
        self,
        kv: KeyVars,
        index: int,
        base: str,
        values: Iterable[object],
        variables: bool,
    ) -> Expr:
        terms = [self._match_one(kv, index, base, v, variables) for v in values]
        return disj(*terms) if terms else False

    def _match_one(self, kv: KeyVars, index: int, base: str, raw: object, variables: bool) -> Expr:
        x = kv.values[index]
        text = scalar_text(raw)
        if kv.kind in _STRING_KINDS:
            return self._string_match(x, base, text, variables)
        if variables and "${" in text:
            raise Unsupported(f"policy variable in a {kv.kind.value} condition value")
        if kv.kind is KeyKind.NUMBER:
            number = parse_number(text)
            if number is None:  # an unreadable policy value matches nothing
                return False
            return _compare(base, x, scaled_number(number, kv.info.decimals + 1))
        if kv.kind is KeyKind.DATE:
            moment = date_ms(text)
            return False if moment is None else _compare(base, x, moment)
        if kv.kind is KeyKind.BOOL:
            wanted = bool_text(raw)
            return x == z3.BoolVal(wanted == "true") if wanted else False
        span = ip_range(text)
        if span is None:
            return False
        return conj(kv.v6[index] == z3.BoolVal(span.v6), x >= span.low, x <= span.high)

    def _string_match(self, x: Expr, base: str, text: str, variables: bool) -> Expr:
        if base == "BinaryEquals":
            raise Unsupported("BinaryEquals (base64 values compare as bytes)")
        wild = base in ("StringLike", "ArnEquals", "ArnLike")
        parts = template(text, variables=variables, wildcards=wild, known=self.fixed)
        if parts is None:  # a variable with no value: this policy value matches nothing
            return False
        if any(isinstance(p, VarRef) for p in parts):
            if base not in ("StringEquals", "StringLike"):
                raise Unsupported(f"policy variable in a {base} value")
            return self.symbolic_match(x, parts)
        items = tuple(p for p in parts if isinstance(p, str))
        if base == "StringEquals":
            return x == literal("".join(items))
        if base == "StringEqualsIgnoreCase":
            return z3.InRe(x, items_regex(items, self.alphabet, "any", "lower"))
        if base == "StringLike":
            return z3.InRe(x, items_regex(items, self.alphabet, "any", None))
        return z3.InRe(x, arn_condition_re(items, self.alphabet))

    # -- policy variables the solver chooses ------------------------------------------------

    def variable(self, ref: VarRef) -> tuple[Formula, Expr] | None:
        """(condition, value) of a variable (IAM UG, "Policy variables"; the engine: a missing or
        multivalued key has no value, then the default applies); None when it has no value."""
        kv = self.keys.get(ref.key)
        if kv is None or kv.kind not in _STRING_KINDS:
            raise Unsupported(f"policy variable ${{{ref.key}}} (not a string key)")
        if kv.info.multi:
            return None if ref.default is None else (True, literal(ref.default))
        if ref.default is None:
            return kv.present, kv.values[0]
        return True, z3.If(kv.present, kv.values[0], literal(ref.default))

    def symbolic_string(self, parts: tuple[Part, ...]) -> tuple[Formula, Expr, bool] | None:
        """A policy string with variables as a z3 string term: (condition, term, ends with `*`).
        Wildcards other than one trailing `*` are unsupported."""
        star = bool(parts) and parts[-1] == STAR
        body = parts[:-1] if star else parts
        conditions: list[Formula] = []
        pieces: list[Expr] = []
        run: list[str] = []
        for part in body:
            if isinstance(part, VarRef):
                if run:
                    pieces.append(literal("".join(run)))
                    run.clear()
                value = self.variable(part)
                if value is None:
                    return None
                conditions.append(value[0])
                pieces.append(value[1])
            elif part in (STAR, QMARK):
                raise Unsupported("policy variable in a pattern with inner wildcards")
            else:
                run.append(part)
        if run:
            pieces.append(literal("".join(run)))
        term = pieces[0] if len(pieces) == 1 else z3.Concat(*pieces)
        return conj(*conditions), term, star

    def symbolic_match(self, x: Expr, parts: tuple[Part, ...]) -> Formula:
        found = self.symbolic_string(parts)
        if found is None:  # a variable with no value: this policy value matches nothing
            return False
        condition, term, star = found
        return conj(condition, z3.PrefixOf(term, x) if star else x == term)

    # -- counterexamples -------------------------------------------------------------------

    def extract(self, model: object, keys: Iterable[str]) -> tuple[tuple[str, ContextValue], ...]:
        """The context a model describes, for the keys named (present keys only)."""
        out: list[tuple[str, ContextValue]] = []
        for name in keys:
            kv = self.keys[name]
            if not bool_value(model, kv.present):
                continue
            indices = [i for i, u in enumerate(kv.used) if bool_value(model, u)]
            if not kv.info.multi:
                indices = [0]
            rendered = tuple(self._render(model, kv, i) for i in indices)
            value = ContextValue(_CONTEXT_TYPE[kv.kind], rendered, kv.info.multi)
            out.append((kv.info.spelling or name, value))
        return tuple(out)

    def _render(self, model: object, kv: KeyVars, index: int) -> str:
        x = kv.values[index]
        if kv.kind in _STRING_KINDS:
            return string_value(model, x)
        if not bool_value(model, kv.valid[index]):
            return _UNREADABLE[kv.kind]
        if kv.kind is KeyKind.BOOL:
            return "true" if bool_value(model, x) else "false"
        if kv.kind is KeyKind.NUMBER:
            return render_number(int_value(model, x), kv.info.decimals + 1)
        if kv.kind is KeyKind.DATE:
            return render_date(int_value(model, x))
        return render_ip(int_value(model, x), bool_value(model, kv.v6[index]))


_UNREADABLE = {
    KeyKind.BOOL: "not-a-boolean",
    KeyKind.NUMBER: "not-a-number",
    KeyKind.DATE: "not-a-date",
    KeyKind.IP: "not-an-address",
}


def _compare(base: str, x: Expr, c: int) -> Expr:
    suffix = base.removeprefix("Numeric").removeprefix("Date")
    if suffix == "Equals":
        return x == c
    if suffix == "LessThan":
        return x < c
    if suffix == "LessThanEquals":
        return x <= c
    if suffix == "GreaterThan":
        return x > c
    if suffix == "GreaterThanEquals":
        return x >= c
    raise Unsupported(f"condition operator {base}")


def scan_clause(infos: dict[str, KeyInfo], clause: ConditionClause) -> None:
    """Record what one clause says about its key (type, multivalued, slot count, decimals)."""
    op = split_operator(clause.operator)
    if op is None:
        raise Unsupported(f"condition operator {clause.operator}")
    name = clause.key.lower()
    info = infos.setdefault(name, KeyInfo(name, multi=name in KNOWN_MULTIVALUED))
    info.spelling = info.spelling or clause.key
    info.clauses += 1
    if op.set_prefix is not None:
        info.multi = True
    kind = _KIND_OF_BASE.get(op.base)
    if kind is not None:
        info.kinds.add(kind)
    if kind is KeyKind.NUMBER:
        for value in clause.values:
            number = parse_number(scalar_text(value))
            if number is not None:
                info.decimals = max(info.decimals, number_decimals(number))


def literal_texts(clause: ConditionClause) -> list[str]:
    return [scalar_text(v) for v in clause.values]
