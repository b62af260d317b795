"""The import's problems as sentences in the reader's language (web page, job and command alike).

A line number is `%(line)s`: written as the spreadsheet numbers its rows (1234), not grouped as a count is.
"""
from __future__ import annotations

from app.core.sentences import gettext as _, ngettext
from app.registrations.imports.parsing import FileProblem, RowError
from app.registrations.imports.vocabulary import EXPECTED_COLUMNS


def file_problem_text(problem: FileProblem) -> str:
    p = problem.params
    if problem.code == "too_large":
        return _("The file is too large (%(size)d KB); the limit is %(max)d KB.", size=p["size_kb"], max=p["max_kb"])
    if problem.code == "too_many_rows":
        return _("The file has too many rows; the limit is %(max)d attendees per import.", max=p["max_rows"])
    if problem.code == "empty":
        return _("The file is empty.")
    if problem.code == "no_rows":
        return _("The file has a header line but no attendee.")
    if problem.code == "binary_file":
        return _binary_file_text(p.get("kind", "other"))
    if problem.code == "broken_xlsx":
        return _("This XLSX workbook cannot be opened: it is damaged or incomplete. Open it in your spreadsheet, "
                 "save it again as XLSX or CSV and try again.")
    if problem.code == "too_large_unpacked":
        return _("Once unpacked, this XLSX workbook takes %(size)d MB, more than the %(max)d MB allowed. Save it "
                 "as CSV, or delete its other sheets and unused formatting, and try again.",
                 size=p["size_mb"], max=p["max_mb"])
    if problem.code == "nul_byte":
        return _("Line %(line)s holds a NUL byte, an invisible character that a CSV file never contains: the file "
                 "is damaged or was saved in another format. Save it again as “CSV UTF-8” and try again.",
                 line=p["line"])
    if problem.code == "bad_encoding":
        return _bad_encoding_text(p)
    if problem.code == "bad_csv":
        return _("The CSV file cannot be read from line %(line)s: a cell there never ends (a quotation mark may "
                 "be missing).", line=p["line"])
    if problem.code == "duplicate_column":
        return _("The columns “%(column)s” and “%(other)s” of the header (line %(line)s) give the same "
                 "information; keep only one.", column=p["column"], other=p["other"], line=p.get("line", 1))
    if problem.code == "missing_columns":
        return _("Required columns are missing from the header (line %(line)s): %(missing)s. Expected columns: "
                 "%(expected)s.", missing=", ".join(p["missing"]), expected=", ".join(EXPECTED_COLUMNS),
                 line=p.get("line", 1))
    return _("This is not a CSV or XLSX file. Save your spreadsheet as CSV (UTF-8 or Windows) or as XLSX "
             "and try again.")


def _binary_file_text(kind: str) -> str:
    texts = {
        "pdf": lambda: _("This is a PDF document, not a spreadsheet. Export the list from your spreadsheet as CSV "
                         "or XLSX and try again."),
        "image": lambda: _("This is an image, not a spreadsheet. Export the list from your spreadsheet as CSV or "
                           "XLSX and try again."),
        "old_excel": lambda: _("This is an Excel 97–2003 workbook (.xls) or a password-protected one, which the "
                               "import cannot read. In Excel, save it as “Excel Workbook (.xlsx)” without a "
                               "password, or as “CSV UTF-8”, and try again."),
        "ods": lambda: _("This is an OpenDocument spreadsheet (.ods). In LibreOffice, save it as “Excel "
                         "2007-365 (.xlsx)” or as “Text CSV”, and try again."),
        "document": lambda: _("This is a word-processing document, not a spreadsheet. Put the list in a "
                              "spreadsheet and save it as CSV or XLSX."),
        "archive": lambda: _("This is a compressed archive, not a spreadsheet. Unpack it and import the "
                             "spreadsheet it holds, as CSV or XLSX."),
        "html": lambda: _("This is a web page (HTML or XML) saved under a spreadsheet's name. Open it in your "
                          "spreadsheet and save it as XLSX or CSV, and try again."),
    }
    text = texts.get(kind)
    return text() if text else _("This file holds binary data, not text: it is neither a CSV file nor an XLSX "
                                 "workbook. Save your spreadsheet as CSV (UTF-8 or Windows) or as XLSX and try "
                                 "again.")


def _bad_encoding_text(p: dict) -> str:
    if p.get("encoding") == "UTF-8":
        return _("Line %(line)s is not valid UTF-8 (byte 0x%(byte)s), unlike the rest of the file: the file mixes "
                 "two encodings, so its accents would come out wrong. Correct that line, or save the file again "
                 "as “CSV UTF-8”, and try again.", line=p["line"], byte=p["byte"])
    if p.get("encoding") == "UTF-16":
        return _("Line %(line)s is not valid UTF-16 text, although the file is written in UTF-16: it is damaged "
                 "or truncated. Save it again as “CSV UTF-8” and try again.", line=p["line"])
    return _("Line %(line)s holds a byte (0x%(byte)s) that is text neither in UTF-8 nor in Windows-1252: the file "
             "is damaged or in another encoding. Save it again as “CSV UTF-8” and try again.",
             line=p["line"], byte=p["byte"])


def cleaned_lines_text(lines: list[int]) -> str:
    """The note on invisible characters removed from the file, naming the lines (the first 20)."""
    shown = ", ".join(str(line) for line in lines[:20]) + (", …" if len(lines) > 20 else "")
    return ngettext("Invisible control characters were removed from line %(lines)s (they cannot be seen in a "
                    "spreadsheet and mean nothing in a name or an address).",
                    "Invisible control characters were removed from lines %(lines)s (they cannot be seen in a "
                    "spreadsheet and mean nothing in a name or an address).", len(lines), lines=shown)


def row_error_text(error: RowError) -> str:
    p = error.params
    texts = {
        "required": lambda: _("This value is required."),
        "too_long": lambda: _("Too long: at most %(max)d characters.", max=p["max"]),
        "bad_email": lambda: _("“%(value)s” is not a valid e-mail address.", value=p["value"]),
        "email_twice": lambda: _("The e-mail %(email)s is already on line %(line)s of the file.",
                                 email=p["email"], line=p["first_line"]),
        "unknown_category": lambda: _(
            "Unknown category “%(value)s”. Use one of: elu, decideur, startup, entreprise, intervenant, presse, "
            "visiteur (or their French or English names).", value=p["value"]),
        "category_closed": lambda: _("The category “%(value)s” is closed in this edition.", value=p["value"]),
        "unknown_country": lambda: _("Unknown country “%(value)s”. Use a code among: %(known)s.",
                                     value=p["value"], known=", ".join(p["known"])),
        "unknown_mandate": lambda: _("Unknown mandate “%(value)s” (for example: Maire, Adjoint au maire, "
                                     "Conseiller municipal).", value=p["value"]),
        "mandate_required": lambda: _("An elected official needs a mandate."),
        "territory_required": lambda: _("An elected official needs a territory (city or intermunicipal body)."),
        "organisation_required": lambda: _("A startup needs its name in the organisation column."),
        "pitch_required": lambda: _("A startup needs a pitch: add a “pitch” column describing its innovation."),
        "unknown_theme": lambda: _("Unknown theme “%(value)s”.", value=p["value"]),
        "bad_day": lambda: _("“%(value)s” is not a date (write 2027-06-02 or 02/06/2027).", value=p["value"]),
        "day_outside": lambda: _("The day %(value)s is not a day of this edition (%(first)s to %(last)s).",
                                 value=p["value"], first=p["first"], last=p["last"]),
        "unknown_status": lambda: _("Unknown status “%(value)s”: use confirmed, pending or waitlisted.",
                                    value=p["value"]),
        "bad_number": lambda: _("“%(value)s” is not a whole number.", value=p["value"]),
        "bad_yes_no": lambda: _("“%(value)s” is neither yes nor no.", value=p["value"]),
        "registered_meanwhile": lambda: _("%(email)s was registered by someone else in the meantime.",
                                          email=p.get("email", "")),
    }
    text = texts.get(error.code)
    return text() if text else _("This value is not valid.")


def row_error_line(error: RowError) -> str:
    """`line N, column C: reason`, as the command prints it."""
    return _("line %(line)s, column %(column)s: %(reason)s", line=error.line, column=error.column,
             reason=row_error_text(error))
