"""'de' before a proper noun, as French writes it (issue 16: "Délégation de Auxerre" read badly)."""
import pytest

from app.core.french import de


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
