"""Checking a study configuration before any job runs.

``check_config(config, schema)`` validates a study config against ``workflow/schemas/config.schema.yaml`` (JSON
Schema 2020-12), fills in the schema's defaults, then checks what a schema cannot express (unique scenario names,
a validation set smaller than the data, k <= p, folds <= training rows, ...). Every problem is reported at once, each
line naming the config key, e.g. ``scenarios[2] (name: p_gg_n).n_val: ...``; the error is a ``StudyConfigError``
(a ``ValueError``).

The pipeline (``workflow/rules/common.smk``) calls it when Snakemake loads the workflow, and the helpers below
(``study_scenarios``, ``methods_for``, ``scenario_table``) answer the workflow's questions from the checked config.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import yaml

from regbench.data.dataset import split_sizes
from regbench.evaluate.methods import METHODS, PAPER_KEYS
from regbench.study.grid import expand_grids

__all__ = [
    "StudyConfigError",
    "check_config",
    "methods_for",
    "scenario_table",
    "wildcard_pattern",
]

class StudyConfigError(ValueError):
    """A study configuration that cannot run; the message names each offending key."""


def _key(path, config) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            if out.startswith("scenarios") and len(out) == len(f"scenarios[{part}]"):
                name = _scenario_name(config, part)
                if name:
                    grid = _grid_of(config, part)
                    out += f" (name: {name}, a cell of grid {grid})" if grid else f" (name: {name})"
            elif out == f"references[{part}]":
                out += _reference_name(config, part)
        else:
            out += f".{part}" if out else str(part)
    return out or "<top level>"


def _scenario_name(config, i):
    try:
        name = config["scenarios"][i]["name"]
    except (KeyError, IndexError, TypeError):
        return None
    return name if isinstance(name, str) else None


def _reference_name(config, i) -> str:
    """" (scenario: S, method: M)" of references[i], as far as the row says."""
    try:
        ref = config["references"][i]
    except (KeyError, IndexError, TypeError):
        return ""
    parts = [f"{k}: {ref[k]}" for k in ("scenario", "method") if isinstance(ref, dict) and isinstance(ref.get(k), str)]
    return f" ({', '.join(parts)})" if parts else ""


def _grid_of(config, i):
    cell = config["scenarios"][i].get("cell") if isinstance(config["scenarios"][i], dict) else None
    return cell.get("grid") if isinstance(cell, dict) else None


def _describe(error, config) -> str:
    key = _key(list(error.absolute_path), config)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        where = f"{key}." if key != "<top level>" else ""
        return "; ".join(
            f"{where}{u}: unknown key (allowed here: {', '.join(allowed)})" for u in unknown
        )
    msg = f"{key}: {error.message}"
    if error.validator in ("oneOf", "anyOf") and error.schema.get("description"):
        msg += f" (expected: {' '.join(error.schema['description'].split())})"
    if error.validator == "type" and isinstance(error.instance, str):
        try:
            float(error.instance)
            msg += " (YAML 1.1 reads numbers like 1e-7 as strings: write 1.0e-7)"
        except ValueError:
            pass
    return msg


def _fill_defaults(schema_validator_cls):
    from jsonschema import validators

    validate_properties = schema_validator_cls.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for prop, sub in properties.items():
                if "default" in sub:
                    instance.setdefault(prop, copy.deepcopy(sub["default"]))
        yield from validate_properties(validator, properties, instance, schema)

    return validators.extend(schema_validator_cls, {"properties": set_defaults})


def load_schema(path) -> dict:
    with open(path) as fh:
        return yaml.safe_load(fh)


def check_config(config: dict, schema) -> dict:
    """Validate ``config`` in place (defaults filled in) and return it; raise ``StudyConfigError`` on any problem.

    ``schema`` is the schema dict or the path of the schema file.
    """
    from jsonschema import Draft202012Validator

    if not isinstance(schema, dict):
        schema = load_schema(Path(schema))
    if not isinstance(config, dict):
        raise StudyConfigError(f"the study config must be a mapping of keys to values, got {type(config).__name__}")
    problems = expand_grids(config)  # crossed designs: each grid entry becomes its cells, validated one by one
    if problems:
        raise StudyConfigError("invalid study config:\n  " + "\n  ".join(problems))
    errors = sorted(Draft202012Validator(schema).iter_errors(config), key=lambda e: [str(p) for p in e.path])
    if errors:
        lines = sorted({_describe(e, config) for e in errors})
        raise StudyConfigError("invalid study config:\n  " + "\n  ".join(lines))
    _fill_defaults(Draft202012Validator)(schema).validate(config)
    problems = _resolve_data_scenarios(config) or _semantic_problems(config)
    if problems:
        raise StudyConfigError("invalid study config:\n  " + "\n  ".join(problems))
    return config


def _resolve_data_scenarios(config) -> list[str]:
    """Fill in n, p and n_test of real-data scenarios (design: data) from their files; report unreadable ones."""
    problems = []
    for i, s in enumerate(config["scenarios"]):
        if s["design"] != "data":
            continue
        # pandas (which real tables need) adds ~0.8 s to every Snakemake start: only studies with real data pay it
        from regbench.data.tables import DataError, resolve_data_scenario

        try:
            s.update(resolve_data_scenario(s))
        except DataError as exc:
            problems.append(f"{_key(['scenarios', i], config)}.data: {exc}")
    return problems


def _semantic_problems(config) -> list[str]:
    problems = []
    tuning = config["tuning"]
    seen = {}
    for i, s in enumerate(config["scenarios"]):
        key = _key(["scenarios", i], config)
        if s["name"] in seen:
            problems.append(f"{key}.name: duplicate scenario name {s['name']!r} (also scenarios[{seen[s['name']]}])")
        seen.setdefault(s["name"], i)
        n, p, n_val = s["n"], s["p"], s["n_val"]
        if n_val >= n - 1:
            problems.append(
                f"{key}.n_val: the validation set ({n_val} rows) must be smaller than the data n={n} "
                "minus at least 2 training rows"
            )
        elif tuning["method"] == "validation" and n_val < 2:
            problems.append(f"{key}.n_val: tuning.method is validation, so n_val must be at least 2, got {n_val}")
        n_train = split_sizes(s, tuning["method"])[0]
        if tuning["method"] == "cv" and tuning["folds"] > n_train:
            problems.append(
                f"tuning.folds: {tuning['folds']} folds need at least as many training rows, "
                f"but {key} has n={n_train}"
            )
        if s["design"] != "data" and s["truth"] == "fixed" and len(s.get("coef") or []) != p:
            problems.append(f"{key}.coef: a fixed truth needs p={p} coefficients, got {len(s.get('coef') or [])}")
        if s["design"] != "data" and s["truth"] == "sparse" and s["k"] > p:
            problems.append(f"{key}.k: a sparse truth with k={s['k']} nonzeros needs k <= p={p}")
        if s["design"] == "grouped" and s["n_groups"] * s["group_size"] > p:
            problems.append(
                f"{key}.group_size: n_groups * group_size = {s['n_groups'] * s['group_size']} predictors "
                f"exceed p={p}"
            )
    if "enet_corrected" in config["methods"] and not config["standardize"]:
        problems.append(
            "standardize: enet_corrected rescales by (1 + lambda2) on standardized predictors; "
            "set standardize: true or drop enet_corrected from methods"
        )
    problems += _reference_problems(config)
    if config.get("reference", "lasso") not in config["methods"]:
        problems.append(
            f"reference: expected one of the study's methods {config['methods']}, got {config.get('reference')!r}"
        )
    if config["methods"] == ["ols"] and all(
        split_sizes(s, tuning["method"])[0] <= s["p"] for s in config["scenarios"]
    ):
        problems.append("methods: only ols is listed, and ols needs n_train > p, which no scenario has")
    return problems


def _reference_problems(config) -> list[str]:
    """A reference row's scenario, and its tuning values: the keys of its method (``Method.paper_keys``), all of
    them or none, only for test_mse, not beside a free-text ``parameters``, and column numbers within p."""
    problems = []
    scenarios = {s["name"]: s for s in config["scenarios"]}
    for i, ref in enumerate(config.get("references", [])):
        key = _key(["references", i], config)
        if ref["scenario"] not in scenarios:
            problems.append(f"{key}.scenario: expected one of the study's scenarios {sorted(scenarios)}, "
                            f"got {ref['scenario']!r}")
        allowed = METHODS[ref["method"]].paper_keys
        given = [k for k in PAPER_KEYS if k in ref]
        for k in given:
            if k not in allowed:
                problems.append(f"{key}.{k}: {ref['method']} takes "
                                f"{' and '.join(allowed) if allowed else 'no tuning values'} in Zou & Hastie's "
                                f"scaling, got {k}: {ref[k]!r}")
        if given and set(allowed) - set(given):
            missing = [k for k in allowed if k not in ref]
            problems.append(f"{key}.{missing[0]}: {ref['method']}'s tuning needs {' and '.join(allowed)}; "
                            f"{' and '.join(missing)} missing")
        if given and "parameters" in ref:
            problems.append(f"{key}.parameters: the tuning values ({', '.join(given)}) already define the displayed "
                            f"parameters; give either the numbers or the free text, got parameters: "
                            f"{ref['parameters']!r}")
        if given and ref.get("metric", "test_mse") != "test_mse":
            problems.append(f"{key}.metric: a row with tuning values is refitted and scored on the test rows, so its "
                            f"metric must be test_mse, got {ref['metric']!r}")
        p = scenarios[ref["scenario"]].get("p") if ref["scenario"] in scenarios else None
        cols = ref.get("variables") if isinstance(ref.get("variables"), list) else []
        numbers = [v for v in cols if isinstance(v, int)]
        if numbers and len(numbers) != len(cols):
            problems.append(f"{key}.variables: expected all column numbers or all names, got {cols}")
        if p is not None and any(v > p for v in numbers):
            problems.append(f"{key}.variables: expected 1-based column numbers in 1..{p} (p of scenario "
                            f"{ref['scenario']}), got {[v for v in numbers if v > p]}")
    return problems


def methods_for(config: dict, scenario: dict) -> list[str]:
    """The study's methods that apply to a scenario (ols only where n_train > p), in config order."""
    n_train = split_sizes(scenario, config["tuning"]["method"])[0]
    return [m for m in config["methods"] if m != "ols" or n_train > scenario["p"]]


#: settings that only mean something for some designs or truths (left empty in scenarios.csv elsewhere)
_APPLIES = {
    "rho": lambda s: s.get("design") in ("toeplitz", "equicorrelated"),
    "density": lambda s: s.get("design") == "sparse",
    "n_groups": lambda s: s.get("design") == "grouped",
    "group_size": lambda s: s.get("design") == "grouped",
    "group_noise": lambda s: s.get("design") == "grouped",
    "k": lambda s: s.get("truth") == "sparse" and s.get("design") != "data",
    "support": lambda s: s.get("truth") == "sparse" and s.get("design") != "data",
    "signs": lambda s: s.get("truth") == "sparse" and s.get("design") != "data",
    # real data: no simulated truth or noise level
    "truth": lambda s: s.get("design") != "data",
    "snr": lambda s: s.get("design") != "data",
}


def scenario_table(config: dict):
    """One row per scenario: name, description, design, truth, n_train, n_val, n_test, p, rho, snr, density, k, n,
    n_groups, group_size, group_noise, support, signs, data, target, grid, grid_axes, <one column per labelled grid
    axis>, study, replicates (a setting that does not apply to the scenario's design or truth is left empty, so the
    table never shows an unused default as if it mattered). A cell of a crossed design (``regbench.study.grid``)
    has its grid's name in ``grid``, the grid's axes (space-separated, in the order written) in ``grid_axes`` and
    its label on each labelled axis in that axis's column; a list axis's values are in the key's own column."""
    import pandas as pd  # not at module level: Snakemake imports this module on every start (~0.8 s)

    first = ["name", "description", "design", "truth", "n_train", "n_val", "n_test", "p", "rho", "snr", "density",
             "k"]
    rows, labelled = [], []
    for s in config["scenarios"]:
        n_train, n_val, n_test = split_sizes(s, config["tuning"]["method"])
        used = {key: value for key, value in s.items() if key != "cell" and (key not in _APPLIES or _APPLIES[key](s))}
        cell = s.get("cell") or {}
        axes = [a for a in cell if a != "grid"]
        labelled += [a for a in axes if a not in s and a not in labelled]  # labelled axes: a column each
        rows.append({**used, "n_train": n_train, "n_val": n_val, "n_test": n_test, "grid": cell.get("grid", ""),
                     "grid_axes": " ".join(axes), **{a: cell[a] for a in axes if a not in s}})
    rest = ["n", "n_groups", "group_size", "group_noise", "support", "signs", "data", "target", "grid", "grid_axes"]
    df = pd.DataFrame(rows, columns=first + rest + labelled)
    df["study"] = config["study"]
    df["replicates"] = config["replicates"]
    return df


def wildcard_pattern(names) -> str:
    """A regex matching exactly the given names (for Snakemake's wildcard_constraints)."""
    return "|".join(re.escape(n) for n in names)
