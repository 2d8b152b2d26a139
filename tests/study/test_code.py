"""regbench.study.code finds every import of the package's own modules, wherever it sits, the same as a full walk of
the syntax tree (the independent oracle), while parsing each module once per process."""

from __future__ import annotations

import ast
import textwrap

from regbench.study import code
from regbench.study.code import _imported, module_files, package_root

NESTED = textwrap.dedent('''
    import regbench.a
    if x:
        from regbench import b
    else:
        from regbench.c import f
    try:
        import regbench.d
    except ImportError:
        from regbench.e import g
    else:
        import regbench.h
    finally:
        import regbench.i
    with ctx:
        for _ in y:
            while z:
                import regbench.j
    class K:
        def m(self):
            async def n():
                from regbench.k import q
    match v:
        case 1:
            import regbench.l
    lam = lambda: __import__("regbench.not_a_statement")
''')


def _walk_oracle(tree, module, is_package):
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {n for n in found if n == "regbench" or n.startswith("regbench.")}


def test_imports_at_any_depth():
    got = _imported(ast.parse(NESTED), "regbench.x", False)
    assert got == _walk_oracle(ast.parse(NESTED), "regbench.x", False)
    assert {"regbench.a", "regbench.j", "regbench.k.q", "regbench.l", "regbench.i"} <= got


def test_same_as_a_full_walk_on_every_package_module():
    for path in sorted(package_root().rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        absolute = {n for n in _imported(tree, "regbench.m", False)}
        oracle = _walk_oracle(tree, "regbench.m", False)
        relative = any(isinstance(n, ast.ImportFrom) and n.level for n in ast.walk(tree))
        assert absolute == oracle or relative, path


def test_each_module_parsed_once(monkeypatch):
    code._module_imports.cache_clear()
    code._closure.cache_clear()
    parsed = []
    real = ast.parse
    monkeypatch.setattr(code.ast, "parse", lambda src, *a, **k: parsed.append(k.get("filename")) or real(src, *a, **k))
    first = module_files("regbench.cli.evaluate")
    both = module_files("regbench.cli.aggregate")
    assert len(parsed) == len(set(parsed)), "a module was parsed twice"
    assert set(first) & set(both)  # the two steps share modules, parsed once
    code._module_imports.cache_clear()
    code._closure.cache_clear()
