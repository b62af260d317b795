"""From the bytes of an upload to text: what kind of file it is, its encoding, and where it goes wrong.

A file that is not text is named for what it is (a PDF, an image, an old Excel workbook...). A text file
is read as UTF-16 or UTF-8 when its bytes say so, else as Windows-1252 (what Excel writes for "CSV" on a
French Windows). A problem inside a text file is refused with the spreadsheet line it is on: a NUL byte
(the file is damaged, or is not text), bytes that are no text in any of these encodings, UTF-8 mixed with
another encoding. Lines are counted as the CSV reader counts them (a quoted cell may span several lines of
the file, as it spans one row of the spreadsheet).
"""
from __future__ import annotations

import csv
import io
import re


class FileProblem(Exception):
    """The whole file is refused (not a spreadsheet, empty, wrong columns...): nothing is read from it.

    `params` fill the message; `line` (when there is one) is the spreadsheet line at fault.
    """

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


#: First bytes of files people upload by mistake -> the kind named in the refusal. ZIP files (XLSX, ODS,
#: DOCX) are told apart by `tables`, which opens them.
SIGNATURES = {
    b"%PDF": "pdf",
    b"\x89PNG": "image", b"\xff\xd8\xff": "image", b"GIF8": "image", b"II*\x00": "image", b"MM\x00*": "image",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "old_excel",  # Excel 97-2003, or a password-protected workbook
    b"\x1f\x8b": "archive", b"Rar!": "archive", b"7z\xbc\xaf\x27\x1c": "archive",
    b"{\\rtf": "document",
}
MARKUP = re.compile(rb"\s*<(?:!doctype\s+html|html|table|\?xml|\?mso-application)", re.IGNORECASE)
UTF8_BOM, UTF16_BOMS = b"\xef\xbb\xbf", (b"\xff\xfe", b"\xfe\xff")
#: A well-formed UTF-8 sequence of an accented or other non-ASCII character.
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
#: Controls that separate words (a line break inside a cell, in some exports): they become a space.
SEPARATORS = "\x0b\x0c\x1c\x1d\x1e\x1f\x85"
#: Invisible characters removed from cells: every control character but tab and the line breaks (a cell may
#: hold several lines), and a stray byte order mark (two files saved with a BOM, then put end to end).
STRIPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
#: Control characters that no text file holds more than a few of (the separators aside): binary data.
BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
BINARY_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F])


def binary_kind(content: bytes) -> str | None:
    """What a file that is no CSV text is, by its first bytes ('pdf', 'image', 'old_excel', 'html'...)."""
    for signature, kind in SIGNATURES.items():
        if content.startswith(signature):
            return kind
    if MARKUP.match(content.removeprefix(UTF8_BOM)):
        return "html"
    return None


def decode(content: bytes) -> str:
    """The text of a CSV file, or FileProblem naming what is wrong and on which line."""
    kind = binary_kind(content)
    if kind:
        raise FileProblem("binary_file", kind=kind)
    utf16 = "utf-16" if content.startswith(UTF16_BOMS) else _utf16_without_bom(content)
    if utf16:
        text = _decode_utf16(content, utf16)
        _refuse_binary(len(BINARY_CONTROLS.findall(text)), len(text))
    else:
        # Before the encodings: random bytes are refused as binary, not for their first odd byte.
        _refuse_binary(len(content) - len(content.translate(None, BINARY_CONTROL_BYTES)), len(content))
        text = _decode_8bit(content.removeprefix(UTF8_BOM))
    if "\x00" in text:
        raise FileProblem("nul_byte", line=record_line(text[:text.index("\x00")]))
    return text


def _refuse_binary(num_controls: int, size: int) -> None:
    """Binary data that happened to decode: more control characters than any text holds."""
    if num_controls > max(16, size // 100):
        raise FileProblem("binary_file", kind="other")


def _decode_8bit(content: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8, else Windows-1252; a UTF-8 file with a few bad lines is refused."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _mostly_utf8(content):
            raise FileProblem("bad_encoding", encoding="UTF-8", byte=f"{content[exc.start]:02X}",
                              line=record_line(content[:exc.start].decode("utf-8"))) from None
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as exc:  # 0x81, 0x8D, 0x8F, 0x90 and 0x9D mean nothing in Windows-1252
        raise FileProblem("bad_encoding", encoding="Windows-1252", byte=f"{content[exc.start]:02X}",
                          line=record_line(content[:exc.start].decode("cp1252"))) from None


def _utf16_without_bom(content: bytes) -> str | None:
    """UTF-16 written without a BOM (some tools' "Unicode text"): NUL bytes on one side of most characters
    (the high byte of every ASCII one: delimiters, digits, addresses), and the whole file decodes into lines."""
    num_even, num_odd = content[0::2].count(0), content[1::2].count(0)
    many, few = max(num_even, num_odd), min(num_even, num_odd)
    if len(content) % 2 or many < len(content) // 20 or few * 3 > many:
        return None
    encoding = "utf-16-le" if num_odd > num_even else "utf-16-be"
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding if "\n" in text or "\r" in text else None


def _decode_utf16(content: bytes, encoding: str) -> str:
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as exc:
        start = exc.start - exc.start % 2
        prefix = content[:start].decode(encoding, errors="replace")
        raise FileProblem("bad_encoding", encoding="UTF-16", byte=f"{content[exc.start]:02X}",
                          line=record_line(prefix.removeprefix("\ufeff"))) from None
    return text.removeprefix("\ufeff")


def _mostly_utf8(content: bytes) -> bool:
    """More well-formed UTF-8 accents than broken ones: a UTF-8 file with a few lines in another encoding.

    In a Windows-1252 file an accent followed by a letter is never valid UTF-8, so a real Windows file has
    far more broken sequences than (accidentally) valid ones.
    """
    num_valid = len(UTF8_SEQUENCE.findall(content))
    num_broken = content.decode("utf-8", errors="replace").count("\ufffd")
    return num_valid > num_broken


def record_line(prefix: str) -> int:
    """The spreadsheet line of the character that follows `prefix` (the header is line 1)."""
    reader = csv.reader(io.StringIO(prefix + "x", newline=""))
    try:
        return sum(1 for _ in reader)
    except csv.Error:  # a quote opened and never closed before the problem
        return prefix.count("\n") + 1


def clean_cell(cell: str) -> tuple[str, bool]:
    """A cell without invisible control characters, and whether it had any.

    Stripped, not refused: they cannot be seen in a spreadsheet, so the organiser could not find them
    to delete them, and they mean nothing in a name, an address or a date.
    """
    if not STRIPPED.search(cell):
        return cell, False
    spaced = "".join(" " if ch in SEPARATORS else ch for ch in cell)
    return STRIPPED.sub("", spaced), True
