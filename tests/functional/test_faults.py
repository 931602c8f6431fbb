"""No traceback for a mistake of the user or a fault of the machine: a bad YAML file or an unsafe tag
in a --config-dir file, an output folder that cannot be written (also for Hydra's own log set-up), a
file in the way, a full disk. Each gives a short message naming the path and what to do, exit 1."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TINY = ["scenario.data_dir=tests/data/tiny", "scenario.name=tiny", "scenario.lang=en"]
SHORT = ["experiment.horizon_days=3", "experiment.warmup_days=1", "experiment.replications=1",
         "experiment.workers=1", "experiment.progress=false", "experiment.report=false"]


def run_py(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env=env)


def assert_clean_failure(res: subprocess.CompletedProcess, *needles: str) -> None:
    assert res.returncode == 1, res.stdout[-2000:] + res.stderr[-2000:]
    assert "Traceback" not in res.stderr and "HYDRA_FULL_ERROR" not in res.stderr, res.stderr
    for n in needles:
        assert n in res.stderr, res.stderr


# --- config files ----------------------------------------------------------------------------------------
def test_a_yaml_syntax_error_names_the_file_and_line(tmp_path):
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "broken.yaml").write_text("name: broken\ndoctors: {hospital: 3\n")
    res = run_py("--config-dir", str(tmp_path), "policy=broken", "mode=summary", *TINY,
                 f"hydra.run.dir={tmp_path / 'out'}")
    assert_clean_failure(res, f"{tmp_path / 'policy' / 'broken.yaml'}:3:")


def test_an_unsafe_tag_is_refused_and_never_executed(tmp_path):
    marker = tmp_path / "executed"
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "evil.yaml").write_text(
        f'name: evil\nx: !!python/object/apply:os.system ["touch {marker}"]\n')
    res = run_py("--config-dir", str(tmp_path), "policy=evil", "mode=summary", *TINY,
                 f"hydra.run.dir={tmp_path / 'out'}")
    assert_clean_failure(res, f"{tmp_path / 'policy' / 'evil.yaml'}:2:", "no !!python tags")
    assert not marker.exists()


def test_a_misspelled_key_is_a_message_not_a_traceback(tmp_path):
    res = run_py("mode=summary", "experiment.replicatons=3", f"hydra.run.dir={tmp_path / 'out'}")
    assert_clean_failure(res, "replicatons")


# --- output folders ------------------------------------------------------------------------------------------
@pytest.fixture
def read_only(tmp_path):
    """A folder this process cannot write (chmod; for root, the immutable attribute), or a skip."""
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "run").mkdir()
    folder.chmod(0o555)
    (folder / "run").chmod(0o555)
    undo = [lambda: (folder / "run").chmod(0o755), lambda: folder.chmod(0o755)]
    if os.access(folder, os.W_OK) and shutil.which("chattr"):  # root ignores modes
        for d in (folder / "run", folder):
            if subprocess.run(["chattr", "+i", str(d)], capture_output=True).returncode == 0:
                undo.insert(0, lambda d=d: subprocess.run(["chattr", "-i", str(d)], capture_output=True))
    try:
        (folder / "probe").touch()
        (folder / "probe").unlink()
        writable = True
    except OSError:
        writable = False
    yield None if writable else folder
    for u in undo:
        u()


@pytest.mark.parametrize("where", ["new", "existing"])
def test_a_read_only_output_folder(read_only, where):
    """'new': Hydra cannot create the run folder; 'existing': it cannot open its log file there."""
    if read_only is None:
        pytest.skip("cannot make a folder read-only here (no permission bits, no chattr)")
    target = read_only / ("run/new" if where == "new" else "run")
    res = run_py("mode=summary", *TINY, f"hydra.run.dir={target}")
    assert_clean_failure(res, "Cannot write", str(target), "hydra.run.dir")


def test_a_read_only_sweep_folder(read_only):
    if read_only is None:
        pytest.skip("cannot make a folder read-only here (no permission bits, no chattr)")
    res = run_py("-m", "mode=run", "experiment.seed=1,2", *TINY, *SHORT, f"hydra.sweep.dir={read_only / 'sweep'}")
    assert_clean_failure(res, "Cannot write", str(read_only / "sweep"))


def test_a_file_where_the_output_folder_should_be(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    res = run_py("mode=summary", *TINY, f"hydra.run.dir={tmp_path / 'afile' / 'run'}")
    assert_clean_failure(res, "a file is in the way", str(tmp_path / "afile"))


def test_a_full_disk_names_the_file_and_exits_1(tmp_path, monkeypatch, capsys):
    """The results are written at the end of a run: a full disk there is one message, not a traceback."""
    from hydra import compose, initialize_config_dir

    import experiments.io
    from islandcare import hydra_app

    with initialize_config_dir(config_dir=str(ROOT / "conf"), version_base="1.3"):
        cfg = compose("config", overrides=[*TINY, *SHORT, f"scenario.data_dir={ROOT / 'tests/data/tiny'}"])

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(experiments.io.os, "fsync", no_space)
    monkeypatch.setattr(hydra_app, "output_dir", lambda: tmp_path / "run")
    with pytest.raises(SystemExit) as e:
        hydra_app.task(cfg)
    assert e.value.code == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "disk full" in err and str(tmp_path / "run") in err
    assert not (tmp_path / "run" / "DONE.json").exists()


def test_a_job_of_a_sweep_that_fails_says_why_and_lets_the_others_run(tmp_path, monkeypatch, capsys):
    """In a sweep, a job stopping on a fault records why (FAILED.json) and returns; the end of the sweep
    reports it and exits 1 (tests/unit/test_resume.py)."""
    from hydra import compose, initialize_config_dir

    from islandcare import hydra_app

    with initialize_config_dir(config_dir=str(ROOT / "conf"), version_base="1.3"):
        cfg = compose("config", overrides=[*TINY, *SHORT, "experiment.seed=-1"])
    monkeypatch.setattr(hydra_app, "output_dir", lambda: tmp_path / "0")
    monkeypatch.setattr(hydra_app, "_multirun", lambda: True)
    hydra_app.task(cfg)  # no SystemExit
    assert "experiment.seed" in capsys.readouterr().err
    assert "experiment.seed" in (tmp_path / "0" / "FAILED.json").read_text()
