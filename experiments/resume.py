"""Finished means finished: completion markers that vouch for the files beside them, and folder locks.

A job folder is *complete* only when its ``DONE.json`` parses, carries the configuration hash the job
would have now, and every result file it lists exists with the size and SHA-256 digest recorded when
it was written. Anything else (a truncated, deleted or corrupted file, a marker from another
configuration, no marker) means the job is redone. A run takes an exclusive lock on its folder
(:class:`FolderLock`, an ``flock`` on ``.lock``) before it removes the old marker, so two runs never
write into one folder at once; the lock dies with its process, so a killed run leaves no stale lock.

Nothing here knows Hydra; ``islandcare.modes`` and ``islandcare.callbacks`` call it.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from experiments.io import atomic_write_text, config_hash

DONE = "DONE.json"
FAILED = "FAILED.json"  # a job of a sweep that stopped on bad input or a fault says why (islandcare.hydra_app)
LOCK = ".lock"
MARKER_VERSION = 2  # version 1 (a hash alone) vouched for no file: such folders are redone

# Keys that change how a job runs or is reported, not what it computes: a finished job stays finished
# when they change (experiment.reference only chooses the job a sweep compares against).
NOT_IN_RESULTS = {"experiment": ("workers", "progress", "report", "resume", "reference"),
                  "report": ("lang", "workers"), "scenario": ("lang",)}


def results_hash(plain: Mapping) -> str:
    """Hash of the configuration that determines the results (what the completion marker records).

    Parameters
    ----------
    plain : mapping
        The composed configuration as plain values (no ``hydra`` node).
    """
    trimmed = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in plain.items()}
    for group, keys in NOT_IN_RESULTS.items():
        for key in keys:
            if isinstance(trimmed.get(group), dict):
                trimmed[group].pop(key, None)
    return config_hash(trimmed)


def file_digest(path: Path) -> dict[str, object]:
    """``{"bytes": size, "sha256": hex digest}`` of a file as it is on disk."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return {"bytes": size, "sha256": h.hexdigest()}


def write_marker(folder: Path, chash: str, files: Iterable[str], **extra: object) -> None:
    """Write ``DONE.json`` last: the configuration hash and the digest of every listed result file.

    The digests are taken from the files on disk, so the marker vouches for what a later run will read.
    """
    folder = Path(folder)
    record = {"version": MARKER_VERSION, "config_hash": chash, **extra,
              "files": {name: file_digest(folder / name) for name in files}}
    atomic_write_text(folder / DONE, json.dumps(record, indent=2, sort_keys=True))


def remove_marker(folder: Path) -> None:
    (Path(folder) / DONE).unlink(missing_ok=True)


@dataclass(frozen=True)
class RunState:
    """Whether a folder holds finished results, and if not, why (for messages and sweep_status.json)."""

    complete: bool
    reason: str = ""
    config_hash: str | None = None


def run_state(folder: Path, chash: str | None = None) -> RunState:
    """Is ``folder`` a finished run (of configuration ``chash``, when given)?

    Reads every file the marker lists (sizes first, then digests), so a truncated, deleted or
    corrupted file is found; a marker that does not parse, or lists no files, is not complete.
    """
    folder = Path(folder)
    marker = folder / DONE
    try:
        record = json.loads(marker.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return RunState(False, f"no {DONE}")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return RunState(False, f"{DONE} unreadable")
    if not isinstance(record, dict) or not isinstance(record.get("files"), dict) or not record["files"]:
        return RunState(False, f"{DONE} lists no result files (written by an older version)")
    found = record.get("config_hash")
    if chash is not None and found != chash:
        return RunState(False, f"results of another configuration (hash {found}, now {chash})", found)
    for name, want in sorted(record["files"].items()):
        path = folder / name
        try:
            if not path.is_file():
                return RunState(False, f"{name} missing", found)
            if path.stat().st_size != want.get("bytes"):
                return RunState(False, f"{name} has {path.stat().st_size} bytes, {want.get('bytes')} written",
                                found)
            if file_digest(path)["sha256"] != want.get("sha256"):
                return RunState(False, f"{name} changed since it was written", found)
        except OSError as e:
            return RunState(False, f"{name} unreadable ({e.strerror})", found)
    return RunState(True, "", found)


class FolderBusy(Exception):
    """Another process holds the folder's lock."""

    def __init__(self, folder: Path, holder: str):
        self.folder, self.holder = Path(folder), holder
        super().__init__(f"{folder} is in use by another run ({holder}): wait for it to finish, or write "
                         f"into another folder (hydra.run.dir=... or hydra.sweep.dir=...)")


class FolderLock:
    """An exclusive, non-blocking lock on a results folder, held until :meth:`release` (or process exit).

    ``flock`` locks belong to the open file, so the kernel drops them when the process dies: a killed
    run never leaves a stale lock behind, whatever ``.lock`` still says. On a file system without
    locks the folder is used unlocked (``locked`` is then False).
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.locked = False
        self._fh = None

    def acquire(self) -> FolderLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / LOCK
        fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                fh.seek(0)
                holder = fh.read().strip() or "unknown process"
                fh.close()
                raise FolderBusy(self.folder, holder) from None
            if e.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                self._fh = fh  # no locks on this file system: go on without one
                return self
            fh.close()
            raise
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
        fh.flush()
        self._fh, self.locked = fh, True
        return self

    def release(self) -> None:
        if self._fh is not None:
            if self.locked:
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
        self._fh, self.locked = None, False

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
