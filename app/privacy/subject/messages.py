"""What a refusal of this room says, and with which HTTP status."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.privacy.subject.people import SubjectError

#: The erasure's kinds a reader sees most, in her language (the others show as counted).
KIND_LABELS = {
    "account": _l("Account closed and anonymised"),
    "registrations": _l("Registrations anonymised (kept for the figures)"),
    "roles": _l("Roles removed"),
    "mails": _l("Mails deleted"),
    "badges revoked": _l("Badges revoked"),
    "calendar feeds revoked": _l("Calendar feeds revoked"),
    "check-ins kept": _l("Check-ins kept, anonymised"),
    "leads anonymised": _l("Stand contacts kept, their notes erased"),
    "scans anonymised": _l("Scans kept, their notes erased"),
    "planned visits kept": _l("Planned visits kept, anonymised"),
    "meeting requests": _l("Meetings kept, their messages erased"),
    "meeting participants kept": _l("Meeting places kept, anonymised"),
    "outcomes": _l("Outcomes kept, their notes erased"),
    "agenda entries kept": _l("Agenda seats kept, anonymised"),
    "audit rows about her": _l("Audit rows about her: details erased"),
    "audit rows she made": _l("Audit rows she made: her name removed"),
    "mentions scrubbed": _l("Other texts naming her: her name, e-mail and phone replaced"),
    "exports": _l("Data exports deleted"),
    "wishes": _l("Wishes deleted"),
    "surveys": _l("Follow-up surveys deleted"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def refusal(error: SubjectError) -> tuple[int, str]:
    code = error.code
    if code == "unknown_person":
        return 404, _("No account has this address.")
    if code == "already_erased":
        return 409, _("This person's data is already erased.")
    if code == "staff":
        return 409, _("A platform staff account cannot be erased: another member of the staff removes the staff "
                      "role first.")
    if code == "sole_organiser":
        return 409, _("This person is the only organiser of %(edition)s, which is not over: name another organiser "
                      "first, then erase.", edition=error.params.get("edition", ""))
    if code == "other_editions":
        return 403, _("This person is also registered to editions you do not organise: the platform staff can "
                      "erase her.")
    if code == "not_confirmed":
        return 422, _("Type the word EFFACER (or ERASE) to confirm the erasure. Nothing was erased.")
    if code == "export_unknown":
        return 404, _("There is no such export.")
    why = error.params.get("why")
    if why == "downloaded":
        return 410, _("This export was already downloaded: it can be downloaded only once. Ask for a new one.")
    if why == "expired":
        return 410, _("This export's link has expired. Ask for a new one.")
    return 409, _("This export is not ready yet.")
