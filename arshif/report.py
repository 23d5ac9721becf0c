"""What a build did, for the summary line, the notes and the build stamp (stamp.py).

Kept apart from pipeline.py so that a build that stops at the stamp can read the last
report back without importing the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import SourceError


# The report holds plain values only: a no-op build unpickles it (stamp.py) and must not
# import the search or shared-text modules to do so, nor rebuild a cluster's 1,000 copies.
@dataclass(frozen=True)
class SearchStats:
    """Sizes worth reporting after a build (search.py)."""

    bytes: int  # all files together
    shards: int  # index shards (search/idx-*.js)
    docs: int
    terms: int  # distinct indexed terms, clitic forms and canonicals included
    doc_shards: int
    index_bytes: int  # meta.js and the index shards
    largest_shard_bytes: int  # the biggest index shard; one very common term can exceed the cap


@dataclass(frozen=True)
class ClusterNote:
    """One passage several articles carry, for the notes: its text and their sources."""

    text: str
    articles: tuple[str, ...]  # sorted


@dataclass
class BuildReport:
    articles: int = 0
    pages: int = 0
    files: int = 0  # in the published folder
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    bytes: int = 0  # written
    parsed: int = 0  # sources read and parsed (the others came from the cache)
    rendered: int = 0  # pages rendered (the others were current)
    seconds: float = 0.0
    drafts: int = 0
    undated: list[str] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # "+ path", "~ path", "- path"
    timings: dict[str, float] = field(default_factory=dict)
    search: SearchStats | None = None
    candidates: dict[str, list[str]] = field(default_factory=dict)  # name -> article sources
    clusters: tuple[ClusterNote, ...] = ()

    def summary(self) -> str:
        if not self.written and not self.removed:
            line = (
                f"nothing changed: 0 files written, {self.unchanged} unchanged, 0 removed "
                f"({self.articles} articles, {self.pages} pages) in {self.seconds:.2f} s"
            )
        else:
            line = (
                f"built {self.articles} articles, {self.pages} pages ({self.files} files: "
                f"{self.written} written, {self.unchanged} unchanged, {self.removed} removed; "
                f"{self.bytes / 1024:.0f} KiB) in {self.seconds:.2f} s"
            )
        if self.search is not None:
            line += (
                f"; search index {self.search.index_bytes / 1024:.0f} KiB "
                f"in {self.search.shards} shards"
            )
        return line
