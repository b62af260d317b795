from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.program.models import SeatStatus, SessionKind, SpeakerRole

KIND_NAMES = {
    SessionKind.PLENIERE: _l("Plenary"),
    SessionKind.CONFERENCE: _l("Conference"),
    SessionKind.ATELIER: _l("Workshop"),
    SessionKind.TABLE_RONDE: _l("Round table"),
    SessionKind.VISITE: _l("Demonstrator visit"),
    SessionKind.PAUSE: _l("Break"),
}

ROLE_NAMES = {
    SpeakerRole.INTERVENANT: _l("Speaker"),
    SpeakerRole.MODERATEUR: _l("Moderator"),
    SpeakerRole.ANIMATEUR: _l("Facilitator"),
}

SEAT_NAMES = {SeatStatus.SEATED: _l("Seat booked"), SeatStatus.WAITING: _l("Waiting list")}

CONFLICT_MESSAGES = {
    "room_double_booked": _l("%(room)s is booked twice."),
    "speaker_double_booked": _l("%(speaker)s is expected in two places at once."),
    "outside_edition": _l("This session is outside the edition's days."),
    "outside_room_availability": _l("%(room)s is not available at that time."),
    "seats_over_room_capacity": _l("More seats (%(seats)s) than %(room)s holds (%(capacity)s)."),
    "ends_before_start": _l("This session ends before it starts."),
}
