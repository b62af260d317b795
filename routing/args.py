"""What the command lines share: a parser that raises instead of exiting, and checked argument types."""

from __future__ import annotations

import argparse
import json
import math
import os


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):  # no argparse exit(2) with usage noise mixed in
        raise UsageError(message)


def positive_float(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not (x > 0 and math.isfinite(x)):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return x


def int_at_least(lo: int):
    def conv(text: str) -> int:
        try:
            x = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if x < lo:
            raise argparse.ArgumentTypeError(f"must be >= {lo}, got {x}")
        return x
    return conv


def write_json(path: str, document: dict) -> None:
    """Write the whole document or nothing: a reader (or a kill) never sees half of it."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(document, fh)
    os.replace(tmp, path)
