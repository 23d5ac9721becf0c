"""Stage 6: write the site into a staging folder, then swap it in for the published one.

A failed build never touches the published folder: everything goes to `.NAME.staging` beside
it, and only a complete site is renamed into place. The writer refuses to write one path
twice or anywhere outside the staging folder, and refuses to replace a folder it did not
build (a marker file says which folders are ours).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from .errors import ArshifError

MARKER = ".arshif-site"
MARKER_TEXT = b"This folder is written by Arshif; a build replaces it entirely.\n"


class SiteWriter:
    def __init__(self, out_dir: Path, protected: list[Path]) -> None:
        self.out = out_dir.resolve()
        check_output_dir(self.out, protected)
        self.stage = self.out.parent / f".{self.out.name}.staging"
        self.written: dict[str, int] = {}
        if self.stage.exists():
            shutil.rmtree(self.stage)
        self.stage.mkdir(parents=True)

    def _dest(self, rel: str) -> Path:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts or rel.startswith("."):
            raise ArshifError(f"refusing to write outside the output folder: {rel!r}")
        if rel in self.written:
            raise ArshifError(f"two pages want the same output path: {rel}")
        return self.stage.joinpath(*pure.parts)

    def write(self, rel: str, data: bytes) -> None:
        dest = self._dest(rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        self.written[rel] = len(data)

    def copy_tree(self, src: Path, prefix: str = "") -> None:
        """Copy a static folder in, skipping hidden files (editor backups, .DS_Store)."""
        if not src.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(src):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                file = Path(dirpath) / name
                rel = (PurePosixPath(prefix) / file.relative_to(src).as_posix()).as_posix()
                self.write(rel, file.read_bytes())

    def publish(self) -> None:
        """Swap the finished staging folder in for the published site."""
        (self.stage / MARKER).write_bytes(MARKER_TEXT)
        old = self.out.parent / f".{self.out.name}.old"
        if old.exists():
            shutil.rmtree(old)
        if self.out.exists():
            os.replace(self.out, old)
        os.replace(self.stage, self.out)
        if old.exists():
            shutil.rmtree(old)

    def abort(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)


def check_output_dir(out: Path, protected: list[Path]) -> None:
    """Refuse output folders whose replacement would destroy sources or unrelated files."""
    for path in protected:
        path = path.resolve()
        if out == path or out in path.parents:
            raise ArshifError(
                f"output folder {out} contains {path}; choose a separate folder such as _site"
            )
    if out == Path(out.anchor) or out == Path.home():
        raise ArshifError(f"refusing to use {out} as the output folder")
    if out.exists():
        if not out.is_dir():
            raise ArshifError(f"output path {out} exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise ArshifError(
                f"output folder {out} is not empty and was not built by Arshif; "
                "refusing to replace it (empty it or choose another folder)"
            )
