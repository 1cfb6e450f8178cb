"""Properties of the loader: arbitrary JSON never escapes as anything but InvalidInputError, and
splitting a response into pages at any points gives the same account."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.account import load_snapshot
from iamfence.errors import InvalidInputError

DATA = Path(__file__).parent / "data"
LISTS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from([*LISTS, "Arn", "RoleName", "IsTruncated", "x"]), inner, max_size=4
        )
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_arbitrary_json_is_data_or_invalid_input(value: Any) -> None:
    try:
        load_snapshot(value, file="fuzz.json")
    except InvalidInputError as exc:
        assert exc.diagnostics
        assert all(d.location.file == "fuzz.json" for d in exc.diagnostics)  # type: ignore[attr-defined]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=6), min_size=4, max_size=4))
def test_any_paging_gives_the_same_account(cuts: list[int]) -> None:
    whole = json.loads((DATA / "small_account.json").read_text())
    first: dict[str, Any] = {"IsTruncated": True, "Marker": "m"}
    second: dict[str, Any] = {"IsTruncated": False}
    for name, cut in zip(LISTS, cuts, strict=True):
        items = whole[name]
        first[name], second[name] = items[:cut], items[cut:]
    paged = load_snapshot([first, second])
    single = load_snapshot(whole)
    assert (paged.users, paged.groups, paged.roles, paged.policies) == (
        single.users,
        single.groups,
        single.roles,
        single.policies,
    )
