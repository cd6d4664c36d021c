"""Latin transliteration of Cyrillic names (ICAO Doc 9303, as in Russian and Ukrainian
passports), and the matching key used to find a Cyrillic name from a Latin spelling.

>>> icao("Дмитрий Сергеевич")
'Dmitrii Sergeevich'
>>> search_key("Dmitriy") == search_key("Дмитрий")
True
"""

from __future__ import annotations

import re
import unicodedata

_ICAO = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    # Ukrainian letters (ICAO / Ukrainian passport practice)
    "і": "i",
    "ї": "i",
    "є": "ie",
    "ґ": "g",
}
_UK_G = {"г": "h"}  # Ukrainian г is h


_GEORGIAN = dict(
    zip(
        "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
        [
            "a",
            "b",
            "g",
            "d",
            "e",
            "v",
            "z",
            "t",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "zh",
            "r",
            "s",
            "t",
            "u",
            "p",
            "k",
            "gh",
            "q",
            "sh",
            "ch",
            "ts",
            "dz",
            "ts",
            "ch",
            "kh",
            "j",
            "h",
        ],
        strict=True,
    )
)


def georgian(text: str) -> str:
    """Georgian (Mkhedruli) to Latin, national romanisation without apostrophes."""
    words = "".join(_GEORGIAN.get(ch, ch) for ch in text).split(" ")
    return " ".join(w[:1].upper() + w[1:] for w in words)


def icao(text: str, ukrainian: bool = False) -> str:
    """Cyrillic to Latin per ICAO 9303 (Ukrainian: г → h)."""
    out = []
    for ch in text:
        low = ch.lower()
        table = {**_ICAO, **_UK_G} if ukrainian else _ICAO
        if low in table:
            t = table[low]
            out.append(t.capitalize() if ch.isupper() and t else t)
        else:
            out.append(ch)
    return "".join(out)


# Latin spellings that differ between transliteration systems collapse to one key.
_FOLD = [
    (r"(.)\1", r"\1"),  # first too: "Iuliia" (Юлия) must fold like "Yulia" and "Iulia"
    (r"shch|sch", "s"),
    (r"zh", "z"),
    (r"kh|ch|h", "h"),
    (r"g", "h"),  # Russian г is g, Ukrainian г is h: "Oleh" and "Олег", "Hryhorii" and "Григорий"
    (r"ts|tz|c", "s"),
    (r"sh|s", "s"),
    (r"iu|yu|ju", "u"),
    (r"ia|ya|ja", "a"),
    (r"ie|ye|je", "e"),
    (r"iy|ii|yi|y|j", "i"),
    (r"x", "ks"),
    (r"w", "v"),
    (r"ph", "f"),
    (r"er\b", "r"),
    (r"(.)\1", r"\1"),
]


def search_key(text: str) -> str:
    """A spelling-tolerant key: Cyrillic is transliterated, accents dropped, and the usual
    variants (y/i/j, kh/h, g/h, ts/c, double letters) folded, so "Dmitriy", "Dmitrii" and
    "Дмитрий" meet, and a Ukrainian name spelled from its passport ("Hryhorii") finds the
    Cyrillic name however it was typed ("Григорій", "Григорий")."""
    latin = icao(text)
    latin = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode().lower()
    latin = re.sub(r"[^a-z ]", "", latin)
    for pattern, repl in _FOLD:
        latin = re.sub(pattern, repl, latin)
    return latin.strip()
