"""Ids past the database's integers and path segments with control characters name nothing: a 404, never a 500."""
from __future__ import annotations

from datetime import time

import pytest
from werkzeug.routing import ValidationError

from app.core.converters import ID_MAX, IdConverter, TextConverter
from app.events.models import CategoryCode
from app.program import services as program
from app.program.models import SessionKind
from tests.conftest import login

BEYOND = [str(10**30), str(2**63), str(2**31)]


def test_every_int_rule_uses_the_bounded_converter_and_every_text_segment_the_clean_one(app):
    kinds = {type(converter) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
             for converter in rule._converters.values()}
    assert kinds == {IdConverter, TextConverter}


def test_the_id_converter_takes_the_database_range_only(app):
    converter = IdConverter(app.url_map)
    assert converter.to_python(str(ID_MAX)) == ID_MAX == 2**31 - 1
    for value in BEYOND:
        with pytest.raises(ValidationError):
            converter.to_python(value)
    assert IdConverter(app.url_map, max=10).max == 10  # a rule's own lower bound is kept


@pytest.mark.parametrize("value", BEYOND)
def test_huge_ids_in_back_office_paths_are_a_404(client, event, make_organiser, make_registration, value):
    make_registration(event, CategoryCode.VISITEUR)
    login(client, make_organiser(event))
    for path in (f"/manage/e/{event.slug}/registrations/{value}", f"/manage/e/{event.slug}/delegations/{value}",
                 f"/manage/e/{event.slug}/demonstrator/plans/{value}", f"/manage/e/{event.slug}/jobs/{value}.json",
                 f"/manage/e/{event.slug}/badges/runs/{value}.pdf"):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("value", BEYOND)
def test_a_huge_session_id_in_the_public_program_is_a_404(client, event, value):
    session = program.save_session(event, program.SessionInput(
        kind=SessionKind.CONFERENCE, title_fr="Conférence", title_en="Talk", day=event.starts_on, start=time(10),
        end=time(11)), actor_id=None)
    program.publish(event, actor_id=None)
    assert client.get(f"/e/{event.slug}/program/{session.id}").status_code == 200
    assert client.get(f"/e/{event.slug}/program/{value}").status_code == 404


@pytest.mark.parametrize("segment", ["x%00y", "sommet%1B2027", "%7F"])
def test_a_control_character_in_a_path_segment_is_a_404(client, event, segment):
    assert client.get(f"/e/{segment}/").status_code == 404
    assert client.get(f"/ical/{segment}.ics").status_code == 404
    assert client.get(f"/e/{event.slug}/register/{segment}").status_code == 404
