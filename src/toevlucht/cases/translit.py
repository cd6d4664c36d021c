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
    (r"(?<=[a-z])(?:yo|jo|io)", "e"),  # ё spelled in English: "Muravyov", "Fyodor", "Semyon"
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


# Arabic-script letters are kept (not transliterated: the spellings in Latin vary too much to
# fold); their vowel marks dropped and the letters written several ways made one.
_ARABIC_FOLD = str.maketrans({"ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ۀ": "ه"})


def _ascii_or_arabic(text: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if "\u0600" <= ch <= "\u06ff":
            if unicodedata.category(ch).startswith("L"):
                out.append(ch)
        else:
            out.append(ch.encode("ascii", "ignore").decode())
    return "".join(out).translate(_ARABIC_FOLD)


def search_key(text: str) -> str:
    """A spelling-tolerant key: Cyrillic is transliterated, accents dropped, and the usual
    variants (y/i/j, kh/h, g/h, ts/c, double letters, ё as "yo") folded, so "Dmitriy",
    "Dmitrii" and "Дмитрий" meet, "Muravyov" finds "Муравьёв", and a Ukrainian name spelled
    from its passport ("Hryhorii") finds the Cyrillic name however it was typed
    ("Григорій", "Григорий"). Arabic script is kept as Arabic letters without vowel marks
    (أحمد finds احمد).

    >>> search_key("Muravyov") == search_key("Муравьёв")
    True
    >>> search_key("أحمد") == search_key("احمد")
    True
    """
    latin = _ascii_or_arabic(icao(text)).lower()
    latin = re.sub(r"[^a-z\u0620-\u06ff ]", "", latin)
    for pattern, repl in _FOLD:
        latin = re.sub(pattern, repl, latin)
    return latin.strip()
