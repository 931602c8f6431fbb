"""islandcare entry point: `python run.py` (see README.md and `python run.py --help`)."""

import hydra

from islandcare.hydra_app import task


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def main(cfg) -> None:
    task(cfg)


if __name__ == "__main__":
    main()
