"""Finding and reading edelear's results for the notebooks in this folder.

The paper's results live in one folder (default ``../results/paper`` next to this file, or the
``EDELEAR_RESULTS`` environment variable): the output of ``edelear compare
scenarios/paper-edelear.yaml`` (table1.csv … table5.csv, claims.csv, compare.csv,
compression_study.csv) and of ``edelear run scenarios/federated.yaml`` (fl_rounds.csv,
fl_baselines.csv, claims.csv, …). The two write a ``claims.csv`` each, so they sit in two folders:
the compare output in the results folder itself or in its ``compare/`` subfolder, the federated
output in its ``federated/`` subfolder (or ``EDELEAR_FL_RESULTS``).

Nothing here computes a result: it locates files, reads them with pandas and formats figures.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DEFAULT_RESULTS = HERE.parent / "results" / "paper"
HOW_TO_MAKE = (
    "make it with `npm start` (writes results/paper/), or point EDELEAR_RESULTS at the folder "
    "`edelear compare scenarios/paper-edelear.yaml --out DIR` wrote"
)

# Jupyter's Vega-Lite renderer (JupyterLab, Notebook 7, VS Code) takes this mime type.
VEGA_LITE_MIME = "application/vnd.vegalite.v5+json"
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def results_dir() -> Path:
    """The results folder: $EDELEAR_RESULTS, else ../results/paper relative to this folder."""
    env = os.environ.get("EDELEAR_RESULTS")
    path = Path(env).expanduser() if env else DEFAULT_RESULTS
    if not path.is_dir():
        where = f"EDELEAR_RESULTS={env}" if env else "the default results folder"
        raise FileNotFoundError(f"{path}: no such folder ({where}); {HOW_TO_MAKE}")
    return path.resolve()


def _first_with(candidates: list[Path], marker: str) -> Path | None:
    for c in candidates:
        if (c / marker).is_file():
            return c.resolve()
    return None


def compare_dir() -> Path:
    """The folder holding the paper comparison (marked by table5.csv, which compare always writes with the paper tables)."""
    root = results_dir()
    found = _first_with([root, root / "compare"], "table5.csv")
    if found is None:
        raise FileNotFoundError(f"{root}: neither it nor {root / 'compare'} holds table5.csv (the paper comparison); {HOW_TO_MAKE}")
    return found


def federated_dir() -> Path | None:
    """The folder holding the federated experiment (marked by fl_rounds.csv), or None when there is none."""
    env = os.environ.get("EDELEAR_FL_RESULTS")
    if env:
        path = Path(env).expanduser()
        if not (path / "fl_rounds.csv").is_file():
            raise FileNotFoundError(f"{path / 'fl_rounds.csv'}: missing (EDELEAR_FL_RESULTS={env}); write it with `edelear run scenarios/federated.yaml --out {env}`")
        return path.resolve()
    root = results_dir()
    return _first_with([root / "federated", root], "fl_rounds.csv")


def read_csv(folder: Path, name: str) -> pd.DataFrame:
    """One CSV of a results folder; a clear error naming the file when it is missing."""
    path = folder / name
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing; {HOW_TO_MAKE}")
    return pd.read_csv(path)


def manifest(folder: Path) -> dict:
    """The run's manifest.json (scenario, seed, version, git commit), or {} when absent."""
    path = folder / "manifest.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def describe(folder: Path) -> str:
    """One line saying what wrote a results folder."""
    m = manifest(folder)
    scenario = m.get("scenario") or {}
    overrides = " ".join(f"--set {o}" for o in scenario.get("overrides", []))
    seeds = (m.get("comparison") or {}).get("seeds")
    seed = f"seeds {', '.join(map(str, seeds))}" if seeds else f"first seed {m.get('seed', '?')}"
    commit = str(m.get("gitCommit", "?"))[:10]
    return f"{folder}: {scenario.get('file', '?')} {overrides}".rstrip() + f", {seed}, edelear {m.get('version', '?')} at commit {commit}"


def with_ci(df: pd.DataFrame, stem: str, digits: int = 3, scale: float = 1.0) -> pd.Series:
    """'mean [low, high]' from the columns <stem>_mean, <stem>_ci95_low, <stem>_ci95_high (blank where the mean is blank)."""
    mean, low, high = (df[f"{stem}_{part}"] * scale for part in ("mean", "ci95_low", "ci95_high"))

    def cell(m: float, lo: float, hi: float) -> str:
        if pd.isna(m):
            return ""
        if pd.isna(lo) or pd.isna(hi):
            return f"{m:.{digits}f}"
        return f"{m:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"

    return pd.Series([cell(m, lo, hi) for m, lo, hi in zip(mean, low, high)], index=df.index, dtype=object)


def first_clause(text: object) -> str:
    """The text up to its first ': ' or ' (' — the arm or subject a long description opens with."""
    if not isinstance(text, str):
        return ""
    cut = [i for i in (text.find(": "), text.find(" (")) if i > 0]
    return text[: min(cut)] if cut else text


def short(text: object, width: int = 90) -> str:
    """A long description cut at its first '; ' and then to `width` characters (with an ellipsis)."""
    if not isinstance(text, str):
        return ""
    head = text.split("; ")[0]
    return head if len(head) <= width else head[: width - 1] + "…"


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON values (blank cells as null), for a chart's inline data."""
    return json.loads(df.to_json(orient="records"))


def vega_lite(spec: dict, description: str) -> None:
    """Shows a Vega-Lite spec with the mime type Jupyter renders; the text fallback says what the chart is."""
    from IPython.display import display

    spec = {"$schema": VEGA_LITE_SCHEMA, **spec}
    display({VEGA_LITE_MIME: spec, "text/plain": f"<Vega-Lite chart: {description}>"}, raw=True)
