"""Forms people can fill in with a keyboard and a screen reader (issue 27, RGAA 4.1 criteria 11.x):
groups of boxes named by a legend, every error tied to its field, an error summary after a failed submit,
the purpose of personal fields (autocomplete), and no filter that submits itself."""
import io
import re
from pathlib import Path

import pytest

from app.events.models import CategoryCode
from tests.conftest import login
from tests.html_tree import parse

APP = Path(__file__).resolve().parents[2] / "app"


def classes(element) -> list[str]:
    return element.get("class", "").split()


def described_ids(element) -> list[str]:
    return element.get("aria-describedby", "").split()


def assert_errors_tied(doc):
    """Every field that shows an error names it with aria-describedby, on the control or on its fieldset."""
    fields = [e for e in doc.iter() if "has-error" in classes(e)]
    assert fields, "no field shows an error"
    for box in fields:
        errors = [e for e in box.iter() if "error" in classes(e)]
        assert errors, box
        controls = [box] + box.find_all("input") + box.find_all("select") + box.find_all("textarea")
        tied = {i for c in controls for i in described_ids(c)}
        for error in errors:
            ids = {error.get("id")} | {a.get("id") for a in error.ancestors()}
            assert ids & tied, f"the error {error.text!r} is tied to no field"


def assert_summary_lists(doc, *targets: str):
    """The error summary opens the form, takes the focus (tabindex=-1, mediane.js) and links to each field."""
    summary = doc.find(id="error-summary")
    assert summary is not None, "no error summary"
    assert summary.get("tabindex") == "-1" and "data-error-summary" in summary.attrs
    assert summary.find("h2") is not None and summary.get("aria-labelledby") == summary.find("h2").get("id")
    form = next(a for a in summary.ancestors() if a.tag == "form") if any(
        a.tag == "form" for a in summary.ancestors()) else None
    if form is not None:  # the first thing in the form
        assert next(e for e in form.iter() if e.tag not in ("input",) or e.get("type") != "hidden") is summary
    links = [a.get("href") for a in summary.find_all("a")]
    for target in targets:
        assert f"#{target}" in links, (target, links)
        assert doc.find(id=target) is not None, f"the summary links to #{target}, which is not on the page"


def test_registration_groups_of_boxes_are_fieldsets_and_one_day_is_enough(client, event):
    doc = parse(client.get(f"/e/{event.slug}/register/elu").get_data(as_text=True))
    for name in ("days", "themes"):
        group = doc.find("fieldset", id=name)
        assert group is not None, f"{name} is not a fieldset"
        assert group.find("legend").text, f"{name} has no legend"
        assert doc.find("label", for_=name) is None  # no label pointing at a box that is not a control
        boxes = group.find_all("input", type="checkbox")
        assert boxes and all("required" not in b.attrs for b in boxes), f"each {name} box is required"


def test_a_failed_registration_lists_its_errors_and_ties_each_to_its_field(client, event):
    response = client.submit(f"/e/{event.slug}/register/elu", {
        "first_name": "", "last_name": "Lefèvre", "email": "pas-un-email", "country": "FR", "mandate": "",
        "territory": "", "population": "-4"})
    assert response.status_code == 422
    doc = parse(response.get_data(as_text=True))
    assert_summary_lists(doc, "first_name", "email", "mandate", "territory", "population", "days-0")
    days = doc.find("fieldset", id="days")
    assert "days-err" in described_ids(days)
    assert days.find(id="days-err").text  # the group's error, inside the group
    assert all(b.get("aria-invalid") == "true" for b in days.find_all("input"))
    assert_errors_tied(doc)
    assert len({e.get("id") for e in doc.iter() if e.get("id")}) == len([e for e in doc.iter() if e.get("id")])


def test_a_failed_startup_registration_links_to_the_team_members_fields(client, event):
    response = client.submit(f"/e/{event.slug}/register/startup", {
        "first_name": "Ada", "last_name": "Roux", "email": "ada@example.org", "country": "FR", "organisation": "Nébuleuse",
        "pitch": "Des bus", "days": [event.starts_on.isoformat()], "team-0-email": "pas-un-email"})
    assert response.status_code == 422
    doc = parse(response.get_data(as_text=True))
    assert_summary_lists(doc, "team-0-email")
    assert_errors_tied(doc)


PURPOSES = {
    "elu": {"first_name": "given-name", "last_name": "family-name", "email": "email", "phone": "tel",
            "country": "country", "job_title": "organization-title", "organisation": "organization",
            "territory": "address-level2"},
    "startup": {"first_name": "given-name", "email": "email", "organisation": "organization", "website": "url",
                "team-0-first_name": "off", "team-0-email": "off"},
}


@pytest.mark.parametrize("category", PURPOSES)
def test_personal_fields_say_their_purpose(client, event, category):
    doc = parse(client.get(f"/e/{event.slug}/register/{category}").get_data(as_text=True))
    for field_id, purpose in PURPOSES[category].items():
        assert doc.find(id=field_id).get("autocomplete") == purpose, field_id


def test_login_and_password_fields_say_their_purpose(client, event, make_person, app):
    doc = parse(client.get("/login").get_data(as_text=True))
    assert doc.find(id="email").get("autocomplete") == "username"
    assert doc.find(id="password").get("autocomplete") == "current-password"
    assert parse(client.get("/password/forgot").get_data(as_text=True)).find(id="email").get("autocomplete") == "email"
    login(client, make_person("ada@example.org"))
    doc = parse(client.get("/account/password").get_data(as_text=True))
    assert doc.find(id="current").get("autocomplete") == "current-password"
    assert doc.find(id="password").get("autocomplete") == "new-password"
    assert doc.find(id="confirm").get("autocomplete") == "new-password"


def test_a_failed_login_moves_to_a_summary_that_links_to_the_password(client, make_person):
    make_person("ada@example.org")
    response = client.submit("/login", {"email": "ada@example.org", "password": "not this one"})
    assert response.status_code == 401
    doc = parse(response.get_data(as_text=True))
    assert_summary_lists(doc, "password")
    assert_errors_tied(doc)
    assert doc.find(id="remember").get("aria-invalid") is None


def test_a_failed_password_change_lists_each_field(client, make_person):
    login(client, make_person("ada@example.org"))
    response = client.submit("/account/password", {"current": "", "password": "short", "confirm": "other"})
    doc = parse(response.get_data(as_text=True))
    assert_summary_lists(doc, "current", "password", "confirm")
    assert_errors_tied(doc)
    password = doc.find(id="password")  # its hint and its error, both read with it
    assert described_ids(password) == ["password-hint", "password-err"]


def test_back_office_registration_edit_has_groups_and_a_summary(client, event, make_organiser, make_registration):
    registration = make_registration(event, CategoryCode.VISITEUR)
    login(client, make_organiser(event))
    url = f"/manage/e/{event.slug}/registrations/{registration.id}"
    doc = parse(client.get(url).get_data(as_text=True))
    assert doc.find("fieldset", id="days").find("legend").text
    assert doc.find("fieldset", id="themes").find("legend").text
    assert doc.find(id="error-summary") is None  # nothing to correct yet
    response = client.submit(url, {"category": "visiteur", "days": []})
    assert response.status_code == 422
    doc = parse(response.get_data(as_text=True))
    assert_summary_lists(doc, "days-0")
    assert "days-err" in described_ids(doc.find("fieldset", id="days"))
    assert_errors_tied(doc)
    assert doc.find(id="job_title").get("autocomplete") == "off"  # another person's details, not the organiser's


def test_back_office_team_form_has_a_summary_and_tied_errors(client, event, make_organiser):
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/team/", {"email": "pas-un-email", "role": "organiser"})
    assert response.status_code == 422
    doc = parse(response.get_data(as_text=True))
    assert_summary_lists(doc, "team-email")
    assert_errors_tied(doc)
    assert doc.find(id="team-first_name").get("autocomplete") == "off"


def test_back_office_wtforms_pages_inherit_the_summary(client, event, make_organiser):
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/themes", {"code": "", "name_fr": "", "name_en": ""})
    assert response.status_code == 422
    doc = parse(response.get_data(as_text=True))
    assert_summary_lists(doc, "code")
    assert_errors_tied(doc)


def test_no_filter_submits_itself():
    """A select that reloads the page on change is a change of context on input (RGAA 7.5, WCAG 3.2.2):
    one ArrowDown would reload the page. Every filter applies with its button."""
    script = (APP / "static" / "mediane.js").read_text()
    assert not re.search(r"addEventListener\(\s*\"change\"[^;]*\.submit\(\)", script)
    templates = [p for p in APP.rglob("*.html") if "data-autosubmit" in p.read_text() or "<noscript><button" in p.read_text()]
    assert templates == []


def test_an_import_refused_file_error_is_tied_to_the_file_field(client, event, make_organiser):
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/imports/", {"file": (io.BytesIO(b""), "vide.csv")},
                             content_type="multipart/form-data")
    assert response.status_code in (400, 422)
    doc = parse(response.get_data(as_text=True))
    file_input = doc.find("input", id="file")
    assert file_input.get("aria-invalid") == "true"
    assert set(described_ids(file_input)) == {"file-hint", "file-err"}
    assert doc.find(id="file-err").text
