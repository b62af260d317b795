"""The sides of a replication and who stands on them: the asking city's contacts, the project's city's contacts, the
startup's people. Who sees a replication, who answers it, and whose contact details each side sees."""
from __future__ import annotations

from collections.abc import Callable

from app.network.library.partners import startup_ids_of
from app.network.library.partners import people_of as startup_people
from app.network.members.standing import cities_of, is_network_organiser, may_act_for, member_cities_of
from app.network.models import Agreement, NetworkCity, Replication
from app.people.models import Person

#: Who a startup's people are (`startup_people`, `startup_ids_of`) is the library's (partners.py): one version for
#: both rooms, named here too for the replication room's modules.
__all__ = ["city_contacts", "is_asking_side", "is_project_side", "is_startup_side",
           "may_act_for_asking_city", "may_answer_for_city", "may_see", "revealed_contacts", "seer",
           "startup_ids_of", "startup_people"]


def city_contacts(city: NetworkCity) -> list[Person]:
    """The official and staff contacts of a city (either may be missing), once each."""
    found = [p for p in (city.official_contact, city.staff_contact) if p is not None]
    return list({p.id: p for p in found}.values())


def is_asking_side(person, replication: Replication) -> bool:
    """A contact of the asking city, whatever its standing (a lapsed city's contact still reads its history)."""
    return replication.city in cities_of(person)


def is_project_side(person, replication: Replication) -> bool:
    return replication.project.city in cities_of(person)


def is_startup_side(person, replication: Replication) -> bool:
    return replication.startup_id is not None and replication.startup_id in startup_ids_of(person)


def may_see(person, replication: Replication) -> bool:
    """The two cities' contacts, the startup's people and the network organisers."""
    return seer(person)(replication)


def seer(person) -> Callable[[Replication], bool]:
    """`may_see` for many replications: who `person` is, looked up once."""
    city_ids = {city.id for city in cities_of(person)}
    startup_ids = startup_ids_of(person)
    organiser = is_network_organiser(person)
    return lambda replication: (organiser or replication.city_id in city_ids
                                or replication.project.city_id in city_ids
                                or (replication.startup_id is not None and replication.startup_id in startup_ids))


def may_answer_for_city(person, replication: Replication) -> bool:
    return may_act_for(person, replication.project.city)


def may_act_for_asking_city(person, replication: Replication) -> bool:
    return may_act_for(person, replication.city)


def revealed_contacts(person, replication: Replication) -> list[tuple[str, list[Person]]]:
    """The other sides' contact details `person` may see: (whose, people). Both cities see each other's once the
    project's city accepted; the asking city and the startup see each other's once the startup accepted. Nobody
    else sees any (not even a network organiser: the details are the sides' to share), nor the contacts of a
    city that is no longer a member: they keep the bare history."""
    shown: list[tuple[str, list[Person]]] = []
    members = member_cities_of(person)
    asking, project_side = replication.city in members, replication.project.city in members
    startup = is_startup_side(person, replication)
    city_agreed = replication.answer is Agreement.AGREED and not replication.is_cancelled
    startup_agreed = replication.startup_answer is Agreement.AGREED and not replication.is_cancelled
    if city_agreed and asking:
        shown.append((replication.project.city.name, city_contacts(replication.project.city)))
    if city_agreed and project_side:
        shown.append((replication.city.name, city_contacts(replication.city)))
    if startup_agreed and asking:
        shown.append((replication.startup.name, startup_people(replication.startup)))
    if startup_agreed and startup:
        shown.append((replication.city.name, city_contacts(replication.city)))
    return [(name, people) for name, people in shown if people]
