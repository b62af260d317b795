"""Access levels know no feature: the hooks the features register at start-up say who holds what."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import Flask, Response

from app.core import access
from app.core.access import Access, DeviceRefused, event_roles, requires
from app.events.services import edition_by_slug
from app.leads.api import authenticate_device


def test_the_app_registers_the_features_hooks(app):
    hooks = access.hooks_of(app)
    assert hooks.edition_loader is edition_by_slug
    assert hooks.device_authenticator is authenticate_device
    assert {provider.__module__ for provider in hooks.role_providers} == {"app.auth.levels", "app.registrations.levels",
                                                                            "app.network.members.standing"}


def test_hooks_are_kept_per_app_and_single_hooks_once():
    first, second = Flask("first"), Flask("second")
    access.add_role_provider(first, lambda person, edition: {Access.ORGANISER})
    access.set_edition_loader(first, lambda slug: None)
    assert access.hooks_of(second).role_providers == [] and access.hooks_of(second).edition_loader is None
    with pytest.raises(RuntimeError):
        access.set_edition_loader(first, lambda slug: None)


def test_event_roles_are_what_the_providers_say_together():
    bare = Flask("bare")
    access.add_role_provider(bare, lambda person, edition: {Access.ORGANISER} if edition.id == 1 else set())
    access.add_role_provider(bare, lambda person, edition: {Access.ATTENDEE})
    person = SimpleNamespace(is_authenticated=True)
    with bare.app_context():
        assert event_roles(person, SimpleNamespace(id=1, slug="a")) == {Access.ORGANISER, Access.ATTENDEE}
        assert event_roles(person, SimpleNamespace(id=2, slug="b")) == {Access.ATTENDEE}
        assert event_roles(SimpleNamespace(is_authenticated=False), SimpleNamespace(id=1, slug="a")) == set()


def test_a_device_view_gets_the_device_or_the_authenticators_refusal():
    bare = Flask("bare")

    def authenticate(authorization):
        if authorization != "Bearer d_good":
            raise DeviceRefused(Response('{"code": "device_token_invalid"}', status=401, mimetype="application/json"))
        return "the device"

    access.set_device_authenticator(bare, authenticate)

    @bare.get("/api")
    @requires(Access.DEVICE)
    def view(device):
        return device

    client = bare.test_client()
    assert client.get("/api", headers={"Authorization": "Bearer d_good"}).get_data(as_text=True) == "the device"
    refused = client.get("/api", headers={"Authorization": "Bearer d_bad"})
    assert refused.status_code == 401 and refused.json == {"code": "device_token_invalid"}
