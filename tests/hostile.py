"""The machinery of the hostile-input walk (R9): hostile values, the forms of the pages, a fingerprint of the database.

Kept apart from the test so that the test reads as a list of what is tried and what is expected.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from psycopg.errors import LockNotAvailable
from sqlalchemy import String, select

APP_DIR = Path(__file__).resolve().parents[1] / "app"

HUGE = "9" * 30  # beyond any database integer
PAST_INT64 = str(2**63)  # one past a 64-bit signed integer (SQLite's INTEGER, PostgreSQL's bigint)
PAST_INT32 = str(2**31)  # one past PostgreSQL's integer
LONG = "x" * 100_000
NUL = "Ze\x00ro"
ESC = "Nul\x1b"

#: What is typed into a form's fields. Each field gets four values (see `field_values`): a number or a word, a
#: 100 kB text, its good value with a control character, and its good value with a number that cannot be one
#: appended ("r12" becomes "r12²", "10:00" becomes "10:00999..."); a whole form gets two of them in every field.
NUMBERS = [HUGE, "-5", PAST_INT64, "1e400", "nan", "1.5", PAST_INT32, "-1e400", "\u00b2", "0"]
WORDS = ["abc", "", "2027-02-30", "25:61", "9999-12-31", "0001-01-01"]
CONTROLS = ["\x00", "\x1b", "\x7f", "\x0b"]
SUFFIXES = [HUGE, "\u00b2"]
TEXT_VALUES = NUMBERS + WORDS + [NUL, ESC, LONG]
#: One value of each kind, for a view whose fields are not known.
EVERY_KIND = [HUGE, "\u00b2", "r" + HUGE, LONG, NUL, ESC, ""]


def field_values(position: int, good: str = "") -> list[str]:
    """The values the field at `position` of a walk gets: one of each kind, a different one from field to field."""
    typed = NUMBERS + WORDS
    return [typed[position % len(typed)], LONG, good + CONTROLS[position % len(CONTROLS)],
            good + SUFFIXES[position % len(SUFFIXES)]]


def same_field(name: str) -> str:
    """Rows of a list share their fields: "speakers-2-role" is "speakers-0-role" again."""
    return re.sub(r"\d+", "0", name)


#: Values given to every query parameter the code reads (a URL is no place for 100 kB: servers cap it near 8 kB).
QUERY_VALUES = [HUGE, PAST_INT32, "-5", "\u00b2", NUL, ESC + "x" * 10_000, "2027-02-30", "9999-12-31"]
#: Values put in place of an integer in a path (the int converter takes digits only).
PATH_INT_VALUES = [HUGE, PAST_INT64, PAST_INT32]
#: Values put in place of a text segment of a path.
PATH_TEXT_VALUES = ["x\x00y", "y" * 3000, "%", "r" + HUGE, "d\u00b2"]


def sample(values: list[str], start: int, count: int) -> list[str]:
    """`count` values of `values` from `start` on (wrapping), so that fields of a form get different ones."""
    return [values[(start + k) % len(values)] for k in range(count)]


# -- the parameters the code reads by name --------------------------------------------------------------

_ARG = re.compile(r"""\bargs\.get(?:list)?\(\s*["']([\w-]+)["']|request\.args\[["']([\w-]+)["']\]""")
_FORM = re.compile(r"""\b(?:form|values)\.get(?:list)?\(\s*["']([\w-]+)["']""")


def names_read_in_code() -> tuple[set[str], set[str]]:
    """The query parameters and form fields the routes read by name (request.args.get("page")...)."""
    args: set[str] = set()
    form: set[str] = set()
    for path in APP_DIR.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        args.update(a or b for a, b in _ARG.findall(source))
        form.update(_FORM.findall(source))
    return args, form


# -- the forms of a page ------------------------------------------------------------------------------

@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # name, value, in page order (checked boxes only)
    names: list[str] = field(default_factory=list)               # every named control
    enctype: str = ""

    @property
    def key(self) -> tuple:
        return self.action, tuple(sorted(set(self.names)))


class _FormParser(HTMLParser):
    """The POST forms of a page with what a browser would send: defaults, checked boxes, the first button."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            path = urlsplit(a.get("action") or self.page_url).path or urlsplit(self.page_url).path
            self._form = Form(action=path, method=(a.get("method") or "get").lower(), enctype=a.get("enctype", ""))
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        if tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
            return
        name = a.get("name")
        if not name:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("button", "image", "reset", "file"):
                return
            form.names.append(name)
            sent = {n for n, _ in form.fields}
            if kind == "submit":
                if name not in sent:
                    form.fields.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a or (kind == "radio" and name not in sent):
                    form.fields.append((name, a.get("value") or "on"))
            else:
                form.fields.append((name, a.get("value", "")))
        elif tag == "button":
            form.names.append(name)
            if a.get("type", "submit") == "submit" and name not in {n for n, _ in form.fields}:
                form.fields.append((name, a.get("value", "")))
        elif tag == "select":
            form.names.append(name)
            self._select, self._options = name, []
        elif tag == "textarea":
            form.names.append(name)
            self._textarea, self._text = name, ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._form is not None and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            self._form.fields.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._form is not None and self._textarea is not None:
            self._form.fields.append((self._textarea, self._text.strip("\n")))
            self._textarea = None


def forms_of(page_url: str, html: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return [f for f in parser.forms if f.method == "post"]


# -- the database, summed up ---------------------------------------------------------------------------

#: What a refused request may change on purpose: the throttles count refused attempts (S6, an API token's
#: requests too, a person's attempts to send meeting requests), the door and the scanner log a refused code with
#: its hash (S2).
VOLATILE_TABLES = {"login_failure", "meeting_throttle"}
VOLATILE_COLUMNS = {("lead_device", "rate_count"), ("lead_device", "rate_minute"), ("lead_device", "last_seen_at"),
                    ("api_token", "rate_count"), ("api_token", "rate_minute"), ("api_token", "last_used_at")}
REFUSAL_AUDIT_ACTIONS = {"checkin.refused", "lead.scan_refused"}


class Fingerprint:
    """Row count and rows (hashed) of every table, read in one statement; cheap enough to take after every request.

    A change counter says first whether anything may have been written since the last reading; if not, the last
    fingerprint still holds. On SQLite it is `PRAGMA data_version` on a connection of our own (it moves when
    another connection commits); on PostgreSQL a sequence that a statement trigger on every table advances (a
    sequence is not transactional: a write that is rolled back still moves it, which only costs a reading).
    """

    COUNTER = "hostile_walk_writes"

    def __init__(self, engine, metadata):
        tables = [t for t in metadata.sorted_tables if t.name not in VOLATILE_TABLES]
        self.names = [t.name for t in tables]
        self.sql = "SELECT " + ", ".join(self._summary(engine.dialect, t) for t in tables)
        self.tables = [t.name for t in metadata.sorted_tables]
        self.postgres = engine.dialect.name == "postgresql"
        self.connection = engine.raw_connection()
        self.version = None
        self.last: dict[str, str] | None = None
        if self.postgres:
            self._execute(f"CREATE SEQUENCE IF NOT EXISTS {self.COUNTER}",
                          f"CREATE OR REPLACE FUNCTION {self.COUNTER}() RETURNS trigger LANGUAGE plpgsql AS "
                          f"$$ BEGIN PERFORM nextval('{self.COUNTER}'); RETURN NULL; END $$",
                          *(f"DROP TRIGGER IF EXISTS {self.COUNTER} ON {name}" for name in self.tables),
                          *(f"CREATE TRIGGER {self.COUNTER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                            f"ON {name} FOR EACH STATEMENT EXECUTE FUNCTION {self.COUNTER}()" for name in self.tables))

    def _execute(self, *statements: str) -> None:
        cursor = self.connection.cursor()
        cursor.execute("SET lock_timeout = '20s'")  # a session left open by the test fails the walk, never hangs it
        for statement in statements:
            cursor.execute(statement)
        cursor.close()
        self.connection.commit()

    @staticmethod
    def _summary(dialect, table) -> str:
        quote = dialect.identifier_preparer.quote
        columns = [quote(c.name) for c in table.columns if (table.name, c.name) not in VOLATILE_COLUMNS]
        where = ""
        if table.name == "audit_entry":
            where = " WHERE action NOT IN (%s)" % ", ".join(f"'{a}'" for a in sorted(REFUSAL_AUDIT_ACTIONS))
        if dialect.name == "postgresql":
            row = f"ROW({', '.join(columns)})::text"
            return (f"(SELECT count(*) || ':' || md5(coalesce(string_agg({row}, '|' ORDER BY {row}), '')) "
                    f"FROM {quote(table.name)}{where})")
        row = " || ',' || ".join(f"quote({c})" for c in columns)
        keys = ", ".join(quote(c.name) for c in table.primary_key.columns)
        return (f"(SELECT count(*) || ':' || coalesce(group_concat(r, '|'), '') FROM "
                f"(SELECT {row} AS r FROM {quote(table.name)}{where} ORDER BY {keys}))")

    def read(self) -> dict[str, str]:
        cursor = self.connection.cursor()
        try:
            cursor.execute(f"SELECT last_value FROM {self.COUNTER}" if self.postgres else "PRAGMA data_version")
            version = cursor.fetchone()[0]
            if version == self.version and self.last is not None:
                return self.last
            self.version = version
            cursor.execute(self.sql)
            values = cursor.fetchone()
        finally:
            cursor.close()
            self.connection.rollback()  # no snapshot kept open between readings
        self.last = {name: hashlib.sha256(str(value).encode()).hexdigest()
                     for name, value in zip(self.names, values, strict=True)}
        return self.last

    def close(self) -> None:
        if self.postgres:
            try:
                self._execute(*(f"DROP TRIGGER IF EXISTS {self.COUNTER} ON {name}" for name in self.tables),
                              f"DROP FUNCTION IF EXISTS {self.COUNTER}()", f"DROP SEQUENCE IF EXISTS {self.COUNTER}")
            except LockNotAvailable:
                # Another connection of this test process still holds a table in an open transaction (seen once
                # in a full run, never alone): dropping a trigger needs the table to itself. The triggers only
                # advance a sequence, so they stay, harmless, in this worker's database; say who held it.
                self.connection.rollback()
                cursor = self.connection.cursor()
                cursor.execute("SELECT pid, state, left(query, 160) FROM pg_stat_activity WHERE datname = "
                               "current_database() AND pid <> pg_backend_pid() AND state <> 'idle'")
                print("hostile walk: triggers left in place, tables held by", cursor.fetchall())
                cursor.close()
                self.connection.rollback()
        self.connection.close()


class Pinned:
    """The rows of a few tables as they were at the start, written back when a request changed them."""

    def __init__(self, engine, metadata, names: tuple[str, ...]):
        self.engine = engine
        self.tables = [metadata.tables[name] for name in names]
        self.rows = self._read()

    def _read(self) -> dict:
        with self.engine.connect() as connection:
            return {table.name: [row._asdict() for row in connection.execute(
                select(table).order_by(*table.primary_key.columns))] for table in self.tables}

    def restore(self) -> bool:
        """Write the first rows back if they changed; True when it did."""
        if self._read() == self.rows:
            return False
        with self.engine.begin() as connection:
            for table in self.tables:
                keys = list(table.primary_key.columns)
                for row in self.rows[table.name]:
                    connection.execute(table.update().where(*(k == row[k.name] for k in keys)).values(**row))
        return True


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in after if before.get(name) != after[name])


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def stored_control_characters(engine, metadata) -> list[str]:
    """Every text cell of the database that holds a control character other than tab, CR and LF."""
    found = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String)]
            if not columns:
                continue
            for row in connection.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str) and CONTROL.search(value):
                        found.append(f"{table.name}.{column.name}: {value[:40]!r}")
    return found
