"""Who may open what, declared once per view with @requires (S8).

The levels are named here; which of them a person holds is told by the features, which register
their hooks at start-up in their `init_app`: the feature that owns editions loads one from the
slug of a URL, the features that grant roles say which levels a person holds, and the feature
that pairs devices authenticates them. The hooks are kept per app (in `app.extensions`), so this
module knows no feature and two apps never share them.
"""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Protocol

from flask import Flask, Response, abort, current_app, request
from flask_login import current_user

from app.extensions import login_manager

EXTENSION_KEY = "mediane.access"


class Access(enum.StrEnum):
    PUBLIC = "public"          # anyone, signed in or not
    LOGIN = "login"            # any signed-in person
    ATTENDEE = "attendee"      # a (not cancelled) registration in the event of the URL
    EXHIBITOR = "exhibitor"    # exhibitor staff in the event of the URL
    ORGANISER = "organiser"    # organiser of the event of the URL
    DOOR = "door"              # door staff of the event of the URL: check-in and arrivals (organisers too)
    STAFF = "staff"            # platform staff (every edition, creating editions)
    NETWORK = "network"        # network organisers (member cities between summits); platform staff too
    DEVICE = "device"          # a stand's paired device, by its bearer token; never a cookie (S5)
    API_TOKEN = "api_token"    # the public API: an edition's API token, by bearer; never a cookie (S5)


class Edition(Protocol):
    """What this module and the features below the editions' own know of an edition."""

    id: int
    slug: str


#: The edition a URL's slug names, or None.
EditionLoader = Callable[[str], Edition | None]
#: The levels `person` (signed in) holds in an edition, or on the platform when the edition is None.
RoleProvider = Callable[[Any, Edition | None], Iterable[Access]]
#: The device behind an `Authorization` header (None when absent); raises DeviceRefused otherwise.
DeviceAuthenticator = Callable[[str | None], Any]


class DeviceRefused(Exception):
    """A device request refused by the authenticator, with the response the device gets."""

    def __init__(self, response: Response):
        super().__init__(response.status)
        self.response = response


@dataclass
class AccessHooks:
    edition_loader: EditionLoader | None = None
    role_providers: list[RoleProvider] = field(default_factory=list)
    device_authenticator: DeviceAuthenticator | None = None


def hooks_of(app: Flask) -> AccessHooks:
    return app.extensions.setdefault(EXTENSION_KEY, AccessHooks())


def set_edition_loader(app: Flask, loader: EditionLoader) -> None:
    hooks = hooks_of(app)
    if hooks.edition_loader is not None:
        raise RuntimeError("an edition loader is already registered")
    hooks.edition_loader = loader


def add_role_provider(app: Flask, provider: RoleProvider) -> None:
    hooks_of(app).role_providers.append(provider)


def set_device_authenticator(app: Flask, authenticator: DeviceAuthenticator) -> None:
    hooks = hooks_of(app)
    if hooks.device_authenticator is not None:
        raise RuntimeError("a device authenticator is already registered")
    hooks.device_authenticator = authenticator


def _levels(person, edition: Edition | None) -> set[Access]:
    if person is None or not person.is_authenticated:
        return set()
    levels: set[Access] = set()
    for provider in hooks_of(current_app).role_providers:
        levels.update(provider(person, edition))
    return levels


def event_roles(person, event: Edition) -> set[Access]:
    """The access levels `person` holds in `event`."""
    return _levels(person, event)


def _load_edition(slug: str) -> Edition | None:
    loader = hooks_of(current_app).edition_loader
    if loader is None:
        raise RuntimeError("no edition loader is registered: a view takes a slug")
    return loader(slug)


def _authenticate_device():
    authenticator = hooks_of(current_app).device_authenticator
    if authenticator is None:
        raise RuntimeError("no device authenticator is registered: a view is for devices")
    return authenticator(request.headers.get("Authorization"))


def requires(access: Access) -> Callable:
    """Guard a view. Event-level views take `slug` in the URL and receive `event`; device views receive
    the authenticated, rate-limited `device`."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if access is Access.DEVICE:
                try:
                    device = _authenticate_device()
                except DeviceRefused as refusal:
                    return refusal.response
                return view(*args, device=device, **kwargs)
            if access is not Access.PUBLIC and not current_user.is_authenticated:
                return login_manager.unauthorized()
            if access in (Access.STAFF, Access.NETWORK) and access not in _levels(current_user, None):
                abort(403)
            if "slug" in kwargs:
                event = _load_edition(kwargs.pop("slug"))
                if event is None:
                    abort(404)
                if access in (Access.ATTENDEE, Access.EXHIBITOR, Access.ORGANISER, Access.DOOR):
                    if access not in event_roles(current_user, event):
                        abort(403)
                kwargs["event"] = event
            return view(*args, **kwargs)

        guarded.access = access  # read by the access-matrix test
        return guarded

    return decorate


def init_app(app: Flask) -> None:
    hooks_of(app)

    @app.context_processor
    def access_context() -> dict:
        return {"event_roles": event_roles}
