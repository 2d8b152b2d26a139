"""The two dependency lists (pyproject.toml and environment.yml) must agree."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement):
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pyproject = {_name(r): r for r in project["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d): d for d in env["dependencies"] if isinstance(d, str)}
    conda.pop("python")
    conda.pop("pip")
    assert set(conda) == set(pyproject), (
        f"only in environment.yml: {sorted(set(conda) - set(pyproject))}; "
        f"only in pyproject.toml: {sorted(set(pyproject) - set(conda))}"
    )
    for name, req in pyproject.items():
        assert req.replace(" ", "") == conda[name].replace(" ", ""), f"{name}: {req!r} vs {conda[name]!r}"


def test_public_api_names():
    import regbench

    for name in ["Lasso", "Ridge", "ElasticNet", "LassoCV", "RidgeCV", "ElasticNetCV", "path", "ridge_path",
                 "cross_validate", "fit", "params", "ConvergenceWarning"]:
        assert name in regbench.__all__ and hasattr(regbench, name), name
