"""Norwegian text normalisation for search: folding, synonyms, stems, compound parts.

Parents type "samvaer", "samværsplanen", "fylkesnemnda" and "bvtj"; articles say
"samvær", "samværsplan", "barneverns- og helsenemnda" and "barnevernstjenesten". Both
sides go through the same `terms()` so that they meet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from functools import lru_cache

import snowballstemmer

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "è": "e", "ä": "ae", "ö": "o"})
_WORD = re.compile(r"[a-z0-9]+")

# Words users type → the words our articles use (FACTS.md, "Terms users mix up").
# Keys and values are folded lower case.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "fylkesnemnda": ("nemnda", "helsenemnda"),
    "fylkesnemnd": ("nemnda", "helsenemnda"),
    "nemnda": ("helsenemnda",),
    "fylkesmannen": ("statsforvalteren",),
    "fylkesmann": ("statsforvalteren",),
    "bvtj": ("barnevernstjenesten",),
    "barnevernet": ("barnevernstjenesten",),
    "barnevern": ("barnevernstjenesten",),
    "barneverntjenesten": ("barnevernstjenesten",),
    "barnevernloven": ("barnevernsloven",),
    "gjenforening": ("tilbakeforing",),
    "hjem": ("tilbakeforing",),
    "advokaten": ("advokat",),
    "sakbehandler": ("saksbehandler",),
    "samver": ("samvaer",),
    "fosterheim": ("fosterhjem",),
}

# Very common words carry no topic; dropping them keeps ranking on what matters.
STOPWORDS: frozenset[str] = frozenset(
    [
        "og",
        "i",
        "jeg",
        "eg",
        "det",
        "at",
        "en",
        "ein",
        "et",
        "eit",
        "som",
        "pa",
        "er",
        "var",
        "for",
        "med",
        "til",
        "av",
        "den",
        "de",
        "dei",
        "ikke",
        "ikkje",
        "om",
        "han",
        "hun",
        "ho",
        "seg",
        "men",
        "har",
        "hadde",
        "kan",
        "ma",
        "skal",
        "vil",
        "er",
        "meg",
        "mitt",
        "min",
        "mine",
        "mi",
        "du",
        "deg",
        "din",
        "ditt",
        "dine",
        "hva",
        "kva",
        "hvordan",
        "korleis",
        "hvorfor",
        "kvifor",
        "hvor",
        "kor",
        "hvem",
        "kven",
        "nar",
        "noe",
        "noko",
        "nokon",
        "noen",
        "sa",
        "da",
        "der",
        "her",
        "fra",
        "fraa",
        "ut",
        "opp",
        "inn",
        "over",
        "under",
        "etter",
        "ved",
        "blir",
        "vert",
        "bli",
        "the",
        "a",
        "an",
        "is",
        "are",
        "what",
        "how",
        "why",
        "when",
        "where",
        "who",
        "my",
        "i",
        "you",
        "do",
        "does",
        "can",
    ]
)

_stemmer = snowballstemmer.stemmer("norwegian")


def fold(text: str) -> str:
    """Lower-case and write æ, ø, å as ae, o, a (as on an English keyboard)."""
    return text.lower().translate(_FOLD)


def words(text: str) -> list[str]:
    """Folded word tokens, stopwords removed."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def split_compound(word: str, vocabulary: Set[str]) -> tuple[str, str] | None:
    """Split a compound into two stems both found in `vocabulary`, longest head first.

    Handles the linking -s- and -e- of Norwegian compounds: "samvaersplanen" →
    ("samvaer", "plan").
    """
    if len(word) < 8:
        return None
    for cut in range(len(word) - 3, 3, -1):
        head, tail = word[:cut], word[cut:]
        tail_stem = stem(tail)
        if tail_stem not in vocabulary:
            continue
        for candidate in (head, head[:-1] if head[-1] in "se" else None):
            if candidate and len(candidate) >= 3 and stem(candidate) in vocabulary:
                return stem(candidate), tail_stem
    return None


def terms(text: str, vocabulary: Set[str] = frozenset()) -> list[str]:
    """Search terms of a text: stems, their synonyms' stems, and compound parts."""
    result: list[str] = []
    for word in words(text):
        result.append(stem(word))
        result.extend(stem(w) for w in SYNONYMS.get(word, ()))
        if vocabulary and stem(word) not in vocabulary:
            parts = split_compound(word, vocabulary)
            if parts:
                result.extend(parts)
    return result


def vocabulary_of(texts: Iterable[str]) -> frozenset[str]:
    """The stems of a corpus, used to recognise compound parts."""
    return frozenset(stem(w) for text in texts for w in words(text))
