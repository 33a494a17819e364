"""Personal-data redaction: runs on every message before anything is stored or sent on.

Parents write the details of their own case: their fødselsnummer, phone number, address,
the names of their children and caseworkers. None of that is needed to answer a general
question, and all of it would make stored conversations personal data. So each is replaced
by a typed placeholder ("[fødselsnummer]", "[navn]", ...) that keeps the sentence readable
for the NLU model and for reviewers, but carries no digits and no identity.

Detectors are deterministic regexes plus a small list of common given names
(`fornavn.txt`). They lean towards redacting: a lost word costs less than a stored name.
Every 11-digit number is removed; its check digits only choose the label: a valid
fødselsnummer, D-number or H-number becomes "[fødselsnummer]", any other 11-digit number
"[nummer]", so that "ordrenummer 12345678901" still reads as an order number.
What is deliberately kept: the crisis and service numbers the assistant itself shows
(113, 112, 116 117, 22 40 00 40, ...), case numbers, dates, years and amounts, public
bodies and places (Statsforvalteren, Bufetat, Oslo kommune, NAV) and the assistant's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

# Priority order: when two detectors claim overlapping text, the earlier kind wins.
KINDS: Final[tuple[str, ...]] = (
    "e-post",
    "fødselsnummer",
    "nummer",  # an 11-digit number that is not a valid fødselsnummer
    "telefon",
    "adresse",
    "postnummer",
    "navn",
)
PLACEHOLDERS: Final[dict[str, str]] = {kind: f"[{kind}]" for kind in KINDS}
NAMES_FILE: Final = Path(__file__).with_name("fornavn.txt")


@dataclass(frozen=True)
class Redaction:
    text: str
    found: tuple[str, ...]  # kinds, one per replaced span, in order of appearance

    @property
    def changed(self) -> bool:
        return bool(self.found)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str


# ------------------------------------------------------------------------- fødselsnummer

_FNR_WEIGHTS_1: Final = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_FNR_WEIGHTS_2: Final = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def fnr_check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """The mod-11 check digit for `digits`, or None when the rule gives 10 (no valid one)."""
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


# Longest day of each month; 29 February is allowed because the century (and so whether
# the year is a leap year) is only known from the individual number.
_DAYS_IN_MONTH: Final = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_valid_fnr(number: str) -> bool:
    """Classic validation of a Norwegian fødselsnummer, D-number or H-number.

    Checks both mod-11 check digits and that the date part is a real day of the year,
    allowing day+40 (D-number), month+40 (H-number) and month+80 (synthetic test numbers).
    This only chooses the label: every 11-digit run is redacted, valid or not, so numbers
    issued under the changed check-digit rule planned for 2032 are removed too (as
    "[nummer]").
    """
    digits = re.sub(r"[\s.-]", "", number)
    if len(digits) != 11 or not digits.isdigit() or not digits.isascii():
        return False
    day, month = int(digits[0:2]), int(digits[2:4])
    if day > 40:
        day -= 40
    if month > 80:
        month -= 80
    elif month > 40:
        month -= 40
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]):
        return False
    first = fnr_check_digit(digits[:9], _FNR_WEIGHTS_1)
    if first is None or first != int(digits[9]):
        return False
    second = fnr_check_digit(digits[:10], _FNR_WEIGHTS_2)
    return second is not None and second == int(digits[10])


# Eleven digits, optionally grouped by single spaces, dots or hyphens.
_ELEVEN_DIGITS: Final = re.compile(r"(?<![\d])[0-9](?:[ .-]?[0-9]){10}(?![\d])")
# Groupings in which people write an 11-digit identifier: "01019012345", "010190 12345",
# "010190 123 45", "01.01.90 12345", "01 01 90 123 45", and account numbers "1234 56 78903".
# Other groupings of eleven digits ("1 2 3 4 5 6 7 8 9 10") are counts and lists.
_ELEVEN_GROUPINGS: Final = frozenset(
    {(11,), (6, 5), (6, 3, 2), (2, 2, 2, 5), (2, 2, 2, 3, 2), (4, 2, 5)}
)


def _eleven_digit_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    pos = 0
    while match := _ELEVEN_DIGITS.search(text, pos):
        groups = tuple(len(g) for g in re.split(r"[ .-]", match.group()))
        if groups not in _ELEVEN_GROUPINGS:
            # "kl 10 010190 123 45": the first eleven digits are not the number; look again
            # from the next possible start instead of skipping past the whole match.
            pos = match.start() + 1
            continue
        kind = "fødselsnummer" if is_valid_fnr(match.group()) else "nummer"
        spans.append(_Span(match.start(), match.end(), kind))
        pos = match.end()
    return spans


# ------------------------------------------------------------------------------ e-post

# Starting only where a run of address characters starts keeps long words linear.
_EMAIL: Final = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# ----------------------------------------------------------------------------- telefon

# Numbers the assistant itself shows (FACTS.md): never personal, always kept.
_SERVICE_NUMBERS: Final = re.compile(
    r"(?<![\d])(?:116[ .-]?(?:117|123|111|006)|22[ .-]?40[ .-]?00[ .-]?40|11[023])(?![\d])"
)
# Not part of a longer number: no digit, and no digit joined by "." "-" or "/" ("24/5678" is
# a case number, "15.03.2025" a date), on either side. A digit after a plain space is
# another number ("ring 91234567 2 ganger"): the phone number is still removed.
_PHONE: Final = re.compile(
    r"(?<![\w+])(?<!\d[.-])(?<!\d/)(?P<prefix>(?:\+|00) ?47[ .-]?)?"
    r"(?P<number>\d(?:[ .-]?\d){7})(?![\d])(?![.-]\d)(?!/\d)"
)
# How Norwegians group eight digits: 91234567, 912 34 567, 91 23 45 67, 2212 3456, 912 34567.
_PHONE_GROUPINGS: Final = frozenset({(8,), (3, 2, 3), (2, 2, 2, 2), (4, 4), (3, 5)})
# Mobile numbers start with 4 or 9, landlines with 2, 3, 5, 6 or 7. 8 is for businesses and
# helplines (800 ..., 815 ...): not personal, and often a number the parent was given.
_PERSONAL_FIRST_DIGITS: Final = frozenset("2345679")
# Digits right after these words are case numbers, references, amounts: not phones. The
# currency code counts only in capitals: lower-case "nok" is the everyday word "enough".
_NOT_PHONE_BEFORE: Final = re.compile(
    r"(?:\b(?:(?i:sak|saks?nr|saksnummer|ref|referanse|refnr|arkivsak\w*|journalpost\w*|"
    r"dok|doknr|dokument\w*|vedtak\w*|konto\w*|org\w*nr|orgnr|kr|kroner|bel[øo]p)|NOK)"
    r"\.?:?\s*)$"
)
_NOT_PHONE_AFTER: Final = re.compile(r"^\s*(?:(?i:kr\b|kroner\b|,-)|NOK\b)")


def _looks_like_date(digits: str) -> bool:
    """ddmmyyyy: a date typed without separators ("24122023"), not a phone number."""
    day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:8])
    return 1 <= day <= 31 and 1 <= month <= 12 and 1900 <= year <= 2099


def _contains(outer: tuple[int, int], inner: _Span) -> bool:
    """Whether `outer` holds all of `inner` and more."""
    start, end = outer
    return start <= inner.start and inner.end <= end and end - start > inner.end - inner.start


def _is_personal_phone(text: str, match: re.Match[str], protected: list[_Span]) -> bool:
    for p in protected:
        # "400 00 110" is a phone number that happens to end in 110; "22 40 00 40" and
        # "+47 22 40 00 40" are Kirkens SOS.
        if (
            match.start() < p.end
            and p.start < match.end()
            and not _contains(match.span("number"), p)
        ):
            return False
    if match.group("prefix") is not None:
        return True
    number = match.group("number")
    groups = tuple(len(g) for g in re.split(r"[ .-]", number))
    digits = re.sub(r"[ .-]", "", number)
    if groups not in _PHONE_GROUPINGS or digits[0] not in _PERSONAL_FIRST_DIGITS:
        return False
    if len(groups) == 1 and _looks_like_date(digits):
        return False
    # "2023 2024", "2024 1234": years and case numbers, not "2212 3456".
    if groups == (4, 4) and 1900 <= int(digits[:4]) <= 2099:
        return False
    if _NOT_PHONE_BEFORE.search(text[max(0, match.start() - 20) : match.start()]):
        return False
    return not _NOT_PHONE_AFTER.match(text[match.end() : match.end() + 10])


def _phone_spans(text: str, protected: list[_Span]) -> list[_Span]:
    spans: list[_Span] = []
    pos = 0
    while match := _PHONE.search(text, pos):
        if _is_personal_phone(text, match, protected):
            spans.append(_Span(match.start(), match.end(), "telefon"))
            pos = match.end()
        else:
            # "2024 0047 91234567": the first eight digits are a year and a prefix; the
            # phone number may start inside them, so look again from the next position.
            pos = match.start() + 1
    return spans


# ------------------------------------------------------------------- adresse, postnummer

# Street words that are addresses in any case ("storgata 12" typed in lower case).
_STREET_ANY_CASE: Final = (
    r"gata|gaten|gate|gt\.?|veien|vegen|vei|veg|allé|alléen|stien|bakken|brygge|bryggen|"
    r"stredet|smauet|kaia"
)
# Endings that are also ordinary words ("barnehageplass 3 dager"): only capitalised.
_STREET_CAPITALISED: Final = (
    r"plass|plassen|torget|torg|ringen|svingen|kroken|tunet|haugen|åsen|bakke|sti|alle"
)
# "12", "5B", "12 b": a single letter A-H after the number is the entrance.
_HOUSE_NUMBER: Final = r"\d{1,4}(?: ?[A-Ha-h](?![\wæøå]))?(?![\d])"
_STREET_PREFIX: Final = (
    r"(?:(?:Nedre|Øvre|Store|Lille|Søndre|Nordre|Vestre|Østre|Gamle|Nye|Sankt|St\.|Kong|"
    r"Dronning|Prinsens|Professor|Doktor|Dr\.)\s+)*"
)
_ADDRESS: Final = re.compile(
    # One word: "Storgata 12", "Kirkeveien 5B", "Nedre Slottsgate 3", "storgata 12".
    rf"\b{_STREET_PREFIX}[A-Za-zÆØÅæøå][\wæøåÆØÅé-]+?(?i:{_STREET_ANY_CASE})\s+{_HOUSE_NUMBER}|"
    rf"\b{_STREET_PREFIX}[A-ZÆØÅ][\wæøåÆØÅé-]+?(?:{_STREET_CAPITALISED})\s+{_HOUSE_NUMBER}|"
    # Separate street word after capitalised words: "Karl Johans gate 22", "Bygdøy allé 5".
    rf"\b(?:[A-ZÆØÅ][\wæøåé.-]*\s+){{1,3}}(?:gate|gata|vei|veg|allé|alle|plass|torg)\s+"
    rf"{_HOUSE_NUMBER}"
)
# "0150 Oslo", "5003 Bergen": four digits followed by a capitalised place name.
_POSTCODE: Final = re.compile(r"(?<![\d\w])(?P<code>\d{4})\s+(?P<place>[A-ZÆØÅ][a-zæøåA-ZÆØÅ-]+)")
_YEAR_BEFORE: Final = re.compile(
    r"\b(?:i|fra|siden|sia|år|høsten|våren|sommeren|vinteren|julen|in|since|innen|før|"
    r"etter|til)\s*$",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------------- navn


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Places people name in passing; capitalised, but not a person (and fine after a postcode).
_PLACES: Final = _word_set(
    """
    oslo bergen trondheim stavanger tromsø kristiansand drammen bodø ålesund fredrikstad
    sandnes viken vestland innlandet nordland agder rogaland troms finnmark trøndelag østfold
    akershus buskerud vestfold telemark møre romsdal norge noreg norway
    """
)
# Capitalised words that are never names: pronouns and function words (sentence starts),
# public bodies and topic words, months, weekdays, greetings.
_NOT_NAMES: Final = _PLACES | _word_set(
    """
    jeg eg æ je du han hun ho hen vi me dere dei de det den dette disse hva kva ka hvem kven
    kæm kem kåm koss kossen korsn kordan åssen ka kor kordan koffor kvifor kåffer dæm di dokker
    dykk hu hæ hain hainn ho mæ dæ sæ berre faktisk liksom sikkert visst kroner kr nok
    hvor kor hvorfor kvifor hvordan korleis når og men så da nå no her der hei hallo heisann
    hade ha takk tusen god godt hilsen mvh vennlig med kjære ok okei ja nei jo kanskje er var
    har hadde kan skal vil må bare ikke ikkje også egentlig min mi mitt mine din di ditt dine
    hans hennes deres vår vårt våre sin si sitt sine en ei et ein eit i på til fra av om for
    etter under over ved hos mot uten alle noen nokon ingen mange hvis viss dersom fordi som
    statsforvalteren statsforvaltaren fylkesmannen bufetat bufdir barnevernet barnevern
    barnevernstjenesten barneverntjenesten barnevernstenesta nav kommune kommunen kommunen
    fylkesnemnda nemnda nemnd tingretten lagmannsretten høyesterett familievernet obf landsby
    norsk nynorsk bokmål engelsk gud jesus mental helse kirkens sos redd
    barna røde kors alarmtelefonen legevakt legevakten politiet barneverns helsenemnda
    bvhn familieråd familierådet utviklingstrappen tilbakeføring omsorgsovertakelse
    akuttvedtak samværsplan fosterhjemsforeningen forandringsfabrikken barnevernsproffene
    landsforeningen organisasjonen
    januar februar mars april mai juni juli august september oktober november desember
    january february march may june july october december jan feb apr jun jul aug sep sept
    okt oct nov des dec
    mandag tirsdag onsdag torsdag fredag lørdag søndag måndag tysdag laurdag sundag
    monday tuesday wednesday thursday friday saturday sunday jul påske nyttår julaften
    nordre søndre midtre indre ytre øvre nedre vestre østre nord sør vest øst store lille
    sykehuset helse the a an my hi hello thanks please is are what how why when where who
    samvær samværet fosterhjem fosterhjemmet fostermor fosterfar saksbehandler
    saksbehandleren advokat advokaten mamma pappa mor far
    """
)
_SURNAME_ENDINGS: Final = (
    "sen", "son", "stad", "dal", "dahl", "berg", "vik", "land", "heim", "rud", "haugen",
    "haug", "nes", "ness", "lie", "seth", "strand", "moen", "aas", "bakken", "eide", "lund",
    "holm", "gaard", "gård", "sæther", "hagen", "skog", "fjeld", "myhre",
)  # fmt: skip


def _load_names(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


_FIRST_NAMES: Final = _load_names(NAMES_FILE)

_WORD: Final = r"[A-Za-zÆØÅæøåÉéÜüÄäÖö]+(?:-[A-Za-zÆØÅæøåÉéÜüÄäÖö]+)*"
_CAPITALISED: Final = re.compile(r"[A-ZÆØÅÉÜÄÖ][a-zæøåéüäö]+(?:-[A-ZÆØÅÉÜÄÖ][a-zæøåéüäö]+)*")
_CAPITALISED_RUN: Final = re.compile(
    rf"(?<![\wæøåÆØÅ]){_CAPITALISED.pattern}(?:\s+{_CAPITALISED.pattern}){{1,3}}"
    r"(?![\wæøåÆØÅ])"
)
_SINGLE_CAPITALISED: Final = re.compile(rf"(?<![\wæøåÆØÅ]){_CAPITALISED.pattern}(?![\wæøåÆØÅ])")

# The user introduces themself: whatever word follows is a name, in any case.
_SELF_INTRO: Final = re.compile(
    r"\b(?:jeg|eg|æ|je|e)\s+(?:heter|heiter|heite|hete|kalles|kallast)\s+|"
    r"\b(?:heter|heiter)\s+(?:jeg|eg)\s+|"
    r"\b(?:mitt\s+navn\s+er|mitt\s+namn\s+er|navnet\s+mitt\s+er|namnet\s+mitt\s+er|"
    r"my\s+name\s+is|i\s+am\s+called)\s+",
    re.IGNORECASE,
)
# Someone named by their relation to the user: the next word is a name when it is
# capitalised or a known given name ("datteren min Kari", "fostermor Kari", "hilsen Ola").
_RELATION_INTRO: Final = re.compile(
    r"\b(?:(?:datter|datteren|dattera|dotter|dottera|dotra|sønn|sønnen|sonen|son|gutten|guten|"
    r"jenta|jenten|ungen|barnet|babyen|minsten|fosterbarnet|barnebarnet|mannen|kona|"
    r"samboeren|sambo|kjæresten|eksen|eksmannen|ekskona|broren|bror|søsteren|søstera|søster|"
    r"faren|moren|mora|bestemor|bestefar|mormor|morfar|farmor|farfar|onkel|tante)"
    r"(?:\s+(?:min|mi|mitt|mine|vår|vårt|hennes|hans))?|"
    r"fostermor(?:en|a)?|fosterfar(?:en)?|fosterforeldrene|"
    r"(?:saksbehandler(?:en)?|sakshandsamar(?:en)?|advokat(?:en)?|kontaktperson(?:en)?|"
    r"psykolog(?:en)?|lærer(?:en)?|tilsynsfører(?:en)?|miljøterapeut(?:en)?|"
    r"veileder(?:en)?|familieterapeut(?:en)?)(?:\s+(?:min|mi|mitt|vår|hans|hennes))?|"
    r"heter|heiter|hete|heite|kalles|kallast|"
    r"med\s+vennlig\s+hilsen|vennlig\s+hilsen|hilsen|helsing|mvh|hilsen\s+fra)\s+",
    re.IGNORECASE,
)
# "Kari Nordmann er saksbehandleren": a capitalised name before a role.
_NAME_BEFORE_ROLE: Final = re.compile(
    rf"(?<![\wæøåÆØÅ])(?P<name>{_CAPITALISED.pattern}(?:\s+{_CAPITALISED.pattern}){{0,2}})"
    r"\s+(?:er|e)\s+(?:min\s+|mi\s+|vår\s+|den\s+nye\s+|ny\s+)?(?:saksbehandler\w*|"
    r"sakshandsamar\w*|fostermor\w*|fosterfar\w*|advokat\w*|kontaktperson\w*|"
    r"tilsynsfører\w*|miljøterapeut\w*|psykolog\w*|veileder\w*)"
)
_TOKEN: Final = re.compile(rf"\s*({_WORD})")


def _is_name_word(word: str) -> bool:
    """A word that can be a name on its own merits: a capitalised non-word, or a known name."""
    folded = word.casefold()
    if folded in _NOT_NAMES:
        return False
    return bool(_CAPITALISED.fullmatch(word)) or folded in _FIRST_NAMES


def _looks_like_surname(word: str) -> bool:
    folded = word.casefold()
    return folded not in _NOT_NAMES and any(
        folded.endswith(ending) and len(folded) >= len(ending) + 3 for ending in _SURNAME_ENDINGS
    )


def _name_after(text: str, pos: int, *, any_first_word: bool) -> _Span | None:
    """The name starting at `pos` (after an introduction), up to three words long."""
    end = pos
    count = 0
    while count < 3:
        match = _TOKEN.match(text, end)
        if match is None:
            break
        word = match.group(1)
        folded = word.casefold()
        if count == 0:
            ok = _is_name_word(word) or (any_first_word and folded not in _NOT_NAMES)
        else:
            ok = _is_name_word(word) or _looks_like_surname(word)
        if not ok:
            break
        if count == 0:
            pos = match.start(1)
        end = match.end(1)
        count += 1
    return _Span(pos, end, "navn") if count else None


def _name_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for match in _SELF_INTRO.finditer(text):
        if span := _name_after(text, match.end(), any_first_word=True):
            spans.append(span)
    for match in _RELATION_INTRO.finditer(text):
        if span := _name_after(text, match.end(), any_first_word=False):
            spans.append(span)
    for match in _NAME_BEFORE_ROLE.finditer(text):
        words = match.group("name").split()
        while words and words[0].casefold() in _NOT_NAMES:
            words.pop(0)
        if words:
            start = match.start("name") + match.group("name").index(words[0])
            spans.append(_Span(start, match.end("name"), "navn"))
    for run in _CAPITALISED_RUN.finditer(text):
        tokens = list(_CAPITALISED.finditer(text, run.start(), run.end()))
        # "Hei Kari Nordmann": words that are never names do not start or end a name.
        while tokens and tokens[0].group().casefold() in _NOT_NAMES:
            tokens.pop(0)
        while tokens and tokens[-1].group().casefold() in _NOT_NAMES:
            tokens.pop()
        if len(tokens) < 2:
            continue
        first, last = tokens[0].group(), tokens[-1].group()
        if first.casefold() in _FIRST_NAMES or _looks_like_surname(last):
            spans.append(_Span(tokens[0].start(), tokens[-1].end(), "navn"))
    for match in _SINGLE_CAPITALISED.finditer(text):
        word = match.group()
        if word.casefold() in _FIRST_NAMES and word.casefold() not in _NOT_NAMES:
            spans.append(_Span(match.start(), match.end(), "navn"))
    return spans


# ---------------------------------------------------------------------------- redacting


def _mask(text: str, spans: list[_Span]) -> str:
    """`text` with each span overwritten by "#", keeping every other position in place."""
    chars = list(text)
    for span in spans:
        chars[span.start : span.end] = "#" * (span.end - span.start)
    return "".join(chars)


def _spans(text: str) -> list[_Span]:
    protected = [_Span(m.start(), m.end(), "") for m in _SERVICE_NUMBERS.finditer(text)]
    candidates: list[_Span] = []
    candidates += [_Span(m.start(), m.end(), "e-post") for m in _EMAIL.finditer(text)]
    candidates += _eleven_digit_spans(text)
    # A phone number right next to an e-mail address or an 11-digit number ("ring 91234567
    # 01019012345") would look like part of a longer number: search with those masked.
    masked = _mask(text, candidates)
    candidates += _phone_spans(masked, protected)
    candidates += [_Span(m.start(), m.end(), "adresse") for m in _ADDRESS.finditer(text)]
    for match in _POSTCODE.finditer(text):
        place = match.group("place").casefold()
        if place in _NOT_NAMES and place not in _PLACES:
            continue  # "i 2024 Jeg ...", "2023 Mai": not a postcode
        year_like = 1900 <= int(match.group("code")) <= 2099
        if year_like and _YEAR_BEFORE.search(text[: match.start()]):
            continue
        candidates.append(_Span(match.start("code"), match.end("code"), "postnummer"))
    candidates += _name_spans(text)

    # The higher-priority kind wins an overlap; within a kind, the longer span.
    candidates.sort(key=lambda s: (KINDS.index(s.kind), s.start, -(s.end - s.start)))
    chosen: list[_Span] = []
    for span in candidates:
        if all(span.end <= c.start or c.end <= span.start for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def redact(text: str) -> Redaction:
    """`text` with personal data replaced by typed placeholders such as "[navn]"."""
    spans = _spans(text)
    if not spans:
        return Redaction(text, ())
    parts: list[str] = []
    cursor = 0
    for span in spans:
        parts.append(text[cursor : span.start])
        parts.append(PLACEHOLDERS[span.kind])
        cursor = span.end
    parts.append(text[cursor:])
    return Redaction("".join(parts), tuple(span.kind for span in spans))


def contains_personal_data(text: str) -> bool:
    return bool(_spans(text))
