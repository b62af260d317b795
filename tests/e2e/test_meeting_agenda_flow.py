"""Issue 29 on the day, on the demo's data (its previous edition, Blois, where the meetings on request were placed
with the routes and published): a mayor on her phone (390x844) finds her meeting at a startup's stand in her agenda
with its time and place, downloads her calendar with it, opens her meeting schedule and says it was held; the
startup sees it held; the organiser counts it among the held meetings of the day and of the report. axe on every
page; screenshots in test-artifacts/."""
from __future__ import annotations

from icalendar import Calendar
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.auth.services import set_password
from app.core.timefmt import format_moment
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.meetings.agenda import schedule
from app.meetings.agenda.figures import meeting_figures
from app.meetings.placement.models import Mark, MarkSource, MeetingMark
from app.meetings.requests.models import Side
from app.registrations.models import Mandate
from tests.conftest import TEST_PASSWORD
from tests.e2e.test_mayor_and_exhibitor_on_phones import log_in, no_sideways_scrolling, phone


def a_mayors_stand_meeting(past: Event):
    """A published meeting of a mayor with a startup at its stand (its marks cleared: the day has not said)."""
    for placement in schedule.published_meetings(past.id):
        if placement.published_stand_id is None:
            continue
        sides = {side: placement.request.person_of(side) for side in Side}
        mayor = next((r for r in sides.values() if r.mandate == Mandate.MAIRE), None)
        startup = next((r for r in sides.values() if r.category.code == CategoryCode.STARTUP), None)
        if mayor is not None and startup is not None:
            for mark in list(placement.marks):
                db.session.delete(mark)
            for registration in (mayor, startup):
                set_password(registration.person, TEST_PASSWORD)
            db.session.commit()
            return placement, mayor, startup
    raise AssertionError("the demo's previous edition has no meeting of a mayor at a startup's stand")


def test_a_mayor_finds_her_meeting_downloads_it_and_says_it_was_held(browser: Browser, live_server, demo_summit,
                                                                     shoot):
    past = db.session.scalar(select(Event).where(Event.slug == f"{demo_summit.slug}-2026"))
    placement, mayor, startup = a_mayors_stand_meeting(past)
    startup_name = startup.organisation.name
    with_whom = schedule.names(schedule.people_of_side(placement, schedule.side_of(placement, startup.id)))
    with_whom_text = ", ".join(with_whom)
    starts = format_moment(placement.published_starts_at, past.timezone, "time")
    ends = format_moment(placement.published_ends_at, past.timezone, "time")
    stand = placement.published_stand.number

    context = phone(browser)
    page = context.new_page()
    log_in(page, live_server, mayor.person.email)
    page.goto(f"{live_server}/e/{past.slug}/agenda")
    item = page.get_by_test_id("agenda-meeting").filter(has_text=f"Rencontre avec {with_whom_text}")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"{starts}–{ends}")
    expect(item).to_contain_text(f"Stand {stand}, dans le démonstrateur")
    no_sideways_scrolling(page)
    shoot(page, "meeting-agenda-mayor-phone")

    # Her calendar, downloaded: the meeting is her route's visit to the stand, at its local time, named a meeting.
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (.ics)").click()
    with open(download.value.path(), "rb") as file:
        body = file.read()
    events = [e for e in Calendar.from_ical(body).walk("VEVENT") if startup_name in str(e["SUMMARY"])
              or with_whom[0].split(" (")[0] in str(e["SUMMARY"])]
    assert len(events) == 1, [str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")]
    start = events[0]["DTSTART"]
    assert start.params["TZID"] == past.timezone and start.dt.strftime("%H:%M") == starts
    assert str(events[0]["SUMMARY"]).startswith(f"Rencontre sur demande au stand {stand}")

    # Her schedule, from the agenda: she says the meeting was held.
    item.get_by_role("link").first.click()
    card = page.locator(f"#p{placement.id}")
    expect(card.get_by_test_id("meeting-where")).to_have_text(f"Stand {stand}, dans le démonstrateur")
    expect(card.get_by_test_id("meeting-day-state")).to_have_text("Pas encore indiqué")
    shoot(page, "meeting-schedule-mayor-phone")
    card.get_by_role("button", name="Elle a eu lieu").click()
    expect(page.locator(".flash-success")).to_contain_text("la rencontre a eu lieu")
    card = page.locator(f"#p{placement.id}")
    expect(card.get_by_test_id("meeting-day-state")).to_have_text("Tenue")
    no_sideways_scrolling(page)
    shoot(page, "meeting-schedule-mayor-held")
    context.close()
    mark = db.session.scalar(select(MeetingMark).where(MeetingMark.placement_id == placement.id)
                             .execution_options(populate_existing=True))
    assert (mark.mark, mark.source, mark.marked_by_id) == (Mark.HELD, MarkSource.WEB, mayor.person_id)

    # The startup sees it held, and by whom.
    context = phone(browser)
    page = context.new_page()
    log_in(page, live_server, startup.person.email)
    page.goto(f"{live_server}/e/{past.slug}/meetings/schedule")
    card = page.locator(f"#p{placement.id}")
    expect(card.get_by_test_id("meeting-day-state")).to_have_text("Tenue")
    expect(card.get_by_test_id("meeting-mark")).to_contain_text(f"Tenue, selon {mayor.person.full_name}")
    no_sideways_scrolling(page)
    shoot(page, "meeting-schedule-startup-held")
    context.close()

    # The organiser's day: planned against held, with that meeting among the held ones; the report says it too.
    office = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 768})
    page = office.new_page()
    log_in(page, live_server, demo_summit.organiser_email)
    page.goto(f"{live_server}/manage/e/{past.slug}/meetings/")
    page.get_by_test_id("tab-meeting_day-index").click()
    tally = meeting_figures(past).total
    expect(page.get_by_test_id("figure-planned")).to_have_text(str(tally.planned))
    expect(page.get_by_test_id("figure-held")).to_have_text(str(tally.held))
    assert tally.held_by_scan > 0 and tally.no_show > 0
    page.get_by_label("État").select_option("held")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator(f"#p{placement.id}")).to_contain_text("Tenue, selon")
    shoot(page, "meeting-day-organiser")
    page.goto(f"{live_server}/manage/e/{past.slug}/report")
    expect(page.get_by_test_id("requested-held")).to_have_text(str(tally.held))
    page.get_by_test_id("requested-meetings").scroll_into_view_if_needed()
    shoot(page, "meeting-report-organiser")
    office.close()
