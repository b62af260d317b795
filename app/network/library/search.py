"""The library's full-text search, answered by the database's own engine: SQLite's FTS5 and PostgreSQL's tsvector
with a GIN index, behind one interface.

What is indexed is folded first (`app.core.search.fold`: lower case, accents and punctuation away, "œ" -> "oe"),
so that both engines see the same words and "mobilite" finds "Mobilité" in either language. Each word of a
query is a prefix ("mobil" finds "mobilité" and "mobility"), every word is required, and the answer is ranked: a
word in the title (either language) counts ten times a word in the rest. No stemming: French and English
stemmers differ between the two engines, and prefixes give the same answers on both.

The index is a table of its own, outside the models (a virtual table on SQLite), created by the migration;
`reindex` keeps it up to date in the writer's transaction, so a project and its index commit together.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Float, Integer, bindparam, select, text
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.selectable import CTE

from app.core.search import fold, search_words
from app.extensions import db
from app.network.models import Agreement, Project

TABLE = "network_project_fts"
#: How much more a word of the title weighs than a word of the rest, on both engines.
TITLE_WEIGHT = 10.0

SQLITE_DDL = (f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, body, "
              "tokenize = 'unicode61 remove_diacritics 2')",)
POSTGRESQL_DDL = (
    f"CREATE TABLE {TABLE} (project_id INTEGER PRIMARY KEY REFERENCES network_project(id) ON DELETE CASCADE, "
    "document TSVECTOR NOT NULL)",
    f"CREATE INDEX ix_{TABLE}_document ON {TABLE} USING gin (document)",
)


def is_index_table(name: str) -> bool:
    """True for the index's tables (FTS5 adds shadow tables), which the models do not declare."""
    return name == TABLE or name.startswith(TABLE + "_")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic: leave the index's tables out of the comparison with the models."""
    return not (reflected and compare_to is None and type_ == "table" and is_index_table(name))


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def document_of(project: Project) -> tuple[str, str]:
    """The folded title and body of a project: its texts in both languages, its city, themes and the partners
    shown (a startup only once it agreed)."""
    title = " ".join((project.title_fr, project.title_en))
    partners = [p.organisation.name for p in project.partners if p.agreement is Agreement.AGREED]
    body = " ".join((
        project.summary_fr, project.summary_en, project.results, project.lessons_worked, project.lessons_failed,
        project.lessons_differently, project.funding, project.city.organisation.name, project.city.region,
        *(f"{t.name_fr} {t.name_en}" for t in project.themes), *partners))
    return fold(title), fold(body)


def reindex(projects: Iterable[Project], *, known_new: bool = False) -> None:
    """Write the index rows of `projects` (flushed, with ids) in the current transaction."""
    rows = [{"id": p.id, "title": t, "body": b} for p in projects for t, b in [document_of(p)]]
    if not rows:
        return
    if not known_new:
        forget(row["id"] for row in rows)
    if _dialect() == "postgresql":
        statement = text(f"INSERT INTO {TABLE} (project_id, document) VALUES (:id, "
                         f"setweight(to_tsvector('simple', :title), 'A') || "
                         f"setweight(to_tsvector('simple', :body), 'D'))")
    else:
        statement = text(f"INSERT INTO {TABLE} (rowid, title, body) VALUES (:id, :title, :body)")
    db.session.execute(statement, rows)


def rebuild(batch: int = 500) -> int:
    """Index every project again (after a bulk load or a restore); returns how many."""
    db.session.execute(text(f"DELETE FROM {TABLE}"))
    num, last_id = 0, 0
    while True:
        projects = db.session.scalars(select(Project).where(Project.id > last_id).order_by(Project.id)
                                      .limit(batch).options(selectinload(Project.themes),
                                                            selectinload(Project.partners))).all()
        if not projects:
            return num
        reindex(projects, known_new=True)
        num, last_id = num + len(projects), projects[-1].id


def forget(project_ids: Iterable[int]) -> None:
    """Remove projects from the index (on PostgreSQL a deleted project's row goes with it anyway)."""
    ids = list(project_ids)
    if not ids:
        return
    column = "project_id" if _dialect() == "postgresql" else "rowid"
    db.session.execute(text(f"DELETE FROM {TABLE} WHERE {column} IN :ids")
                       .bindparams(bindparam("ids", expanding=True)), {"ids": ids})


def matches(query: str) -> CTE | None:
    """The projects that match `query`, as a common table expression of (project_id, rank) to join, higher ranks
    first; None when the query holds no word (punctuation alone), which finds nothing.

    The expression is MATERIALIZED, computed once: joined as a plain subquery, SQLite's planner runs the full-text
    match again for each project it filters (seconds on a common word)."""
    words = search_words(query)
    if not words:
        return None
    if _dialect() == "postgresql":
        statement = text(
            f"SELECT project_id, ts_rank('{{0.1, 0.2, 0.4, 1.0}}', document, to_tsquery('simple', :q)) AS rank "
            f"FROM {TABLE} WHERE document @@ to_tsquery('simple', :q)"
        ).bindparams(q=" & ".join(f"{word}:*" for word in words))
    else:
        statement = text(
            f"SELECT rowid AS project_id, -bm25({TABLE}, {TITLE_WEIGHT}, 1.0) AS rank "
            f"FROM {TABLE} WHERE {TABLE} MATCH :q"
        ).bindparams(q=" AND ".join(f'"{word}"*' for word in words))
    return statement.columns(project_id=Integer, rank=Float).cte("project_match").prefix_with("MATERIALIZED")
