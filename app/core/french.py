"""French contractions and elisions where a name follows « à » or « de » in a translated sentence.

A French sentence such as "S'inscrire à %(name)s" reads wrong once the name is filled in when the name
begins with a masculine noun ("à Sommet…" must read "au Sommet…"), an article ("à Le Mans" → "au Mans") or
a vowel ("de Auxerre" → "d'Auxerre"). `contract` mends the sentence after the name is in; it knows the nouns
event names start with, and leaves any other word as it is (it never guesses a gender).
"""
from __future__ import annotations

import re

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
VOWELS = frozenset("aeiouàâäéèêëîïôöùûüœæAEIOUÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")

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
        return f"{preposition} l'{word}" if word[0] in VOWELS else f"{preposition} la {word}"
    if base == "de" and word[0] in VOWELS:
        return f"{_cap('d', preposition)}'{word}"
    return match.group(0)


def contract(text: str) -> str:
    """`text` with « à le » → « au », « de les » → « des », « à Sommet » → « au Sommet », « de Auxerre » →
    « d'Auxerre »… A French sentence only: the caller checks the language."""
    return _AFTER_PREPOSITION.sub(_mend, text)


def contract_for(text: str, locale: str) -> str:
    """`contract` when `locale` is French, else `text` unchanged."""
    return contract(text) if str(locale).lower().startswith("fr") else text
