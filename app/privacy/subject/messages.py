"""What a refusal of this room says, and with which HTTP status."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.privacy.subject.people import SubjectError

#: The erasure's kinds, in the reader's language (a kind with no label shows as counted).
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
    "API tokens created": _l("API tokens created"),
    "accessibility reports": _l("Accessibility reports"),
    "availability changes": _l("Availability changes"),
    "availability changes made": _l("Availability changes made"),
    "badge prints": _l("Badge prints"),
    "badge prints deleted": _l("Badge prints deleted"),
    "check-ins made": _l("Check-ins made"),
    "city contacts": _l("City contacts"),
    "delegations coordinated": _l("Delegations coordinated"),
    "devices paired": _l("Devices paired"),
    "digest opt-outs": _l("Digest opt-outs"),
    "documents uploaded": _l("Documents uploaded"),
    "exports asked for others": _l("Exports asked for others"),
    "failed logins": _l("Failed logins"),
    "imported files emptied": _l("Imported files emptied"),
    "imports": _l("Imports"),
    "jobs started": _l("Jobs started"),
    "meeting answers": _l("Meeting answers"),
    "meeting marks": _l("Meeting marks"),
    "meeting profiles": _l("Meeting profiles"),
    "meeting reminders": _l("Meeting reminders"),
    "meeting throttles": _l("Meeting throttles"),
    "memberships changed": _l("Memberships changed"),
    "network roles": _l("Network roles"),
    "network roles granted": _l("Network roles granted"),
    "outcomes recorded": _l("Outcomes recorded"),
    "pairing codes made": _l("Pairing codes made"),
    "participants added": _l("Participants added"),
    "partner answers": _l("Partner answers"),
    "plans computed": _l("Plans computed"),
    "program publications": _l("Program publications"),
    "project contacts": _l("Project contacts"),
    "projects created": _l("Projects created"),
    "replication steps": _l("Replication steps"),
    "replications asked": _l("Replications asked"),
    "route opt-outs kept": _l("Route opt-outs kept"),
    "route sheets deleted": _l("Route sheets deleted"),
    "stand API tokens": _l("Stand API tokens"),
    "stand bookings kept": _l("Stand bookings kept"),
    "stand closures": _l("Stand closures"),
    "stand devices": _l("Stand devices"),
    "stand leads": _l("Stand leads"),
    "stand outcomes": _l("Stand outcomes"),
    "stand pairing codes": _l("Stand pairing codes"),
    "stand scans": _l("Stand scans"),
    "stand tags": _l("Stand tags"),
    "suggested wishes": _l("Suggested wishes"),
    "suggestions about her kept": _l("Suggestions about her kept"),
    "suggestions confirmed": _l("Suggestions confirmed"),
    "survey opt-outs": _l("Survey opt-outs"),
    "talks": _l("Talks"),
    "team members kept": _l("Team members kept"),
    "themes kept": _l("Themes kept"),
    "visits to her stand kept": _l("Visits to her stand kept"),
    "webhooks created": _l("Webhooks created"),
    "wishes about her kept": _l("Wishes about her kept"),
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
