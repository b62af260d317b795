"""'de' before a proper noun, as French writes it (issue 16: "Délégation de Auxerre" read badly), and « à » /
« de » contracted before an edition's name in a sentence ("S'inscrire à Sommet" read badly)."""
import pytest

from app.core.french import contract, contract_for, de


@pytest.mark.parametrize(("name", "expected"), [
    ("Auxerre", "d'Auxerre"),
    ("Nevers", "de Nevers"),
    ("Évreux", "d'Évreux"),
    ("Issoudun", "d'Issoudun"),
    ("Orléans", "d'Orléans"),
    ("Hyères", "d'Hyères"),            # mute h
    ("Haguenau", "de Haguenau"),        # aspirated h
    ("Yvetot", "d'Yvetot"),            # y before a consonant sounds as a vowel
    ("Yaoundé", "de Yaoundé"),          # y before a vowel is a consonant
    ("Le Havre", "du Havre"),
    ("Le Mans", "du Mans"),
    ("Les Ulis", "des Ulis"),
    ("La Rochelle", "de La Rochelle"),
    ("Anne Martin", "d'Anne Martin"),
    ("  Angers ", "d'Angers"),
])
def test_de_elides_before_a_vowel_or_mute_h_and_contracts_articles(name, expected):
    assert de(name) == expected


@pytest.mark.parametrize("text, expected", [
    ("S'inscrire à Sommet de l'innovation — Nevers 2027", "S'inscrire au Sommet de l'innovation — Nevers 2027"),
    ("Cette séance de Sommet des villes est annulée.", "Cette séance du Sommet des villes est annulée."),
    ("S'inscrire à Forum Afrique", "S'inscrire au Forum Afrique"),
    ("S'inscrire à Le Grand Salon", "S'inscrire au Grand Salon"),
    ("Votre inscription à Les Assises de la ville", "Votre inscription aux Assises de la ville"),
    ("Votre inscription à Assises de la ville", "Votre inscription aux Assises de la ville"),
    ("S'inscrire à Rencontres de Nevers", "S'inscrire aux Rencontres de Nevers"),
    ("S'inscrire à Journée des maires", "S'inscrire à la Journée des maires"),
    ("S'inscrire à Université d'été", "S'inscrire à l'Université d'été"),
    ("Délégation de Auxerre", "Délégation d'Auxerre"),
    ("Délégation de Le Havre", "Délégation du Havre"),
    ("Délégation de La Rochelle", "Délégation de La Rochelle"),
    ("S'inscrire à Nevers Innov", "S'inscrire à Nevers Innov"),
    ("S'inscrire à Auxerre 2027", "S'inscrire à Auxerre 2027"),
    ("Délégation de Grand-Bassam", "Délégation de Grand-Bassam"),
    ("l'équipe d'organisation de Sommet 2027.", "l'équipe d'organisation du Sommet 2027."),
])
def test_contract(text, expected):
    assert contract(text) == expected


def test_only_in_french():
    assert contract_for("Register for Sommet 2027", "en") == "Register for Sommet 2027"
    assert contract_for("S'inscrire à Sommet 2027", "fr") == "S'inscrire au Sommet 2027"
    assert contract_for("S'inscrire à Sommet 2027", "fr_CA") == "S'inscrire au Sommet 2027"
