"""What to tell the user instead of a traceback: bad input, a bad YAML file, a full disk, a folder that
cannot be written, another run in the same folder.

:func:`explain` turns such an error into a short message naming the file or key and what to do; it
returns None for anything else (a bug in islandcare: then the traceback is what a developer needs).
``run.py`` and ``islandcare.hydra_app`` print the message and exit with status 1.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator

OUTPUT_HINT = "hydra.run.dir=<folder> (hydra.sweep.dir=<folder> for -m)"


def _chain(e: BaseException) -> Iterator[BaseException]:
    """The error and those it was raised from or during (Hydra wraps what it meets)."""
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        yield e
        e = e.__cause__ or e.__context__


def explain(e: BaseException) -> str | None:
    """A message for an error the user or the machine caused, or None (a bug: show the traceback)."""
    from experiments.resume import FolderBusy
    from scenarios.errors import InputError

    chain = list(_chain(e))
    for x in chain:
        if isinstance(x, InputError):
            return x.render()
        if isinstance(x, FolderBusy):
            return f"Not started: {x}"
    for x in chain:
        msg = _yaml(x)
        if msg:
            return msg
    for x in chain:
        if isinstance(x, OSError):
            return _os(x)
    for x in chain:
        msg = _config(x)
        if msg:
            return msg
    return None


def _yaml(x: BaseException) -> str | None:
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML comes with Hydra
        return None
    if not isinstance(x, yaml.YAMLError):
        return None
    mark = getattr(x, "problem_mark", None) or getattr(x, "context_mark", None)
    where = f"{mark.name}:{mark.line + 1}:{mark.column + 1}" if mark is not None else "a YAML file"
    what = " ".join(str(getattr(x, "problem", None) or x).split())
    if isinstance(x, yaml.constructor.ConstructorError):
        what += " (only plain YAML is read: values, lists and mappings, no !!python tags)"
    return f"{where}: {what}. Fix the YAML of that file (it was not used)."


def _os(x: OSError) -> str:
    path = x.filename or "a file"
    reason = x.strerror or type(x).__name__
    if x.errno == errno.ENOSPC or x.errno == errno.EDQUOT:
        return (f"Cannot write {path}: {reason} (disk full). Free some space, or write the results elsewhere: "
                f"{OUTPUT_HINT}.")
    if x.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"Cannot write {path}: {reason}. Give a folder you may write to, {OUTPUT_HINT}, or change "
                f"the folder's permissions.")
    if x.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        return (f"Cannot use {path} as a folder: {reason} (a file is in the way). Remove it, or give another "
                f"folder: {OUTPUT_HINT}.")
    return f"{path}: {reason}. Check the path, or write the results elsewhere: {OUTPUT_HINT}."


def _config(x: BaseException) -> str | None:
    """Hydra's and OmegaConf's own errors about the command line or config files (no traceback)."""
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    if not isinstance(x, (HydraException, OmegaConfBaseException)):
        return None
    text = str(x).strip()
    cause = x.__cause__
    if cause is not None and str(cause).strip() and str(cause).strip() not in text:
        text += "\n" + str(cause).strip()
    return text or type(x).__name__
