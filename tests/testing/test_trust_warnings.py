from pathlib import Path

import pytest
import yaml

from iamfence.model import PolicyType
from iamfence.parse import load_policy
from iamfence.testing import trust_warnings

CASES = yaml.safe_load((Path(__file__).parent / "trust_cases.yaml").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_trust_warnings(case: dict) -> None:
    document = load_policy(case["trust"], kind=PolicyType.TRUST)
    found = [
        [w.issue.value, w.principal, w.statement_index, w.conditioned]
        for w in trust_warnings(document, "111122223333")
    ]
    assert found == case["expect"]
