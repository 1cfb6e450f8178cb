"""The HTML report rendered in headless Chromium (Debian's `chromium`): findings paged, filtered
from the URL fragment, names escaped, and the DOM small at 100k findings."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from iamfence.audit import AuditBuilder, AuditConfig, AuditResult, Finding
from iamfence.audit import findings as fc
from iamfence.report.audit_html import PAGE_SIZE, render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)"
    ),
]
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _result(n: int) -> AuditResult:
    builder = AuditBuilder(AuditConfig("arn:aws:iam::${AccountId}:policy/B"), date(2026, 11, 28))
    for i in range(n):
        account = f"{100000000000 + i % 7}"
        name = EVIL if i == 3 else f"app-role-{i:06d}"
        code = fc.ROLE_WITHOUT_BOUNDARY if i % 2 else fc.USER_WITHOUT_BOUNDARY
        f = Finding.of(
            code,
            account,
            f"arn:aws:iam::{account}:role/{name}",
            role_name=name,
            user_name=name,
            expected_boundary="arn:b",
        )
        builder.findings.append(f.mute("legacy <b>exempt</b>") if i % 10 == 0 else f)
    return builder.build("html-test", "2026-11-28T00:00:00Z")


def _dump(html_file: Path, fragment: str = "") -> str:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            f"file://{html_file}{fragment}",
        ]
        done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class _Rows(HTMLParser):
    """Counts finding rows and script elements, collects cell text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows = 0
        self.scripts = 0
        self.imgs = 0
        self.cells: list[str] = []
        self._in_td = False
        self.texts: dict[str, str] = {}
        self._id: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and "finding" in (a.get("class") or ""):
            self.rows += 1
        self.scripts += tag == "script"
        self.imgs += tag == "img"
        self._in_td = tag == "td"
        self._id = a.get("id")

    def handle_data(self, data: str) -> None:
        if self._in_td:
            self.cells.append(data)
        if self._id in ("count", "page"):
            self.texts[self._id] = data


def _parse(dom: str) -> _Rows:
    p = _Rows()
    p.feed(dom)
    return p


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(_result(250)))
    return path


def test_first_page_rendered_and_names_escaped(small: Path) -> None:
    dom = _dump(small)
    p = _parse(dom)
    assert p.rows == PAGE_SIZE
    assert p.texts["count"] == "250 of 250 findings" and p.texts["page"] == "page 1 of 3"
    # The hostile name is text in a cell, never an element: two scripts (data + code) and no img.
    assert any(EVIL in c for c in p.cells)
    assert p.scripts == 2 and p.imgs == 0
    assert "&lt;script&gt;alert" in dom


def test_paging_and_filters_from_the_fragment(small: Path) -> None:
    dom = _dump(small, "#page=3")
    last = _parse(dom)
    # Muted findings sort last and stay visible, with their reason escaped.
    assert (
        "muted: legacy &lt;b&gt;exempt&lt;/b&gt;" in dom
        and "<b>exempt" not in dom.split("iamfence-data")[0]
    )
    assert last.rows == 50 and last.texts["page"] == "page 3 of 3"
    only = _parse(_dump(small, "#q=app-role-00012"))
    assert only.rows == 10 and only.texts["count"] == "10 of 250 findings"
    unmuted = _parse(_dump(small, "#muted=0&code=IF701"))
    # odd i are IF701 (125); muted are i % 10 == 0, all even: none of them IF701.
    assert unmuted.texts["count"] == "125 of 250 findings"


def test_hundred_thousand_findings_stay_a_small_dom(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    started = time.monotonic()
    path.write_text(render_html(_result(100_000)))
    size = path.stat().st_size
    dom = _dump(path, "#page=1000")
    p = _parse(dom)
    assert p.rows == PAGE_SIZE and p.texts["page"] == "page 1000 of 1000"
    # The rendered DOM holds one page of rows plus the embedded data once, not 100k rows.
    assert len(re.findall(r"<tr class=\"finding", dom)) == PAGE_SIZE
    assert size < 60_000_000
    assert time.monotonic() - started < 100
