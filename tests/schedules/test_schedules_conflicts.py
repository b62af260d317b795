"""find_conflicts: tiny named cases, then a brute-force comparison on random programs."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from schedules_builders import (
    ADA,
    JEAN,
    LYON,
    MONTREAL,
    PARIS,
    QUEBEC,
    ROOMS,
    at,
    session,
)

from schedules import Room, Speaker, conflicts_for, find_conflicts


def codes(conflicts):
    return [(c.code, c.session_ids) for c in conflicts]


def lyon(h, mi=0, day=2):
    return at(PARIS, 2027, 6, day, h, mi)


def test_clean_program_has_no_conflict():
    sessions = [session(1, lyon(9), lyon(10)), session(2, lyon(10), lyon(11)),  # touching is fine
                session(3, lyon(9), lyon(10), room_id=2)]
    assert find_conflicts(LYON, ROOMS, sessions) == []


def test_room_double_booked_names_both_sessions_and_the_room():
    sessions = [session(2, lyon(9), lyon(10, 30)), session(1, lyon(10), lyon(11))]
    [conflict] = find_conflicts(LYON, ROOMS, sessions)
    assert (conflict.code, conflict.session_ids, conflict.room_id) == ("room_double_booked", (1, 2), 1)
    assert conflict.params["room"] == "Salle Rhône"
    assert conflict.params["title"] == "Séance 1" and conflict.params["other_title"] == "Séance 2"
    assert conflict.params["start"] == "2027-06-02T10:00:00+02:00"


def test_cancelled_sessions_never_conflict():
    sessions = [session(1, lyon(9), lyon(11), speakers=(ADA,)),
                session(2, lyon(10), lyon(11), speakers=(ADA,), cancelled=True, seat_limit=999)]
    assert find_conflicts(LYON, ROOMS, sessions) == []


def test_three_way_overlap_gives_each_pair_once():
    sessions = [session(1, lyon(9), lyon(12)), session(2, lyon(10), lyon(11)), session(3, lyon(10, 30), lyon(13))]
    assert codes(find_conflicts(LYON, ROOMS, sessions)) == [
        ("room_double_booked", (1, 2)), ("room_double_booked", (1, 3)), ("room_double_booked", (2, 3))]


def test_speaker_double_booked_across_rooms():
    sessions = [session(1, lyon(9), lyon(10), speakers=(ADA, JEAN)),
                session(2, lyon(9, 30), lyon(10, 30), room_id=2, speakers=(JEAN,))]
    [conflict] = find_conflicts(LYON, ROOMS, sessions)
    assert (conflict.code, conflict.session_ids, conflict.speaker_id) == ("speaker_double_booked", (1, 2), 2)
    assert conflict.params["speaker"] == "Jean Tremblay"


def test_speaker_listed_twice_in_one_session_is_not_a_conflict():
    assert find_conflicts(LYON, ROOMS, [session(1, lyon(9), lyon(10), speakers=(ADA, ADA))]) == []


def test_ends_before_start_and_zero_length():
    sessions = [session(1, lyon(10), lyon(9)), session(2, lyon(10), lyon(10))]
    assert codes(find_conflicts(LYON, ROOMS, sessions)) == [
        ("ends_before_start", (1,)), ("ends_before_start", (2,))]


@pytest.mark.parametrize(("start", "end", "outside"), [
    (lyon(0, 0), lyon(1), False),                              # local midnight opens the edition
    (lyon(23, day=1), lyon(0, 30, day=2), True),               # starts the evening before
    (lyon(22, day=3), lyon(0, 0, day=4), False),               # ends exactly at the closing midnight
    (lyon(23, day=3), lyon(1, day=4), True),                   # runs past it
    (lyon(20, day=2), lyon(2, day=3), False),                  # an evening across two edition days
    (datetime(2027, 6, 1, 22, 30, tzinfo=UTC), lyon(1), False),  # 00:30 Paris = 22:30 UTC the day before
])
def test_outside_edition_uses_local_midnights(start, end, outside):
    found = codes(find_conflicts(LYON, ROOMS, [session(1, start, end)]))
    assert found == ([("outside_edition", (1,))] if outside else [])


def test_outside_edition_on_the_25_hour_day_in_quebec():
    # 7 November 2027 lasts 25 hours in Montréal: 23:30 local is still inside the edition.
    inside = session(1, at(MONTREAL, 2027, 11, 7, 23), at(MONTREAL, 2027, 11, 7, 23, 30))
    after = session(2, at(MONTREAL, 2027, 11, 7, 23, 30), at(MONTREAL, 2027, 11, 8, 0, 30), room_id=2)
    assert codes(find_conflicts(QUEBEC, ROOMS, [inside, after])) == [("outside_edition", (2,))]


def test_gap_between_edition_days_is_outside():
    event = LYON.__class__(**{**LYON.__dict__, "days": (LYON.days[0], LYON.days[0] + timedelta(days=2))})
    assert codes(find_conflicts(event, ROOMS, [session(1, lyon(10, day=3), lyon(11, day=3))])) == [
        ("outside_edition", (1,))]


def test_room_availability_windows():
    room = Room(3, "Mezzanine", availability=((lyon(9), lyon(12)), (lyon(14), lyon(18))))
    sessions = [session(1, lyon(9), lyon(12), room_id=3), session(2, lyon(12), lyon(14, 30), room_id=3),
                session(3, lyon(15), lyon(16), room_id=3)]
    [conflict] = find_conflicts(LYON, [room], sessions)
    assert (conflict.code, conflict.session_ids, conflict.params["room"]) == ("outside_room_availability", (2,), "Mezzanine")
    assert conflict.params["windows"][0] == {"start": "2027-06-02T09:00:00+02:00", "end": "2027-06-02T12:00:00+02:00"}


def test_seats_over_capacity():
    sessions = [session(1, lyon(9), lyon(10), room_id=2, seat_limit=21), session(2, lyon(10), lyon(11), room_id=2, seat_limit=20)]
    [conflict] = find_conflicts(LYON, ROOMS, sessions)
    assert (conflict.code, conflict.params["seat_limit"], conflict.params["capacity"]) == ("seats_over_room_capacity", 21, 20)


def test_conflicts_for_and_order_are_deterministic():
    sessions = [session(3, lyon(9), lyon(10), speakers=(ADA,)), session(1, lyon(9), lyon(10), speakers=(ADA,)),
                session(2, lyon(11), lyon(10))]
    found = find_conflicts(LYON, ROOMS, sessions)
    assert found == find_conflicts(LYON, ROOMS, list(reversed(sessions)))
    assert codes(found) == [("room_double_booked", (1, 3)), ("speaker_double_booked", (1, 3)), ("ends_before_start", (2,))]
    assert codes(conflicts_for(2, found)) == [("ends_before_start", (2,))]
    assert conflicts_for(9, found) == []


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        find_conflicts(LYON, ROOMS, [session(1, datetime(2027, 6, 2, 9), lyon(10))])


def test_500_sessions_agree_with_checking_every_pair():
    """A summit's size (its speed is measured by bench/bench_schedules.py)."""
    sessions = [session(i, lyon(8) + timedelta(minutes=(i * 37) % 600), lyon(8) + timedelta(minutes=(i * 37) % 600 + 45),
                        room_id=i % 20, speakers=(Speaker(i % 150, f"S{i % 150}"),)) for i in range(500)]
    rooms = [Room(i, f"R{i}", capacity=50) for i in range(20)]
    assert set(_clashes(find_conflicts(LYON, rooms, sessions))) == _pairwise(sessions)


# Random small programs: the sweep must agree with checking every pair.
BASE = datetime(2027, 6, 2, 6, tzinfo=UTC)
sessions_strategy = st.lists(
    st.tuples(st.integers(0, 40), st.integers(-2, 10), st.one_of(st.none(), st.integers(1, 3)), st.sets(st.integers(1, 4), max_size=2),
              st.booleans()),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(sessions_strategy)
def test_sweep_agrees_with_brute_force(raw):
    sessions = [session(i, BASE + timedelta(minutes=15 * start), BASE + timedelta(minutes=15 * (start + length)),
                        room_id=room, speakers=tuple(Speaker(s, f"P{s}") for s in sorted(people)), cancelled=cancelled)
                for i, (start, length, room, people, cancelled) in enumerate(raw)]
    expected = _pairwise(sessions)
    found = _clashes(find_conflicts(LYON, ROOMS, sessions))
    assert len(found) == len(set(found))
    assert set(found) == expected


def _pairwise(sessions) -> set:
    """Room and speaker clashes found by checking every pair of live sessions."""
    expected = set()
    live = [s for s in sessions if not s.cancelled and s.end > s.start]
    for a, b in combinations(live, 2):
        if a.start < b.end and b.start < a.end:
            pair = tuple(sorted((a.id, b.id)))
            if a.room_id is not None and a.room_id == b.room_id:
                expected.add(("room_double_booked", pair, None))
            for speaker in {p.id for p in a.speakers} & {p.id for p in b.speakers}:
                expected.add(("speaker_double_booked", pair, speaker))
    return expected


def _clashes(conflicts) -> list:
    return [(c.code, c.session_ids, c.speaker_id) for c in conflicts
            if c.code in ("room_double_booked", "speaker_double_booked")]
