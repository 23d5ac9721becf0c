"""Build the archive: `python build.py` (see README.md). The engine lives in arshif/."""

from arshif.cli import run

if __name__ == "__main__":
    run()
