"""The library's full-text search, on the database's own engine (FTS5 on SQLite, tsvector on PostgreSQL)."""
from sqlalchemy import select

from app.extensions import db
from app.network.library import search
from app.network.models import Project


def found(query: str) -> list[str]:
    """Titles matching `query`, best first."""
    match = search.matches(query)
    if match is None:
        return []
    rows = db.session.execute(select(Project.title_fr).join(match, match.c.project_id == Project.id)
                              .order_by(match.c.rank.desc(), Project.id)).all()
    return [title for (title,) in rows]


def test_accents_and_case_are_ignored_in_both_languages(make_city, make_project):
    city = make_city()
    make_project(city, "Mobilité douce en centre-ville")
    make_project(city, "Éclairage public", title_en="Smart street LIGHTING")
    make_project(city, "Cantine", summary_fr="Repas bio à l'école")
    assert found("mobilite") == ["Mobilité douce en centre-ville"]
    assert found("MOBILITÉ") == ["Mobilité douce en centre-ville"]
    assert found("lighting") == ["Éclairage public"]
    assert found("eclairage") == ["Éclairage public"]
    assert found("ecole") == ["Cantine"]


def test_every_word_is_required_and_words_are_prefixes(make_city, make_project):
    city = make_city()
    make_project(city, "Mobilité douce", summary_fr="Vélos en libre-service")
    make_project(city, "Mobilités rurales", summary_fr="Transport à la demande")
    assert sorted(found("mobil")) == ["Mobilité douce", "Mobilités rurales"]
    assert found("mobilite velos") == ["Mobilité douce"]
    assert found("mobilite tramway") == []


def test_a_word_in_the_title_ranks_above_one_in_the_text(make_city, make_project):
    city = make_city()
    make_project(city, "Cantines scolaires", summary_fr="Un projet qui parle aussi de compost")
    make_project(city, "Compostage collectif", summary_fr="Des bacs de quartier")
    assert found("compost") == ["Compostage collectif", "Cantines scolaires"]


def test_a_city_a_theme_and_an_agreed_partner_are_found(make_city, make_project, make_theme):
    from app.people.models import Organisation, OrganisationKind
    theme = make_theme("energie", "Énergie", "Energy")
    city = make_city("Ville de Châtellerault")
    startup = Organisation(name="Watt Connect", kind=OrganisationKind.STARTUP)
    make_project(city, "Chaufferie bois", themes=[theme], partners=[startup])
    assert found("chatellerault") == found("energy") == found("watt") == ["Chaufferie bois"]


def test_punctuation_alone_finds_nothing_and_quotes_are_harmless(make_city, make_project):
    make_project(make_city(), "Mobilité")
    assert search.matches("!!! ...") is None
    assert found('"mobilite" * (') == ["Mobilité"]
    assert found("mobilite' AND 1=1 --") == []


def test_a_project_reindexed_is_found_by_its_new_words_only(make_city, make_project):
    project = make_project(make_city(), "Mobilité")
    project.title_fr = "Énergie"
    search.reindex([project])
    db.session.commit()
    assert found("mobilite") == []
    assert found("energie") == ["Énergie"]
    search.forget([project.id])
    db.session.commit()
    assert found("energie") == []


def test_rebuild_indexes_every_project(make_city, make_project):
    city = make_city()
    for n in range(7):
        make_project(city, f"Projet {n} mobilité")
    db.session.execute(db.text(f"DELETE FROM {search.TABLE}"))
    assert found("mobilite") == []
    assert search.rebuild(batch=3) == 7
    assert len(found("mobilite")) == 7
