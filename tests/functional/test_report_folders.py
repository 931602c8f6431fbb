"""The report of run folders that are not a plain finished run: unfinished, without their metadata, with
the newer result files (face validation, results by sea state), and a figure that breaks.

One short run of the tiny scenario is made once; each test reports on its own copy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from report import build
from report.build import FigureError, write_report

ROOT = Path(__file__).resolve().parents[2]
TINY = ["scenario.data_dir=tests/data/tiny", "scenario.name=tiny", "experiment.horizon_days=20",
        "experiment.warmup_days=0", "experiment.replications=2", "experiment.progress=false"]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> Path:
    run_dir = tmp_path_factory.mktemp("tiny") / "run"
    res = subprocess.run([sys.executable, "run.py", *TINY, "experiment.report=false", f"hydra.run.dir={run_dir}"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    return run_dir


def copy_run(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def report_cli(folder: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "run.py", "mode=report", f"input={folder}", *extra,
                           f"hydra.run.dir={tmp_path / 'report_job'}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("remove, why", [("DONE.json", "no DONE.json"), ("summary.csv", "summary.csv missing")])
def test_unfinished_run_is_reported_as_incomplete_at_the_top(tiny_run, tmp_path, remove, why):
    run = copy_run(tiny_run, tmp_path / "run")
    (run / remove).unlink()
    res = report_cli(run, tmp_path, "report.lang=en")
    assert res.returncode == 0, res.stderr[-2000:]
    assert "incomplete" in res.stdout
    page = (run / "report.html").read_text(encoding="utf-8")
    body = page.split('<div class="lang" lang="en" id="lang-en">', 1)[1]
    assert body.startswith('<p class="warn" id="en-incomplete">This run is incomplete: ')  # the first thing shown
    assert why in body.split("</p>", 1)[0]


def test_a_folder_with_nothing_to_report_is_a_clear_error(tiny_run, tmp_path):
    empty = tmp_path / "started"
    (empty / ".hydra").mkdir(parents=True)
    shutil.copy(tiny_run / ".hydra" / "config.yaml", empty / ".hydra" / "config.yaml")
    res = report_cli(empty, tmp_path)
    assert res.returncode == 1
    assert "nothing to report" in res.stderr and "Traceback" not in res.stderr


def test_old_run_without_run_meta_gets_a_note_not_a_traceback(tiny_run, tmp_path):
    run = copy_run(tiny_run, tmp_path / "run")
    (run / "run_meta.json").unlink()
    page = write_report(run, "en").read_text(encoding="utf-8")
    assert "run_meta.json not found" in page
    assert "The archipelago: not drawn (no geography" in page
    assert 'id="en-fig-time_to_definitive_care_by_island_condition"' in page  # the rest is there


def test_face_validation_and_bad_weather_tables(tiny_run, tmp_path):
    run = copy_run(tiny_run, tmp_path / "run")
    pd.DataFrame({"indicator": ["stroke admissions per year", "helicopter missions per year"],
                  "model_mean": [310.0, 40.0], "model_ci_low": [300.0, 35.0], "model_ci_high": [320.0, 45.0],
                  "reference": [320.0, 90.0], "reference_low": [280.0, 70.0], "reference_high": [360.0, 110.0],
                  "source": ["[IJPH12]", "[HE]"], "within": [True, False]}).to_csv(run / "face_validation.csv",
                                                                                  index=False)
    rows = []
    for rep in (0, 1):
        for state, ttc, share in (("calm", 100.0, 0.9), ("gale", 400.0, 0.2)):
            for isl in ("all", "far"):
                for cond in ("stroke", "cardiac_arrest"):
                    rows += [(rep, state, isl, cond, "arrivals", 10.0 + rep),
                             (rep, state, isl, cond, "time_to_definitive_care_min_mean", ttc + 10 * rep),
                             (rep, state, isl, cond, "within_target_share", share),
                             (rep, state, isl, cond, "weather_delay_min_mean", 0.0)]
    pd.DataFrame(rows, columns=["replication", "sea_state", "island", "condition", "metric", "value"]).to_parquet(
        run / "by_sea_state.parquet")
    monthly = pd.read_parquet(run / "monthly.parquet").assign(condition="all")
    extra = monthly.head(3).assign(condition="stroke", metric="within_target_share", value=0.5)
    pd.concat([monthly, extra]).to_parquet(run / "monthly.parquet")
    page = write_report(run, "both").read_text(encoding="utf-8")
    face = page.split('id="en-face-validation-table"', 1)[1].split("</table>", 1)[0]
    assert '<td class="ok">✓</td>' in face and '<td class="no">✗</td>' in face
    weather = page.split('id="en-weather-all"', 1)[1].split("</table>", 1)[0]
    # arrivals-weighted mean over replications: (100 x 10 + 110 x 11) / 21
    assert f"{(1000 + 1210) / 21:.0f} min · 90.0%" in weather
    assert "gale (force ≥ 8)" in weather and "烈风（≥8级）" in page
    assert 'id="en-weather-far"' in page and 'id="zh-weather-all"' in page


def test_a_failing_figure_is_an_error_when_strict_and_a_note_otherwise(tiny_run, tmp_path, monkeypatch):
    run = copy_run(tiny_run, tmp_path / "run")
    broken = build.RUN_FIGURES[3]

    def boom(kpis, w=None):
        raise ZeroDivisionError("a bug in one figure")

    monkeypatch.setattr(build, "RUN_FIGURES", (*build.RUN_FIGURES[:3], broken.__class__(broken.name, boom,
                                                                                         broken.needs)))
    with pytest.raises(FigureError, match="a bug in one figure"):
        write_report(run, "en", workers=1)
    monkeypatch.setenv(build.STRICT_ENV, "0")
    page = write_report(run, "en", workers=1).read_text(encoding="utf-8")
    assert "Emergency transfers: not drawn (failed: ZeroDivisionError: a bug in one figure)" in page


def test_same_bytes_whatever_the_number_of_drawing_processes(tiny_run, tmp_path):
    pages = []
    for workers in (1, 2):
        run = copy_run(tiny_run, tmp_path / f"w{workers}" / "run")
        pages.append(write_report(run, "both", workers=workers))
    a, b = (sorted((p.parent / "figures").iterdir()) for p in pages)
    assert [f.name for f in a] == [f.name for f in b] and len(a) >= 10  # bilingual figures, PNG and PDF
    for fa, fb in zip(a, b, strict=True):
        assert fa.read_bytes() == fb.read_bytes(), fa.name
    assert pages[0].read_bytes() == pages[1].read_bytes()
