"""islandcare entry point: `python run.py` (see README.md and `python run.py --help`)."""

import os
import sys

import hydra

from islandcare.hydra_app import task

# Hydra prints its own, partly stripped tracebacks; with this it raises instead, and islandcare.faults
# says in one message what went wrong (bad YAML, a full disk, a folder that cannot be written, ...).
# Set HYDRA_FULL_ERROR=1 yourself for Hydra's full traceback.
_FULL_ERROR = "HYDRA_FULL_ERROR" in os.environ
os.environ.setdefault("HYDRA_FULL_ERROR", "1")


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def main(cfg) -> None:
    task(cfg)


def run() -> None:
    try:
        main()
    except Exception as e:
        from islandcare.faults import explain

        message = None if _FULL_ERROR else explain(e)
        if message is None:
            raise  # a bug: the traceback is what a developer needs
        print(message, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    run()
