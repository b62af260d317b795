"""French grammar around a proper noun: "de" before a place or a person's name, and « à » / « de » before an
edition's name in a translated sentence.

"de" becomes "d'" before a vowel or a mute h ("d'Auxerre", "d'Hénin-Beaumont"), stays before a consonant, a
"y" that sounds like a consonant ("de Yaoundé") and an aspirated h ("de Haguenau"), and contracts with the
article of a name ("du Havre", "du Mans", "des Ulis"; "de La Rochelle" keeps its article). The apostrophe is
the straight one the catalog uses.

A sentence such as "S'inscrire à %(name)s" also reads wrong once the name is in when the name begins with a
masculine noun ("à Sommet…" must read "au Sommet…"): `contract` mends a whole translated sentence, knowing the
nouns event names start with and leaving any other word as it is (it never guesses a gender).
"""
from __future__ import annotations

import re
import unicodedata

VOWELS = frozenset("aeiou")
#: Place names whose h is aspirated ("de Haguenau"); every other initial h is taken as mute ("d'Hyères").
ASPIRATED_H = frozenset({
    "haguenau", "hal", "halle", "hambourg", "hamme", "hannut", "harelbeke", "hasselt", "hollande", "honduras",
    "hongrie", "houilles", "huy",
})


def _bare(letter: str) -> str:
    return unicodedata.normalize("NFKD", letter.casefold())[:1]


def _elides(name: str) -> bool:
    first = _bare(name[:1])
    if first in VOWELS:
        return True
    if first == "y":  # "Yvetot", "Ypres": a vowel; "Yaoundé", "Yerres": a consonant
        return _bare(name[1:2]) not in VOWELS
    if first == "h":
        return name.split(" ")[0].casefold() not in ASPIRATED_H
    return False


def de(name: str) -> str:
    """"de" and the name as French writes it: "d'Auxerre", "de Nevers", "du Havre", "des Ulis"."""
    name = name.strip()
    if not name:
        return "de"
    article, _, rest = name.partition(" ")
    if rest and article in ("Le", "le"):
        return f"du {rest}"
    if rest and article in ("Les", "les"):
        return f"des {rest}"
    return f"d'{name}" if _elides(name) else f"de {name}"


# -- « à » and « de » before an edition's name, in a whole sentence --------------------------------------------

#: The nouns an edition's name starts with, by gender and number ("Sommet de…", "Rencontres de…").
MASCULINE = frozenset({
    "sommet", "forum", "salon", "congrès", "festival", "colloque", "symposium", "séminaire", "carrefour",
    "marché", "rendez-vous", "village", "club", "réseau", "conseil", "comité", "prix", "trophée", "hackathon",
    "meetup", "mois", "printemps", "tour", "grand", "premier", "campus", "lab", "labo", "parcours", "défi",
})
FEMININE = frozenset({
    "rencontre", "journée", "conférence", "semaine", "foire", "biennale", "convention", "fête", "nuit",
    "matinée", "soirée", "université", "assemblée", "académie", "agora", "exposition", "grande", "première",
    "cité", "maison", "plateforme",
})
PLURAL = frozenset({
    "rencontres", "journées", "assises", "entretiens", "états", "universités", "trophées", "jeux", "nuits",
    "ateliers", "semaines", "premières",
})

_AFTER_PREPOSITION = re.compile(r"(?<![\w'’-])(à|À|de|De) (?:([Ll]es?) (?=\w)|(\w[\w'’-]*))")
_CONTRACTED = {("à", "le"): "au", ("à", "les"): "aux", ("de", "le"): "du", ("de", "les"): "des"}


def _cap(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _mend(match: re.Match) -> str:
    preposition, article, word = match.group(1), match.group(2), match.group(3)
    base = preposition.lower()
    if article:
        return _cap(_CONTRACTED[(base, article.lower())], preposition) + " "
    key = word.lower().rstrip("'’")
    if key in MASCULINE:
        return f"{_cap(_CONTRACTED[(base, 'le')], preposition)} {word}"
    if key in PLURAL:
        return f"{_cap(_CONTRACTED[(base, 'les')], preposition)} {word}"
    if key in FEMININE:
        return f"{preposition} l'{word}" if _elides(word) else f"{preposition} la {word}"
    if base == "de" and _elides(word):
        return f"{_cap('d', preposition)}'{word}"
    return match.group(0)


def contract(text: str) -> str:
    """`text` with « à le » → « au », « de les » → « des », « à Sommet » → « au Sommet », « de Auxerre » →
    « d'Auxerre »… A French sentence only: the caller checks the language."""
    return _AFTER_PREPOSITION.sub(_mend, text)


def contract_for(text: str, locale: str) -> str:
    """`contract` when `locale` is French, else `text` unchanged."""
    return contract(text) if str(locale).lower().startswith("fr") else text
