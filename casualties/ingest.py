"""Stage raw: read an input folder into documents, and everything unreadable into rejections.

Bad input never stops a run and is never dropped silently: each unreadable file or JSONL
line becomes a `Rejection` whose reason a person understands, and each item the listing
passes over (hidden, not a regular file, a link it does not follow, a name that is not
UTF-8, a folder it cannot read) a `Rejection` whose reason starts with "skipped:".
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

from casualties.dates import DATABLE_YEARS

MAX_BYTES = 5_000_000
FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
# Text this share or more made of control characters is binary, whatever it decodes to.
MAX_CONTROL_SHARE = 0.01
# C0 controls other than tab, line feed and carriage return; DEL; C1 controls.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# json.loads reads "\ud800" into a string no UTF-8 writer accepts.
_UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")
JSONL_FIELDS = ("id", "title", "url", "published_at", "publisher")
# UTF-32 first: its little-endian mark begins with UTF-16's.
WIDE_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ASCII = bytes(range(0x80))
# A well-formed UTF-8 sequence of two to four bytes (RFC 3629: no overlong forms, no surrogates).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
SKIPPED = "skipped: "
SHOWN_VALUE_CHARS = 60


@dataclass(frozen=True)
class Document:
    doc_id: str
    source_uri: str
    format: str
    encoding: str
    bytes: int
    raw_text: str
    external_id: str | None = None
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published_at: datetime | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejection:
    rejection_id: str
    source_uri: str
    reason: str
    bytes: int


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class FolderListing:
    """The regular files below a folder, with their status, and the items passed over."""

    files: list[tuple[Path, os.stat_result]]
    skipped: list[Rejection]


class UndecodableError(ValueError):
    """Bytes that are neither UTF-8 nor cp1252 text."""


class NotRegularFileError(OSError):
    """A path that no longer names a regular file when it is opened."""


def content_id(text: str, published: datetime | None = None) -> str:
    """Documents are identified by their text and the day they were published, so one article
    under two names is stored once, while a text published again on another day (a wire's
    formulaic headline, 'Shelling kills soldier', over a new event) is another report."""
    canonical = text.replace("\r\n", "\n").strip()
    if published is not None:
        canonical += "\0" + published.date().isoformat()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def rejection_id(source_uri: str, payload: bytes) -> str:
    digest = hashlib.sha256(source_uri.encode("utf-8") + b"\0" + payload).hexdigest()
    return digest[:16]


def skipped(source_uri: str, reason: str) -> Rejection:
    """An item not read at all: its id hashes the reason, so a new reason is a new row."""
    return Rejection(rejection_id(source_uri, reason.encode("utf-8")), source_uri, SKIPPED + reason, 0)


def printable_name(name: str) -> str:
    """A file system name as UTF-8 text: bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def shown(value: object) -> str:
    """A value quoted in a reason: repr escapes what is not printable, and long values are cut."""
    text = repr(value)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 3] + "..."


def decode(payload: bytes) -> Decoded:
    """The text the bytes hold and the encoding that reads them.

    A UTF-16 or UTF-32 byte order mark decides alone. Otherwise UTF-8, unless it is not valid:
    then bytes with as many well-formed UTF-8 characters as stray bytes are UTF-8 damaged in
    places (read with U+FFFD where the bytes are bad), since cp1252 text almost never forms a
    UTF-8 character by chance; else cp1252, which is what Windows saves Western text in.
    """
    wide = next((encoding for mark, encoding in WIDE_BYTE_ORDER_MARKS if payload.startswith(mark)), None)
    if wide is not None:
        try:
            return Decoded(payload.decode(wide), wide)
        except UnicodeDecodeError as error:
            raise UndecodableError(f"undecodable bytes: a {wide.upper()} byte order mark, but {error.reason} at offset {error.start}") from None
    utf8 = "utf-8-sig" if payload.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return Decoded(payload.decode(utf8), utf8)
    except UnicodeDecodeError as error:
        first_bad = error.start + (len(codecs.BOM_UTF8) if utf8 == "utf-8-sig" else 0)
    sequences = _UTF8_SEQUENCE.findall(payload)
    stray_bytes = len(payload.translate(None, _ASCII)) - sum(map(len, sequences))
    if utf8 == "utf-8-sig" or len(sequences) >= stray_bytes:
        plural = "byte that is" if stray_bytes == 1 else "bytes that are"
        warning = f"the file has {stray_bytes} {plural} not UTF-8, replaced by U+FFFD (the first: 0x{payload[first_bad]:02X} at offset {first_bad})"
        return Decoded(payload.decode(utf8, errors="replace"), utf8, (warning,))
    try:
        return Decoded(payload.decode("cp1252"), "cp1252")
    except UnicodeDecodeError as error:
        raise UndecodableError(
            f"undecodable bytes: not UTF-8 (0x{payload[first_bad]:02X} at offset {first_bad}), "
            f"nor cp1252 (0x{payload[error.start]:02X} at offset {error.start} means nothing in cp1252)"
        ) from None


def control_share(text: str) -> float:
    return len(_CONTROL_CHARACTER.findall(text)) / max(len(text), 1)


def problem_with_bytes(payload: bytes, size: int) -> str | None:
    if not size:
        return "empty file (0 bytes)"
    if size > MAX_BYTES:
        return f"file too large: {size:,} bytes, over the {MAX_BYTES:,}-byte limit"
    # UTF-16 and UTF-32 text is full of zero bytes: its NUL characters are counted once decoded.
    if b"\x00" in payload and not payload.startswith(tuple(mark for mark, _ in WIDE_BYTE_ORDER_MARKS)):
        return "binary content: contains NUL bytes, not text"
    return None


def problem_with_text(text: str) -> str | None:
    if not text.strip():
        return "no text: only whitespace"
    share = control_share(text)
    if share >= MAX_CONTROL_SHARE:
        return f"binary content: {share:.0%} control characters, not text"
    return None


def parse_timestamp(value: str) -> datetime:
    """An ISO 8601 time as naive UTC; ValueError says what is wrong with it."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"published_at {shown(value)} is not an ISO 8601 time") from None
    # Stored as naive UTC: DuckDB TIMESTAMP has no zone, and one convention keeps comparisons honest.
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:
            raise ValueError(f"published_at {shown(value)} is out of range once converted to UTC") from None
    if parsed.year not in DATABLE_YEARS:
        raise ValueError(f"published_at {shown(value)} is outside the years {DATABLE_YEARS.start}-{DATABLE_YEARS.stop - 1}")
    return parsed


def published_at(value: object) -> tuple[datetime | None, tuple[str, ...]]:
    """The publication time metadata states, with a warning when it states one that is not a time:
    the document is kept, its time left empty (the cleaner may find one in the text)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ()
    if not isinstance(value, str):
        return None, (f"published_at {shown(value)} is not a string: left empty",)
    try:
        return parse_timestamp(value), ()
    except ValueError as error:
        return None, (f"{error}: left empty",)


class _VisibleText(HTMLParser):
    """Visible text of a page, one block per line, with the metadata a news page carries."""

    BLOCKS = {
        "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "blockquote",
        "section", "article", "header", "footer", "nav", "aside", "tr", "td", "th", "ul", "ol",
        "figure", "title", "main", "time", "cite",
    }
    HIDDEN = {"script", "style", "noscript", "svg", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._hidden_depth = 0
        self._in_title = False
        self.title: str | None = None
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "meta":
            key = attributes.get("property") or attributes.get("name") or ""
            if key and attributes.get("content"):
                self.meta[key.lower()] = attributes["content"]
        elif tag == "link" and attributes.get("rel", "").lower() == "canonical":
            self.meta["canonical"] = attributes.get("href", "")
        if tag == "title":
            self._in_title = True
        elif tag in self.HIDDEN:
            self._hidden_depth += 1
        if tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self.HIDDEN and self._hidden_depth:
            self._hidden_depth -= 1
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = ((self.title or "") + data).strip() or None
        elif not self._hidden_depth:
            self._current.append(data)

    def _flush(self) -> None:
        block = " ".join("".join(self._current).split())
        if block:
            self.blocks.append(block)
        self._current = []

    def close(self) -> None:
        super().close()
        self._flush()


def html_document(source_uri: str, size: int, payload: bytes, decoded: Decoded) -> Document | Rejection:
    page = _VisibleText()
    page.feed(decoded.text)
    page.close()
    visible = "\n\n".join(page.blocks)
    if not visible:
        # A shell whose text a script fills in, or a page cut off inside its markup.
        return Rejection(rejection_id(source_uri, payload), source_uri, "no visible text: the page is markup only", size)
    meta = page.meta
    published, time_warnings = published_at(meta.get("article:published_time") or meta.get("date"))
    return Document(
        doc_id=content_id(visible, published),
        source_uri=source_uri,
        format="html",
        encoding=decoded.encoding,
        bytes=size,
        raw_text=visible,
        title=meta.get("og:title") or page.title,
        url=meta.get("og:url") or meta.get("canonical") or None,
        publisher=meta.get("og:site_name") or meta.get("publisher") or meta.get("author") or None,
        published_at=published,
        warnings=decoded.warnings + time_warnings,
    )


def jsonl_items(relative: str, decoded: Decoded) -> Iterator[Document | Rejection]:
    # Lines end at line feeds only: str.splitlines() also splits at U+2028, U+0085 and the
    # other separators a JSON string may hold unescaped.
    for number, line in enumerate(decoded.text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if line.strip():
            yield jsonl_item(f"{relative}#{number}", number, line, decoded)


def jsonl_item(uri: str, number: int, line: str, decoded: Decoded) -> Document | Rejection:
    line_bytes = line.encode("utf-8")

    def rejected(problem: str) -> Rejection:
        return Rejection(rejection_id(uri, line_bytes), uri, f"line {number}: {problem}", len(line_bytes))

    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return rejected(f"malformed JSON ({error.msg} at column {error.colno})")
    except ValueError:
        # The only other ValueError json raises: int() refuses numbers past sys.get_int_max_str_digits().
        return rejected("a number of more than 4,300 digits, too long to read")
    except RecursionError:
        return rejected("JSON nested too deeply to read")
    if not isinstance(record, dict):
        return rejected(f"a JSON {type(record).__name__}, not an object")
    article = record.get("text")
    if not isinstance(article, str) or not article.strip():
        return rejected("no 'text' field" if "text" not in record else "'text' is empty or not a string")
    problem = problem_with_text(article)
    if problem:
        return rejected(problem)
    metadata = {key: record.get(key) for key in JSONL_FIELDS}
    texts = {
        "text": article,
        "id": str(metadata["id"]) if metadata["id"] is not None else None,
        **{key: metadata[key] if isinstance(metadata[key], str) else None for key in ("title", "url", "publisher")},
    }
    for key, value in texts.items():
        surrogate = _UNPAIRED_SURROGATE.search(value or "")
        if surrogate:
            return rejected(f"'{key}' holds an unpaired surrogate (U+{ord(surrogate.group()):04X}), which is not text")
    published, time_warnings = published_at(metadata["published_at"])
    return Document(
        doc_id=content_id(article, published),
        source_uri=uri,
        format="jsonl",
        encoding=decoded.encoding,
        bytes=len(line_bytes),
        raw_text=article,
        external_id=texts["id"],
        title=texts["title"],
        url=texts["url"],
        publisher=texts["publisher"],
        published_at=published,
        warnings=decoded.warnings + time_warnings,
    )


def read_head(path: Path) -> tuple[bytes, int]:
    """The file's first MAX_BYTES + 1 bytes and its size. Opened without blocking and read only
    when it is a regular file: a FIFO put where a listed file was would block a plain read forever."""
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFileError(f"no longer a regular file: {kind_of(status.st_mode)}")
        return file.read(MAX_BYTES + 1), status.st_size


def read_file(relative: str, path: Path) -> Iterator[Document | Rejection]:
    payload, size = read_head(path)
    suffix = path.suffix.lower()
    problem = problem_with_bytes(payload, size) if suffix in FORMATS else f"unsupported file type '{suffix or path.name}': expected .txt, .html, .htm or .jsonl"
    if problem is None:
        try:
            decoded = decode(payload)
        except UndecodableError as error:
            problem = str(error)
        else:
            problem = problem_with_text(decoded.text)
    if problem is not None:
        yield Rejection(rejection_id(relative, payload), relative, problem, size)
        return
    kind = FORMATS[suffix]
    if kind == "jsonl":
        yield from jsonl_items(relative, decoded)
    elif kind == "html":
        yield html_document(relative, size, payload, decoded)
    else:
        text = decoded.text
        yield Document(content_id(text), relative, "txt", decoded.encoding, size, text.replace("\r\n", "\n"), warnings=decoded.warnings)


def kind_of(mode: int) -> str:
    """What a file that is neither a regular file nor a folder is, in words."""
    kinds = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def list_folder(root: Path, follow_links_outside: bool = False) -> FolderListing:
    """Every regular file below root, in a stable order, with the items passed over and why.

    Paths are below the resolved root, so one folder named two ways lists the same paths.
    Hidden entries, special files (never opened: a FIFO would block), links to folders,
    dangling or looping links, names that are not UTF-8 and unreadable folders are passed
    over; so are links to files outside the folder unless follow_links_outside. A file
    deleted while the folder is listed is left out. Folders are read with os.scandir, whose
    entries know their kind without a stat: at 1,600 files this takes a quarter of the time
    pathlib's rglob does.
    """
    if not root.is_dir():
        raise FileNotFoundError(f"input folder {root} does not exist or is not a folder")
    resolved_root = root.resolve()
    found: list[tuple[tuple[str, ...], str, os.stat_result]] = []
    passed_over: list[Rejection] = []

    def walk(folder: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(folder) as scanned:
                entries = list(scanned)
        except OSError as error:
            if not parts:
                raise
            passed_over.append(skipped(printable_name("/".join(parts)), f"unreadable folder ({error.strerror or error})"))
            return
        for entry in entries:
            entry_parts = (*parts, entry.name)
            uri = printable_name("/".join(entry_parts))
            try:
                problem = entry_problem(entry, resolved_root, follow_links_outside)
                if problem is None and entry.is_dir(follow_symlinks=False):
                    walk(entry.path, entry_parts)
                elif problem is None:
                    found.append((entry_parts, entry.path, entry.stat()))
            except FileNotFoundError:
                continue
            except OSError as error:
                problem = f"unreadable ({error.strerror or error})"
            if problem is not None:
                passed_over.append(skipped(uri, problem))

    walk(str(resolved_root), ())
    # Ordered by path components, as pathlib orders paths.
    found.sort(key=lambda item: item[0])
    passed_over.sort(key=lambda rejection: rejection.source_uri)
    return FolderListing([(Path(path), status) for _, path, status in found], passed_over)


def entry_problem(entry: os.DirEntry[str], resolved_root: Path, follow_links_outside: bool) -> str | None:
    """Why the listing passes over this entry, or None for a folder to walk or a file to read."""
    try:
        entry.name.encode("utf-8")
    except UnicodeEncodeError:
        return "the name is not valid UTF-8; rename it to read it"
    if entry.name.startswith("."):
        return f"a hidden {'folder' if entry.is_dir(follow_symlinks=False) else 'file'}"
    if entry.is_symlink():
        return link_problem(entry.path, resolved_root, follow_links_outside)
    mode = entry.stat(follow_symlinks=False).st_mode
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    return f"{kind_of(mode)}, not a regular file"


def link_problem(path: str, resolved_root: Path, follow_links_outside: bool) -> str | None:
    """Why a symbolic link is not followed, or None for a link to a regular file to read.
    Links to folders are not followed, as rglob does not: a link could lead back up the tree."""
    target = printable_name(os.readlink(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return f"a link to nothing ({target})"
    except OSError as error:
        return f"a link that cannot be followed ({error.strerror or error})"
    if stat.S_ISDIR(mode):
        return f"a link to a folder ({target}); links to folders are not followed"
    if not stat.S_ISREG(mode):
        return f"a link to {kind_of(mode)}, not a regular file"
    resolved = Path(os.path.realpath(path))
    if not follow_links_outside and not resolved.is_relative_to(resolved_root):
        return f"a link to {printable_name(str(resolved))}, outside the input folder; allow links outside it (follow_links_outside) to read it"
    return None


def folder_listing(root: Path) -> dict[str, object]:
    """A fingerprint of the files below root (relative path, size, modification time): it
    changes when a file is added, changed or removed."""
    resolved_root = root.resolve()
    entries = [
        (path.relative_to(resolved_root).as_posix(), status.st_size, status.st_mtime_ns) for path, status in list_folder(root).files
    ]
    digest = hashlib.sha256(json.dumps(entries).encode()).hexdigest()[:16]
    return {"digest": digest, "files": len(entries)}


def scan(root: Path, paths: Iterable[Path] | None = None) -> Iterator[Document | Rejection]:
    """Documents and rejections from the given files below root (every file when None).

    A file that fails in a way no check foresaw becomes a rejection too: one bad item must
    not stop the run, nor lose what the other files hold."""
    resolved_root = root.resolve()
    for path in (path for path, _ in list_folder(root).files) if paths is None else paths:
        relative = path.relative_to(resolved_root).as_posix()
        try:
            yield from read_file(relative, path)
        except OSError as error:
            yield Rejection(rejection_id(relative, b""), relative, f"unreadable file: {error.strerror or error}", 0)
        except Exception as error:  # noqa: BLE001 - the run goes on; the reason says what broke
            yield Rejection(rejection_id(relative, b""), relative, f"unexpected error reading the file: {type(error).__name__}: {shown(str(error))}", 0)
