"""Stand capacity: each stand's sorted booking list, and the earliest start it allows.

A mixin of :class:`routing.engine.Engine`; it reads ``model`` and ``bookings`` and adds
to ``work``. Only stands whose capacity can bind (``model.capacity_binds``) keep bookings.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort


class StandBookings:
    def fits_capacity(self, s: int, t: int) -> bool:
        """True if a visit [t, t + duration) fits the current bookings of stand s."""
        self.work += 4
        booked = self.bookings[s]
        d = self.model.duration[s]
        i = bisect_right(booked, t - d)
        j = bisect_left(booked, t + d)
        capacity = self.model.capacity[s]
        if j - i < capacity:
            return True
        overlapping = booked[i:j]
        # instants to test: t and every booking start inside (t, t + d)
        for x in [t] + [b for b in overlapping if b > t]:
            n = 0
            for b in overlapping:
                if b <= x < b + d:
                    n += 1
            if n >= capacity:
                return False
        return True

    def earliest_start(self, s: int, arrival: int, windows=None) -> int:
        """Earliest feasible start >= arrival at stand s (windows and capacity), -1 if none; ``windows``: the
        stand's windows clipped for one visitor (``Engine.pair_windows``), if not the stand's own."""
        self.work += 4
        m = self.model
        binds = m.capacity_binds[s]
        for opens, latest in m.windows[s] if windows is None else windows:
            if arrival > latest:
                continue
            t = arrival if arrival > opens else opens
            if not binds:
                return t
            d = m.duration[s]
            booked = self.bookings[s]
            if m.capacity[s] == 1:
                # walk the bookings from the first one that may overlap [t, t + d)
                i = bisect_right(booked, t - d)
                num_booked = len(booked)
                while i < num_booked and booked[i] < t + d:
                    t = booked[i] + d
                    i += 1
                self.work += 4 + 2 * i
                if t <= latest:
                    return t
                continue
            while t <= latest:
                if self.fits_capacity(s, t):
                    return t
                # feasibility can only change where a booking ends
                i = bisect_right(booked, t - d)
                j = bisect_left(booked, t + d)
                t = min(b + d for b in booked[i:j] if b + d > t)
        return -1

    def earliest_window_start(self, s: int, arrival: int, windows=None) -> int:
        """Earliest start >= arrival within one of stand s's windows (or ``windows``; capacity aside), -1 if none."""
        for opens, latest in self.model.windows[s] if windows is None else windows:
            if arrival <= latest:
                return arrival if arrival > opens else opens
        return -1

    def _unbook(self, s: int, t: int) -> None:
        if self.model.capacity_binds[s]:
            booked = self.bookings[s]
            del booked[bisect_left(booked, t)]

    def _book(self, s: int, t: int) -> None:
        if self.model.capacity_binds[s]:
            insort(self.bookings[s], t)
