"""French first, the browser's language honoured, a switch that sticks."""
from app.core.i18n import supported_locale
from app.mail.services import send_mail


def test_french_by_default(client, event):
    html = client.get(f"/e/{event.slug}/register").get_data(as_text=True)
    assert 'lang="fr"' in html
    assert "Élu" in html


def test_browser_language_is_honoured(client, event):
    html = client.get(f"/e/{event.slug}/register", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in html
    assert "Elected official" in html


def test_unsupported_browser_language_falls_back_to_french(client, event):
    html = client.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert 'lang="fr"' in html


def test_language_switch_sticks_and_redirects_only_within_the_site(client, event):
    response = client.get("/lang/en?next=/login")
    assert response.headers["Location"] == "/login"
    assert 'lang="en"' in client.get("/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert client.get("/lang/en?next=https://evil.example/").headers["Location"] == "/"
    assert client.get("/lang/de").status_code == 404


def test_form_errors_are_in_the_visitors_language(client, event):
    page = client.submit(f"/e/{event.slug}/register/visiteur", {"email": "not-an-email"})
    assert page.status_code == 422
    assert "Adresse électronique non valide." in page.get_data(as_text=True)  # WTForms' own French catalog



def test_a_mail_in_a_language_the_site_does_not_speak_goes_out_in_the_default(app, make_person, db):
    """A person's stored language may be one the site no longer offers: her mails are in French, not in a
    half-translated mix."""
    person = make_person(locale="de")
    english, german = (send_mail(person.email, template="password_reset", locale=locale, kind="password_reset",
                                 person=person, token="t") for locale in ("en", "de"))
    assert english.subject == "Médiane: choose your password"
    assert german.subject == "Médiane : choisissez votre mot de passe"
    assert supported_locale(person.locale) == "fr" and supported_locale(None) == "fr"
