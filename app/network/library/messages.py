"""The library's refusals in the reader's language: "Field: what is wrong and what to do"."""
from __future__ import annotations

from flask_babel import format_date

from app.core.sentences import gettext as _
from app.network.errors import NetworkError

#: The page's field each refusal is shown next to (the form's ids).
FIELD_IDS = {"theme_ids": "themes", "organisation": "partner-name", "role": "partner-role",
             "document": "document"}


def _day(value) -> str:
    return format_date(value, "long") if value is not None else ""


def message(error: NetworkError) -> str:
    p = error.params
    texts = {
        # The search page's filters.
        "query_too_long": lambda: _("Search: at most %(max)d characters; shorten it.", max=p.get("max", 0)),
        "theme_unknown": lambda: _("Theme: choose one of the themes listed."),
        "status_unknown": lambda: _("Status: choose one of the statuses listed."),
        "country_invalid": lambda: _("Country: choose one of the countries listed."),
        "band_unknown": lambda: _("Population: choose one of the population bands listed."),
        "page_invalid": lambda: _("Page: give a page number from 1 to %(max)d.", max=p.get("max", 0)),
        # Publishing.
        "project_not_found": lambda: _("This project does not exist or is not shown to you."),
        "not_your_city": lambda: _("Project: only the contacts of its city, while it is a member of the network, "
                                   "and the network's organisers change it."),
        "not_a_member_contact": lambda: _("You are not the contact of a member city: only member cities publish "
                                          "projects. Ask the network's organisers."),
        "city_required": lambda: _("City: choose the city the project is of."),
        "title_required": lambda: _("Title in French: give the project's title."),
        "too_long": lambda: _("%(field)s: too long (at most %(max)d characters).", field=field_label(error.field),
                              max=p.get("max", 0)),
        "status_invalid": lambda: _("Status: choose one of the statuses listed."),
        "budget_band_invalid": lambda: _("Budget: choose one of the budget bands listed."),
        "visibility_invalid": lambda: _("Visibility: choose public, members only or draft."),
        "date_invalid": lambda: _("%(field)s: give a date as YYYY-MM-DD.", field=field_label(error.field)),
        "date_out_of_range": lambda: _("%(field)s: give a date from %(earliest)s to %(latest)s.",
                                       field=field_label(error.field), earliest=_day(p.get("earliest")),
                                       latest=_day(p.get("latest"))),
        "ends_before_start": lambda: _("End date: the project cannot end before it started."),
        "outcome_not_of_city": lambda: _("Outcome it grew from: choose one of the outcomes of your city listed."),
        "contact_not_of_city": lambda: _("Contact: choose one of the city's contacts listed."),
        "confirm_required": lambda: _("Deletion: tick the box to confirm that the project is to be deleted."),
        "project_replicated": lambda: _("Deletion: other cities are replicating this project, and deleting it "
                                        "would erase their replications. Set its status to “abandoned”, or make "
                                        "it members only, instead."),
        # Partners.
        "partner_required": lambda: _("Startup or company: give its name."),
        "partner_unknown": lambda: (_("Startup or company: none of this name is known. Did you mean: %(names)s?",
                                      names=p["close"]) if p.get("close") else
                                    _("Startup or company: none of this name is known; give its name as at the "
                                      "summit.")),
        "partner_already": lambda: _("Startup or company: it is already named in this project."),
        "partner_not_found": lambda: _("This partner is not one of the project's."),
        "not_your_startup": lambda: _("Agreement: only the people of this startup answer for it."),
        "answer_invalid": lambda: _("Answer: agree or decline."),
        # Documents.
        "document_required": lambda: _("Document: choose a PDF file to send."),
        "document_not_pdf": lambda: _("Document: this file is not a PDF; send a PDF file."),
        "document_too_large": lambda: _("Document: the file is too large (at most %(max)d MB); send a lighter "
                                        "PDF.", max=p.get("max_mb", 0)),
        "too_many_documents": lambda: _("Document: a project has at most %(max)d documents; delete one first.",
                                        max=p.get("max", 0)),
        "document_not_found": lambda: _("This document is not one of the project's."),
        # Cities like mine.
        "not_your_city_page": lambda: _("City: you are not a contact of this city."),
    }
    text = texts.get(error.code)
    return text() if text else error.code


def field_label(name: str | None) -> str:
    labels = {"title_fr": _("Title in French"), "title_en": _("Title in English"),
              "summary_fr": _("Summary in French"), "summary_en": _("Summary in English"),
              "funding": _("Funding"), "results": _("Results measured"), "lessons_worked": _("What worked"),
              "lessons_failed": _("What did not work"), "lessons_differently": _("What we would do differently"),
              "started_on": _("Start date"), "ended_on": _("End date"), "role": _("Role")}
    return labels.get(name or "", name or "")
