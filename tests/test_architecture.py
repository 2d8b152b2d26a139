"""The package's layout rules: layers follow the data flow, no import cycles, explicit imports only.

Parsed, not imported (``regbench.study.code``): every ``import`` of the package's own modules counts, at module
level or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from regbench.study.code import _imported, package_root

ROOT = package_root()
#: the steps in data-flow order; a subpackage may import only itself, earlier steps and the shared modules
LAYERS = ["data", "fitting", "evaluate", "advise", "report", "study", "cli"]
SHARED = {"exceptions", "lazy_sparse"}
#: function-local imports of the package's own modules, each justified by a measured start-up cost in a comment
LAZY_ALLOWED = {
    ("regbench.data.simulate", "regbench.data.tables"),  # pandas: ~0.8 s per simulate job
    ("regbench.study.config", "regbench.data.tables"),  # pandas: ~0.8 s per Snakemake start
}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


MODULES = dict(_modules())


def _resolve(name: str) -> str | None:
    """The module a dotted import name refers to (``a.b.func`` -> ``a.b``), or None."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _graph(local_only=False):
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if local_only:
            found = set()
            for fn in ast.walk(tree):
                if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found |= _imported(fn, name, path.name == "__init__.py")
        else:
            found = _imported(tree, name, path.name == "__init__.py")
        graph[name] = {m for m in map(_resolve, found) if m and m != name and m != "regbench"}
    return graph


def test_no_import_cycles():
    graph = _graph()
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_layers_follow_the_data_flow():
    bad = []
    for module, imports in _graph().items():
        mine = _layer(module)
        if mine not in LAYERS:
            continue
        allowed = set(LAYERS[: LAYERS.index(mine) + 1]) | SHARED
        bad += [f"{module} imports {m}" for m in sorted(imports) if _layer(m) not in allowed]
    assert not bad, "a step imports a later step:\n" + "\n".join(bad)


def test_no_hidden_imports():
    """Imports of the package's own modules sit at module level, except the justified lazy ones."""
    local = {(m, i) for m, imports in _graph(local_only=True).items() for i in imports}
    assert local <= LAZY_ALLOWED, f"function-local imports of regbench modules: {sorted(local - LAZY_ALLOWED)}"
    for module, path in MODULES.items():
        if module == "regbench":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            # `import regbench` / `from regbench import path` go through the lazy public API and hide which module runs
            assert "regbench" not in names, f"{path}: import the defining module, not the regbench package"
            assert not (isinstance(node, ast.ImportFrom) and node.level), f"{path}: relative import"


def test_lazy_imports_carry_their_reason():
    for module, lazy in LAZY_ALLOWED:
        text = MODULES[module].read_text(encoding="utf-8")
        target = lazy.rpartition(".")[2]
        line = next(i for i, ln in enumerate(text.splitlines())
                    if ln.startswith(" ") and ln.strip().startswith(("from ", "import ")) and target in ln)
        before = text.splitlines()[line - 1]
        assert before.strip().startswith("#") and " s " in before + " ", f"{module}: say what the lazy import saves"


def test_every_subpackage_is_a_step():
    subpackages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert subpackages == set(LAYERS), subpackages


def test_public_api_resolves():
    import regbench

    for name in regbench.__all__:
        assert getattr(regbench, name) is not None, name
    assert callable(regbench.fit) and callable(regbench.path)  # functions, not the subpackages
    assert Path(regbench.params.__file__).name == "params.py"
