"""Every Python example of the README runs as written (on a small random problem for its X and y)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_python_examples():
    assert BLOCKS, "the README shows no Python example"


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(code):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 12)) + rng.uniform(-2, 2, 12)
    y = X[:, :3] @ [1.0, -2.0, 0.5] + 0.3 * rng.standard_normal(60)
    namespace = {"X": X, "y": y, "lam": 0.5, "a": 0.3}
    exec(compile(code, str(README), "exec"), namespace)
    assert "res" not in namespace or np.isfinite(namespace["res"].coefs).all()
