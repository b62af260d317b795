"""One commit point: a unit of work is stored whole or not at all."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.domain import DomainError
from app.core.transaction import atomic, atomic_write, in_atomic, on_commit
from app.extensions import db
from app.people.models import Person


def _person(email: str) -> Person:
    person = Person(email=email, first_name="Inès", last_name="Roux")
    db.session.add(person)
    db.session.flush()
    return person


def _emails() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(Person.email)))


@atomic()
def _register_two(fail_between: bool) -> None:
    _person("first@example.org")
    if fail_between:
        raise DomainError("refused")
    _person("second@example.org")


def test_a_unit_of_work_commits_once_at_the_end(db):
    _register_two(fail_between=False)
    db.session.remove()  # a new session sees only what was committed
    assert _emails() == {"first@example.org", "second@example.org"}


def test_a_step_that_fails_half_way_leaves_nothing(db):
    with pytest.raises(DomainError):
        _register_two(fail_between=True)
    db.session.remove()
    assert _emails() == set()


def test_a_service_called_by_another_joins_its_unit_of_work(db):
    with pytest.raises(RuntimeError):
        with atomic():
            _register_two(fail_between=False)  # its own block ends here, but it is not the outermost
            assert in_atomic()
            raise RuntimeError("a later step fails")
    db.session.remove()
    assert _emails() == set()


def test_on_commit_runs_after_the_commit_and_never_after_a_rollback(db):
    ran: list[str] = []
    with atomic():
        _person("kept@example.org")
        on_commit(lambda: ran.append("kept"))
        assert ran == []
    assert ran == ["kept"]
    with pytest.raises(DomainError):
        with atomic():
            on_commit(lambda: ran.append("dropped"))
            raise DomainError("refused")
    assert ran == ["kept"]
    on_commit(lambda: ran.append("now"))  # outside a unit of work: at once
    assert ran == ["kept", "now"]


def test_a_locked_unit_of_work_commits_at_its_end_and_rolls_back_whole(db):
    with atomic_write():
        _person("locked@example.org")
        _register_two(fail_between=False)  # a service joins it
    with pytest.raises(DomainError):
        with atomic_write():
            _person("refused@example.org")
            raise DomainError("refused")
    db.session.remove()
    assert _emails() == {"locked@example.org", "first@example.org", "second@example.org"}


def test_a_locked_unit_of_work_cannot_join_another(db):
    with pytest.raises(RuntimeError):
        with atomic():
            _person("outer@example.org")
            with atomic_write():
                pass
    db.session.remove()
    assert _emails() == set()
