import pytest

from qualite_app.rules import validation as v
from qualite_app.rules.text import fold


@pytest.mark.parametrize("raw, expected", [("019990015", "019990015"), (" 2A0001234 ", "2A0001234"), ("", None), (None, None)])
def test_finess_keeps_leading_zeros(raw, expected):
    assert v.finess(raw) == expected


@pytest.mark.parametrize("raw", ["19990015", "0199900150", "01999001X", "ABCDEFGHI"])
def test_finess_refused_with_message(raw):
    with pytest.raises(ValueError, match="9 caractères"):
        v.finess(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [("0199001002", "01 99 00 10 02"), ("01.99.00.10.02", "01 99 00 10 02"), ("+33 1 99 00 10 02", "+33 1 99 00 10 02"), ("514 555 0123", "514 555-0123")],
)
def test_phone_normalised(raw, expected):
    assert v.phone(raw) == expected


@pytest.mark.parametrize("raw", ["01 99 00", "01 99 00 10 0x", "+33 12", "appeler le standard"])
def test_phone_refused(raw):
    with pytest.raises(ValueError):
        v.phone(raw)


def test_email():
    assert v.email(" Helene.Brevanne@CH-Valdebrume.fr ") == "helene.brevanne@ch-valdebrume.fr"
    for bad in ("helene@", "helene.brevanne", "a b@c.fr", "x@y"):
        with pytest.raises(ValueError, match="courriel"):
            v.email(bad)


def test_short_number_and_required():
    assert v.short_number("4 012") == "4012"
    with pytest.raises(ValueError):
        v.short_number("12345678901")
    with pytest.raises(ValueError, match="obligatoire"):
        v.required("  ", "Le nom")


def test_fold_ignores_accents_and_case():
    assert fold("  Hélène  HAUTECŒUR ") == "helene hautecoeur"
