"""Which library files a pipeline step runs, derived from its imports (so a new import cannot be forgotten).

Snakemake does not see edits to an imported package, so each rule declares the package files its process runs as
inputs, and editing one of them reruns exactly the steps that use it. :func:`module_files` follows every
``import`` / ``from ... import`` of the package's own modules (at module level or inside functions) from an entry
module, transitively, and returns the files, including each package's ``__init__.py``. :func:`notebook_files` does
the same for the code cells of a notebook. Nothing is imported: the modules are parsed.
"""

from __future__ import annotations

import ast
import json
from functools import lru_cache
from pathlib import Path

__all__ = ["module_files", "notebook_files", "package_root"]

PACKAGE = "regbench"


def package_root() -> Path:
    """The folder of the regbench package (``src/regbench``)."""
    return Path(__file__).resolve().parents[1]


def _file_of(module: str, root: Path) -> Path | None:
    parts = module.split(".")[1:]
    base = root.joinpath(*parts)
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


#: the fields of a node that hold statements (an import is a statement: expressions never contain one)
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _import_nodes(tree: ast.AST):
    """The Import / ImportFrom statements of a parsed module, at any depth (in functions, classes, branches).

    Walks statement lists only, not expressions: ~5x faster than ``ast.walk``, which matters because the
    Snakefile derives every rule's code inputs on each Snakemake start (and each cluster job's)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        for field in _BODIES:
            todo.extend(getattr(node, field, ()))


def _imported(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Dotted names of the package's modules that a parsed module imports (absolute or relative)."""
    found = set()
    for node in _import_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)  # `from pkg import submodule`
    return {name for name in found if name == PACKAGE or name.startswith(PACKAGE + ".")}


@lru_cache(maxsize=None)
def _module_imports(name: str, path: Path, mtime_ns: int, size: int) -> frozenset[str]:
    """The package modules one file imports, parsed once per process and version of the file (the rules' code
    inputs share most modules: without this each was parsed once per step, ~1 s of every Snakemake start)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return frozenset(_imported(tree, name, path.name == "__init__.py"))


@lru_cache(maxsize=None)
def _closure(entries: tuple[str, ...], root: Path) -> tuple[Path, ...]:
    seen: dict[str, Path] = {}
    todo = list(entries)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _file_of(name, root)
        if path is None:  # a name imported from a module (`from regbench.x import function`)
            continue
        seen[name] = path
        parent = name.rpartition(".")[0]
        if parent:
            todo.append(parent)  # importing a.b.c runs a/__init__.py and a/b/__init__.py
        stat = path.stat()
        todo.extend(_module_imports(name, path, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(seen.values()))


def module_files(*modules: str, root: Path | None = None) -> list[str]:
    """Every package file the given dotted modules run when imported, transitively, sorted."""
    return [str(p) for p in _closure(tuple(modules), (root or package_root()).resolve())]


def notebook_files(notebook, root: Path | None = None) -> list[str]:
    """The package files a notebook's code cells import, transitively (IPython magics and shell lines skipped)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    modules = set()
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        modules |= _imported(ast.parse("\n".join(lines)), "__notebook__", False)
    return module_files(*sorted(modules), root=root)
