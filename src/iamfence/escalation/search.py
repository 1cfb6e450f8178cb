"""Shortest escalation paths from each principal to admin-equivalent principals, or to principals
with more access, each step with its technique, requests and deciding statements.

Search is breadth-first, first over asserted edges only, then over every edge: a target reached
only through a "possible" edge gets a possible path, never an asserted one, and is never dropped.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import Enum

from iamfence.account import AccountSnapshot, User
from iamfence.escalation.decide import Certainty, Check
from iamfence.escalation.edges import Edge, EdgeBuilder
from iamfence.escalation.graph import Access, Graph, Mode, Node
from iamfence.escalation.techniques import Effect, Family, Technique, load_techniques


class BoundaryCheck(Enum):
    """Issue 8 item 5: the ways a principal with a permissions boundary can escape it."""

    REMOVE = "remove its boundary"
    SWAP = "swap its boundary"
    EDIT = "edit its boundary policy"
    CREATE_UNBOUNDED = "create unbounded principals"
    USE_UNBOUNDED = "pass or assume unbounded roles (or act as unbounded users)"
    MODIFY_UNBOUNDED = "modify unbounded principals"


def boundary_check(edge: Edge) -> BoundaryCheck:
    """Which escape an escape edge is (by its technique's effect and first action)."""
    effect = edge.technique.effect
    first = edge.technique.actions[0].action
    if effect is Effect.NEW_UNBOUNDED_PRINCIPAL:
        return BoundaryCheck.CREATE_UNBOUNDED
    if effect is Effect.ACT_AS_TARGET:
        return BoundaryCheck.USE_UNBOUNDED
    if effect in (Effect.TARGET_ANY_POLICY, Effect.TARGET_REMOVE_BOUNDARY):
        return BoundaryCheck.MODIFY_UNBOUNDED
    if first.startswith("iam:Delete"):
        return BoundaryCheck.REMOVE
    if first.startswith("iam:Put"):
        return BoundaryCheck.SWAP
    return BoundaryCheck.EDIT


class Reach(Enum):
    ADMIN = "admin"
    MORE_ACCESS = "more-access"


@dataclass(frozen=True, slots=True)
class EscalationPath:
    target: Node
    steps: tuple[Edge, ...]
    certainty: Certainty
    reach: Reach
    access: Access | None = None
    """For admin targets: the probe checks that show it."""
    witness: Check | None = None
    """For more-access targets: a request the target may make and the source may not."""


@dataclass(frozen=True, slots=True)
class PrincipalResult:
    arn: str
    type: str
    """"user" or "role"."""
    admin: bool
    admin_certainty: Certainty
    bounded: bool
    paths: tuple[EscalationPath, ...]
    boundary_escapes: tuple[Edge, ...] = ()
    """For principals with a permissions boundary: the first steps that escape it (family E, or
    acting as / raising a principal without a boundary)."""
    truncated: bool = False
    """The search stopped at its node budget: more paths may exist."""

    @property
    def escalates(self) -> bool:
        return bool(self.paths)

    def boundary_checks(
        self,
    ) -> tuple[tuple[BoundaryCheck, Certainty | None, tuple[str, ...]], ...]:
        """For a bounded principal: each escape kind, whether it is possible (asserted, possible
        under conditions, or None: not found) and the techniques that do it."""
        if not self.bounded:
            return ()
        out: list[tuple[BoundaryCheck, Certainty | None, tuple[str, ...]]] = []
        for check in BoundaryCheck:
            edges = [e for e in self.boundary_escapes if boundary_check(e) is check]
            ids = tuple(sorted({e.technique.id for e in edges}))
            certainty = None
            if edges:
                asserted = any(e.certainty is Certainty.ASSERTED for e in edges)
                certainty = Certainty.ASSERTED if asserted else Certainty.POSSIBLE
            out.append((check, certainty, ids))
        return tuple(out)


@dataclass(frozen=True, slots=True)
class EscalationReport:
    account_id: str
    principals: tuple[PrincipalResult, ...]
    techniques: tuple[Technique, ...]

    @property
    def escalating(self) -> tuple[PrincipalResult, ...]:
        return tuple(p for p in self.principals if p.escalates)


@dataclass(frozen=True, slots=True)
class SearchLimits:
    max_paths: int = 5
    max_depth: int = 6
    node_budget: int = 1000
    witness_budget: int = 20


Search = tuple[dict[Node, Edge], list[Node], bool, bool]
"""Parents (the edge that first reached each node), nodes in the order reached, whether the node
budget cut the search, whether a possible edge was skipped (asserted-only searches)."""


def _bfs(builder: EdgeBuilder, start: Node, limits: SearchLimits, asserted_only: bool) -> Search:
    graph = builder.graph
    parent: dict[Node, Edge] = {}
    order: list[Node] = []
    queue: deque[tuple[Node, int]] = deque([(start, 0)])
    seen = {start}
    admins = 0
    skipped = False
    stop_depth: int | None = None
    while queue:
        node, depth = queue.popleft()
        if stop_depth is not None and depth >= stop_depth:
            break
        if depth >= limits.max_depth:
            continue
        for edge in builder.edges(node):
            if asserted_only and edge.certainty is not Certainty.ASSERTED:
                skipped = True
                continue
            dest = edge.target
            if dest in seen or (dest.arn == start.arn and dest.mode is Mode.AS_IS):
                continue
            seen.add(dest)
            parent[dest] = edge
            order.append(dest)
            if len(order) >= limits.node_budget:
                return parent, order, True, skipped
            if graph.access(dest).admin:
                admins += 1
                if admins >= limits.max_paths and stop_depth is None:
                    stop_depth = depth + 1
                continue
            if dest.mode is not Mode.VARIANT:
                queue.append((dest, depth + 1))
    return parent, order, False, skipped


def _path(parent: dict[Node, Edge], target: Node) -> tuple[Edge, ...]:
    edges: list[Edge] = []
    node = target
    while node in parent:
        edge = parent[node]
        edges.append(edge)
        node = edge.source
    edges.reverse()
    return tuple(step for e in edges for step in e.steps)


def _certainty(steps: tuple[Edge, ...], access: Access | None) -> Certainty:
    if any(s.certainty is Certainty.POSSIBLE for s in steps):
        return Certainty.POSSIBLE
    if access is not None and access.certainty is Certainty.POSSIBLE:
        return Certainty.POSSIBLE
    return Certainty.ASSERTED


def _paths(
    builder: EdgeBuilder, start: Node, limits: SearchLimits
) -> tuple[list[EscalationPath], bool]:
    graph = builder.graph
    found: dict[Node, EscalationPath] = {}
    truncated = False
    first = _bfs(builder, start, limits, True)
    searches = [first, _bfs(builder, start, limits, False)] if first[3] else [first]
    for parent, order, cut, _ in searches:
        truncated = truncated or cut
        for node in order:
            if node in found:
                continue
            access = graph.access(node)
            if access.admin:
                steps = _path(parent, node)
                found[node] = EscalationPath(
                    node, steps, _certainty(steps, access), Reach.ADMIN, access
                )
    admin = sorted(
        found.values(), key=lambda p: (p.certainty is not Certainty.ASSERTED, len(p.steps))
    )
    if admin:
        return admin[: limits.max_paths], truncated
    return _more_access(builder, start, limits, searches), truncated


def _more_access(
    builder: EdgeBuilder,
    start: Node,
    limits: SearchLimits,
    searches: list[Search],
) -> list[EscalationPath]:
    graph = builder.graph
    out: list[EscalationPath] = []
    seen_targets: set[Node] = set()
    for parent, order, _, _ in searches:
        for node in order[: limits.witness_budget]:
            if node in seen_targets:
                continue
            seen_targets.add(node)
            witness = graph.witness(node, start)
            if witness is None:
                continue
            steps = _path(parent, node)
            out.append(
                EscalationPath(
                    node, steps, _certainty(steps, None), Reach.MORE_ACCESS, None, witness
                )
            )
            if len(out) >= limits.max_paths:
                return out
    return out


def _escapes(builder: EdgeBuilder, start: Node) -> tuple[Edge, ...]:
    graph = builder.graph
    if not graph.bounded(start):
        return ()
    out: list[Edge] = []
    for edge in builder.edges(start):
        target = graph.principal(edge.target)
        unbounded_target = edge.target.mode in (Mode.UNBOUNDED, Mode.FREE) or (
            target is not None
            and target.permissions_boundary_arn is None
            and edge.target.arn != start.arn
        )
        if edge.technique.family is Family.BOUNDARY_ESCAPE or unbounded_target:
            out.append(edge)
    return tuple(out)


def analyze(
    snapshot: AccountSnapshot,
    techniques: tuple[Technique, ...] | None = None,
    *,
    principals: tuple[str, ...] | None = None,
    limits: SearchLimits | None = None,
) -> EscalationReport:
    """Escalation paths for every user and role (or those named by name or ARN)."""
    chosen = techniques if techniques is not None else load_techniques()
    graph = Graph(snapshot)
    builder = EdgeBuilder(graph, chosen)
    wanted = set(principals) if principals else None
    results: list[PrincipalResult] = []
    for p in snapshot.principals:
        if wanted is not None and p.arn not in wanted and p.name not in wanted:
            continue
        start = Node(p.arn)
        access = graph.access(start)
        kind = "user" if isinstance(p, User) else "role"
        bounded = p.permissions_boundary_arn is not None
        if access.admin:
            results.append(PrincipalResult(p.arn, kind, True, access.certainty, bounded, ()))
            continue
        paths, truncated = _paths(builder, start, limits or SearchLimits())
        escapes = _escapes(builder, start)
        results.append(
            PrincipalResult(
                p.arn, kind, False, access.certainty, bounded, tuple(paths), escapes, truncated
            )
        )
    return EscalationReport(snapshot.account_id, tuple(results), chosen)
