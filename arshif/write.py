"""Stage 6: stage the changed files, then publish them; the published folder is never half-built.

Every file goes first to `.NAME.staging` beside the output folder, and nothing in the output
changes until the whole site has rendered: a failed build leaves the published site as it
was. Publishing then takes one of two routes:

- a first or clean build (no manifest of the published folder) swaps the complete staging
  folder in for the old one;
- an incremental build stages only the files whose bytes changed and moves each into place
  with `os.replace` (atomic per file), new files first and deletions last, so a page never
  links to a file that is not there yet. Its cost is proportional to the change.

The writer refuses to write one path twice or outside the output folder, and refuses to
replace a folder it did not build (the `.arshif-site` marker says which folders are ours).
It hands the manifest of what it published (size, mtime and input fingerprint of each file)
to the cache, so the next build can tell which files are still current.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ArshifError
from .stamp import MARKER as MARKER  # the folder-is-ours marker, defined with the stamp

MARKER_TEXT = b"This folder is written by Arshif; builds replace its files. Do not edit here.\n"


@dataclass(frozen=True)
class Output:
    """What the manifest remembers about one published file."""

    fingerprint: str | None  # of the inputs it was rendered from; None: always re-render
    size: int
    mtime_ns: int


class SiteWriter:
    def __init__(
        self,
        out_dir: Path,
        protected: list[Path],
        previous: Mapping[str, Output] | None = None,
    ) -> None:
        self.out = out_dir.resolve()
        self._out = str(self.out)
        check_output_dir(self.out, protected)
        self.stage = self.out.parent / f".{self.out.name}.staging"
        self.previous = trusted_manifest(self.out, previous)
        self.manifest: dict[str, Output] = {}
        self.written: dict[str, int] = {}  # staged: path -> bytes
        self.removed: list[str] = []
        if self.stage.exists():
            shutil.rmtree(self.stage)
        self.stage.mkdir(parents=True)

    @property
    def incremental(self) -> bool:
        return self.previous is not None

    def _claim(self, rel: str) -> None:
        """Check that `rel` is a fresh path inside the folder."""
        _check_inside(rel)
        self._claim_fresh(rel)

    def _claim_fresh(self, rel: str) -> None:
        if rel in self.manifest:
            raise ArshifError(f"two pages want the same output path: {rel}")

    def is_current(self, rel: str, fingerprint: str | None) -> bool:
        """True, and `rel` kept, when it was published from the same inputs and is still on
        disk exactly as it was left (same size and mtime)."""
        if not self.unchanged(rel, fingerprint):
            return False
        self.keep(rel)
        return True

    def unchanged(self, rel: str, fingerprint: str | None) -> bool:
        """`is_current` without keeping anything: safe to ask from a build worker."""
        return published_unchanged(self._out, self.previous, rel, fingerprint)

    def intact(self, rel: str) -> bool:
        """`unchanged` for a file whose inputs are known to be those it was published from."""
        before = self.previous.get(rel) if self.previous is not None else None
        return before is not None and self.unchanged(rel, before.fingerprint)

    def keep(self, rel: str) -> None:
        """Publish `rel` as it is, after `unchanged` said it may be. (Its path is in the last
        manifest, which holds only paths checked as this one would be: 23,000 of them in an
        addition at 10,000 articles.)"""
        assert self.previous is not None
        self._claim_fresh(rel)
        self.manifest[rel] = self.previous[rel]

    def write(self, rel: str, data: bytes, fingerprint: str | None = None) -> None:
        """Stage `data` for `rel`, unless the published file already holds exactly these bytes."""
        self.record(rel, *self.stage_file(rel, data, fingerprint))

    def stage_file(self, rel: str, data: bytes, fingerprint: str | None) -> tuple[Output, bool]:
        """`write` without recording anything: safe to call from a build worker, which
        hands the result to `record`. True when the bytes were staged, False when the
        published file already holds them."""
        _check_inside(rel)
        if self.previous is not None:
            live = self.out / rel
            try:
                st = live.stat()
                if st.st_size == len(data) and live.read_bytes() == data:
                    return Output(fingerprint, st.st_size, st.st_mtime_ns), False
            except OSError:
                pass
        dest = self.stage / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        # os.replace and the folder swap keep the inode, so this mtime is the published one.
        return Output(fingerprint, len(data), dest.stat().st_mtime_ns), True

    def record(self, rel: str, output: Output, staged: bool) -> None:
        """Take in what `stage_file` did for `rel`."""
        self._claim(rel)
        self.manifest[rel] = output
        if staged:
            self.written[rel] = output.size

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
                data = file.read_bytes()
                fingerprint = bytes_fingerprint(data)
                if not self.is_current(rel, fingerprint):
                    self.write(rel, data, fingerprint)

    def publish(self) -> None:
        """Put the staged files in place: file by file on top of a trusted previous build,
        otherwise by swapping in the complete staging folder."""
        if self.previous is None:
            self._swap_folder()
            return
        self.removed = sorted(rel for rel in self.previous if rel not in self.manifest)
        if self._conflicts():
            # A file where a folder must go (or the reverse): rare enough to take the slow,
            # simple route of completing the staging folder with hard links and swapping.
            self._link_unchanged_into_stage()
            self._swap_folder()
            return
        previous = self.previous
        for rel in sorted(self.written, key=lambda rel: (rel in previous, rel)):
            target = self.out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.stage / rel, target)
        for rel in self.removed:
            (self.out / rel).unlink(missing_ok=True)
            _prune_empty_parents(self.out / rel, self.out)
        shutil.rmtree(self.stage, ignore_errors=True)

    def _conflicts(self) -> bool:
        for rel in self.written:
            target = self.out / rel
            if target.is_dir():
                return True
            for parent in target.parents:
                if parent == self.out:
                    break
                if parent.exists() and not parent.is_dir():
                    return True
        return False

    def _link_unchanged_into_stage(self) -> None:
        for rel in self.manifest:
            if rel in self.written:
                continue
            dest = self.stage / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self.out / rel, dest)
            except OSError:
                shutil.copy2(self.out / rel, dest)

    def _swap_folder(self) -> None:
        (self.stage / MARKER).write_bytes(MARKER_TEXT)
        if self.previous is None and self.out.is_dir():
            self.removed = sorted(set(_files(self.out)) - set(self.manifest) - {MARKER})
        old = self.out.parent / f".{self.out.name}.old"
        if old.exists():
            _remove_tree(old)
        if self.out.exists():
            os.replace(self.out, old)
        os.replace(self.stage, self.out)
        if old.exists():
            _remove_tree(old)

    def abort(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)


def trusted_manifest(
    out_dir: Path, previous: Mapping[str, Output] | None
) -> Mapping[str, Output] | None:
    """`previous`, the manifest of `out_dir`, if an incremental build may go by it."""
    # Incremental only on top of a folder we published and whose manifest we trust.
    return previous if (out_dir / MARKER).is_file() else None


def published_unchanged(
    out: str, previous: Mapping[str, Output] | None, rel: str, fingerprint: str | None
) -> bool:
    """Whether `rel` was published in `out` from inputs of this `fingerprint`, by the
    `trusted_manifest` `previous`, and is still on disk exactly as it was left (same size
    and mtime)."""
    if previous is None or fingerprint is None:
        return False
    before = previous.get(rel)
    if before is None or before.fingerprint != fingerprint:
        return False
    try:
        st = os.stat(os.path.join(out, rel))
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns) == (before.size, before.mtime_ns)


def _check_inside(rel: str) -> None:
    """Refuse a path that could leave the output folder (string checks: this runs for every
    file of every build, most of which end up untouched)."""
    if (
        not rel
        or rel.startswith((".", "/"))
        or "\\" in rel
        or "\0" in rel
        or any(part in ("", ".", "..") for part in rel.split("/"))
    ):
        raise ArshifError(f"refusing to write outside the output folder: {rel!r}")


def bytes_fingerprint(data: bytes) -> str:
    """The fingerprint of a file given as ready bytes: the bytes are the only input."""
    return "bytes:" + hashlib.blake2b(data, digest_size=16).hexdigest()


def _files(root: Path) -> list[str]:
    return [
        (Path(dirpath) / name).relative_to(root).as_posix()
        for dirpath, _, names in os.walk(root)
        for name in names
    ]


def _prune_empty_parents(path: Path, root: Path) -> None:
    for parent in path.parents:
        if parent == root or root not in parent.parents:
            return
        try:
            parent.rmdir()
        except OSError:
            return  # not empty


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


def _remove_tree(folder: Path) -> None:
    """`shutil.rmtree`, with the files unlinked from many threads first.

    Deleting the replaced site is I/O-bound, one wait per file where the disk discards
    freed blocks as it goes: 8 s for the 17,000 files of a 10,000-article site in one
    thread, 3 s in 32 (os.unlink releases the GIL).
    """
    files = [os.path.join(here, name) for here, _, names in os.walk(folder) for name in names]
    with ThreadPoolExecutor(32) as pool:
        list(pool.map(os.unlink, files, chunksize=64))
    shutil.rmtree(folder)  # the folders, now empty, and anything os.walk did not list
