"""The plan page as an organiser reads and edits it: tour windows with their day, the quality in plain words,
numbers written one way, and edits answered in place (JSON) with the plain form post still working."""
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale

from app.core.numbers import format_number
from app.demonstrator.plans import views
from tests.conftest import login
from tests.demonstrator.test_plan_routes import (
    _free_move, base, body, compute, fresh, local_hhmm, page, text_of, visit_row,
)

JSON = {"Accept": "application/json"}


@pytest.fixture
def organiser_client(client, world, make_organiser):
    login(client, make_organiser(world.event))
    return client


def test_tour_windows_name_their_day(organiser_client, world):
    plan = compute(organiser_client, world)
    html = page(organiser_client, f"{base(world)}/{plan.id}")
    windows = [" ".join(w.split()) for w in re.findall(r'data-testid="tour-window">(.*?)</td>', html, re.S)]
    assert windows, "no tour shown"
    # The world's tours are on Wednesday 2 June 2027 (10:00-12:00 and 14:00-16:00, Paris time).
    assert all(re.fullmatch(r"Parcours \d · mer\. 2 juin · \d\d:\d\d–\d\d:\d\d", w) for w in windows), windows
    english = body(organiser_client.get(f"{base(world)}/{plan.id}", headers={"Accept-Language": "en"}))
    assert "Tour 1 · Wed 2 Jun · " in english


def test_the_quality_is_said_in_plain_words_and_the_optimiser_figures_are_kept_in_details(organiser_client, world):
    plan = compute(organiser_client, world)
    html = page(organiser_client, f"{base(world)}/{plan.id}")
    quality = text_of(html, "plan-quality")
    gap = views.gap_percent(plan.figures.get("objective"), plan.figures.get("bound"))
    if gap is None:
        assert "pas encore" in quality
    elif gap < 0.05:
        assert quality == "C'est le meilleur plan possible : il n'en existe pas de meilleur."
    else:
        assert re.fullmatch(r"Ce plan atteint au moins \d+ % de la valeur du meilleur plan possible\.", quality)
    assert "borne" not in quality
    details = html[html.index('data-testid="optimiser-details"'):]
    details = details[:details.index("</details>")]
    assert "borne" in details.lower() and "python -m routing check" in details


@pytest.mark.parametrize("gap, words", [(19.9, "au moins 80 %"), (0.01, "meilleur plan possible"), (None, "pas encore")])
def test_quality_words(app, gap, words):
    with app.test_request_context(), force_locale("fr"):
        assert words in views.quality_words(gap).replace("\u202f", " ").replace("\xa0", " ")


def test_numbers_are_grouped_by_thousands_in_both_languages(app):
    with app.test_request_context():
        with force_locale("fr"):
            assert format_number(7464) == "7\u202f464"
            assert format_number(41.53, 1) == "41,5"
            assert format_number(None) == "–"
        with force_locale("en"):
            assert format_number(7464) == "7,464"
            assert format_number(41.53, 1) == "41.5"
            assert format_number(12) == "12"
        assert app.jinja_env.filters["number"](7464) in ("7\u202f464", "7,464")


def test_the_page_has_one_edit_form_whatever_the_number_of_visits(organiser_client, world):
    plan = compute(organiser_client, world)
    html = page(organiser_client, f"{base(world)}/{plan.id}")
    assert html.count('data-testid="visit-row"') == len(plan.visits) > 3
    # The edit form, the visitor filter, re-optimise, publish, the log-out form: not three per visit.
    assert html.count("<form") < 8
    assert html.count('form="plan-edit"') == 2 * len(plan.visits)  # a lock and a remove button per visit
    assert 'data-testid="move-form"' not in html
    # Without the script, "Move" opens the move form of that visit only.
    visit = plan.visits[0]
    opened = page(organiser_client, f"{base(world)}/{plan.id}?visitor={visit.visitor_key}&move={visit.id}")
    assert opened.count('data-testid="move-form"') == 1
    assert f'action="{base(world)}/{plan.id}/visits/{visit.id}/move"' in opened


def test_a_lock_from_the_page_script_answers_with_the_visitor_only(organiser_client, world):
    plan = compute(organiser_client, world)
    visit = plan.visits[0]
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/edit", {"lock": str(visit.id)}, headers=JSON)
    assert response.status_code == 200
    data = response.get_json()
    assert data["ok"] and "verrouillée" in data["message"] and data["visitor"] == visit.visitor_key
    assert f'data-visit-id="{visit.id}"' in data["html"] and 'data-testid="unlock"' in data["html"]
    assert data["html"].count('data-testid="visitor"') == 1
    assert 'data-testid="plan-figures"' in data["figures_html"]
    assert visit_row(visit.id).locked
    # A refusal answers in JSON too, with the reason, and changes nothing.
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/edit", {"remove": str(visit.id)},
                                       headers=JSON)
    assert response.status_code == 409
    data = response.get_json()
    assert not data["ok"] and "verrouillée" in data["error"] and data["visit"] == visit.id
    assert visit_row(visit.id) is not None
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/edit", {"unlock": str(visit.id)},
                                       headers=JSON)
    assert response.status_code == 200 and not visit_row(visit.id).locked


def test_the_plain_edit_form_still_redirects_back_to_the_visitor(organiser_client, world):
    plan = compute(organiser_client, world)
    visit = plan.visits[0]
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/edit", {"lock": str(visit.id)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#visitor-{visit.visitor_key}")
    assert visit_row(visit.id).locked
    count = len(fresh(plan.id).visits)
    organiser_client.submit(f"{base(world)}/{plan.id}/visits/edit", {"unlock": str(visit.id)})
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/edit", {"remove": str(visit.id)})
    assert response.status_code == 302
    assert len(fresh(plan.id).visits) == count - 1


@pytest.mark.parametrize("form, status", [
    ({}, 400), ({"lock": "1", "remove": "1"}, 400), ({"lock": "abc"}, 404), ({"lock": "99999999"}, 404),
    ({"remove": "-3"}, 404), ({"unlock": "1" * 30}, 404)])
def test_bad_edit_buttons_are_refused_and_change_nothing(organiser_client, world, form, status):
    plan = compute(organiser_client, world)
    before = [(v.id, v.locked) for v in plan.visits]
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/edit", form)
    assert response.status_code == status
    if status == 400:
        assert "Choisissez une seule action" in body(response)
        json_response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/edit", form, headers=JSON)
        assert json_response.status_code == 400 and "Choisissez" in json_response.get_json()["error"]
    assert [(v.id, v.locked) for v in fresh(plan.id).visits] == before


def test_a_move_from_the_page_script_answers_in_place(organiser_client, world):
    plan = compute(organiser_client, world)
    visit, start = _free_move(plan)
    assert visit is not None
    new = plan.reference + timedelta(minutes=start)
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/{visit.id}/move",
                                       {"time": local_hhmm(world, new)}, headers=JSON)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    data = response.get_json()
    assert data["ok"] and f'data-time="{local_hhmm(world, new)}"' in data["html"]
    assert "Modifié à la main" in data["figures_html"]
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/{visit.id}/move", {"time": "07:00"},
                                       headers=JSON)
    assert response.status_code == 422 and "en dehors des parcours" in response.get_json()["error"]


def test_a_drafts_page_says_what_publishing_it_changes_before_the_publish_page(organiser_client, world):
    from app.demonstrator.plans import editing, notify, planning

    first = compute(organiser_client, world)
    # Nothing published yet: the draft's page has nothing to compare with.
    assert 'data-testid="plan-changes"' not in page(organiser_client, f"{base(world)}/{first.id}")
    editing.publish(first, actor_id=None, notify_people=False)
    html = page(organiser_client, f"{base(world)}/{first.id}")
    assert 'data-testid="plan-changes"' not in html
    # On the day, the rest of the day is re-planned in seconds (the organiser waits for it), whatever the time
    # the published plan was given; re-optimising keeps that time.
    assert first.time_limit == 2 and planning.DAY_TIME_LIMIT != 2
    assert re.search(rf'id="day-limit"[^>]*value="{planning.DAY_TIME_LIMIT}"', html)
    assert re.search(r'id="replan-limit"[^>]*value="2"', html)

    draft = compute(organiser_client, world)  # around the published plan: the same visits
    assert draft.origin == "replan"
    html = page(organiser_client, f"{base(world)}/{draft.id}")
    assert 'data-testid="plan-changes"' in html  # with no change, it says so: nobody gets an e-mail
    visit = next(v for v in draft.visits if not v.locked)
    editing.remove_visit(draft, visit.id, actor_id=None)
    found = notify.preview(fresh(draft.id))
    assert found.num_routes == 1 and found.num_briefings == 1 and found.num_people >= 2

    html = page(organiser_client, f"{base(world)}/{draft.id}")
    block = html[html.index('data-testid="plan-changes"'):]
    block = " ".join(block[:block.index("</div>")].split())
    assert f"Publier cette version à la place de la version {first.version} :" in block
    assert "Le parcours de 1 élu ou délégation change" in block
    assert "dont 1 avec une visite publiée déplacée ou retirée" in block
    assert f"{found.num_people} personnes seront prévenues par e-mail" in block
    english = body(organiser_client.get(f"{base(world)}/{draft.id}", headers={"Accept-Language": "en"}))
    assert f"Publishing this version instead of version {first.version}:" in english
    assert f"{found.num_people} people will be told by e-mail" in english
