from datetime import date, time

import pytest

from app.events.models import CategoryCode
from app.extensions import db
from app.program import services
from app.program.models import SessionKind, SpeakerRole


@pytest.fixture
def make_room(event):
    def make(name="Grande salle", capacity=300, **fields):
        room = services.save_room(event, services.RoomInput(name=name, capacity=capacity, **fields), actor_id=None)
        db.session.commit()
        return room
    return make


@pytest.fixture
def make_session(event):
    def make(title="Plénière d'ouverture", day=None, start=time(9, 0), end=time(10, 0), kind=SessionKind.PLENIERE,
             room=None, speakers=(), seat_limit=None, publish=False, edition=None):
        edition = edition or event
        data = services.SessionInput(kind=kind, title_fr=title, title_en=f"EN {title}", day=day or edition.starts_on,
                                     start=start, end=end, room_id=room.id if room else None, seat_limit=seat_limit,
                                     speakers=[(r.id, SpeakerRole.INTERVENANT) for r in speakers])
        session = services.save_session(edition, data, actor_id=None)
        db.session.commit()
        if publish:
            services.publish(edition, actor_id=None)
            db.session.commit()
        return session
    return make


@pytest.fixture
def speaker(event, make_registration):
    return make_registration(event, CategoryCode.INTERVENANT, first_name="Jean", last_name="Tremblay")


@pytest.fixture
def day2(event):
    return date.fromordinal(event.starts_on.toordinal() + 1)
