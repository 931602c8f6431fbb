"""The report of a short real run, rendered by headless Chromium.

Checks that the page loads without console messages (it has no scripts, so any message is an error),
that every figure decodes in the browser to a non-blank image, that the page needs no network, and
that its tables carry the run's numbers from summary.csv, and that the Chinese report (the default
for Shengsi: Chinese first, then English) is Chinese: the page's ``lang``, the headline table, and a
CJK font in its figures. Skipped only where Chromium is not installed (``make test`` installs the
Debian packages where it can).
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from report import style
from report.vocab import fmt

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).exists()), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0"]
# Appended to a copy of the page: draws every image into a canvas and records its size and pixel spread.
PROBE = """<script>
window.addEventListener('load', () => {
  const out = [...document.images].map(img => {
    const c = document.createElement('canvas'); const w = 200;
    const h = Math.max(1, Math.round(w * img.naturalHeight / Math.max(1, img.naturalWidth)));
    c.width = w; c.height = h; const g = c.getContext('2d'); g.drawImage(img, 0, 0, w, h);
    const d = g.getImageData(0, 0, w, h).data; let s = 0, s2 = 0, n = 0;
    for (let i = 0; i < d.length; i += 4) { const v = (d[i] + d[i+1] + d[i+2]) / 3; s += v; s2 += v * v; n++; }
    return {id: img.closest('figure') ? img.closest('figure').id : '', w: img.naturalWidth, h: img.naturalHeight,
            variance: s2 / n - (s / n) ** 2};
  });
  const pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def chromium(args: list[str], tmp: Path, timeout: float = 90) -> subprocess.CompletedProcess:
    profile = tmp / f"chromium-profile-{len(list(tmp.glob('chromium-profile-*')))}"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, timeout=timeout)


def console_messages(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ":CONSOLE" in ln]


class Tables(HTMLParser):
    """Cell texts of every table, by table id."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._id = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._id = dict(attrs).get("id", f"table{len(self.tables)}")
            self.tables[self._id] = []
        elif tag == "tr" and self._id:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._id].append(self._row)
            self._row = None
        elif tag == "table":
            self._id = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def reported_run(tmp_path_factory) -> Path:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; `make test` tries): "
                    "the report cannot be rendered in a browser here")
    tmp = tmp_path_factory.mktemp("report")
    run_dir = tmp / "run"
    res = subprocess.run([sys.executable, "run.py", "experiment.replications=2", "experiment.horizon_days=45",
                          "experiment.warmup_days=5", "experiment.progress=false", f"hydra.run.dir={run_dir}"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    res = subprocess.run([sys.executable, "run.py", "mode=report", f"input={run_dir}",
                          f"hydra.run.dir={tmp / 'report_job'}"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "Report written" in res.stdout
    return run_dir


# Every figure a simulation run of Shengsi has data for (a figure that fails or is skipped is a bug here;
# the report also runs strict: ISLANDCARE_REPORT_STRICT is set in tests/conftest.py).
RUN_FIGURES = {"map_archipelago_islands_links_resources", "time_to_definitive_care_by_island_condition",
               "within_target_share_by_condition_scenario", "transfers_by_mode_and_island",
               "weather_delay_and_closures_by_month", "occupancy_hospital_beds_care_homes_over_year",
               "care_waitlist_over_time", "circuit_visits_planned_vs_made_by_island_month",
               "cardiac_arrest_expected_survivors_by_island", "resource_ratios_vs_2025_targets"}


def drawn(run_dir: Path) -> set[str]:
    """The figures the run has something to show for: no waiting list for care homes, or every circuit
    visit made -> a sentence instead."""
    daily = pd.read_parquet(run_dir / "daily.parquet")
    waits = (daily.loc[daily["series"] == "care_waitlist", "value"] > 0).any()
    monthly = pd.read_parquet(run_dir / "monthly.parquet")
    visits = monthly[monthly["metric"].isin(["visits_planned", "visits_made"])]
    missed = visits.groupby(["island", "month", "metric"])["value"].sum().unstack("metric").fillna(0)
    missed = not missed.empty and (missed["visits_made"] != missed["visits_planned"]).any()
    return RUN_FIGURES - ({"care_waitlist_over_time"} if not waits else set()) - (
        {"circuit_visits_planned_vs_made_by_island_month"} if not missed else set())


def test_report_files(reported_run):
    page = reported_run / "report.html"
    assert page.exists()
    pngs = sorted((reported_run / "figures").glob("*.png"))
    pdfs = sorted((reported_run / "figures").glob("*.pdf"))
    assert [p.stem for p in pngs] == [p.stem for p in pdfs]
    # Shengsi's default language is both: each figure drawn once, bilingual (Chinese, then English), for both
    # halves of the page; without a CJK font once in English
    expected = {f"{n}_zh_en" for n in drawn(reported_run)} if style.cjk_font() else drawn(reported_run)
    assert {p.stem for p in pngs} == expected
    text = page.read_text(encoding="utf-8")
    if "care_waitlist_over_time" not in drawn(reported_run):  # said in a sentence, in both languages
        assert "not drawn (no one waited for a care-home place in this run)" in text and "本次运行中无人等候养老床位" in text
    # self-contained: no address outside the page itself
    assert not re.search(r'(src|href)="(?!data:|#)', text), re.findall(r'(?:src|href)="(?!data:|#)[^"]*"', text)[:3]
    assert "<script" not in text


def test_report_renders_without_console_errors_and_every_figure_shows(reported_run, tmp_path):
    page = (reported_run / "report.html").read_text(encoding="utf-8")
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    res = chromium(["--virtual-time-budget=10000", "--dump-dom", probe.as_uri()], tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    assert console_messages(res.stderr) == []
    found = re.search(r'<pre id="probe">(.*?)</pre>', res.stdout, re.S)
    assert found, "the probe did not run: page not loaded"
    images = json.loads(found.group(1).replace("&quot;", '"'))
    figures = re.findall(r'<figure id="([^"]+)"', page)
    assert [i["id"] for i in images] == figures and len(figures) == 2 * len(drawn(reported_run))
    for img in images:
        assert img["w"] > 500 and img["h"] > 300, img
        assert img["variance"] > 50, f"{img['id']} looks blank: {img}"
    # the embedded files themselves decode and are not blank
    for b64 in re.findall(r'src="data:image/png;base64,([^"]+)"', page):
        arr = np.asarray(Image.open(io.BytesIO(base64.b64decode(b64))).convert("L").resize((300, 200)), dtype=float)
        assert arr.std() > 5


def test_console_check_catches_a_script_error(tmp_path):
    """The console check above can fail: a page with an error produces a message it sees."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body>'
                   "<script>console.error('boom'); notDefined();</script></body></html>", encoding="utf-8")
    res = chromium(["--dump-dom", bad.as_uri()], tmp_path)
    msgs = console_messages(res.stderr)
    assert any("boom" in m for m in msgs) and any("notDefined" in m for m in msgs)


def test_screenshot_is_not_blank(reported_run, tmp_path):
    shot = tmp_path / "shot.png"
    res = chromium(["--hide-scrollbars", "--window-size=1200,2400", f"--screenshot={shot}",
                    (reported_run / "report.html").as_uri()], tmp_path)
    assert res.returncode == 0 and shot.exists(), res.stderr[-2000:]
    arr = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert arr.shape == (2400, 1200)
    assert arr.std() > 10  # text, tables and the map, not an empty page


def test_tables_carry_the_runs_numbers(reported_run):
    parser = Tables()
    parser.feed((reported_run / "report.html").read_text(encoding="utf-8"))
    summary = pd.read_csv(reported_run / "summary.csv")
    rows = parser.tables["en-summary-table"]
    assert rows[0] == ["island", "condition", "metric", "mean", "ci_low", "ci_high", "n"]
    shown = {(r[0], r[1], r[2]): r[3:] for r in rows[1:]}
    assert len(shown) == len(summary)
    for s in summary.itertuples(index=False):
        assert shown[(s.island, s.condition, s.metric)] == [fmt(s.mean, 4), fmt(s.ci_low, 4), fmt(s.ci_high, 4),
                                                             str(s.n)], (s.island, s.condition, s.metric)
    # headline table: the county's within-target share in percent
    wt = summary[(summary.island == "all") & (summary.condition == "all") & (summary.metric == "within_target_share")]
    head = {r[0]: r[1] for r in parser.tables["en-headline-table"][1:]}
    assert head["share within target time (%)"] == fmt(float(wt["mean"].iloc[0]) * 100)
    # by island: arrivals of each island as written by the run
    isl = {r[0]: r[1] for r in parser.tables["en-island-table"][1:]}
    arr = summary[(summary.condition == "all") & (summary.metric == "arrivals") & (summary.island == "sijiao")]
    assert isl["Sijiao"] == fmt(float(arr["mean"].iloc[0]))
    ratios = pd.read_csv(reported_run / "ratios.csv")
    got = [r[1] for r in parser.tables["en-ratios-table"][1:]]
    assert got == [fmt(v) for v in ratios["value"]]
    # the Chinese tables carry the same numbers
    zh_isl = {r[0]: r[1] for r in parser.tables["zh-island-table"][1:]}
    assert zh_isl["泗礁"] == isl["Sijiao"]


# Read in the browser: the document's language, the first table's header and first row, the Chinese
# figures' font (data-font) and the computed font family of the Chinese block.
LANG_PROBE = """<script>
window.addEventListener('load', () => {
  const zh = document.getElementById('lang-zh');
  const head = document.getElementById('zh-headline-table');
  const out = {lang: document.documentElement.lang, zhFirst: document.querySelector('div.lang') === zh,
               header: [...head.querySelectorAll('th')].map(t => t.textContent),
               firstRow: [...head.querySelectorAll('tbody tr:first-child td')].map(t => t.textContent),
               fonts: [...zh.querySelectorAll('figure')].map(f => f.dataset.font),
               family: getComputedStyle(zh).fontFamily,
               banner: !!document.querySelector('.warn')};
  const pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def test_chinese_report_in_the_browser(reported_run, tmp_path):
    page = (reported_run / "report.html").read_text(encoding="utf-8")
    probe = tmp_path / "probe_zh.html"
    probe.write_text(page.replace("</body>", LANG_PROBE + "</body>"), encoding="utf-8")
    res = chromium(["--virtual-time-budget=10000", "--dump-dom", probe.as_uri()], tmp_path)
    found = re.search(r'<pre id="probe">(.*?)</pre>', res.stdout, re.S)
    assert found, res.stderr[-2000:]
    got = json.loads(found.group(1).replace("&quot;", '"'))
    assert got["lang"] == "zh-CN" and got["zhFirst"] and not got["banner"]
    assert got["header"] == ["指标（全县）", "均值", "95%置信区间", "样本数"]
    assert got["firstRow"][0] == "目标时间内得到治疗的比例（%）"
    assert "CJK" in got["family"]
    if style.cjk_font() is None:
        pytest.skip("no CJK font: the Chinese figures are in English (the page says so)")
    assert got["fonts"] and all("CJK" in f for f in got["fonts"]), got["fonts"]
    # and the fonts embedded in the Chinese PDFs are that CJK font (besides DejaVu for Latin glyphs)
    pdf = (reported_run / "figures" / "transfers_by_mode_and_island_zh_en.pdf").read_bytes()
    assert re.search(rb"/BaseFont /[A-Z]{6}\+NotoSansCJK", pdf)
