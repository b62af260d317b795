"""The organiser at her desk (issue 16): a decision says who and what mail went; the outbox is searched, paged
and holds the account mails of the edition's people, never another edition's; delegation members are found by
a search that ignores case and accents."""
import html as html_text
import re

from sqlalchemy import select

from app.auth.services import send_reset_link
from app.events.models import CategoryCode
from app.extensions import db
from app.mail.models import OutboxMessage
from app.registrations import outbox
from app.registrations.models import RegistrationStatus
from tests.conftest import login


def _flash(html):
    found = re.search(r'class="flash flash-success"[^>]*>(.*?)</', html, re.S).group(1)
    return html_text.unescape(re.sub(r"\s+", " ", found)).strip()


def test_approving_says_who_was_confirmed_and_what_was_sent(client, event, make_organiser, make_registration):
    benoit = make_registration(event, CategoryCode.ELU, first_name="Benoît", last_name="Laurent")
    others = [make_registration(event, CategoryCode.ELU) for _ in range(7)]
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/registrations/{benoit.id}/approve", follow_redirects=True)
    assert _flash(response.get_data(as_text=True)) == \
        "Benoît Laurent : inscription confirmée. 1 e-mail de confirmation en file d'envoi."
    response = client.submit(f"/manage/e/{event.slug}/registrations/bulk",
                             {"action": "approve", "ids": [r.id for r in others] + [benoit.id]}, follow_redirects=True)
    message = _flash(response.get_data(as_text=True))
    assert message.endswith("et 2 autres : 7 inscriptions confirmées. 7 e-mails de confirmation en file d'envoi.")
    assert others[0].person.full_name in message and "Benoît" not in message  # he was confirmed already


def test_cancelling_says_who_and_counts_the_mails_to_the_waiting_list(client, event, make_organiser,
                                                                      make_registration):
    event.category("visiteur").capacity = 1
    db.session.commit()
    first = make_registration(event, first_name="Anne", last_name="Roux")
    make_registration(event)
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/registrations/{first.id}/cancel", follow_redirects=True)
    assert _flash(response.get_data(as_text=True)) == (
        "Anne Roux : inscription annulée. 2 e-mails d'information en file d'envoi, dont 1 à une personne sortie de "
        "la liste d'attente.")


def test_the_outbox_finds_a_reset_mail_of_the_editions_people_and_hides_its_link(client, event, make_event,
                                                                                  make_organiser, make_registration):
    other = make_event(slug="autre-2027", name="Autre")
    ours = make_registration(event, email="claire.lefebvre@nevers.fr")
    theirs = make_registration(other, email="marc.tremblay@example.ca")
    send_reset_link(ours.person.email)
    send_reset_link(theirs.person.email)
    login(client, make_organiser(event))
    html = client.get(f"/manage/e/{event.slug}/outbox?q=LEFEBVRE").get_data(as_text=True)
    found = html.split('data-testid="outbox-message"')[1:]
    assert len(found) == 2  # her registration's mail and her password reset
    reset = next(m for m in found if "mot de passe" in m)
    assert "claire.lefebvre@nevers.fr" in reset and "/password/reset/" not in reset
    assert "[lien masqué : il ouvre le compte du destinataire]" in reset
    assert "marc.tremblay" not in client.get(f"/manage/e/{event.slug}/outbox?q=marc").get_data(as_text=True)
    assert "1 e-mail correspond" in client.get(f"/manage/e/{event.slug}/outbox?q=passe").get_data(as_text=True)


def test_the_outbox_is_paged(client, event, make_organiser, make_registration):
    for _ in range(outbox.PAGE_SIZE + 1):
        make_registration(event)
    login(client, make_organiser(event))
    first = client.get(f"/manage/e/{event.slug}/outbox").get_data(as_text=True)
    assert first.count('data-testid="outbox-message"') == outbox.PAGE_SIZE and "Page 1 sur 2" in first
    second = client.get(f"/manage/e/{event.slug}/outbox?page=2").get_data(as_text=True)
    assert second.count('data-testid="outbox-message"') == 1
    oldest = db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id))
    assert oldest.recipient in second


def test_delegation_members_are_found_by_a_search_and_added(client, event, make_organiser, make_registration):
    benoit = make_registration(event, CategoryCode.ELU, first_name="Benoît", last_name="Laurent", territory="Auxerre")
    make_registration(event, CategoryCode.ELU, first_name="Chloé", last_name="Petit", territory="Sens")
    visitor = make_registration(event, first_name="Benoît", last_name="Visiteur")
    cancelled = make_registration(event, CategoryCode.ELU, first_name="Benoît", last_name="Parti")
    cancelled.status = RegistrationStatus.CANCELLED
    db.session.commit()
    login(client, make_organiser(event))
    url = client.submit(f"/manage/e/{event.slug}/delegations", {"name": "Délégation d'Auxerre"}).headers["Location"]
    html = client.get(f"{url}?who=benoit laurent").get_data(as_text=True)
    candidates = html.split('data-testid="candidates"', 1)[1].split("</fieldset>", 1)[0]
    assert "1 personne trouvée pour « benoit laurent »" in candidates
    assert f'value="{benoit.id}"' in candidates and f'value="{visitor.id}"' not in candidates
    assert f'value="{cancelled.id}"' not in candidates
    assert "Benoît Laurent" in client.get(f"{url}?who=AUXERRE").get_data(as_text=True)
    assert "Personne n'a été trouvé" in client.get(f"{url}?who=zzz").get_data(as_text=True)
    assert 'multiple size="8"' not in html  # no Ctrl-click list of everyone
    assert client.submit(f"{url}?who=benoit", {"add": [benoit.id], "coordinator": ""}).status_code == 302
    db.session.refresh(benoit)
    assert benoit.delegation.name == "Délégation d'Auxerre"
