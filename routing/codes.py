"""The small enumerations of the engine: what binds a visit, and how insertions are ranked."""

from __future__ import annotations

from enum import IntEnum


class VisitCode(IntEnum):
    """What binds a visit of a tour (one per visit, in ``Engine.codes``)."""

    #: Chosen by the search, which may move it in time or take it out.
    FREE = 0
    #: A visit of ``previous`` kept at its former time (so it costs no change penalty);
    #: it stays at that time while it is in the tour, but a ruin may take it out.
    AS_PREVIOUS = 1
    #: Locked at its time: never moved, never taken out.
    LOCKED_AT_TIME = 2
    #: Locked without a time: it may move in time, or be taken out and put back, but only
    #: within its own tour.
    LOCKED_ON_TOUR = 3


#: Codes of the visits whose start may not change (a push that would delay one fails).
PINNED_IN_TIME = frozenset({VisitCode.AS_PREVIOUS, VisitCode.LOCKED_AT_TIME})


class Ranking(IntEnum):
    """How a recreate ranks the insertions it may make (``Engine.ranking``)."""

    #: By value alone.
    VALUE = 0
    #: By value per unit of time the insertion adds to the tour.
    VALUE_PER_TIME = 1
    #: By value squared per unit of time added: favours valuable visits more.
    VALUE_SQUARED_PER_TIME = 2
