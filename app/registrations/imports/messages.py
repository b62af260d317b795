"""The import's problems as sentences in the reader's language (web page, job and command alike)."""
from __future__ import annotations

from flask_babel import gettext as _

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
    if problem.code == "not_spreadsheet":
        return _("This is not a CSV or XLSX file. Save your spreadsheet as CSV (UTF-8 or Windows) or as XLSX "
                 "and try again.")
    if problem.code == "bad_csv":
        return _("The CSV file cannot be read near line %(line)d (a quote may be missing).", line=p["line"])
    if problem.code == "duplicate_column":
        return _("The columns “%(column)s” and “%(other)s” give the same information; keep only one.",
                 column=p["column"], other=p["other"])
    if problem.code == "missing_columns":
        return _("Required columns are missing: %(missing)s. Expected columns (header line): %(expected)s.",
                 missing=", ".join(p["missing"]), expected=", ".join(EXPECTED_COLUMNS))
    return _("The file cannot be imported.")


def row_error_text(error: RowError) -> str:
    p = error.params
    texts = {
        "required": lambda: _("This value is required."),
        "too_long": lambda: _("Too long: at most %(max)d characters.", max=p["max"]),
        "bad_email": lambda: _("“%(value)s” is not a valid e-mail address.", value=p["value"]),
        "email_twice": lambda: _("The e-mail %(email)s is already on line %(line)d of the file.",
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
    return _("line %(line)d, column %(column)s: %(reason)s", line=error.line, column=error.column,
             reason=row_error_text(error))
