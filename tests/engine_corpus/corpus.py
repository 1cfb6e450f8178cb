"""Reading the decision corpus (tests/corpus/engine/<topic>/*.yaml): each file is a YAML list of
cases in the request-file shape of issue 3 item 7, plus `cite:` and `why:`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "engine"


@dataclass(frozen=True)
class RawCase:
    file: Path
    index: int
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def topic(self) -> str:
        return self.file.relative_to(CORPUS).parts[0]


def corpus_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.yaml"))


def raw_cases() -> list[RawCase]:
    out: list[RawCase] = []
    for path in corpus_files():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(loaded, list), f"{path}: a corpus file is a YAML list of cases"
        out.extend(RawCase(path, i, c) for i, c in enumerate(loaded))
    return out


def for_loader(case: dict[str, Any]) -> dict[str, Any]:
    """The case as the request-file loader accepts it: `cite`/`why` become `citation`/`description`;
    `blocked_by` (the policy types the explanation must name) is for the corpus test only."""
    out = {k: v for k, v in case.items() if k not in ("cite", "why", "blocked_by")}
    out["citation"] = case.get("cite")
    out["description"] = case.get("why")
    return out
