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


# --- Latin spellings of Arabic (and Persian) names ---------------------------------------------
#
# One name has many Latin spellings: Mohammed, Muhammad, Mohamed; Hashemi, Hashimi, Hachemi;
# Yusuf, Yousef; Al-Hassan, El-Hassan, Hassan. ``arabic_keys`` gives a coarser key for them:
# the consonants (doubles single; sh/ch/sch, kh/h, q/k/gh/c, w/v, dj/j made one), the first
# vowel by its kind (a/e/i, o/u, or a diphthong ai/ei/ay/ae) and the last one (a, i/y/ie, o/u),
# and only the number of the vowels between. So short vowels may be spelled any way, but
# Hassan and Hussein, Omar and Amr, Said and Saad, Ali and Alia, Hashim and Hashemi stay
# apart. The keys are matched as whole words (not by their beginning) and stored only for
# applicants whose names are Arabic-script or whose nationality usually has such names
# (``models.applicant_search_key``): "Elena" and "Alina" do not meet.

ARABIC_MARK = "~"  # before an Arabic-spelling key among a name's search words
_ARTICLES = frozenset({"al", "el", "ul", "il"})
_ARABIC_CONSONANTS = [
    ("sch", "s"),
    ("sh", "s"),
    ("ch", "s"),  # French spelling: Hachemi, Aicha, Rachid
    ("kh", "h"),
    ("gh", "k"),  # Persian: Ghaderi, Qaderi
    ("dj", "j"),  # French spelling: Djamal
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("w", "v"),  # Darwish, Darvish; Jawad, Javad
]
_VOWEL_RUN = re.compile(r"[aeiouy]+")
# Nationalities whose names are usually Arabic or Persian, also when only their Latin
# spelling is on record: the Arab League's members, Afghanistan, Iran and Pakistan.
ARABIC_NAME_NATIONALITIES = frozenset(
    [
        "DZA",
        "BHR",
        "COM",
        "DJI",
        "EGY",
        "IRQ",
        "JOR",
        "KWT",
        "LBN",
        "LBY",
        "MRT",
        "MAR",
        "OMN",
        "PSE",
        "QAT",
        "SAU",
        "SOM",
        "SDN",
        "SYR",
        "TUN",
        "ARE",
        "YEM",
        "AFG",
        "IRN",
        "PAK",
    ]
)


def has_arabic_names(names: list[str], nationality: str = "") -> bool:
    """Whether an applicant's names get :func:`arabic_keys`: some are in Arabic script, or
    the nationality is one of :data:`ARABIC_NAME_NATIONALITIES`."""
    if nationality in ARABIC_NAME_NATIONALITIES:
        return True
    return any("\u0600" <= ch <= "\u06ff" for name in names for ch in name)


def _first_vowel(run: str) -> str:
    if run[0] in "ou":
        return "u"
    if len(run) > 1 and run[0] in "ae" and run[1] in "iye":
        return "e"  # ai, ei, ay, ey, ae: Said, Saeed, Sayed; Zainab, Zeinab; Layla, Leila
    return "a"


def _last_vowel(run: str, word: str) -> str:
    last = run[-1]
    if last in "ou":
        return "u"
    if last in "iy" or (last == "e" and (len(run) > 1 or word.endswith("ee"))):
        return "i"  # Hashemi, Hashimy, Hashemie, Rezaee
    return "a"


def _arabic_word(word: str) -> str:
    """The key of one Latin word (lower-case letters a-z)."""
    w = re.sub(r"(.)\1", r"\1", word)
    for spelling, key in _ARABIC_CONSONANTS:
        w = w.replace(spelling, key)
    w = re.sub(r"(.)\1", r"\1", w)
    if w.endswith("ah"):
        w = w[:-1]  # Abdullah, Abdulla; Fatimah, Fatima
    if w.startswith("y") and len(w) > 1 and w[1] in "aeiou":
        head, w = "y", w[1:]  # Yusuf: a consonant
    else:
        head = ""
    runs = list(_VOWEL_RUN.finditer(w))
    out, at = [head], 0
    for i, m in enumerate(runs):
        out.append(w[at : m.start()])
        if i == 0:
            out.append(_first_vowel(m.group()))
        elif m.end() == len(w):
            out.append(_last_vowel(m.group(), word))
        else:
            out.append("o")
        at = m.end()
    out.append(w[at:])
    return "".join(out)


def arabic_keys(text: str) -> list[str]:
    """The Arabic-spelling keys of a name's Latin words (without :data:`ARABIC_MARK`): an
    article ("al-", "el-", "ash-"...) is dropped, and a word that begins with "al" or "el"
    and then a consonant (Alhassan) gets a key without it too. Words in another script, and
    words shorter than three letters, have none.

    >>> arabic_keys("Mohammed") == arabic_keys("Muhammad") == arabic_keys("Mohamed")
    True
    >>> arabic_keys("Hashimi") == arabic_keys("Hashemi")
    True
    >>> arabic_keys("Hassan") == arabic_keys("Hussein")
    False
    >>> arabic_keys("El-Hassan")
    ['alhoson', 'hason']
    """
    latin = unicodedata.normalize("NFKD", icao(text)).encode("ascii", "ignore").decode().lower()
    keys: list[str] = []
    for chunk in latin.split():
        parts = [re.sub(r"[^a-z]", "", p) for p in re.split(r"[-‐]", chunk)]
        parts = [p for p in parts if p]
        i = 0
        while i < len(parts):
            part = parts[i]
            nxt = parts[i + 1] if i + 1 < len(parts) else ""
            # al-Hassan, el-Hassan; as-Sayed, ash-Shami, ad-Din (the article assimilated)
            article = part in _ARTICLES or (
                len(part) in (2, 3) and part[0] == "a" and nxt.startswith(part[1:])
            )
            if article and nxt:
                words = [(part + nxt, True), (nxt, False)]
                i += 2
            else:
                words = [(part, True)]
                rest = part[2:]
                if part[:2] in ("al", "el") and len(rest) >= 4 and rest[0] not in "aeiouy":
                    words.append((rest, False))  # Alhassan: Hassan too
                i += 1
            for w, _ in words:
                if len(w) >= 3:
                    key = _arabic_word(w)
                    if key not in keys:
                        keys.append(key)
    return keys


def query_words(text: str) -> list[tuple[str, list[str]]]:
    """The words of a name search: each as its :func:`search_key` (found by its beginning)
    and its :func:`arabic_keys` (found whole). An article typed apart ("el Hassan") goes with
    the next word; words with neither key are left out."""
    tokens = text.split()
    merged: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i].lower() in _ARTICLES and i + 1 < len(tokens):
            merged.append(f"{tokens[i]}-{tokens[i + 1]}")
            i += 2
        else:
            merged.append(tokens[i])
            i += 1
    out = []
    for token in merged:
        key, alternatives = search_key(token), arabic_keys(token)
        if key or alternatives:
            out.append((key, alternatives))
    return out
