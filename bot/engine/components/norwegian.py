"""Norwegian word normalisation without a tagger: folding, stemming, lemmas, compounds.

Parents write bokmål, nynorsk, dialect and text typed on keyboards without æøå. Rasa's
featurizers see every spelling as a different word, so "samværet", "samvaeret",
"samvaret" and "samværsplanen" share nothing at word level. Everything here maps such
variants onto a few shared forms; the Rasa component in `normalizer.py` applies it.

Pure Python on purpose (no spaCy, no Rasa): the functions are easy to test and the
behaviour does not depend on a tokenizer.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# --- redaction placeholders ----------------------------------------------------------
# The web app replaces personal data by typed placeholders before the engine sees a
# message (bot/safety/redact.py: KINDS and PLACEHOLDERS; a test keeps the two in step).
# They say nothing about the topic, but "[telefon]" and "[e-post]" read like words about
# phone contact, and a message full of them was taken for `samvaer.digital`. So the
# normaliser drops them before any featurizer counts words or characters.

PLACEHOLDER_KINDS: tuple[str, ...] = (
    "e-post",
    "fødselsnummer",
    "nummer",
    "telefon",
    "adresse",
    "postnummer",
    "navn",
)
PLACEHOLDER = re.compile(r"\[(?:" + "|".join(re.escape(k) for k in PLACEHOLDER_KINDS) + r")\]")


# Words that only introduce the redacted data ("ring meg på [telefon]", "jeg heter [navn]",
# "fødselsnummeret mitt er [fødselsnummer]", "skriv til [e-post]"). Left in, they make a
# long message about visits read like one about phone contact; they go with the
# placeholder when they come right before it in the same clause.
FRAME_WORDS: frozenset[str] = frozenset(
    [
        "ring", "ringe", "ringer", "ringes", "meg", "på", "til", "skriv", "skrive", "send",
        "sende", "sms", "mail", "mailen", "e-post", "epost", "eposten", "kontakt", "kontakte",
        "nå", "treffe", "er", "heter", "navn", "navnet", "mitt", "min", "mine", "jeg", "eg",
        "æ", "og", "eller", "bor", "i", "nummer", "nummeret", "telefon", "telefonen", "tlf",
        "mob", "mobil", "mobilen", "telefonnummer", "telefonnummeret", "fødselsnummer",
        "fødselsnummeret", "fnr", "personnummer", "adresse", "adressen", "postnummer", "gjerne",
    ]
)  # fmt: skip
FRAME_MAX_WORDS = 4


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the redaction placeholders in `text`."""
    return [match.span() for match in PLACEHOLDER.finditer(text)]


def strip_placeholders(text: str) -> str:
    """`text` without its redaction placeholders (for models that read raw text)."""
    return " ".join(PLACEHOLDER.sub(" ", text).split())


# --- æøå folding -------------------------------------------------------------------

_DIGRAPHS = (("aa", "a"), ("ae", "a"), ("oe", "o"))
_LETTERS = str.maketrans({"æ": "a", "ø": "o", "å": "a"})


def fold(word: str) -> str:
    """Lower-case `word` and write it as a keyboard without æøå would.

    "Samvær", "samvaer" and "samvar" all become "samvar"; "sønnen" and "sonnen" become
    "sonnen". Folding is lossy ("får" and "far" meet), which is why it is only ever one
    feature next to others, never a replacement of the word.
    """
    text = word.lower()
    for digraph, letter in _DIGRAPHS:
        text = text.replace(digraph, letter)
    text = text.translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- Snowball stemmer ----------------------------------------------------------------
# The Norwegian Snowball algorithm (snowballstem.org/algorithms/norwegian), written out
# because the engine environment has no stemmer package and the algorithm is small.

_VOWELS = frozenset("aeiouyæåø")
_S_ENDING = frozenset("bcdfghjlmnoprtvyz")
_MAIN_SUFFIXES = sorted(
    [
        "a", "e", "ede", "ande", "ende", "ane", "ene", "hetene", "en", "heten", "ar", "er",
        "heter", "as", "es", "edes", "endes", "enes", "hetenes", "ens", "hetens", "ers",
        "ets", "et", "het", "ast", "s", "erte", "ert",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
_OTHER_SUFFIXES = sorted(
    ["leg", "eleg", "ig", "eig", "lig", "elig", "els", "lov", "elov", "slov", "hetslov"],
    key=len,
    reverse=True,
)


def _r1(word: str) -> int:
    """Start of region R1: after the first non-vowel that follows a vowel, at least 3."""
    for i in range(1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return max(i + 1, 3)
    return len(word)


def _longest_suffix(word: str, suffixes: Iterable[str], r1: int) -> str | None:
    return next((s for s in suffixes if word.endswith(s) and len(word) - len(s) >= r1), None)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of a lower-case Norwegian word ("barnet" → "barn")."""
    if len(word) < 3:
        return word
    r1 = _r1(word)
    suffix = _longest_suffix(word, _MAIN_SUFFIXES, r1)
    if suffix in ("erte", "ert"):
        word = word[: -len(suffix)] + "er"
    elif suffix == "s":
        before = word[-2] if len(word) > 1 else ""
        valid = before in _S_ENDING or (before == "k" and len(word) > 2 and word[-3] not in _VOWELS)
        if valid:
            word = word[:-1]
    elif suffix is not None:
        word = word[: -len(suffix)]
    if word.endswith(("dt", "vt")) and len(word) - 2 >= r1:
        word = word[:-1]
    suffix = _longest_suffix(word, _OTHER_SUFFIXES, r1)
    if suffix is not None:
        word = word[: -len(suffix)]
    return word


# --- dialect and nynorsk function words -------------------------------------------------
# Only frequent, unambiguous function words: question words, pronouns, negation. They
# carry the intent ("kvifor" vs "korleis") but vary the most between written standards
# and dialects. Content words are left to the lemma table, the stemmer and folding.

_DIALECT_GROUPS: Mapping[str, str] = {
    "hva": "kva ka kå hå",
    "hvor": "kor kest",
    "hvordan": "korleis kordan koss kossen åssen ossen hvordan",
    "hvorfor": "kvifor korfor koffor koffer kofor åffer kvfor",
    "hvem": "kven kem kæm kæn kin",
    "hvilken": "kvilken kolles",
    "jeg": "eg æ je jæ æg",
    "meg": "mæ mæg",
    "deg": "dæ dæg",
    "seg": "sæ sæg",
    "hun": "ho hu",
    "de": "dei dæm demm",
    "dere": "dykk dokker dokk dåkk dåkker",
    "ikke": "ikkje ikkj itj ittj inte ente kje",
    "ingen": "ingenting",
    "noe": "noko nåkka nokka nåkke noka",
    "noen": "nokon nåken nokken",
    "mye": "mykje møkje mykkje mykji",
    "bare": "berre bære bere",
    "også": "òg au",
    "fra": "frå ifrå",
    "hos": "hjå",
    "hjem": "heim",
    "hjemme": "heime",
    "være": "vere vera",
    "skal": "ska sjal",
    "selv": "sjølv sjøl",
    "sammen": "saman",
    "hvis": "viss dersom",
    "et": "eit",
    "en": "ein",
}
DIALECT: Mapping[str, str] = {
    variant: standard
    for standard, variants in _DIALECT_GROUPS.items()
    for variant in variants.split()
}


# --- bokmål lemmas ---------------------------------------------------------------------
# spacy-lookups-data ships Norsk Ordbank's full-form lists (CC BY 4.0) as four tables
# of exceptions keyed by part of speech. Without a tagger the part of speech is unknown;
# verbs win so that "er", "var", "har", "kan" become "være", "være", "ha", "kunne".

POS_PRIORITY = ("verb", "noun", "adj", "adv")
MIN_PART = 4  # shorter compound parts are mostly accidents ("for" + "eldre")


def _tables_dir() -> Path:
    import spacy_lookups_data

    return Path(spacy_lookups_data.__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def full_lemma_table() -> dict[str, str]:
    """Every bokmål word form → its lemma (≈ 600,000 forms; a few seconds to read)."""
    with gzip.open(_tables_dir() / "nb_lemma_exc.json.gz", "rt", encoding="utf-8") as fh:
        tables = json.load(fh)
    table: dict[str, str] = {}
    for pos in POS_PRIORITY:
        for form, lemmas in tables[pos].items():
            if " " in form or not lemmas:
                continue
            table.setdefault(form.lower(), lemmas[0].lower())
    return table


@dataclass
class Lexicon:
    """Word forms → lemmas, with a lookup that forgives missing æøå."""

    lemmas: dict[str, str]
    _folded: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for form, lemma in sorted(self.lemmas.items()):
            self._folded.setdefault(fold(form), lemma)

    @classmethod
    def full(cls) -> Lexicon:
        return cls(dict(full_lemma_table()))

    def lemma(self, word: str) -> str | None:
        """The lemma of a lower-case word form, trying the æøå-folded spelling second."""
        return self.lemmas.get(word) or self._folded.get(fold(word))

    def restricted_to(self, lemmas: set[str]) -> Lexicon:
        """Only the forms of `lemmas`.

        A form whose lemma never occurred in training yields a feature the featurizer
        has never seen, so it can be dropped: the persisted table shrinks from ≈ 600,000
        forms to a few tens of thousands and loads in milliseconds.
        """
        return Lexicon({f: lemma for f, lemma in self.lemmas.items() if lemma in lemmas})

    def to_json(self) -> str:
        return json.dumps(self.lemmas, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Lexicon:
        return cls(json.loads(text))

    def split_compound(self, word: str, depth: int = 2) -> list[str]:
        """Lemmas of the parts of a compound ("samværsplanen" → ["samvær", "plan"]).

        Takes the longest head that is a known word, then splits the rest the same way,
        allowing the linking letters "s" and "e" ("omsorgs-", "barne-"). Returns [] when
        no split with known parts of at least MIN_PART letters exists.
        """
        if depth == 0 or len(word) < 2 * MIN_PART:
            return []
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            head = self.lemma(word[i:])
            if head is None:
                continue
            left = word[:i]
            candidates = [left] + ([left[:-1]] if left[-1] in "se" else [])
            candidates = [c for c in candidates if len(c) >= MIN_PART]
            # A modifier stays as written ("beste-", not the lemma "god"); it is the
            # stem form already once the linking letter is gone.
            known = next((c for c in candidates if self.lemma(c) is not None), None)
            if known is not None:
                return [known, head]
            for candidate in candidates:
                parts = self.split_compound(candidate, depth - 1)
                if parts:
                    return [*parts, head]
        return []


# --- the normaliser ---------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """Which normalised forms a token gets (each can be switched off to measure it)."""

    lemmas: bool = True
    stems: bool = True
    dialect: bool = True
    compounds: bool = True
    surface: bool = False


class Normaliser:
    """Maps one word to its normalised forms, all folded so that æøå never matter."""

    def __init__(self, lexicon: Lexicon | None, options: Options | None = None) -> None:
        self.lexicon = lexicon
        self.options = options or Options()
        self._cache: dict[str, list[str]] = {}

    def forms(self, word: str) -> list[str]:
        """Normalised forms of `word`, most specific first, without duplicates.

        "Samværsplanen" → ["samvarsplan", "samvarsplan"…] deduplicated to
        ["samvarsplan", "samvar", "plan"]; "itj" → ["ikke"]; "ungane" → ["ung"].
        """
        cached = self._cache.get(word)
        if cached is None:
            cached = self._cache[word] = self._forms(word.lower())
        return cached

    def _forms(self, word: str) -> list[str]:
        options, lexicon = self.options, self.lexicon
        forms: list[str] = [word] if options.surface else []
        if options.dialect and word in DIALECT:
            word = DIALECT[word]
        lemma = lexicon.lemma(word) if lexicon is not None and options.lemmas else None
        if lemma is not None:
            forms.append(fold(lemma))
        if options.stems or lemma is None:
            forms.append(stem(fold(word)))
        if options.compounds and lexicon is not None:
            forms.extend(fold(part) for part in lexicon.split_compound(word))
        return list(dict.fromkeys(f for f in forms if f))

    def lemmas_of(self, words: Iterable[str]) -> set[str]:
        """Every lemma the lexicon gives `words` or their compound parts (for pruning)."""
        found: set[str] = set()
        if self.lexicon is None:
            return found
        for word in {w.lower() for w in words}:
            word = DIALECT.get(word, word) if self.options.dialect else word
            lemma = self.lexicon.lemma(word)
            if lemma is not None:
                found.add(lemma)
            if self.options.compounds:
                found.update(self.lexicon.split_compound(word))
        return found
