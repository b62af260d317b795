"""The members' refusals in the reader's language: "Field: what is wrong and what to do"."""
from __future__ import annotations

from app.core.sentences import gettext as _
from app.network.errors import NetworkError


def message(error: NetworkError) -> str:
    p = error.params
    texts = {
        "city_lapsed": lambda: _("City page: your city's membership has lapsed, so its contacts can no longer edit "
                                 "its page; ask the network organisers to renew it."),
        "not_a_contact": lambda: _("City page: only the city's contacts and the network organisers can edit it."),
        "not_an_organiser": lambda: _("Only the network organisers can do this."),
        "not_staff": lambda: _("Network organisers: only platform staff can name them."),
        "too_long": lambda: _("%(field)s: too long (at most %(max)d characters).", field=_field(error.field),
                              max=p.get("max", 0)),
        "population_invalid": lambda: _("Population: give a whole number of inhabitants, 1 or more."),
        "country_invalid": lambda: _("Country: choose a country from the list."),
        "too_many_places": lambda: _("Places: at most %(max)d incubators and third places.", max=p.get("max", 0)),
        "place_kind_invalid": lambda: _("Kind of place: choose incubator or third place."),
        "place_name_required": lambda: _("Name of the place: give its name, or tick “Remove”."),
        "place_unknown": lambda: _("Places: this place is no longer on the city's page; reload the page."),
        "website_invalid": lambda: _("Website: give an address starting with http:// or https://, such as "
                                     "https://example.org."),
        "theme_unknown": lambda: _("Themes: choose themes from the list."),
        "action_invalid": lambda: _("Action: choose admit, renew or lapse."),
        "year_invalid": lambda: _("Year: give a year from %(low)s to %(high)s.", low=p.get("low", 0),
                                  high=p.get("high", 0)),
        "not_a_candidate": lambda: _("Admission: this city is already a member that year."),
        "not_a_member": lambda: _("Membership: this city is not a member that year; admit it first."),
        "email_unknown": lambda: _("%(field)s: no one is known by the address %(email)s; the person must have an "
                                   "account first (registered to an edition, or created by the staff).",
                                   field=_field(error.field), email=p.get("email", "")),
        "email_required": lambda: _("E-mail address: give the address of the person."),
        "sponsor_invalid": lambda: _("Sponsor: choose another city of the network."),
        "organisation_invalid": lambda: _("Existing city: choose a local authority from the search results."),
        "name_required": lambda: _("Name: give the city's name, or choose an existing one."),
        "already_in_network": lambda: _("City: this city is already in the network; find it in the members list."),
        "theme_unknown_id": lambda: _("Theme: this theme no longer exists; reload the page."),
        "theme_code_invalid": lambda: _("Code: lower-case letters, digits, hyphens and underscores only, such as "
                                        "mobility or e-government."),
        "theme_name_required": lambda: _("%(field)s: give the theme's name.", field=_field(error.field)),
        "theme_code_taken": lambda: _("Code: another theme has this code; choose another one."),
        "already_organiser": lambda: _("E-mail address: this person is already a network organiser."),
        "not_an_organiser_row": lambda: _("Network organiser: this person is not (or no longer) one."),
    }
    text = texts.get(error.code)
    return text() if text else error.code


def _field(name: str | None) -> str:
    labels = {
        "description_fr": _("Description (French)"), "description_en": _("Description (English)"),
        "region": _("Region"), "name": _("Name"), "name_fr": _("Name (French)"), "name_en": _("Name (English)"),
        "official_email": _("Official contact"), "staff_email": _("Staff contact"), "email": _("E-mail address"),
    }
    if name and name.startswith("places-"):
        return _("Name of the place")
    return labels.get(name or "", name or "")
