"""French formats, read and written: dates as spreadsheets and people type them, numbers with a decimal comma,
percentages, and the text a spreadsheet would run as a formula. Pure functions: the importers (PAQSS,
indicators, events…), the editors of the interface and the reports use these, never a copy.

Every parser raises ``ValueError`` with a French message naming the value; callers add the row and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

#: a text starting with one of these is run as a formula by spreadsheets (CSV/formula injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- dates ---------------------------------------------------------------------------------------------
_DATE_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
#: the two orders of a text date: day first (French) or month first (US locale of LibreOffice/Excel)
JOUR_MOIS, MOIS_JOUR = "jm", "mj"


def date_order(values: Iterable[tuple[int, Any]], column: str) -> str | None:
    """The order of a column's text dates, decided from ALL its values (pairs (line, value)).

    A first number above 12 can only be a day (day first), a second one above 12 (month first). Both in
    one column, or only dates readable both ways (03/04/2026): the column is refused (ValueError with a
    French message naming it), never guessed. None: nothing to decide (real dates, serials, ISO, 05/05).
    """
    jm: tuple[int, str] | None = None
    mj: tuple[int, str] | None = None
    ambiguous: tuple[int, str] | None = None
    for line, value in values:
        if not isinstance(value, str):
            continue
        m = _DATE_RE.match(value.strip())
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            jm = jm or (line, value.strip())
        elif b > 12 >= a:
            mj = mj or (line, value.strip())
        elif a != b and a <= 12 and b <= 12:
            ambiguous = ambiguous or (line, value.strip())
    if jm and mj:
        raise ValueError(
            f"Colonne « {column} » : des dates jour/mois (« {jm[1]} », ligne {jm[0]}) et mois/jour (« {mj[1]} », "
            f"ligne {mj[0]}) sont mélangées ; l'ordre ne peut pas être décidé. Rien n'a été importé : écrivez les "
            "dates sous la forme aaaa-mm-jj ou en vraies dates du tableur."
        )
    if jm or mj:
        return JOUR_MOIS if jm else MOIS_JOUR
    if ambiguous:
        raise ValueError(
            f"Colonne « {column} » : l'ordre jour/mois des dates ne peut pas être décidé — toutes se lisent dans "
            f"les deux sens (« {ambiguous[1]} », ligne {ambiguous[0]} : jour/mois ou mois/jour ?). Rien n'a été "
            "importé : écrivez ces dates sous la forme aaaa-mm-jj ou en vraies dates du tableur."
        )
    return None


_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any, order: str | None = JOUR_MOIS) -> date | None:
    """Dates as Excel gives them: real dates, serial numbers, or text 15/03/2026, 15-03-26, 2026-03-15."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(f"« {value} » n'est pas une date (attendu : jj/mm/aaaa).")
    text = str(value).strip()
    if not text:
        return None
    m = _DATE_RE.match(text)
    try:
        if m:
            d, mo, y = (int(x) for x in m.groups())
            if order == MOIS_JOUR:
                d, mo = mo, d
            if y < 100:
                y += 2000
            return date(y, mo, d)
        m = _ISO_RE.match(text)
        if m:
            return date(*(int(x) for x in m.groups()))
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return parse_date(float(text))
    except ValueError:
        pass
    raise ValueError(f"« {text} » n'est pas une date valide (attendu : jj/mm/aaaa).")


def parse_percent(value: Any) -> int:
    """50 %, 50%, 0,5, 0.5 (a fraction from a percent-formatted cell) or 50 → 50."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ValueError(f"« {value} » n'est pas un pourcentage.")
    if isinstance(value, float):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"« {value} » : l'avancement doit être compris entre 0 et 100 %.")
        pct = value * 100 if 0 < value < 1 else value  # 0.5 from a percent-formatted cell
    elif isinstance(value, int):
        pct = value
    else:
        text = str(value).strip().replace("\u00a0", " ").replace("\u202f", " ")
        if not text:
            return 0
        has_pct = text.endswith("%")
        text = text.rstrip("%").strip().replace(",", ".").replace(" ", "")
        try:
            num = float(text)
        except ValueError:
            raise ValueError(f"« {value} » n'est pas un pourcentage (exemples : 50 %, 0,5, 50).") from None
        if not math.isfinite(num):
            raise ValueError(f"« {value} » n'est pas un pourcentage (exemples : 50 %, 0,5, 50).")
        if num < 0:  # « -0,5 » is not 0 %: a negative progress is an error in the file
            raise ValueError(f"« {value} » : l'avancement doit être compris entre 0 et 100 %.")
        pct = num * 100 if not has_pct and "." in text and 0 <= num <= 1 else num
    pct = round(float(pct))
    if not 0 <= pct <= 100:
        raise ValueError(f"« {value} » : l'avancement doit être compris entre 0 et 100 %.")
    return int(pct)


def parse_date_saisie(text: str | None) -> date | None:
    """A date typed in a field of the interface: jj/mm/aaaa (jj/mm/aa, jj.mm.aaaa, jj-mm-aaaa) or aaaa-mm-jj;
    empty → None. Day first always (a person typing in French), never a spreadsheet serial number."""
    t = (text or "").strip()
    if not t:
        return None
    if not (_DATE_RE.match(t) or _ISO_RE.match(t)):
        raise ValueError(f"« {t} » n'est pas une date (attendu : jj/mm/aaaa).")
    return parse_date(t, JOUR_MOIS)


def format_date(d: date | datetime | None) -> str:
    """dd/mm/yyyy, or « » for no date."""
    return d.strftime("%d/%m/%Y") if d is not None else ""


# --- numbers -------------------------------------------------------------------------------------------
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_nombre(value: object, label: str = "La valeur") -> float | None:
    """« 12,5 », « 1 234,5 », « 87 % », 12.5 → float; empty → None; ValueError with a French message.

    Only finite numbers: « inf », « nan », « 1e999 » (which Python reads as infinity) are refused.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{label} doit être un nombre.")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
    else:
        text = _SPACES.sub("", str(value)).rstrip("%").strip()
        if not text or text in ("-", "—"):
            return None
        if text.count(",") == 1 and "." in text and text.index(".") < text.index(","):
            text = text.replace(".", "")  # 1.234,5
        text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{label} « {value} » n'est pas un nombre (exemple : 12,5).") from None
    if not math.isfinite(number):
        raise ValueError(f"{label} « {str(value)[:20]} » n'est pas un nombre fini (exemple : 12,5).")
    return number


# --- text ----------------------------------------------------------------------------------------------
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?\s*%?")


def is_number_text(text: str) -> bool:
    """« 12 », « 3,5 », « 80 % »: a number where a name or a title is expected."""
    return bool(_NUMBER.fullmatch(text.strip()))


def cell_text(value: Any) -> str | None:
    """A cell as text: stripped, 12.0 → « 12 », empty → None, and the quote our CSV export puts before a
    formula-like text removed."""
    if value is None:
        return None
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        value = int(value)
    t = str(value).strip()
    if len(t) > 1 and t[0] == "'" and t[1] in FORMULA_START:
        t = t[1:]
    return t or None


def csv_safe(text: str) -> str:
    """A text a spreadsheet would run as a formula gets a leading quote (OWASP, CSV injection)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def to_utc(local: datetime) -> datetime:
    """A naive local time → naive UTC, with the offset in force on that date."""
    return local.astimezone(UTC).replace(tzinfo=None)


def debut_utc(du: date) -> datetime:
    """The start of the local calendar day ``du``, in naive UTC (the journal stores UTC)."""
    return to_utc(datetime.combine(du, time.min))
