"""Creating, editing and cloning editions; their categories and themes."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import available_timezones

from flask import Flask, current_app
from sqlalchemy import select

from app.audit import services as audit
from app.auth.models import EventRole, RoleName
from app.auth.services import grant_role
from app.events.models import Category, CategoryCode, Event, EventStatus, Theme
from app.core.domain import DomainError
from app.core.transaction import atomic
from app.extensions import db
from app.people.models import Person

#: The summit's usual thematic tracks: (code, French, English).
DEFAULT_THEMES = [
    ("coeurs-de-ville", "Attractivité des cœurs de ville", "Town-centre attractiveness"),
    ("mobilite", "Mobilité", "Mobility"),
    ("sante", "Santé", "Health"),
    ("habitat", "Habitat", "Housing"),
    ("urbanisme", "Urbanisme", "Urban planning"),
    ("ressources-naturelles", "Gestion des ressources naturelles", "Natural resource management"),
    ("energie", "Énergie", "Energy"),
    ("donnees-numerique", "Données et numérique", "Data and digital"),
    ("commerce", "Commerce", "Retail"),
    ("tourisme", "Tourisme", "Tourism"),
    ("education", "Éducation et jeunesse", "Education and youth"),
    ("participation", "Participation citoyenne", "Citizen participation"),
    ("securite", "Sécurité et tranquillité publique", "Public safety"),
    ("culture", "Culture et patrimoine", "Culture and heritage"),
]

#: Categories that need an organiser's approval by default.
APPROVAL_BY_DEFAULT = {CategoryCode.ELU, CategoryCode.STARTUP, CategoryCode.PRESSE, CategoryCode.INTERVENANT}


class EventError(DomainError):
    """A refused change to an edition."""


@dataclass
class EventInput:
    name: str
    slug: str
    city: str
    country: str
    venue: str
    timezone: str
    starts_on: date
    ends_on: date
    languages: str = "fr,en"
    status: EventStatus = EventStatus.DRAFT
    description: str = ""
    #: The name and description in English (the French ones are shown when these are empty).
    name_en: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class CategorySettings:
    """What an organiser sets for one category of an edition."""

    requires_approval: bool
    is_open: bool
    capacity: int | None


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


def edition_by_slug(slug: str) -> Event | None:
    """The edition a URL names (registered with `app.core.access` to load the edition of a guarded view)."""
    return db.session.scalar(select(Event).where(Event.slug == slug))


def manageable_events(person) -> list[Event]:
    """Editions `person` organises, newest first."""
    query = select(Event).order_by(Event.starts_on.desc())
    if not person.is_staff:
        query = query.join(EventRole, EventRole.event_id == Event.id).where(
            EventRole.person_id == person.id, EventRole.role == RoleName.ORGANISER
        )
    return list(db.session.scalars(query))


def organised_event_ids(person) -> set[int] | None:
    """Ids of the editions `person` organises; None for platform staff (every edition): what a check of "does she
    organise every edition where this person or record appears" compares with."""
    return None if person.is_staff else {event.id for event in manageable_events(person)}


def door_events(person) -> list[Event]:
    """Editions where `person` checks people in at the door without organising them, newest first."""
    if person.is_staff:
        return []
    query = (select(Event).join(EventRole, EventRole.event_id == Event.id)
             .where(EventRole.person_id == person.id, EventRole.role == RoleName.DOOR_STAFF)
             .order_by(Event.starts_on.desc()))
    organised = {event.id for event in manageable_events(person)}
    return [event for event in db.session.scalars(query) if event.id not in organised]


def _validate(data: EventInput, *, event_id: int | None) -> None:
    if not data.name.strip():
        raise EventError("required", "name")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", data.slug or ""):
        raise EventError("bad_slug", "slug")
    clash = db.session.scalar(select(Event.id).where(Event.slug == data.slug))
    if clash is not None and clash != event_id:
        raise EventError("slug_taken", "slug")
    if data.timezone not in available_timezones():
        raise EventError("bad_timezone", "timezone")
    if data.ends_on < data.starts_on:
        raise EventError("ends_before_start", "ends_on")
    if (data.ends_on - data.starts_on).days > 14:
        raise EventError("too_long", "ends_on")


@atomic()
def create_event(data: EventInput, *, actor_id: int | None, with_defaults: bool = True,
                 organiser_id: int | None = None) -> Event:
    """A new edition (the usual categories and themes unless `with_defaults` is false), organised by `organiser_id`."""
    _validate(data, event_id=None)
    event = Event(**vars(data))
    db.session.add(event)
    if with_defaults:
        for position, code in enumerate(CategoryCode):
            event.categories.append(Category(code=code, position=position,
                                             requires_approval=code in APPROVAL_BY_DEFAULT))
        for position, (code, name_fr, name_en) in enumerate(DEFAULT_THEMES):
            event.themes.append(Theme(code=code, name_fr=name_fr, name_en=name_en, position=position))
    db.session.flush()
    audit.record("event.create", actor_id=actor_id, event_id=event.id, obj=event)
    if organiser_id is not None:
        grant_role(db.session.get(Person, organiser_id), event.id, RoleName.ORGANISER, actor_id=actor_id)
    return event


@atomic()
def update_event(event: Event, data: EventInput, *, actor_id: int) -> Event:
    _validate(data, event_id=event.id)
    for key, value in vars(data).items():
        setattr(event, key, value)
    audit.record("event.update", actor_id=actor_id, event_id=event.id, obj=event)
    return event


#: A feature's copy of its setup (rooms, badge layout, the demonstrator's hall...) from an edition to its clone.
CloneHook = Callable[[Event, Event], None]
_CLONE_HOOKS = "mediane.clone_hooks"


def add_clone_hook(app: Flask, hook: CloneHook) -> None:
    """Have `hook(source, clone)` copy a feature's setup when an edition is cloned (a feature's init_app calls it)."""
    app.extensions.setdefault(_CLONE_HOOKS, []).append(hook)


@atomic()
def clone_event(source: Event, data: EventInput, *, actor_id: int, organiser_id: int | None = None) -> Event:
    """A new edition with the setup of `source` (categories, themes, its organising team and every feature's
    hook), none of its registrations."""
    clone = create_event(data, actor_id=actor_id, with_defaults=False, organiser_id=organiser_id)
    for category in source.categories:
        clone.categories.append(Category(code=category.code, requires_approval=category.requires_approval,
                                         capacity=category.capacity, is_open=category.is_open,
                                         position=category.position))
    for theme in source.themes:
        clone.themes.append(Theme(code=theme.code, name_fr=theme.name_fr, name_en=theme.name_en,
                                  position=theme.position))
    db.session.flush()
    for role in db.session.scalars(select(EventRole).where(EventRole.event_id == source.id,
                                                           EventRole.role == RoleName.ORGANISER)):
        grant_role(role.person, clone.id, RoleName.ORGANISER, actor_id=actor_id)
    for hook in current_app.extensions.get(_CLONE_HOOKS, []):
        hook(source, clone)
    audit.record("event.clone", actor_id=actor_id, event_id=clone.id, obj=clone, details={"from": source.slug})
    return clone


def a_year_later(day: date) -> date:
    """The same weekday about a year after `day` (52 or 53 weeks, the nearer to the same date): a summit held
    Wednesday to Friday is proposed Wednesday to Friday next year."""
    try:
        same_date = day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        same_date = day.replace(year=day.year + 1, day=28)
    return day + timedelta(weeks=round((same_date - day).days / 7))


def next_edition_slug(slug: str, year: int, next_year: int) -> str:
    """The address proposed for the next edition: the year in it moved on ("sommet-nevers-2027" ->
    "sommet-nevers-2028"), or the next year added when it names none."""
    moved = re.sub(rf"(?<![0-9]){year}(?![0-9])", str(next_year), slug)
    return moved if moved != slug else slugify(f"{slug}-{next_year}")


@atomic()
def save_categories(event: Event, settings: list[CategorySettings], *, actor_id: int) -> None:
    """Approval, opening and capacity of every category of `event`, given in the categories' order."""
    for category, wanted in zip(event.categories, settings, strict=True):
        category.requires_approval = wanted.requires_approval
        category.is_open = wanted.is_open
        category.capacity = wanted.capacity
    audit.record("event.categories", actor_id=actor_id, event_id=event.id, obj=event,
                 details={c.code.value: [c.requires_approval, c.is_open, c.capacity] for c in event.categories})


@atomic()
def add_theme(event: Event, code: str, name_fr: str, name_en: str, *, actor_id: int) -> Theme:
    """A theme after the edition's others; EventError 'theme_exists' when its code is taken."""
    if any(t.code == code for t in event.themes):
        raise EventError("theme_exists", "code")
    theme = Theme(code=code, name_fr=name_fr.strip(), name_en=name_en.strip(), position=len(event.themes))
    event.themes.append(theme)
    db.session.flush()
    audit.record("theme.add", actor_id=actor_id, event_id=event.id, obj=theme, details={"code": code})
    return theme


@atomic()
def delete_theme(event: Event, theme_id: int, *, actor_id: int) -> None:
    """Remove a theme of `event` (EventError 'unknown_theme' for another edition's or none)."""
    theme = db.session.scalar(select(Theme).where(Theme.id == theme_id, Theme.event_id == event.id))
    if theme is None:
        raise EventError("unknown_theme")
    audit.record("theme.delete", actor_id=actor_id, event_id=event.id, obj=theme, details={"code": theme.code})
    db.session.delete(theme)
