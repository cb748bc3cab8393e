from pathlib import Path

import pytest

from casualties.ingest import Document, Rejection, content_id, decode, list_folder, scan


def write(folder: Path, name: str, payload: bytes) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)


def items(folder: Path) -> dict[str, Document | Rejection]:
    return {item.source_uri: item for item in scan(folder)}


def test_cp1252_text_is_decoded_not_rejected():
    decoded = decode("Café “quoted” — 12 killed".encode("cp1252"))
    assert (decoded.text, decoded.encoding, decoded.warnings) == ("Café “quoted” — 12 killed", "cp1252", ())


def test_utf8_with_bom_keeps_text_clean():
    decoded = decode("\ufeffKyiv".encode("utf-8"))
    assert (decoded.text, decoded.encoding) == ("Kyiv", "utf-8-sig")


def test_bad_files_are_rejected_with_reasons(tmp_path: Path):
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path, "controls.txt", bytes(range(1, 9)) * 20 + b"text")
    write(tmp_path, "big.txt", b"a" * 5_000_001)
    write(tmp_path, "doc.pdf", b"%PDF-1.7")
    write(tmp_path, "blank.html", b"   \n  ")
    write(tmp_path, "shell.html", b'<html><head><title></title><script>render("story")</script></head><body><div id="app"></div></body></html>')
    found = items(tmp_path)
    assert {uri: type(item).__name__ for uri, item in found.items()} == {
        "empty.txt": "Rejection",
        "image.txt": "Rejection",
        "controls.txt": "Rejection",
        "big.txt": "Rejection",
        "doc.pdf": "Rejection",
        "blank.html": "Rejection",
        "shell.html": "Rejection",
    }
    assert found["empty.txt"].reason == "empty file (0 bytes)"
    assert "NUL bytes" in found["image.txt"].reason
    assert "control characters" in found["controls.txt"].reason
    assert "5,000,000-byte limit" in found["big.txt"].reason
    assert "unsupported file type '.pdf'" in found["doc.pdf"].reason
    assert found["blank.html"].reason == "no text: only whitespace"
    assert found["shell.html"].reason == "no visible text: the page is markup only"


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


def test_a_text_published_again_on_another_day_is_another_report(tmp_path: Path):
    """Two feeds carrying one article the same day store it once; a wire's formulaic headline
    published again days later reports a new event and is a document of its own."""
    headline = "Shelling kills soldier near Tessa"
    write(
        tmp_path,
        "feed.jsonl",
        (
            f'{{"text": "{headline}", "published_at": "2025-06-10T08:00:00"}}\n'
            f'{{"text": "{headline}", "published_at": "2025-06-10T17:30:00"}}\n'
            f'{{"text": "{headline}", "published_at": "2025-06-14T09:00:00"}}\n'
            f'{{"text": "{headline}"}}\n'
        ).encode("utf-8"),
    )
    ids = {uri: item.doc_id for uri, item in items(tmp_path).items()}
    assert ids["feed.jsonl#1"] == ids["feed.jsonl#2"]
    assert len({ids["feed.jsonl#1"], ids["feed.jsonl#3"], ids["feed.jsonl#4"]}) == 3
    assert ids["feed.jsonl#4"] == content_id(headline)


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

    listing = list_folder(root)
    listed = [(path.relative_to(root).as_posix(), status.st_size) for path, status in listing.files]

    assert listed == [(name, 4) for name in ("a/deep/w.txt", "a/z.txt", "a-b/y.txt", "b.txt", "c.txt", "outside/v.txt")]
    assert [(item.source_uri, item.reason) for item in listing.skipped] == [
        (".cache", "skipped: a hidden folder"),
        ("a/.draft.txt", "skipped: a hidden file"),
        ("linked", f"skipped: a link to a folder ({root / 'outside'}); links to folders are not followed"),
    ]


def load(folder: Path, database: Path, **options: object) -> tuple[dict[str, str], dict[str, dict]]:
    """Load the folder with load_raw; return rejections (source_uri -> reason) and documents by source_uri."""
    from casualties.db import connect
    from casualties.stages import load_raw

    with connect(database) as conn:
        load_raw(conn, folder, **options)
        rejected = dict(conn.sql("SELECT source_uri, reason FROM rejected_documents").fetchall())
        stored = conn.sql("SELECT * FROM documents").pl().to_dicts()
    return rejected, {row["source_uri"]: row for row in stored}


GOOD_ARTICLE = b"KYIV - Three people were killed overnight, officials said."


def test_hostile_jsonl_lines_are_rejected_with_their_line_and_the_rest_is_stored(tmp_path: Path):
    folder = tmp_path / "articles"
    lines = [
        b'{"id": ' + b"7" * 5_000 + b', "text": "Two were killed."}',
        b"[" * 100_000,
        b'{"id": "s-1", "text": "Four were killed \\ud800 here."}',
        b'{"id": "s-2", "text": "Five were killed.", "publisher": "Wire \\udfff"}',
        b'{"id": "ok", "text": "Six people were killed in Odesa."}',
    ]
    write(folder, "feed.jsonl", b"\n".join(lines) + b"\n")
    write(folder, "good.txt", GOOD_ARTICLE)

    rejected, stored = load(folder, tmp_path / "db.duckdb")

    assert set(stored) == {"feed.jsonl#5", "good.txt"}
    assert rejected["feed.jsonl#1"].startswith("line 1: a number of more than 4,300 digits")
    assert rejected["feed.jsonl#2"] == "line 2: JSON nested too deeply to read"
    assert rejected["feed.jsonl#3"] == "line 3: 'text' holds an unpaired surrogate (U+D800), which is not text"
    assert rejected["feed.jsonl#4"] == "line 4: 'publisher' holds an unpaired surrogate (U+DFFF), which is not text"


def test_published_at_out_of_range_or_malformed_keeps_the_document_with_a_warning(tmp_path: Path):
    folder = tmp_path / "articles"
    write(
        folder,
        "feed.jsonl",
        b'{"text": "Two people were killed.", "published_at": "9999-12-31T23:00:00-14:00"}\n'
        b'{"text": "Three people were killed.", "published_at": "last Tuesday"}\n'
        b'{"text": "Four people were killed.", "published_at": 20250610}\n'
        b'{"text": "Six people were killed.", "published_at": "0001-01-01"}\n'
        b'{"text": "Seven people were killed.", "published_at": "9999-12-31T00:00:00Z"}\n',
    )
    write(
        folder,
        "page.html",
        b'<html><head><meta property="article:published_time" content="0001-01-01T00:00:00+05:00"></head>'
        b"<body><p>Five people were killed.</p></body></html>",
    )

    rejected, stored = load(folder, tmp_path / "db.duckdb")

    assert rejected == {}
    assert {uri: (row["published_at"], row["warnings"]) for uri, row in stored.items()} == {
        "feed.jsonl#1": (None, ["published_at '9999-12-31T23:00:00-14:00' is out of range once converted to UTC: left empty"]),
        "feed.jsonl#2": (None, ["published_at 'last Tuesday' is not an ISO 8601 time: left empty"]),
        "feed.jsonl#3": (None, ["published_at 20250610 is not a string: left empty"]),
        # Feeds' placeholders for an unknown time: relative dates counted from them would leave the calendar.
        "feed.jsonl#4": (None, ["published_at '0001-01-01' is outside the years 1900-2099: left empty"]),
        "feed.jsonl#5": (None, ["published_at '9999-12-31T00:00:00Z' is outside the years 1900-2099: left empty"]),
        "page.html": (None, ["published_at '0001-01-01T00:00:00+05:00' is out of range once converted to UTC: left empty"]),
    }


def test_names_loops_and_unreadable_folders_are_listed_as_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import os

    folder = tmp_path / "articles"
    write(folder, "good.txt", GOOD_ARTICLE)
    write(folder, "locked/inside.txt", b"ODESA - Two people were wounded.")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as file:
        file.write(b"ODESA - A name no decoder reads.")
    # As root, chmod 000 does not stop reads: the folder is made unreadable where it is listed.
    locked = str(folder / "locked")
    real_scandir = os.scandir

    def scandir(path: str):
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr("casualties.ingest.os.scandir", scandir)

    rejected, stored = load(folder, tmp_path / "db.duckdb")

    assert set(stored) == {"good.txt"}
    assert rejected == {
        "bad\\xff.txt": "skipped: the name is not valid UTF-8; rename it to read it",
        "locked": "skipped: unreadable folder (Permission denied)",
        "loop-a.txt": "skipped: a link that cannot be followed (Too many levels of symbolic links)",
        "loop-b.txt": "skipped: a link that cannot be followed (Too many levels of symbolic links)",
    }


def test_utf8_with_a_stray_byte_is_utf8_with_a_replacement_not_cp1252_mojibake(tmp_path: Path):
    payload = "Ukraine — twelve killed near a café".encode("utf-8")
    payload = payload[:8] + b"\xff" + payload[8:]
    write(tmp_path, "article.txt", payload)

    document = items(tmp_path)["article.txt"]

    assert (document.raw_text, document.encoding) == ("Ukraine \ufffd— twelve killed near a café", "utf-8")
    assert document.warnings == ("the file has 1 byte that is not UTF-8, replaced by U+FFFD (the first: 0xFF at offset 8)",)


def test_undecodable_file_names_the_offending_bytes_and_their_offsets(tmp_path: Path):
    write(tmp_path, "article.txt", b"Kyiv \x81 killed")

    rejection = items(tmp_path)["article.txt"]

    assert rejection.reason == "undecodable bytes: not UTF-8 (0x81 at offset 5), nor cp1252 (0x81 at offset 5 means nothing in cp1252)"


def test_utf16_with_a_byte_order_mark_is_text(tmp_path: Path):
    write(tmp_path, "little.txt", "KYIV - Zwölf Tote.".encode("utf-16"))
    write(tmp_path, "big.txt", "\ufeffODESA - Drei Tote.".encode("utf-16-be"))

    found = items(tmp_path)

    assert (found["little.txt"].raw_text, found["little.txt"].encoding) == ("KYIV - Zwölf Tote.", "utf-16")
    assert (found["big.txt"].raw_text, found["big.txt"].encoding) == ("ODESA - Drei Tote.", "utf-16")


def test_jsonl_lines_end_at_line_feeds_only(tmp_path: Path):
    # U+0085 is a C1 control: the second text is long enough to stay under the control-character share.
    second = "Four people were killed in the shelling of the port on Friday morning, the governor said.\u0085Five were hurt.\u2029"
    write(tmp_path, "feed.jsonl", ('{"text": "Two killed.\u2028Three hurt."}\r\n{"text": "' + second + '"}\n').encode("utf-8"))

    found = items(tmp_path)

    assert {uri: item.raw_text for uri, item in found.items()} == {"feed.jsonl#1": "Two killed.\u2028Three hurt.", "feed.jsonl#2": second}


def test_links_out_of_the_input_folder_are_not_read_unless_allowed(tmp_path: Path):
    folder = tmp_path / "articles"
    write(folder, "good.txt", GOOD_ARTICLE)
    write(tmp_path / "elsewhere", "secret.txt", b"A file that lives outside the input folder.")
    (folder / "secret.txt").symlink_to(tmp_path / "elsewhere" / "secret.txt")
    (folder / "inside.txt").symlink_to(folder / "good.txt")

    rejected, stored = load(folder, tmp_path / "refused.duckdb")
    assert rejected == {
        "secret.txt": f"skipped: a link to {tmp_path / 'elsewhere' / 'secret.txt'}, outside the input folder; "
        "allow links outside it (follow_links_outside) to read it",
    }
    assert stored["good.txt"]["source_uris"] == ["good.txt", "inside.txt"]

    rejected, stored = load(folder, tmp_path / "allowed.duckdb", follow_links_outside=True)
    assert rejected == {}
    assert stored["secret.txt"]["raw_text"] == "A file that lives outside the input folder."


def test_every_item_is_stored_rejected_or_skipped_and_a_fifo_is_never_opened(tmp_path: Path):
    import os

    folder = tmp_path / "articles"
    write(folder, "good.txt", GOOD_ARTICLE)
    write(folder, ".draft.txt", b"A hidden draft.")
    write(folder, ".cache/old.txt", b"A hidden folder's file.")
    os.mkfifo(folder / "pipe.txt")
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    (folder / "sub").symlink_to(tmp_path, target_is_directory=True)

    rejected, stored = load(folder, tmp_path / "db.duckdb")

    assert set(stored) == {"good.txt"}
    assert rejected == {
        ".cache": "skipped: a hidden folder",
        ".draft.txt": "skipped: a hidden file",
        "gone.txt": f"skipped: a link to nothing ({folder / 'nowhere.txt'})",
        "pipe.txt": "skipped: a named pipe (FIFO), not a regular file",
        "sub": f"skipped: a link to a folder ({tmp_path}); links to folders are not followed",
    }


def test_input_files_are_keyed_by_resolved_path_whatever_the_folder_is_called(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from casualties.db import connect
    from casualties.stages import load_raw

    folder = tmp_path / "articles"
    write(folder, "a.txt", GOOD_ARTICLE)
    monkeypatch.chdir(tmp_path)
    with connect(tmp_path / "db.duckdb") as conn:
        assert load_raw(conn, Path("articles")).files_read == 1
        again = load_raw(conn, folder / ".." / "articles")
        recorded = conn.sql("SELECT source_path FROM input_files").fetchall()
    assert (again.files_read, again.files_unchanged) == (0, 1)
    assert recorded == [(str(folder.resolve() / "a.txt"),)]
