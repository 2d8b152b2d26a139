"""Each rule's library-code inputs are derived from its imports, cover what its process really imports, and make
Snakemake rerun exactly the steps that use an edited module (and what follows them), nothing else.

In a copy of the checkout, the tiny study (.test/config.yaml) runs in full with an import audit (a
``sitecustomize`` that records, for every Python process of the run, the regbench modules it imported); then each
package module is edited in turn and a dry run says which rules would rerun.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from regbench.cli import SUBCOMMANDS, subcommand_module
from regbench.study.code import module_files, notebook_files

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
NOTEBOOKS = ("primer", "comparison", "scenario")

pytestmark = pytest.mark.slow

#: the pipeline's rules -> the regbench subcommand each one runs (run_notebook runs the notebooks)
RULE_COMMAND = {
    "simulate_dataset": "simulate", "fit_model": "fit", "fit_model_no_ols": "fit", "compute_metrics": "evaluate",
    "collect_metrics": "aggregate", "advise_study": "advise-study", "score_advice": "score-advice",
    "notebook_params": "report-params",
    "report_index": "report-index",
}
#: which rules consume each rule's outputs (the DAG of workflow/rules/*.smk, at rule level)
CONSUMERS = {
    "simulate_dataset": {"fit_model", "fit_model_no_ols", "compute_metrics", "advise_study"},
    "fit_model": {"compute_metrics"}, "fit_model_no_ols": {"compute_metrics"},
    "compute_metrics": {"collect_metrics"}, "collect_metrics": {"run_notebook", "report_index", "score_advice"},
    "advise_study": {"run_notebook", "score_advice"}, "score_advice": set(), "notebook_params": {"run_notebook"},
    "run_notebook": {"render_report"},
    "render_report": {"report_index"}, "report_index": set(),
}

AUDIT = '''
import atexit, json, os, sys
def _record():
    mods = sorted({m.__file__ for n, m in list(sys.modules.items())
                   if (n == "regbench" or n.startswith("regbench.")) and getattr(m, "__file__", None)})
    if mods:
        with open(os.environ["REGBENCH_IMPORT_AUDIT"], "a") as fh:
            fh.write(json.dumps({"argv": sys.argv, "modules": mods}) + "\\n")
atexit.register(_record)
'''


def _copy_checkout(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("results", "logs", ".snakemake", ".venv*", "__pycache__", "*.egg-info", ".git")
    dest.mkdir(parents=True)
    for item in ("Snakefile", "environment.yml", "pyproject.toml", "workflow", "src", "notebooks", "config", ".test"):
        src = ROOT / item
        (shutil.copytree(src, dest / item, ignore=ignore) if src.is_dir() else shutil.copy2(src, dest / item))
    return dest


def _env(repo: Path, audit_dir: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(audit_dir), str(repo / "src")])
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["REGBENCH_IMPORT_AUDIT"] = str(audit_dir / "imports.jsonl")
    return env


def _snakemake(repo, env, *args):
    cmd = [SNAKEMAKE, "--profile", "workflow/profiles/default", "--configfile", ".test/config.yaml", "--cores", "2",
           *args]
    proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


def _rules_to_run(out: str) -> set[str]:
    if "Job stats:" not in out:
        return set()
    lines = out.splitlines()
    rules = set()
    for line in lines[lines.index("Job stats:") + 3:]:
        rule = line.split()[0]
        if rule == "total":
            return rules - {"all"}
        rules.add(rule)
    raise AssertionError(out)


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A copy of the checkout with the tiny study run in full under the import audit."""
    base = tmp_path_factory.mktemp("code_inputs")
    repo = _copy_checkout(base / "repo")
    audit = base / "audit"
    audit.mkdir()
    (audit / "sitecustomize.py").write_text(AUDIT)
    env = _env(repo, audit)
    _snakemake(repo, env)
    records = [json.loads(line) for line in (audit / "imports.jsonl").read_text().splitlines()]
    env.pop("REGBENCH_IMPORT_AUDIT")
    return repo, env, records


def _derived(repo: Path) -> dict[str, set[str]]:
    """rule -> the package files declared as its code input (as common.smk derives them, in the copy)."""
    root = repo / "src" / "regbench"
    out = {rule: set(module_files(subcommand_module(cmd), root=root)) for rule, cmd in RULE_COMMAND.items()}
    out["run_notebook"] = set().union(*(notebook_files(repo / "notebooks" / f"{nb}.ipynb", root=root)
                                        for nb in NOTEBOOKS))
    return out


def test_declared_code_covers_what_each_process_imports(finished):
    repo, _, records = finished
    root = repo / "src" / "regbench"
    derived = {cmd: set(module_files(subcommand_module(cmd), root=root)) for cmd in SUBCOMMANDS}
    pages = [set(notebook_files(repo / "notebooks" / f"{nb}.ipynb", root=root)) for nb in NOTEBOOKS]
    seen_commands, kernels = set(), 0
    for rec in records:
        imported = {m for m in rec["modules"] if m.startswith(str(root))}
        argv = rec["argv"]
        if Path(argv[0]).name == "regbench":
            cmd = next(a for a in argv[1:] if not a.startswith("-"))
            seen_commands.add(cmd)
            missing = imported - derived[cmd]
            assert not missing, f"`regbench {cmd}` imported {sorted(missing)} that its rule does not declare"
        elif "ipykernel" in " ".join(argv):
            kernels += 1
            assert any(imported <= page for page in pages), (
                f"a notebook kernel imported {sorted(imported)}, more than any notebook's declared code")
    assert seen_commands >= set(RULE_COMMAND.values()), seen_commands
    assert kernels >= len(NOTEBOOKS), f"only {kernels} notebook kernels were audited"


def _descendants(rules: set[str]) -> set[str]:
    out, todo = set(rules), list(rules)
    while todo:
        for nxt in CONSUMERS[todo.pop()]:
            if nxt not in out:
                out.add(nxt)
                todo.append(nxt)
    return out


def test_editing_a_module_reruns_exactly_its_steps(finished):
    repo, env, _ = finished
    assert _rules_to_run(_snakemake(repo, env, "-n")) == set(), "the finished study is not up to date"
    derived = _derived(repo)
    modules = sorted((repo / "src" / "regbench").rglob("*.py"))
    used_somewhere = 0
    for path in modules:
        text = path.read_text()
        users = {rule for rule, files in derived.items() if str(path) in files}
        path.write_text(text + "\n# an edit that changes the file's content\n")
        try:
            rerun = _rules_to_run(_snakemake(repo, env, "-n"))
        finally:
            path.write_text(text)
        expected = _descendants(users) if users else set()
        rel = path.relative_to(repo)
        assert rerun == expected, f"editing {rel}: dry run reruns {sorted(rerun)}, expected {sorted(expected)}"
        used_somewhere += bool(users)
    assert used_somewhere >= 30, used_somewhere
