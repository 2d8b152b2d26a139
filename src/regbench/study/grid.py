"""Crossed designs: a scenario entry with a ``grid:`` block stands for the cross product of its axes.

An axis is either a **list of values** of one scenario key (``rho: [0.0, 0.5, 0.9]``) or a **labelled axis**, a
mapping from a label to the settings that label sets together (``shape: {n_gg_p: {n: 200, p: 20}, p_gg_n: {n: 50,
p: 500}}``), for levels that are not one key (n/p, sparsity as ``truth`` and ``k``). Each cell of the product is an
ordinary scenario: the entry's other keys, updated with the cell's values, named

    <entry name>-<part>-<part>...   (one part per axis, in the order the axes are written)

where a list axis's part is the key and its value (``rho0p9``: ``.`` written ``p``, a minus ``m``; a string value
stands alone, ``toeplitz``) and a labelled axis's part is the label. A cell's name depends only on its own values,
so adding a value to an axis adds cells without renaming (or reseeding, or rerunning) the others. Each cell also
carries ``cell: {grid: <entry name>, <axis>: <value or label>, ...}``, which scenarios.csv shows (a ``grid`` column
and one column per labelled axis) so a report can lay the cells out over the axes.

:func:`expand_grids` runs once, inside ``regbench.study.config.check_config``, before the schema sees the cells, so
each cell is validated like a hand-written scenario and an error names the cell and the key.
"""

from __future__ import annotations

import itertools
import re

__all__ = ["GridError", "cell_part", "expand_grids"]

_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


class GridError(ValueError):
    """A ``grid:`` block that cannot be expanded (the message names the scenario entry and the axis)."""


def _number_text(value) -> str:
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace("+", "").replace("-", "m").replace(".", "p")


def cell_part(axis: str, value) -> str:
    """The name part of one list-axis value: ``rho0p9``, ``n200``, ``snr1``, ``toeplitz``, ``standardizetrue``."""
    if isinstance(value, bool):
        return f"{axis}{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"{axis}{_number_text(value)}"
    if isinstance(value, str) and _PART.match(value):
        return value
    raise GridError(f"value {value!r} cannot be part of a scenario name (use a labelled axis: {axis}: "
                    "{label: {key: value}})")


def _axes(entry: dict, where: str) -> list[tuple[str, list[tuple[str, dict]]]]:
    """[(axis, [(name part, settings), ...]), ...] of one entry's grid block, checked."""
    grid = entry["grid"]
    if not isinstance(grid, dict) or not grid:
        raise GridError(f"{where}.grid: expected a mapping of axis -> list of values (or label -> settings), "
                        f"got {grid!r}")
    axes, owner = [], {}
    for axis, values in grid.items():
        key = f"{where}.grid.{axis}"
        if isinstance(values, list):
            if not values:
                raise GridError(f"{key}: expected a non-empty list of values, got []")
            if axis in ("name", "grid", "cell"):
                raise GridError(f"{key}: {axis!r} cannot be an axis")
            try:
                levels = [(cell_part(axis, v), {axis: v}) for v in values]
            except GridError as exc:
                raise GridError(f"{key}: {exc}") from None
        elif isinstance(values, dict) and values:
            levels = []
            for label, settings in values.items():
                if not isinstance(label, str) or not _PART.match(label):
                    raise GridError(f"{key}: label {label!r} must be letters, digits, _ and - (it is part of the "
                                    "cell's name)")
                if not isinstance(settings, dict) or not settings:
                    raise GridError(f"{key}.{label}: expected a mapping of scenario keys to values, got {settings!r}")
                levels.append((label, dict(settings)))
        else:
            raise GridError(f"{key}: expected a non-empty list of values or a mapping label -> settings, "
                            f"got {values!r}")
        for _, settings in levels:
            for k in settings:
                if k in ("name", "grid", "cell"):
                    raise GridError(f"{key}: {k!r} cannot be set by an axis")
                if k in entry:
                    raise GridError(f"{key}: {k!r} is both set in the entry ({entry[k]!r}) and varied by the grid")
                if owner.setdefault(k, axis) != axis:
                    raise GridError(f"{key}: {k!r} is varied by two axes ({owner[k]} and {axis})")
        axes.append((axis, levels))
    return axes


def _cells(entry: dict, where: str) -> list[dict]:
    base = {k: v for k, v in entry.items() if k != "grid"}
    axes = _axes(entry, where)
    labelled = {axis for axis, values in entry["grid"].items() if isinstance(values, dict)}
    cells = []
    for combo in itertools.product(*(levels for _, levels in axes)):
        cell = dict(base)
        info = {"grid": entry["name"]}
        for (axis, _), (part, settings) in zip(axes, combo):
            cell.update(settings)
            info[axis] = part if axis in labelled else settings[axis]
        cell["name"] = "-".join([entry["name"], *(part for part, _ in combo)])
        cell["cell"] = info
        cells.append(cell)
    return cells


def expand_grids(config: dict) -> list[str]:
    """Replace, in place, each scenario entry holding a ``grid:`` block by its cells; return the problems found
    (each naming the entry and the axis), leaving the config unchanged when there are any."""
    scenarios = config.get("scenarios")
    if not isinstance(scenarios, list):
        return []
    out, problems = [], []
    for i, entry in enumerate(scenarios):
        if not (isinstance(entry, dict) and "grid" in entry):
            out.append(entry)
            continue
        name = entry.get("name")
        where = f"scenarios[{i}]" + (f" (name: {name})" if isinstance(name, str) else "")
        if not isinstance(name, str) or not _PART.match(name):
            problems.append(f"{where}.name: a grid entry needs a name (letters, digits, _ and -) to name its cells, "
                            f"got {name!r}")
            continue
        try:
            out.extend(_cells(entry, where))
        except GridError as exc:
            problems.append(str(exc))
    if not problems:
        config["scenarios"] = out
    return problems
