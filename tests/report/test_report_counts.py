"""Property tests: the report's counts are the counts of the stored rows, whatever outcomes and scans there are."""
from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.events.models import Category
from app.extensions import db
from app.leads.models import Lead, Scan
from app.outcomes.models import Outcome, OutcomeKind, OutcomeStatus
from app.registrations.models import Registration
from app.report.figures import edition_report, ranking
from tests.demonstrator.conftest import utc
from tests.demonstrator.test_realised import add_scan
from tests.report.conftest import add_outcome

#: (startup, official, kind, status): one outcome of a kind per meeting, as the service keeps them.
outcomes = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 8), st.sampled_from(list(OutcomeKind)),
                              st.sampled_from(list(OutcomeStatus))), max_size=12,
                    unique_by=lambda o: (o[0], o[1], o[2]) if o[2] != OutcomeKind.NONE else o)
#: (startup, person, minute of the day): a person is one of the nine officials or a visitor (9).
scans = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 9), st.integers(0, 600)), max_size=14)


def _reset():
    db.session.execute(delete(Outcome))
    db.session.execute(delete(Scan))
    db.session.execute(delete(Lead))
    db.session.commit()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=outcomes, scanned=scans, n=st.integers(1, 5))
def test_the_reports_counts_are_the_stored_rows(app, edition, chosen, scanned, n):
    _reset()
    event = edition.event
    city_side = edition.city_side
    people = city_side + [edition.visitor]
    for startup, official, kind, status in chosen:
        add_outcome(edition.event, edition.startups[startup], city_side[official], kind, status)
    for startup, person, minute in scanned:
        add_scan(event, edition.startups[startup].id, people[person].id,
                 utc(event.starts_on, "08:00") + timedelta(minutes=minute))

    with app.test_request_context():
        report = edition_report(event, n)
        rows = db.session.execute(select(Outcome.kind, Outcome.status, Outcome.organisation_id,
                                         Outcome.startup_id).where(Outcome.event_id == event.id)).all()
        # By kind and status, by kind, by status.
        by_pair = Counter((kind, status) for kind, status, _o, _s in rows)
        assert {(k, s): per[s] for k, per in report.kinds for s in OutcomeStatus if per[s]} == dict(by_pair)
        for kind in OutcomeKind:
            assert report.kind_total(kind) == sum(1 for row in rows if row[0] == kind)
        assert report.status_totals == {s: sum(1 for row in rows if row[1] == s) for s in OutcomeStatus}
        assert report.num_outcomes == len(rows)
        # Per city and per startup: every organisation with its count, the most first.
        # ("Nothing for now" is an answer, not an outcome that ranks.)
        per_city = Counter(row[2] for row in rows if row[0] != OutcomeKind.NONE)
        per_startup = Counter(row[3] for row in rows if row[0] != OutcomeKind.NONE)
        assert {r.organisation_id: r.outcomes for r in ranking(event, Outcome.organisation_id, None)} == per_city
        assert {r.organisation_id: r.outcomes for r in ranking(event, Outcome.startup_id, None)} == per_startup
        shown = [r.outcomes for r in report.top_cities]
        assert shown == sorted(per_city.values(), reverse=True)[:len(shown)]
        assert {r.organisation_id: r.outcomes for r in report.top_startups} == per_startup  # 4 startups: all shown
        # Startups that met at least n officials: distinct officials scanned at each stand (no plan here).
        officials = set(db.session.scalars(select(Registration.id).join(Category).where(
            Registration.event_id == event.id, Category.code.in_(("elu", "decideur")))))
        met = Counter(stand for stand, person in set(db.session.execute(
            select(Scan.stand_id, Scan.registration_id).where(Scan.event_id == event.id)).all())
            if person in officials)
        assert report.num_startups == len(edition.startups)
        assert report.startups_at_least == sum(1 for s in edition.startups if met[s.id] >= n)
        assert sum(count for _label, count in report.histogram()) == len(edition.startups)
        # With no plan, every scan is unplanned: one meeting per person, startup and day.
        assert report.totals.planned == 0
        assert report.totals.unplanned == len({(s, p) for s, p, _m in scanned})
