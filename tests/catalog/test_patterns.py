"""Glob matching and glob intersection, checked against brute force (hypothesis)."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.catalog.patterns import (
    NO_SLASH_RUN,
    arn_globs_intersect,
    glob_matches,
    globs_intersect,
    policy_variables_to_glob,
    template_to_glob,
)

_GLOB = st.text(st.sampled_from([*"ab*?/", NO_SLASH_RUN]), max_size=5)


def _regex(glob: str) -> re.Pattern[str]:
    parts = {"*": ".*", "?": ".", NO_SLASH_RUN: "[^/]*"}
    return re.compile("".join(parts.get(c, re.escape(c)) for c in glob), re.DOTALL)


def _brute_force(a: str, b: str) -> bool:
    # every string over {a, b, /} up to length 7 (enough for patterns of length <= 5)
    ra, rb = _regex(a), _regex(b)
    for n in range(8):
        for chars in itertools.product("ab/", repeat=n):
            s = "".join(chars)
            if ra.fullmatch(s) and rb.fullmatch(s):
                return True
    return False


@settings(max_examples=250, deadline=None)
@given(_GLOB, _GLOB)
def test_intersection_agrees_with_brute_force(a: str, b: str) -> None:
    assert globs_intersect(a, b) == _brute_force(a, b)


@given(_GLOB, _GLOB)
def test_intersection_is_symmetric(a: str, b: str) -> None:
    assert globs_intersect(a, b) == globs_intersect(b, a)


def test_examples() -> None:
    bucket = template_to_glob("arn:${Partition}:s3:::${BucketName}")
    obj = template_to_glob("arn:${Partition}:s3:::${BucketName}/${ObjectName}")
    assert bucket == "arn:*:s3:::" + NO_SLASH_RUN
    assert not arn_globs_intersect("arn:aws:s3:::b/*", bucket)  # bucket names hold no '/'
    assert arn_globs_intersect("arn:aws:s3:::app-*", bucket)
    assert globs_intersect("arn:aws:s3:::my-bucket/*", obj)
    assert not globs_intersect("arn:aws:s3:::my-bucket", obj)
    assert globs_intersect("arn:aws:s3:::my-bucket", bucket)
    assert globs_intersect("arn:aws:ec2:*:*:instance/*", "arn:*:s3:::*")  # '*' spans ':' here
    assert not arn_globs_intersect("arn:aws:ec2:*:*:instance/*", bucket)
    assert arn_globs_intersect("arn:aws:s3:::b/*", obj)
    assert not arn_globs_intersect("arn:aws:s3:::b", obj)
    assert arn_globs_intersect("arn:aws:s3:::*", obj)
    assert arn_globs_intersect("arn:*", obj)  # fewer parts: whole-string comparison
    assert template_to_glob("s3:ExistingObjectTag/<key>") == "s3:ExistingObjectTag/*"
    assert (
        policy_variables_to_glob("arn:aws:s3:::home/${aws:username}/*") == "arn:aws:s3:::home/*/*"
    )
    assert policy_variables_to_glob("a${*}b") == "a?b"
    assert glob_matches("s3:Get[O]bject", "s3:Get[O]bject")
    assert not glob_matches("s3:Get[O]bject", "s3:GetObject")
