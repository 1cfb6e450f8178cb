"""Catalog diff on the two hand-written fixtures (tests/corpus/catalog/old.json, new.json)."""

from __future__ import annotations

from datetime import date

from iamfence.catalog import AccessLevel, Catalog
from iamfence.catalog.diff import diff_catalogs


def test_added_removed_relevelled(old_catalog: Catalog, new_catalog: Catalog) -> None:
    diff = diff_catalogs(old_catalog, new_catalog)
    assert [a.full_name for a in diff.added] == [
        "iam:PutRolePermissionsBoundary",
        "newsvc:CreateWidget",
        "newsvc:ListWidgets",
        "s3:GetObjectSummary",
        "s3:PutObjectRetentionRule",
    ]
    assert [a.full_name for a in diff.removed] == ["s3:DeleteLegacyThing"]
    assert [(r.action, r.old, r.new) for r in diff.relevelled] == [
        ("s3:PutBucketPolicy", AccessLevel.WRITE, AccessLevel.PERMISSIONS_MANAGEMENT)
    ]
    assert diff.services_added == ("newsvc",)
    assert diff.services_removed == ()
    assert (diff.old_version, diff.new_version) == ("fixture-old", "fixture-new")
    assert diff.changed


def test_added_grouped_most_privileged_first(old_catalog: Catalog, new_catalog: Catalog) -> None:
    groups = diff_catalogs(old_catalog, new_catalog).added_by_level()
    assert [(lvl, [a.name for a in acts]) for lvl, acts in groups] == [
        (AccessLevel.PERMISSIONS_MANAGEMENT, ["PutRolePermissionsBoundary"]),
        (AccessLevel.WRITE, ["CreateWidget", "PutObjectRetentionRule"]),
        (AccessLevel.READ, ["GetObjectSummary"]),
        (AccessLevel.LIST, ["ListWidgets"]),
    ]


def test_reverse_diff_swaps_added_and_removed(old_catalog: Catalog, new_catalog: Catalog) -> None:
    forward = diff_catalogs(old_catalog, new_catalog)
    backward = diff_catalogs(new_catalog, old_catalog)
    assert {a.full_name for a in backward.removed} == {a.full_name for a in forward.added}
    assert {a.full_name for a in backward.added} == {a.full_name for a in forward.removed}
    assert backward.services_removed == ("newsvc",)


def test_same_catalog_has_no_changes(new_catalog: Catalog) -> None:
    assert not diff_catalogs(new_catalog, new_catalog).changed


def test_staleness_uses_the_date_passed_in(old_catalog: Catalog) -> None:
    assert old_catalog.date == "2026-01-01"
    assert old_catalog.age_days(date(2026, 1, 31)) == 30
    assert not old_catalog.is_stale(date(2026, 1, 31))
    assert old_catalog.is_stale(date(2026, 2, 1))
