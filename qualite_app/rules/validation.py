"""Field checks with French messages. Each returns the normalised value or raises ValueError(message)."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"^[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
_FINESS = re.compile(r"^(\d{2}|2A|2B)\d{7}$")
_QC_CODE = re.compile(r"^[0-9A-Za-z\-]{4,20}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")


def finess(value: str | None, label: str = "FINESS") -> str | None:
    """Nine characters (département + seven digits); leading zeros are kept: it is text, not a number."""
    v = (value or "").strip().upper().replace(" ", "")
    if not v:
        return None
    if not _FINESS.match(v):
        raise ValueError(
            f"Le numéro {label} doit comporter 9 caractères : 2 pour le département (ou 2A/2B) puis 7 chiffres "
            f"(« {value.strip() if value else ''} » en a {len(v)})."
        )
    return v


def quebec_code(value: str | None) -> str | None:
    v = (value or "").strip()
    if not v:
        return None
    if not _QC_CODE.match(v):
        raise ValueError("Le code d'établissement doit comporter de 4 à 20 lettres, chiffres ou tirets.")
    return v


def email(value: str | None) -> str | None:
    v = (value or "").strip()
    if not v:
        return None
    if not _EMAIL.match(v):
        raise ValueError(f"« {v} » n'est pas une adresse de courriel valide (exemple : prenom.nom@hopital.fr).")
    return v.lower()


def phone(value: str | None) -> str | None:
    """A French (0X XX XX XX XX), North-American (514 555-0123) or international (+…) number."""
    v = (value or "").strip()
    if not v:
        return None
    digits = _PHONE_SEPARATORS.sub("", v)
    intl = digits.startswith("+")
    if intl:
        digits = digits[1:]
    if not digits.isdigit():
        raise ValueError(f"« {v} » n'est pas un numéro de téléphone : seuls les chiffres, espaces, points et « + » sont admis.")
    if intl:
        if not 8 <= len(digits) <= 15:
            raise ValueError(f"« {v} » : un numéro international compte de 8 à 15 chiffres après le « + ».")
        return v
    if len(digits) != 10:
        raise ValueError(f"« {v} » : un numéro doit compter 10 chiffres (exemple : 03 21 00 00 00).")
    if digits.startswith("0"):
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return f"{digits[:3]} {digits[3:6]}-{digits[6:]}"  # Québec / Amérique du Nord


def short_number(value: str | None) -> str | None:
    """DECT or bip: 2 to 8 digits."""
    v = (value or "").strip().replace(" ", "")
    if not v:
        return None
    if not v.isdigit() or not 2 <= len(v) <= 8:
        raise ValueError(f"« {value} » : un numéro DECT ou de bip compte de 2 à 8 chiffres.")
    return v


def required(value: str | None, label: str) -> str:
    v = (value or "").strip()
    if not v:
        raise ValueError(f"{label} est obligatoire.")
    return v
