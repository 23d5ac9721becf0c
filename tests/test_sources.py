"""Reading article files: encodings, line ends, front matter and sidecars."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from arshif.errors import SourceError
from arshif.sources import decode_bytes, find_sources, read_source

TEXT = "الناتو يعزز مهمته\nقال الحلف إنه باقٍ في العراق.\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("utf-8"),
        TEXT.encode("cp1256"),
        TEXT.replace("\n", "\r\n").encode("cp1256"),
        TEXT.encode("utf-16"),
    ],
    ids=["utf8", "utf8-bom", "crlf", "cr", "windows-1256", "windows-1256-crlf", "utf16-bom"],
)
def test_every_newsroom_encoding_decodes_to_the_same_text(data: bytes) -> None:
    assert decode_bytes(data, "a.txt") == TEXT


def test_text_is_normalised_to_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "آذار")
    assert nfd != "آذار"
    assert decode_bytes(nfd.encode(), "a.txt") == "آذار"


def test_undecodable_bytes_name_the_file_and_line() -> None:
    data = b"first line\nsecond \xff\xfe\xfa line\n"
    with pytest.raises(SourceError) as info:
        decode_bytes(data, "articles/bad.txt")
    assert str(info.value).startswith("articles/bad.txt:2: cannot decode byte 0xff")


def test_binary_file_is_refused() -> None:
    with pytest.raises(SourceError, match="control character"):
        decode_bytes("نص\x00\x01".encode(), "a.txt")


def test_sidecar_metadata_is_read_beside_a_raw_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.yaml").write_text("date: 2021-03-10\nsource: المدى\n", encoding="utf-8")
    source = read_source(tmp_path / "a.txt", tmp_path)
    assert source.meta == {"date": "2021-03-10", "source": "المدى"}
    assert source.meta_lines == {"date": 1, "source": 2}
    assert source.body == TEXT


def test_sidecar_change_changes_the_digest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    before = read_source(tmp_path / "a.txt", tmp_path).digest
    (tmp_path / "a.yaml").write_text("date: 2021-03-10\n", encoding="utf-8")
    assert read_source(tmp_path / "a.txt", tmp_path).digest != before


def test_front_matter_is_split_and_lines_point_into_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: عنوان\ndate: 2021-03-10\n---\nنص.\n", "utf-8")
    source = read_source(tmp_path / "a.md", tmp_path)
    assert source.meta["title"] == "عنوان"
    assert source.meta_lines["date"] == 3
    assert source.body == "نص.\n"
    assert source.body_line == 5


def test_unclosed_front_matter_gives_a_hint(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: عنوان\nنص.\n", "utf-8")
    with pytest.raises(SourceError) as info:
        read_source(tmp_path / "a.md", tmp_path)
    assert "did you forget the closing '---'?" in str(info.value)


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: عنوان\ntags: [a, b\n---\nنص.\n", "utf-8")
    with pytest.raises(SourceError) as info:
        read_source(tmp_path / "a.md", tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'a.md'}:")
    assert "invalid YAML" in str(info.value)


def test_find_sources_collects_every_error_and_skips_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(TEXT, "utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfa abc")
    (tmp_path / "orphan.yaml").write_text("date: 2021-01-01\n", "utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, "utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    sources, errors = find_sources(tmp_path)
    assert [s.rel for s in sources] == ["good.txt"]
    assert sorted(Path(str(e).split(":")[0]).name for e in errors) == ["bad.txt", "orphan.yaml"]
