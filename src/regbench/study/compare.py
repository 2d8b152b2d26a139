"""``regbench compare DATA.csv --target COL``: the four methods (and OLS) on the user's data, through the pipeline.

The data file becomes a one-scenario study (``design: data``) written to ``results/<study>/study.yaml``; Snakemake
runs it with the repository's Snakefile (the same rules as every study: simulate/split, fit_model with K-fold CV,
evaluate, aggregate, advise), and ``regbench.report.compare`` turns the results into a small Markdown
report, ``results/<study>/compare.md``. The data are checked first, so bad input stops before anything is written.

Results are keyed to the file's content, not its name: the default study is ``compare_<stem>_<sha256[:10]>``, so an
edited file, or another file with the same stem, gets its own folder and nothing is replaced; a folder given with
``--study`` records its source (``compare_source.json``) and a different file is refused there unless replacing is
asked for. A run marks itself in ``results/<study>/.compare_running.json`` (its pid and Snakemake's); a later run
that finds the mark of a dead run unlocks Snakemake and resumes, and one that finds a live run stops.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from regbench.evaluate.methods import METHOD_NAMES

__all__ = ["CompareError", "data_digest", "default_study", "check_destination", "interrupted_run", "repository_root",
           "study_config", "run_study", "write_source"]

#: the record of which file a compare folder holds
SOURCE_FILE = "compare_source.json"
#: the mark of a compare that is running (or was killed)
RUNNING_FILE = ".compare_running.json"


class CompareError(ValueError):
    """A compare that would replace or collide with other results (nothing was written)."""


def repository_root() -> Path:
    """The checkout holding the Snakefile (regbench is installed editable from it)."""
    root = Path(__file__).resolve().parents[3]
    if not (root / "Snakefile").is_file():
        raise FileNotFoundError(f"no Snakefile in {root}: `regbench compare` runs the pipeline of a regbench source "
                                "checkout (pip install -e .)")
    return root


def _name(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_-") or "data"
    return name if name[0].isalnum() else f"d{name}"


def data_digest(path) -> str:
    """SHA-256 of the file's bytes (what the results are keyed to)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def default_study(data, digest: str) -> str:
    """``compare_<file stem>_<first 10 hex digits of its SHA-256>``."""
    return f"compare_{_name(Path(data).name.split('.')[0])}_{digest[:10]}"


def check_destination(out: Path, data, digest: str, *, replace=False, option="--study") -> None:
    """Refuse (:class:`CompareError`) a results folder that holds something else: another file's comparison (by
    content), or results not written by ``regbench compare``; ``replace=True`` lets the run go ahead."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CompareError(f"{str(out)!r} is a file, not a results folder; move it away or choose another {option}")
    if replace or not out.exists() or not any(out.iterdir()):
        return
    record = out / SOURCE_FILE
    if not record.is_file():
        raise CompareError(f"{str(out)!r} already holds results that `regbench compare` did not write (no "
                           f"{SOURCE_FILE}); nothing was replaced: choose another {option}, or pass --replace")
    try:
        old = json.loads(record.read_text())
    except (OSError, ValueError):
        old = {}
    if old.get("sha256") != digest:
        raise CompareError(f"{str(out)!r} holds the comparison of {old.get('data', '?')!r} (sha256 "
                           f"{str(old.get('sha256', '?'))[:10]}...), and {str(data)!r} has other content (sha256 "
                           f"{digest[:10]}...); nothing was replaced: choose another {option} (or leave it out: the "
                           "default folder is keyed to the content), or pass --replace to rerun there")


def write_source(out: Path, data, digest: str) -> None:
    """Record which file (path and content) the folder's results are of."""
    text = json.dumps({"data": str(Path(data).resolve()), "sha256": digest}, indent=2)
    tmp = Path(out) / f".{SOURCE_FILE}.tmp"
    tmp.write_text(text)
    os.replace(tmp, Path(out) / SOURCE_FILE)


def _alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, ValueError, TypeError):
        return False
    except PermissionError:
        return True
    proc = Path(f"/proc/{int(pid)}")
    if not proc.is_dir():
        return True
    try:
        if (proc / "stat").read_text().rsplit(")", 1)[-1].split()[0] in ("Z", "X"):
            return False  # a killed process not yet reaped (a zombie) is not running
        text = (proc / "cmdline").read_bytes().decode(errors="replace")
    except (OSError, IndexError):
        return True
    # a reused pid of another program is not our run
    return not text or any(word in text for word in ("snakemake", "regbench", "python"))


def interrupted_run(out: Path):
    """The mark of an earlier compare of this folder: ``("running", pids)`` if one of its processes is alive,
    ``("interrupted", pids)`` if it was killed, else None."""
    mark = Path(out) / RUNNING_FILE
    if not mark.is_file():
        return None
    try:
        pids = [p for p in json.loads(mark.read_text()).get("pids", []) if p]
    except (OSError, ValueError):
        pids = []
    state = "running" if any(_alive(p) for p in pids if int(p) != os.getpid()) else "interrupted"
    return state, pids


def study_config(data, target, *, study=None, folds=5, replicates=1, test_fraction=0.25, test_rows=None,
                 methods=METHOD_NAMES, seed=0) -> dict:
    """The one-scenario study of a data file (absolute path), K-fold CV tuning, ridge grid six decades deep."""
    path = Path(data).resolve()
    stem = path.name.split(".")[0]
    scenario = {"name": _name(stem), "design": "data", "data": str(path), "target": target}
    study = study or default_study(path, data_digest(path))
    if test_rows:
        scenario["test_rows"] = [int(r) for r in test_rows]
    else:
        scenario["test_fraction"] = float(test_fraction)
    return {
        "study": study,
        "seed": int(seed),
        "replicates": int(replicates),
        "methods": list(methods),
        "standardize": True,
        "tuning": {"method": "cv", "folds": int(folds), "rule": "min"},
        "grids": {"ridge": {"n_lambdas": 100, "eps": 1.0e-6}},
        "bootstrap": 500,
        "scenarios": [scenario],
    }


def _snakemake_cmd(config_path, targets, root, cores, *extra):
    exe = Path(sys.executable).with_name("snakemake")
    # targets first: --configfile takes every word after it
    return [str(exe) if exe.exists() else "snakemake", *map(str, targets), "--snakefile", str(root / "Snakefile"),
            "--directory", str(root), "--profile", str(root / "workflow" / "profiles" / "default"), "--cores",
            str(cores), *extra, "--configfile", str(Path(config_path).resolve())]


def unlock_study(config_path, targets, *, root=None) -> int:
    """``snakemake --unlock`` for the study's outputs (after a killed run left Snakemake's lock)."""
    root = Path(root) if root else repository_root()
    return subprocess.run(_snakemake_cmd(config_path, targets, root, 1, "--unlock"), cwd=root,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


def run_study(config_path, targets, *, cores=2, root=None, mark=None) -> tuple[int, bool]:
    """Run Snakemake on the study config for the given targets (paths or rule names, relative to the repository
    root); its output is copied to stderr. Returns (exit status, whether Snakemake reported a lock held by another
    run). ``mark``: a file recording this process's and Snakemake's pids while it runs (removed at the end)."""
    root = Path(root) if root else repository_root()
    proc = subprocess.Popen(_snakemake_cmd(config_path, targets, root, cores), cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")
    if mark is not None:
        Path(mark).write_text(json.dumps({"pids": [os.getpid(), proc.pid]}))
    locked = False
    try:
        for line in proc.stdout:  # Snakemake's progress goes to our stderr (stdout stays the report's)
            locked = locked or "LockException" in line or "cannot be locked" in line
            sys.stderr.write(line)
        rc = proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if mark is not None and Path(mark).exists():
            Path(mark).unlink()
    return rc, locked
