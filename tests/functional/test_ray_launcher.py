"""The Hydra Ray launcher (the `ray` extra) against a real local Ray head started here: a 4-job sweep
through hydra/launcher=ray_cluster equals the same sweep with the local launcher (scripts/compare_sweeps.py).
Skipped where the extra is not installed (`make test`); `make ray-test` installs it in its own venv."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytest.importorskip("hydra_plugins.hydra_ray_launcher", reason="the ray extra is not installed (make ray-test)")

ROOT = Path(__file__).resolve().parents[2]
RAY = Path(sys.executable).with_name("ray")
PORT = int(os.environ.get("RAY_TEST_PORT", "26379"))  # GCS; +1 client server; worker ports +21..+220
SWEEP = ["policy=baseline,plan2025", "++policy.boats.sijiao=1,2", "experiment.horizon_days=10",
         "experiment.warmup_days=1", "experiment.replications=1", "experiment.report=false",
         "experiment.progress=false", "experiment.workers=1"]


@pytest.fixture(scope="module")
def ray_head():
    """`ray start --head --block` in its own session; stopped (and its process group killed) at the end."""
    temp = tempfile.mkdtemp(prefix="icray", dir="/tmp")  # short: Ray puts unix sockets under it
    log = open(Path(temp) / "head.log", "w")  # noqa: SIM115 - closed below
    head = subprocess.Popen(
        [str(RAY), "start", "--head", "--block", "--num-cpus=2", f"--port={PORT}",
         f"--ray-client-server-port={PORT + 1}", f"--min-worker-port={PORT + 21}", f"--max-worker-port={PORT + 220}",
         "--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={temp}"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"})
    address = f"127.0.0.1:{PORT}"
    try:
        deadline = time.time() + 120
        while subprocess.run([str(RAY), "status", f"--address={address}"], capture_output=True).returncode != 0:
            assert head.poll() is None, (Path(temp) / "head.log").read_text()[-3000:]
            assert time.time() < deadline, "the Ray head did not come up in 120 s"
            time.sleep(1)
        yield address
    finally:
        head.send_signal(signal.SIGTERM)  # --block: stops the head's processes
        with contextlib.suppress(subprocess.TimeoutExpired):
            head.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(head.pid, signal.SIGKILL)
        head.wait()
        log.close()
        shutil.rmtree(temp, ignore_errors=True)


def run_sweep(dest: Path, *extra: str) -> None:
    res = subprocess.run([sys.executable, "run.py", "-m", *extra, *SWEEP, f"hydra.sweep.dir={dest}"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]


def test_ray_sweep_equals_local_sweep(ray_head, tmp_path):
    run_sweep(tmp_path / "ray", "hydra/launcher=ray_cluster", f"hydra.launcher.ray.init.address={ray_head}")
    run_sweep(tmp_path / "local")
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "compare_sweeps.py"), str(tmp_path / "local"),
                          str(tmp_path / "ray"), "--jobs", "4"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "identical" in res.stdout
