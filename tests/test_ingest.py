from pathlib import Path

import pytest

from casualties.ingest import Document, Rejection, content_id, decode, input_files, input_files_with_status, scan


def write(folder: Path, name: str, payload: bytes) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)


def items(folder: Path) -> dict[str, Document | Rejection]:
    return {item.source_uri: item for item in scan(folder)}


def test_cp1252_text_is_decoded_not_rejected():
    text, encoding = decode("Café “quoted” — 12 killed".encode("cp1252"))
    assert encoding == "cp1252"
    assert text == "Café “quoted” — 12 killed"


def test_utf8_with_bom_keeps_text_clean():
    text, encoding = decode("\ufeffKyiv".encode("utf-8"))
    assert (text, encoding) == ("Kyiv", "utf-8-sig")


def test_bad_files_are_rejected_with_reasons(tmp_path: Path):
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path, "controls.txt", bytes(range(1, 9)) * 20 + b"text")
    write(tmp_path, "big.txt", b"a" * 5_000_001)
    write(tmp_path, "doc.pdf", b"%PDF-1.7")
    write(tmp_path, "blank.html", b"   \n  ")
    found = items(tmp_path)
    assert {uri: type(item).__name__ for uri, item in found.items()} == {
        "empty.txt": "Rejection",
        "image.txt": "Rejection",
        "controls.txt": "Rejection",
        "big.txt": "Rejection",
        "doc.pdf": "Rejection",
        "blank.html": "Rejection",
    }
    assert found["empty.txt"].reason == "empty file (0 bytes)"
    assert "NUL bytes" in found["image.txt"].reason
    assert "control characters" in found["controls.txt"].reason
    assert "5,000,000-byte limit" in found["big.txt"].reason
    assert "unsupported file type '.pdf'" in found["doc.pdf"].reason
    assert found["blank.html"].reason == "no text: only whitespace"


def test_jsonl_lines_become_documents_or_rejections(tmp_path: Path):
    write(
        tmp_path,
        "feeds/wire.jsonl",
        b'{"id": "w-1", "text": "Four people were killed.", "title": "T", "publisher": "Wire", "published_at": "2025-06-10T08:00:00+03:00"}\n'
        b"\n"
        b'{"id": "w-2", "text": "unterminated\n'
        b'{"id": "w-3"}\n'
        b'["not", "an", "object"]\n',
    )
    found = items(tmp_path)
    document = found["feeds/wire.jsonl#1"]
    assert isinstance(document, Document)
    assert (document.external_id, document.publisher, document.title) == ("w-1", "Wire", "T")
    assert document.published_at.isoformat() == "2025-06-10T05:00:00"
    assert found["feeds/wire.jsonl#3"].reason.startswith("line 3: malformed JSON")
    assert found["feeds/wire.jsonl#4"].reason == "line 4: no 'text' field"
    assert "not an object" in found["feeds/wire.jsonl#5"].reason
    assert "feeds/wire.jsonl#2" not in found


def test_html_keeps_visible_text_and_metadata(tmp_path: Path):
    write(
        tmp_path,
        "page.html",
        b"<html><head><title>Strike on Odesa</title><meta property='og:site_name' content='Daily Wire'>"
        b"<meta property='article:published_time' content='2025-06-10T09:30:00Z'><script>var x = 1;</script></head>"
        b"<body><nav>Home</nav><p>Three people were <b>killed</b> overnight.</p><figure><figcaption>Smoke rises (AP Photo/A. B.)</figcaption></figure></body></html>",
    )
    document = items(tmp_path)["page.html"]
    assert document.raw_text == "Home\n\nThree people were killed overnight.\n\nSmoke rises (AP Photo/A. B.)"
    assert (document.title, document.publisher) == ("Strike on Odesa", "Daily Wire")
    assert document.published_at.isoformat() == "2025-06-10T09:30:00"
    assert "var x" not in document.raw_text


def test_same_text_gives_same_id_whatever_the_line_endings():
    assert content_id("a\r\nb\n") == content_id("a\nb")
    assert content_id("a") != content_id("b")


def test_missing_input_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        list(scan(tmp_path / "nowhere"))


def test_only_new_or_changed_files_are_read_again(tmp_path: Path):
    from casualties.db import connect
    from casualties.stages import load_raw

    folder = tmp_path / "articles"
    write(folder, "a.txt", b"KYIV - Three people were killed overnight.")
    write(folder, "b.txt", b"ODESA - Two people were wounded on Friday.")
    with connect(tmp_path / "casualties.duckdb") as conn:
        first = load_raw(conn, folder)
        assert (first.files_read, first.files_unchanged, first.documents_added) == (2, 0, 2)
        unchanged = load_raw(conn, folder)
        assert (unchanged.files_read, unchanged.files_unchanged, unchanged.items_read) == (0, 2, 0)
        write(folder, "b.txt", b"ODESA - Two people were wounded on Friday, officials said.")
        write(folder, "c.txt", b"")
        changed = load_raw(conn, folder)
        assert (changed.files_read, changed.files_unchanged, changed.documents_added, changed.rejections_added) == (2, 1, 1, 1)
        everything = load_raw(conn, folder, full_refresh=True)
        assert (everything.files_read, everything.documents_added, everything.rejections_added) == (3, 0, 0)
        recorded = conn.sql("SELECT source_path, bytes FROM input_files ORDER BY source_path").fetchall()
    assert recorded == [(str(folder / name), len((folder / name).read_bytes())) for name in ("a.txt", "b.txt", "c.txt")]


def test_listing_skips_hidden_entries_and_linked_folders_and_orders_by_path_components(tmp_path: Path):
    root = tmp_path / "articles"
    for relative in ("b.txt", "a/z.txt", "a-b/y.txt", "a/.draft.txt", ".cache/x.txt", "a/deep/w.txt", "outside/v.txt"):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("text", encoding="utf-8")
    (root / "linked").symlink_to(root / "outside", target_is_directory=True)
    (root / "c.txt").symlink_to(root / "b.txt")

    listed = [(path.relative_to(root).as_posix(), status.st_size) for path, status in input_files_with_status(root)]

    assert listed == [(name, 4) for name in ("a/deep/w.txt", "a/z.txt", "a-b/y.txt", "b.txt", "c.txt", "outside/v.txt")]
    assert input_files(root) == [root / name for name, _ in listed]
