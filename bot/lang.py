"""Which written standard a message is in: bokmål (nb), nynorsk (nn) or English (en).

Public bodies answer in the standard the citizen used (språklova), so a nynorsk message
gets a nynorsk answer. Short or neutral messages ("samvær?") keep the session's standard.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zæøå]+")

# Words that are distinctive for one standard. Shared words ("og", "er", "på") say nothing.
_NYNORSK = frozenset(
    [
        "eg",
        "ikkje",
        "kva",
        "korleis",
        "kvifor",
        "kven",
        "kor",
        "kvar",
        "noko",
        "nokon",
        "nokre",
        "mykje",
        "meir",
        "berre",
        "heilt",
        "heime",
        "heim",
        "fosterheim",
        "frå",
        "eit",
        "ein",
        "ei",
        "dei",
        "deira",
        "dykk",
        "dykkar",
        "me",
        "oss",
        "vore",
        "vere",
        "verte",
        "vert",
        "vart",
        "ho",
        "henne",
        "hennar",
        "hans",
        "sjå",
        "høyre",
        "høyrer",
        "fekk",
        "gjekk",
        "kjem",
        "seier",
        "skriv",
        "treng",
        "spør",
        "veit",
        "vil",
        "skal",
        "kan",
        "må",
        "bur",
        "budde",
        "saka",
        "barnevernstenesta",
        "tenesta",
        "saksbehandlaren",
        "sakshandsamaren",
        "foreldra",
        "borna",
        "ungane",
        "mellombels",
        "korleis",
        "kvifor",
        "ikkje",
        "enno",
        "framleis",
        "søskena",
        "besteforeldra",
        "sonen",
        "dottera",
        "guten",
        "jenta",
        "mi",
        "mine",
        "dine",
        "sine",
        "fylkesnemnda",
        "barnevernstenesta",
        "nemnda",
        "samværa",
        "samværet",
        "heimen",
    ]
) - frozenset(
    [
        "mi",
        "mine",
        "dine",
        "sine",
        "vil",
        "skal",
        "kan",
        "må",
        "spør",
        "hans",
        "henne",
        "fylkesnemnda",
        "nemnda",
    ]
)
_BOKMAL = frozenset(
    [
        "jeg",
        "ikke",
        "hva",
        "hvordan",
        "hvorfor",
        "hvem",
        "hvor",
        "noe",
        "noen",
        "noen",
        "mye",
        "mer",
        "bare",
        "helt",
        "hjemme",
        "hjem",
        "fosterhjem",
        "fra",
        "et",
        "en",
        "dem",
        "deres",
        "vi",
        "være",
        "blir",
        "ble",
        "hun",
        "hennes",
        "se",
        "høre",
        "fikk",
        "gikk",
        "kommer",
        "sier",
        "trenger",
        "vet",
        "bor",
        "saken",
        "barnevernstjenesten",
        "tjenesten",
        "saksbehandleren",
        "foreldrene",
        "barna",
        "ungene",
        "midlertidig",
        "ennå",
        "fortsatt",
        "søsknene",
        "besteforeldrene",
        "sønnen",
        "datteren",
        "gutten",
        "jenta",
        "mitt",
        "min",
        "samværene",
        "hjemmet",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "what",
        "how",
        "why",
        "who",
        "when",
        "where",
        "is",
        "are",
        "do",
        "does",
        "can",
        "could",
        "would",
        "should",
        "my",
        "your",
        "our",
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "child",
        "children",
        "son",
        "daughter",
        "foster",
        "care",
        "visit",
        "visits",
        "visiting",
        "parent",
        "parents",
        "lawyer",
        "help",
        "please",
        "want",
        "need",
        "get",
        "have",
        "has",
        "about",
        "with",
        "from",
        "this",
        "that",
    ]
)

LANGS = ("nb", "nn", "en")


def detect(text: str, previous: str | None = None, chosen: bool = False) -> str:
    """The standard of `text`, or `previous` (else bokmål) when the text does not tell.

    A standard the user `chosen` explicitly changes only on clear evidence (two or more
    distinctive words), not because one bokmål word slipped into a nynorsk question.
    """
    words = _WORD.findall(text.lower())
    scores = {
        "nn": sum(w in _NYNORSK for w in words),
        "nb": sum(w in _BOKMAL for w in words),
        "en": sum(w in _ENGLISH for w in words),
    }
    best = max(scores, key=lambda k: scores[k])
    if chosen and previous in LANGS and best != previous and scores[best] < 2:
        return previous
    if scores[best] == 0 or list(scores.values()).count(scores[best]) > 1:
        return previous if previous in LANGS else "nb"
    # One distinctive English word in a Norwegian sentence ("visit") is not English.
    if best == "en" and scores["en"] < 2 and len(words) > 2:
        return previous if previous in LANGS else "nb"
    return best


# "skriv på nynorsk", "kan du svare på bokmål?", "in English please", "nynorsk takk"
_SWITCH = re.compile(
    r"^\W*(?:(?:kan|kunne) (?:du|dykk) )?(?:skriv|skrive|svar|svare|snakk|snakke|bruk|bruke|"
    r"answer|write|reply|speak)?\W*(?:på|paa|pa|in)?\W*"
    r"(bokmål|bokmal|bokmaal|nynorsk|english|engelsk)\b\W*(?:takk|please|er du snill)?\W*$",
    re.IGNORECASE,
)
_SWITCH_TARGET = {
    "bokmål": "nb",
    "bokmal": "nb",
    "bokmaal": "nb",
    "nynorsk": "nn",
    "english": "en",
    "engelsk": "en",
}


def requested_switch(text: str) -> str | None:
    """The standard the user asks to be answered in, when the message is only that request."""
    match = _SWITCH.match(text.strip())
    return _SWITCH_TARGET[match.group(1).lower()] if match else None
