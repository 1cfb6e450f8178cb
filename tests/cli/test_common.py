import os
import stat
from pathlib import Path

import pytest

from iamfence.cli.common import write_bytes


def test_write_bytes_is_atomic_and_follows_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "report.html"
    old = os.umask(0o022)
    try:
        write_bytes(str(target), b"<html></html>")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"<html></html>"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_a_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        write_bytes(str(target), b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_writing_to_a_fifo_writes_into_it_instead_of_replacing_it(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_bytes(str(fifo), b"through the pipe")
    reader.join(timeout=5)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
