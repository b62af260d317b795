"""S8: every URL of the app against every role, from the one declaration on each view."""
import re
from datetime import datetime, time, timedelta

import pytest

from app.api.tokens import services as api_tokens
from app.core.access import Access
from app.api.models import WebhookDelivery
from app.api.webhooks import services as webhooks
from app.auth.models import RoleName
from app.auth.services import grant_role, set_password
from app.events.models import CategoryCode
from app.badging import services as badging
from app.demonstrator.hall import calendar as hall_calendar
from app.demonstrator.hall import services as hall_services
from app.demonstrator.plans.problem import reference_of
from app.demonstrator.plans import results, sheet_jobs
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, SheetPart, VisitPlan
from app.demonstrator.wishes import services as demonstrator_preferences
from app.jobs.models import Job, JobStatus
from app.leads import devices as lead_devices
from app.leads import recording
from app.outcomes import services as outcomes
from app.privacy.subject.exports import request_export
from app.outcomes.models import OutcomeKind, OutcomeSide, OutcomeSource, OutcomeStatus
from app.program import services as program
from app.program.models import SessionKind
from app.registrations.delegations import create_delegation
from app.registrations.services import approve
from app.registrations.imports.models import ImportBatch
from tests.conftest import login
from tests.meetings.agenda_matrix_world import agenda_world
from tests.meetings.matrix_world import meetings_world
from tests.meetings.placement_matrix import placement_world
from tests.network.world import network_world
from tests.core.image_files import png

ROLES = ["anonymous", "attendee", "exhibitor", "door", "other_organiser", "organiser", "network", "staff"]

#: Who gets in, per declared access level.
ALLOWED = {
    Access.PUBLIC: set(ROLES),
    Access.LOGIN: set(ROLES) - {"anonymous"},
    Access.ATTENDEE: {"attendee"},
    Access.EXHIBITOR: {"exhibitor"},
    Access.ORGANISER: {"organiser", "staff"},
    # Door staff check people in and see the arrivals; organisers may stand at the door too.
    Access.DOOR: {"door", "organiser", "staff"},
    Access.STAFF: {"staff"},
    # The network between summits: its organisers, and platform staff.
    Access.NETWORK: {"network", "staff"},
    Access.DEVICE: set(),  # a device's bearer token only: no cookie session gets in
    Access.API_TOKEN: set(),  # the public API: an API token only, a cookie session gets a 401
}

#: Levels whose views take a bearer token and no cookie: a 401 for everyone, signed in or not.
BEARER = (Access.DEVICE, Access.API_TOKEN)

#: Views whose rule is finer than their access level, and what the others get.
OBJECT_LEVEL = {
    # An attendee's own registration: any other signed-in person gets a 404.
    "registrations.update_consents": ({"attendee"}, 404),
    "registrations.cancel_mine": ({"attendee"}, 404),
    # Only people who organise something have a back office; door staff are sent to their door.
    "backoffice.dashboard": ({"door", "other_organiser", "organiser", "staff"}, 403),
    # A calendar feed opens with its secret token only; a made-up one is a 404 for everyone.
    "program.feed": (set(), 404),
    # The follow-up survey opens with its one-time token only; a made-up one is a 404 for everyone.
    "survey.answer": (set(), 404),
    "survey.unsubscribe": (set(), 404),
    # A startup's briefing: the attendee of the matrix is an official.
    "visits.briefing": (set(), 403),
    # The scanning API answers a missing or wrong device token with 401, whoever is logged in.
    "leads_api.device_info": (set(), 401),
    "leads_api.upload_scans": (set(), 401),
    "leads_api.recent_scans": (set(), 401),
    "leads_api.kept_scans": (set(), 401),
    "leads_api.scan_detail": (set(), 401),
    # Organisations shared by the editions: an organiser of some edition sees the duplicates page (and an empty
    # merge form is a 400 for her); she merges two records only when she organises every edition where they appear.
    "organisations.duplicates": ({"other_organiser", "organiser", "staff"}, 403),
    "organisations.merge_preview": ({"organiser", "staff"}, 403),
    "organisations.merge": ({"other_organiser", "organiser", "staff"}, 403),
    # People known across editions: the same rule (the two people of the preview appear in the organiser's edition).
    "people_merge.duplicates": ({"other_organiser", "organiser", "staff"}, 403),
    "people_merge.merge_preview": ({"organiser", "staff"}, 403),
    "people_merge.merge": ({"other_organiser", "organiser", "staff"}, 403),
    # A city's page is edited by its contacts (the attendee is her member city's official) and the network's
    # organisers; anyone else signed in is refused.
    "network_cities.edit": ({"attendee", "network", "staff"}, 403),
    # Replications (tests/network/world.py): the official is the asking city's contact, the exhibitor the startup's;
    # they and the network organisers see the replication, nobody else (404). Answering and recording a stage with
    # an empty form: a 422 naming the field for those who see it.
    "network_replication.ask": ({"attendee"}, 403),
    "network_replication.page": ({"attendee", "exhibitor", "network", "staff"}, 404),
    "network_replication.answer": ({"attendee", "exhibitor", "network", "staff"}, 404),
    "network_replication.stage": ({"attendee", "exhibitor", "network", "staff"}, 404),
    # Creating a consortium: a member city's contact only.
    "network_replication.create": ({"attendee"}, 403),
    # The digest's unsubscribe link: "not-a-token" is no one's.
    "network_replication.unsubscribe": (set(), 404),
    # The network's library: a project is published by the contacts of a member city (the attendee is the contact
    # of the member city `city_id`) and by the network's organisers; anyone else signed in gets a 403. The edit
    # pages are opened with `project_id`, another city's public project: the attendee may not change it (403; she
    # edits `own_project_id`, tests/network/test_library_publish.py), the network's organisers and staff may.
    "network_library.new": ({"attendee", "network", "staff"}, 403),
    "network_library.edit": ({"network", "staff"}, 403),
    "network_library.delete": ({"network", "staff"}, 403),
    "network_library.add_partner": ({"network", "staff"}, 403),
    "network_library.remove_partner": ({"network", "staff"}, 403),
    "network_library.add_document": ({"network", "staff"}, 403),
    "network_library.delete_document": ({"network", "staff"}, 403),
    # A startup's answer: only its people (the exhibitor works on the stand of the startup named in `project_id`).
    "network_startup.answer": ({"exhibitor"}, 403),
    # A meeting request's e-mail link opens with its signed token only; "not-a-token" is a 404 for everyone.
    "meeting_links.answer": (set(), 404),
    # A person's data export: her own exports only (the matrix's was asked for by the organiser: a 404 on her pages
    # for everyone); the mailed link opens with its secret only, "not-a-token" is no one's.
    "privacy_subject.export_status": (set(), 404),
    "privacy_subject.download_mine": (set(), 404),
    "privacy_subject.download_by_token": (set(), 404),
}


def all_views(app):
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        rules.append(rule)
    # Pages first, then the forms that change things (one may remove what a page shows); cancelling
    # one's registration comes last: the attendee pages after it would be closed to them.
    return sorted(rules, key=lambda r: (r.endpoint == "registrations.cancel_mine", "GET" not in r.methods,
                                        r.endpoint, r.rule))


def test_every_view_declares_who_may_open_it(app):
    undeclared = [rule.endpoint for rule in all_views(app)
                  if not isinstance(getattr(app.view_functions[rule.endpoint], "access", None), Access)]
    assert undeclared == []


@pytest.fixture
def world(event, make_event, make_person, make_registration, db):
    other_event = make_event(slug="autre-edition", name="Autre édition")
    people = {}
    attendee_registration = make_registration(event, CategoryCode.ELU)
    people["attendee"] = attendee_registration.person
    set_password(people["attendee"], "correct horse battery")
    # An exhibitor works on a startup's stand (staff known by their role, not registered themselves).
    stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Capteurs du Morvan")
    people["exhibitor"] = make_person()
    grant_role(people["exhibitor"], event.id, RoleName.EXHIBITOR, actor_id=None, organisation_id=stand.organisation_id)
    people["door"] = make_person()
    grant_role(people["door"], event.id, RoleName.DOOR_STAFF, actor_id=None)
    people["other_organiser"] = make_person()
    grant_role(people["other_organiser"], other_event.id, RoleName.ORGANISER, actor_id=None)
    people["organiser"] = make_person()
    grant_role(people["organiser"], event.id, RoleName.ORGANISER, actor_id=None)
    people["staff"] = make_person(is_staff=True)
    people["network"] = make_person()
    delegation = create_delegation(event, "Ville de Nevers", actor_id=None)
    # A print job that stopped, with the part it printed (below): its PDF and its rest have pages too.
    job = Job(kind="print_badges", event_id=event.id, status=JobStatus.FAILED,
              params={"selection": badging.Selection().as_dict(), "sheet": "a6"})
    batch = ImportBatch(event_id=event.id, filename="liste.csv", content=b"", size=0, sha256="0" * 64, summary={})
    db.session.add_all([job, batch])
    db.session.commit()
    room = program.save_room(event, program.RoomInput(name="Grande salle", capacity=200), actor_id=None)
    session = program.save_session(event, program.SessionInput(
        kind=SessionKind.ATELIER, title_fr="Atelier", title_en="Workshop", day=event.starts_on, start=time(10, 0),
        end=time(11, 0), room_id=room.id, seat_limit=10), actor_id=None)
    program.publish(event, actor_id=None)
    db.session.commit()
    approve(event, [attendee_registration.id, stand.id], actor_id=None)
    run = badging.print_badges(event, badging.Selection(), "a6", actor_id=None, job_id=job.id)
    change = demonstrator_preferences.change_availability(
        event, starts_at=datetime(2027, 6, 2, 8), ends_at=datetime(2027, 6, 2, 9), available=False,
        registration=attendee_registration, reason="Retard", actor_id=None)
    db.session.commit()
    hall_stand = hall_services.save_stand(event, hall_services.StandInput("A1", x=1, y=1), actor_id=None)
    startup = make_registration(event, CategoryCode.STARTUP)
    approve(event, [startup.id], actor_id=None)
    day = datetime.combine(event.starts_on, time(9))
    booking = hall_calendar.book_stand(event, hall_stand, startup, day, day + timedelta(hours=8), actor_id=None)
    closure = hall_calendar.close_stand(event, hall_stand, day + timedelta(hours=3), day + timedelta(hours=4), actor_id=None)
    entrance = hall_services.save_entrance(event, "Nord", 10, 0, actor_id=None)
    slot = hall_calendar.add_tour_slot(event, day + timedelta(hours=1), day + timedelta(hours=2), actor_id=None)
    hall_services.set_image(event, png(), actor_id=None)
    db.session.commit()
    plan = _visit_plan(event, f"r{attendee_registration.id}", db)
    # A day's route sheets drawn by their job: its PDF has a page too.
    sheets_job = Job(kind=sheet_jobs.KIND, event_id=event.id, status=JobStatus.DONE,
                     params={"day": event.starts_on.isoformat(), "plan_id": plan.id, "version": plan.version})
    db.session.add(sheets_job)
    db.session.flush()
    db.session.add(SheetPart(event_id=event.id, job_id=sheets_job.id, plan_id=plan.id, day=event.starts_on,
                             tours=[f"r{attendee_registration.id}/0"], num_pages=1, pdf=b"%PDF-1.4\n%%EOF\n"))
    db.session.commit()
    device, device_token = lead_devices.pair(lead_devices.start_pairing(stand, "Téléphone", actor_id=None).code)
    results = recording.record_scans(device, [{"client_id": "world-1", "scanned_at": "2026-11-20T09:00:00Z",
                                           "code": badging.current_token(attendee_registration).token}])
    assert results[0].status == "stored"
    # What came of that scan, recorded by the stand: the official confirms it, the stand cannot.
    outcome = outcomes.record_outcome(
        event, outcomes.OutcomeInput(OutcomeKind.PILOT, OutcomeStatus.PLANNED, event.starts_on), stand=stand,
        registration=attendee_registration, source=OutcomeSource.SCAN, lead_id=results[0].contact["lead_id"],
        actor_id=None, side=OutcomeSide.STARTUP)
    # API tokens: the edition's (an organiser's), and the stand's own (its team's).
    api_token = api_tokens.create_token(event, name="CRM", scopes=["registrations:read"], expires_on=None,
                                        actor_id=None).token
    stand_token = api_tokens.create_token(event, name="CRM du stand", scopes=["leads:read"], expires_on=None,
                                          actor_id=None, stand=stand).token
    # A webhook endpoint (on a closed loopback port: sending again fails at once) and one delivery to it.
    hook = webhooks.create_endpoint(event, webhooks.EndpointInput(url="http://127.0.0.1:9/hooks",
                                                                  events=["lead.created"]), actor_id=None)
    delivery = WebhookDelivery(endpoint_id=hook.id, event_id=event.id, uid="world-delivery", kind="lead.created",
                               payload={"id": "world-delivery"}, status="failed")
    db.session.add(delivery)
    db.session.commit()
    # The official's data, exported by the edition's organiser on her behalf (downloadable once, from the edition).
    data_export = request_export(attendee_registration.person_id, requested_by_id=people["organiser"].id,
                                 event_id=event.id)
    values = {"slug": event.slug, "api_token_id": api_token.id, "stand_token_id": stand_token.id,
              "registration_id": attendee_registration.id, "delegation_id": delegation.id,
              "theme_id": event.themes[-1].id, "job_id": job.id, "code": "visiteur", "action": "approve",
              "fmt": "csv", "token": "not-a-token", "sheets_job_id": sheets_job.id, "person_id": people["organiser"].id,
              "batch_id": batch.id, "room_id": room.id, "session_id": session.id,
              "run_id": run.id, "stand_id": hall_stand.id, "booking_id": booking.id, "closure_id": closure.id,
              "entrance_id": entrance.id, "slot_id": slot.id, "export_id": data_export.id,
              "day": event.starts_on.isoformat(), "visitor_key": f"r{attendee_registration.id}", "tour": 0,
              "plan_id": plan.id, "visit_id": plan.visits[0].id,
              "device_id": device.id, "lead_id": results[0].contact["lead_id"], "client_id": "world-1",
              "startup_id": stand.id, "change_id": change.id, "outcome_id": outcome.id,
              "kept_id": attendee_registration.organisation_id, "dropped_id": stand.organisation_id,
              # Two people of the edition: the official and the stand's startup (the preview changes nothing).
              "person_kept_id": attendee_registration.person_id, "person_dropped_id": stand.person_id,
              # The report's timeline of an organisation: the stand's startup, registered in the edition.
              "organisation_id": stand.organisation_id, "endpoint_id": hook.id, "delivery_id": delivery.id,
              # The network: the official is her member city's contact (tests/network/world.py).
              **network_world(people, attendee_registration, stand),
              # Meetings on request: the stand's startup asked the official to meet (tests/meetings/matrix_world.py).
              **meetings_world(event, attendee_registration, stand),
              # Placing the meetings: the official meets the hall's startup at a table (placement_matrix.py).
              **placement_world(event, attendee_registration, startup),
              # The official asked the startup too: accepted, published at a table (tests/meetings/agenda_matrix_world.py).
              **agenda_world(event, attendee_registration, stand)}
    return people, values


def _visit_plan(event, visitor: str, db) -> VisitPlan:
    """A published visit plan of one visit at stand A1 (no Stand row: the pages cope)."""
    problem = {"format": "visit-routing/1", "locations": {"entrance": [0, 0], "stand:A1": [4, 3]}, "speed": 40,
               "stands": [{"id": "A1", "location": "stand:A1", "visit_duration": 10, "open": [[600, 720]]}],
               "visitors": [{"id": visitor, "tours": [{"start": "entrance", "end": "entrance", "from": 600, "to": 720}]}],
               "scores": [[visitor, "A1", 2.0]], "locked": []}
    plan = VisitPlan(event_id=event.id, version=1, status=PlanStatus.PUBLISHED, reference=reference_of(event),
                     problem=problem, figures={}, time_limit=2)
    plan.visits.append(PlannedVisit(visitor_key=visitor, registration_id=int(visitor[1:]), tour=0, stand_key="A1",
                                    start=610, starts_at=plan.reference + timedelta(minutes=610),
                                    ends_at=plan.reference + timedelta(minutes=620), score=2.0))
    db.session.add(plan)
    db.session.flush()
    plan.figures = results.figures(plan)
    db.session.commit()
    return plan


def url_for_rule(rule, values):
    path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)
    if rule.endpoint == "auth.set_language":
        path = path.replace("/visiteur", "/en")
    return path


@pytest.mark.parametrize("role", ROLES)
def test_every_url_with_every_role(app, world, role):
    people, values = world
    failures = []
    for rule in all_views(app):
        access = app.view_functions[rule.endpoint].access
        allowed, refusal = OBJECT_LEVEL.get(rule.endpoint, (ALLOWED[access], 401 if access in BEARER else 403))
        client = app.test_client()
        if role != "anonymous":
            login(client, people[role])
        url = url_for_rule(rule, values)
        # A rule of another method alone (the API's PATCH) is sent with that method, without a body.
        method = next(m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if m in rule.methods)
        if method in ("GET", "POST"):
            response = client.get(url) if method == "GET" else client.submit(url, {})
        else:
            response = client.open(url, method=method)
        code = response.status_code
        if role == "anonymous" and access not in (Access.PUBLIC, *BEARER):
            ok = code == 302 and "/login" in response.headers["Location"]
        elif role in allowed:
            ok = code < 400 or (method != "GET" and code in (400, 422))  # empty body: a clear refusal
        else:
            ok = code == refusal
        if not ok:
            failures.append(f"{method} {url} ({rule.endpoint}, {access}) as {role}: {code}")
    assert failures == []


#: Back-office pages of no one edition: signed in, then checked against the editions the person organises (their
#: rows in OBJECT_LEVEL say who gets in).
ACROSS_EDITIONS = {"backoffice.dashboard", "organisations.duplicates", "organisations.merge_preview",
                   "organisations.merge", "people_merge.duplicates", "people_merge.merge_preview",
                   "people_merge.merge"}


def test_back_office_urls_are_for_organisers_only(app):
    """A view under /manage declared with a weaker level would pass the matrix above; not this."""
    loose = [rule.endpoint for rule in all_views(app) if rule.rule.startswith("/manage")
             and app.view_functions[rule.endpoint].access not in (Access.ORGANISER, Access.DOOR, Access.STAFF)
             and rule.endpoint not in ACROSS_EDITIONS]
    assert loose == []


def test_every_form_post_needs_a_csrf_token(app, world):
    """S5: a logged-in organiser's browser tricked into posting from elsewhere changes nothing."""
    people, values = world
    client = app.test_client()
    login(client, people["staff"])
    posts = [rule for rule in all_views(app) if "POST" in rule.methods]
    assert posts
    accepted = []
    for rule in posts:
        response = client.post(url_for_rule(rule, values), data={"name": "x", "action": "approve"})
        # The scanning API and the public API take no cookie at all: without its bearer token it is a 401, or a 400 without a code.
        expected = 401 if app.view_functions[rule.endpoint].access in BEARER else 400
        if response.status_code != expected:
            accepted.append(f"{rule.endpoint}: {response.status_code}")
    assert accepted == []


def test_a_member_citys_contact_edits_her_own_citys_project_and_not_anothers(app, world):
    people, values = world
    client = app.test_client()
    login(client, people["attendee"])
    assert client.get(f"/network/projects/{values['own_project_id']}/edit").status_code == 200
    assert client.get(f"/network/projects/{values['project_id']}/edit").status_code == 403
