"""Time intervals as sorted lists of (start, end) pairs of naive UTC datetimes."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

Interval = tuple[datetime, datetime]


def union(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(intervals: Iterable[Interval], blocks: Iterable[Interval]) -> list[Interval]:
    result = union(intervals)
    for b_start, b_end in union(blocks):
        kept = []
        for start, end in result:
            if b_end <= start or b_start >= end:
                kept.append((start, end))
                continue
            if start < b_start:
                kept.append((start, b_start))
            if b_end < end:
                kept.append((b_end, end))
        result = kept
    return result


def intersect(a: Iterable[Interval], b: Iterable[Interval]) -> list[Interval]:
    a, b = union(a), union(b)
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out
