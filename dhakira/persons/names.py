"""Personal names parsed into parts, in Arabic and Latin script, and spelled in one phonetic alphabet.

A name becomes a list of *parts*: articles («ال», al-, el-) fall away, «عبد ال…» / Abdel / Abdul /
Abd al- join the following word (one part, ``abd`` + root), «أبو» / Abu / Abou join theirs (a kunya),
«بن» / ibn / bin (nasab links) and honorifics are dropped. Each part is spelled in a small phonetic
alphabet shared by both scripts (:func:`phonetic`): consonants by their Arabic letter, long vowels
as ``A I U``, short Latin vowels as ``a i u`` (Arabic writes none), so that «زيتونة» and "Zaitouneh"
come out as ``zItUn`` and ``zaItUn``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from normality import ascii_text

from dhakira.text.normalise import MARKS, is_arabic

_MARKS = re.compile(f"[{MARKS}]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ک": "ك", "ی": "ي", "ـ": None})
_SEPARATORS = re.compile(r"[\s\-‐–—_/.,;:()\"“”«»]+")
_APOSTROPHES = re.compile(r"[’'‘`ʿʾ´]")

# Honorifics and titles written before a name; never a part of it.
TITLES = frozenset({
    "dr", "doctor", "mr", "mrs", "ms", "miss", "sheikh", "shaykh", "sheik", "imam", "prof", "professor", "sayyid",
    "haj", "hajj", "hajji", "sir", "general", "colonel", "brigadier", "major", "captain", "lieutenant", "lt", "col",
    "gen", "father", "mother",
    "الدكتور", "الدكتوره", "د", "السيد", "السيده", "الشيخ", "الحاج", "الحاجه", "الاستاذ", "الاستاذه", "المهندس",
    "المحامي", "العميد", "اللواء", "العقيد", "المقدم", "الرائد", "النقيب", "الملازم", "الاب", "الام",
})
_ARTICLES = ("al", "el", "ul", "an", "ad", "ar", "as", "ash", "at", "az", "ad-", "l")
_NASAB = frozenset({"bin", "ibn", "ben", "bint", "bn", "بن", "ابن", "بنت"})
_ABD = ("abdel", "abdul", "abdal", "abdol", "abdil", "abd", "abed", "abdu", "abid")
_KUNYA = frozenset({"abu", "abou", "abo", "abi", "ابو", "ابي", "um", "umm", "om", "oum", "ام"})
_DIN = frozenset({"din", "deen", "dine", "eddin", "eddine", "uddin", "addin"})
_DIN_GLUED = ("eddine", "eddin", "uddin", "addin", "aldin", "eldin", "uddeen", "eddeen")
_SUN_ASSIMILATED = re.compile(r"^(?:a[dnrstz]|ash|ad)$")


@dataclass(frozen=True)
class Part:
    """One part of a name: as written (folded), its phonetic spelling and its script (``ar`` or ``latin``)."""

    written: str
    sound: str
    script: str
    kind: str = "name"  # name | abd | kunya


@dataclass(frozen=True)
class ParsedName:
    """A personal name as parts, with the script it was written in."""

    text: str
    parts: tuple[Part, ...]
    script: str

    @property
    def sounds(self) -> tuple[str, ...]:
        return tuple(part.sound for part in self.parts)


def fold_arabic(text: str) -> str:
    """Arabic letters without marks, tatweel or alef's hamza (ة, ى, ئ and ؤ are kept: names differ by them)."""
    return _MARKS.sub("", text).translate(_ARABIC_FOLD)


def _arabic_words(text: str) -> list[str]:
    words = [word for word in _SEPARATORS.split(fold_arabic(text)) if word]
    result: list[str] = []
    index = 0
    while index < len(words) - 1 and (words[index] in TITLES or words[index][1:] in TITLES and words[index][0] == "و"):
        index += 1  # titles come first: «الشيخ أحمد»; «عمر الحاج» keeps its family name
    result.extend(words[index:])
    return result


def _latin_words(text: str) -> list[str]:
    folded = ascii_text(_APOSTROPHES.sub("", unicodedata.normalize("NFC", text))) or ""
    words = [word for word in _SEPARATORS.split(folded.lower()) if word]
    index = 0
    while index < len(words) - 1 and words[index] in TITLES:
        index += 1
    return words[index:]


def _strip_arabic_article(word: str) -> str:
    if word.startswith("ال") and len(word) > 3:
        return word[2:]
    return word


def parse_name(text: str) -> ParsedName:
    """Parts of a personal name in either script; an empty tuple of parts when nothing is left."""
    arabic = is_arabic(text)
    words = _arabic_words(text) if arabic else _latin_words(text)
    parts: list[Part] = []
    index = 0
    script = "ar" if arabic else "latin"
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else None
        if word in _NASAB:
            index += 1
            continue
        if arabic:
            if word in ("عبد", "عبدال") and following:
                root = _strip_arabic_article(following)
                parts.append(Part("عبد" + root, "abd" + phonetic_arabic(root), script, "abd"))
                index += 2
                continue
            if word.startswith("عبدال") and len(word) > 6:
                root = _strip_arabic_article(word[3:])
                parts.append(Part(word, "abd" + phonetic_arabic(root), script, "abd"))
                index += 1
                continue
            if word in _KUNYA and following:
                root = _strip_arabic_article(following)
                parts.append(Part(word + " " + following, "abU" + phonetic_arabic(root), script, "kunya"))
                index += 2
                continue
            if word == "الدين" and parts and parts[-1].kind == "name":
                parts[-1] = Part(parts[-1].written + " الدين", parts[-1].sound + "dIn", script)
                index += 1
                continue
            word = _strip_arabic_article(word)
            parts.append(Part(word, phonetic_arabic(word), script))
            index += 1
            continue
        if word in _ARTICLES and following:
            index += 1
            continue
        stem = next((prefix for prefix in _ABD if word.startswith(prefix)), "")
        root = word[len(stem):]
        if stem and (not root or len(root) >= 3 or root in ("la", "lah")):
            if not root:
                if not following:
                    parts.append(Part(word, phonetic_latin(word), script))
                    break
                index += 1
                root = words[index]
                if root in _ARTICLES and index + 1 < len(words):
                    index += 1
                    root = words[index]
            root = _latin_article_off(root)
            parts.append(Part("abd " + root, "abd" + phonetic_latin(root), script, "abd"))
            index += 1
            continue
        if word in _KUNYA and following:
            root = _latin_article_off(following)
            parts.append(Part(word + " " + root, "abU" + phonetic_latin(root), script, "kunya"))
            index += 2
            continue
        if word in _DIN and parts and parts[-1].kind == "name":
            parts[-1] = Part(parts[-1].written + " din", parts[-1].sound + "dIn", script)
            index += 1
            continue
        compound = next((ending for ending in _DIN_GLUED if word.endswith(ending) and len(word) > len(ending) + 2), None)
        if compound:
            root = word[: -len(compound)]
            parts.append(Part(word, phonetic_latin(root) + "dIn", script))
            index += 1
            continue
        word = _latin_article_off(word)
        parts.append(Part(word, phonetic_latin(word), script))
        index += 1
    return ParsedName(text, tuple(part for part in parts if part.sound), script)


def _latin_article_off(word: str) -> str:
    """«al» glued to a name: "alhassan" → "hassan", "allah" stays."""
    if len(word) > 5 and word.startswith(("al", "el")) and word not in ("allah", "alla", "allah"):
        rest = word[2:]
        if rest[:1] not in "aeiou" or rest.startswith(("a", "i", "u")) and len(rest) > 4:
            return rest
    return word


# The phonetic alphabet: Arabic consonants by a letter of their own, long vowels A I U, short a i u.
_ARABIC_SOUNDS = {
    "ب": "b", "ت": "t", "ث": "T", "ج": "j", "ح": "H", "خ": "x", "د": "d", "ذ": "D", "ر": "r", "ز": "z", "س": "s",
    "ش": "S", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "'", "غ": "g", "ف": "f", "ق": "q", "ك": "k", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "ة": "", "ء": "'", "ئ": "'", "ؤ": "'", "پ": "b", "چ": "S", "ڤ": "f", "گ": "g",
}


@lru_cache(maxsize=50_000)
def phonetic_arabic(word: str) -> str:
    """The phonetic spelling of one Arabic name part («زيتونة» → ``zItUn``)."""
    word = _MARKS.sub("", word)
    if len(word) > 2 and word.endswith(("ى", "اء", "ا", "أ")):  # a final long a: Latin writes a short one or none
        word = word[:-2] if word.endswith("اء") else word[:-1]
    word = fold_arabic(word).replace("ى", "ي")
    out: list[str] = []
    last = len(word) - 1
    for index, char in enumerate(word):
        if char == "ا":
            out.append("A" if index else "")
        elif char == "و":
            out.append("w" if index == 0 or (index < last and word[index + 1] in "اي") else "U")
        elif char == "ي":
            out.append("y" if index == 0 or (index < last and word[index + 1] in "او") else "I")
        elif char == "ه" and index == last and index > 1:
            out.append("")
        else:
            out.append(_ARABIC_SOUNDS.get(char, ""))
    return "".join(out)


_LATIN_RULES = [
    ("kh", "x"), ("sh", "S"), ("ch", "S"), ("sch", "S"), ("th", "T"), ("dh", "D"), ("gh", "g"), ("dj", "j"),
    ("ph", "f"), ("ck", "k"), ("ou", "U"), ("oo", "U"), ("ee", "I"), ("ie", "I"), ("ai", "aI"), ("ay", "aI"),
    ("ei", "aI"), ("ey", "aI"), ("aa", "A"), ("ii", "I"), ("uu", "U"), ("aw", "aU"), ("au", "aU"), ("ow", "aU"),
]
_LATIN_LETTERS = {
    "a": "a", "e": "e", "i": "i", "o": "u", "u": "u", "y": "i", "b": "b", "p": "b", "t": "t", "d": "d", "z": "z",
    "s": "s", "j": "j", "g": "g", "h": "H", "f": "f", "v": "f", "q": "q", "k": "k", "c": "k", "l": "l", "m": "m",
    "n": "n", "r": "r", "w": "w", "x": "ks",
}


@lru_cache(maxsize=50_000)
def phonetic_latin(word: str) -> str:
    """The phonetic spelling of one Latin name part ("Zaitouneh" → ``zaItUn``)."""
    word = re.sub(r"(.)\1", r"\1", word.lower())  # doubled letters: one sound (Hassan, Mohammed)
    if word.endswith(("eh", "ah")) and len(word) > 3:
        word = word[:-2]
    elif word.endswith("e") and len(word) > 3:
        word = word[:-1]
    elif word.endswith("a") and len(word) > 3:
        word = word[:-1]
    out: list[str] = []
    index = 0
    while index < len(word):
        for pattern, sound in _LATIN_RULES:
            if word.startswith(pattern, index):
                out.append(sound)
                index += len(pattern)
                break
        else:
            char = word[index]
            if char == "y" and (index == 0 or index + 1 < len(word) and word[index + 1] in "aeiou"):
                out.append("y")
            elif char == "w" and index and word[index - 1] in "aeiou" and (index + 1 == len(word) or word[index + 1] not in "aeiou"):
                out.append("U")
            elif char == "h":
                out.append("h" if index == len(word) - 1 else "H")
            else:
                out.append(_LATIN_LETTERS.get(char, ""))
            index += 1
    sound = "".join(out)
    return re.sub(r"(.)\1+", r"\1", sound)


def phonetic(word: str) -> str:
    """The phonetic spelling of one name part in either script."""
    return phonetic_arabic(word) if is_arabic(word) else phonetic_latin(word)


_CONSONANT_CLASSES = str.maketrans({"T": "t", "D": "d", "H": "h", "'": None, "w": None, "y": None,
                                    "A": None, "I": None, "U": None, "a": None, "e": None, "i": None, "u": None,
                                    "q": "k", "x": "k", "g": "k", "z": "s", "S": "s", "j": "k"})


def skeleton(sound: str) -> str:
    """The consonants of a phonetic spelling, in broad classes: a blocking key that spellings share."""
    return re.sub(r"(.)\1+", r"\1", sound.translate(_CONSONANT_CLASSES))


def name_key(text: str) -> str:
    """A coarse key for finding candidates: the skeletons of the first and last parts."""
    parsed = parse_name(text)
    if not parsed.parts:
        return ""
    if len(parsed.parts) == 1:
        return skeleton(parsed.parts[0].sound)
    return skeleton(parsed.parts[0].sound) + " " + skeleton(parsed.parts[-1].sound)
