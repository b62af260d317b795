"""What an organiser is told after a decision on registrations: who changed, and what mail was queued."""
from __future__ import annotations

from babel.lists import format_list
from flask_babel import format_number, get_locale

from app.core.sentences import gettext as _, ngettext
from app.registrations.queries import RegistrationCounts
from app.registrations.services import Decision

#: Names listed in the message before "and N others".
NAMES_SHOWN = 5


def _who(decision: Decision) -> str:
    names = decision.names[:NAMES_SHOWN]
    rest = decision.num_changed - len(names)
    if rest:
        names.append(ngettext("%(num)d other", "%(num)d others", rest))
    return format_list(names, locale=get_locale() or "fr")


def decision_message(action: str, decision: Decision) -> str:
    """"Benoît Laurent confirmed; 1 confirmation mail queued." for `action` approve, decline or cancel."""
    if not decision.num_changed:
        return _("Nothing changed: the registrations chosen were already in that state.")
    who = _who(decision)
    if action == "approve":
        done = ngettext("%(who)s: registration confirmed.", "%(who)s: %(num)d registrations confirmed.",
                        decision.num_changed, who=who)
        mails = ngettext("%(num)d confirmation mail queued.", "%(num)d confirmation mails queued.",
                         decision.num_mails)
        return f"{done} {mails}"
    if action == "decline":
        done = ngettext("%(who)s: registration declined.", "%(who)s: %(num)d registrations declined.",
                        decision.num_changed, who=who)
    else:
        done = ngettext("%(who)s: registration cancelled.", "%(who)s: %(num)d registrations cancelled.",
                        decision.num_changed, who=who)
    mails = ngettext("%(num)d mail queued to tell them", "%(num)d mails queued to tell them", decision.num_mails)
    if decision.num_promoted:
        mails = ngettext("%(mails)s, %(num)d of them to a person taken off the waiting list",
                         "%(mails)s, %(num)d of them to people taken off the waiting list",
                         decision.num_promoted, mails=mails)
    return f"{done} {mails}."


def count_sentence(counts: RegistrationCounts) -> str:
    """The edition's count of registrations with its meaning, the same on every page that gives it:
    "966 active registrations (34 cancelled or declined not counted)"."""
    active = ngettext("%(count)s active registration", "%(count)s active registrations", counts.num_registered,
                      count=format_number(counts.num_registered))
    if not counts.num_not_counted:
        return active
    return ngettext("%(active)s (%(count)s cancelled or declined not counted)",
                    "%(active)s (%(count)s cancelled or declined not counted)", counts.num_not_counted,
                    active=active, count=format_number(counts.num_not_counted))


def listed_sentence(total: int, *, is_filtered: bool) -> str:
    """How many rows the registration list holds, and why that can differ from the edition's count."""
    if is_filtered:
        return ngettext("%(count)s listed with these filters", "%(count)s listed with these filters", total,
                        count=format_number(total))
    return ngettext("%(count)s listed, the cancelled and declined included",
                    "%(count)s listed, the cancelled and declined included", total, count=format_number(total))
