"""Decoding documents: encodings, BOMs, line endings, refusal of binary and empty files."""

from __future__ import annotations

import pytest

from policy_kg.extract.source import UnreadableDocument, decode, doc_id_for, read_source

TEXT = "政策分野１２　中小企業\r\n事業費 １５０，０８４ ２，５００\r\n―\n最終行"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp932", "euc_jp"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_supported_encoding_and_line_ending_gives_the_same_lines(tmp_path, encoding, newline):
    path = tmp_path / "doc.txt"
    path.write_bytes(TEXT.replace("\r\n", "\n").replace("\n", newline).encode(encoding))
    src = read_source(path)
    assert src.lines == ("政策分野１２　中小企業", "事業費 １５０，０８４ ２，５００", "―", "最終行")
    assert src.line(2).startswith("事業費")


def test_content_hash_ignores_encoding_and_line_endings(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(TEXT.encode("utf-8"))
    b.write_bytes(TEXT.replace("\r\n", "\n").encode("cp932"))
    assert read_source(a).content_hash == read_source(b).content_hash


@pytest.mark.parametrize(
    "data, message",
    [(b"", "empty"), (b"  \n\n", "empty"), (b"\x00\x01\x02binary\x00", "binary"), (b"\xff\xfe\xfd\x80\x81" * 3, "not valid UTF-16"), (b"\x81\x20\xfe\xfe\x80\x85" * 3, "not text")],
)
def test_unreadable_files_are_refused_with_the_file_name(data, message):
    with pytest.raises(UnreadableDocument, match=message) as info:
        decode(data, "bad.txt")
    assert "bad.txt" in str(info.value)


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(UnreadableDocument, match="cannot read"):
        read_source(tmp_path / "nope.txt")


def test_doc_ids_are_stable_iri_safe_slugs():
    assert doc_id_for("/x/000_27ae6de2eb66d617.txt") == "000_27ae6de2eb66d617"
    assert doc_id_for("a b/c d.txt") == "c-d"
    assert doc_id_for("会津.txt") == doc_id_for("会津.txt") and doc_id_for("会津.txt").startswith("doc-")
