"""Property-based tests for redaction: generated personal data in generated text.

The fødselsnummer here are computed on the fly from random dates and individual numbers;
none is taken from anywhere, and the example database is switched off so that no generated
number is written to disk. Set LANDSBY_PROPERTY_EXAMPLES to run more examples locally.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.safety.redact import NAMES_FILE, Redaction, is_valid_fnr, redact

SETTINGS = settings(
    max_examples=int(os.environ.get("LANDSBY_PROPERTY_EXAMPLES", "200")),
    deadline=None,
    database=None,
    derandomize=os.environ.get("LANDSBY_PROPERTY_RANDOM") is None,
    suppress_health_check=[HealthCheck.too_slow],
)

# ----------------------------------------------------------------------- vocabulary

# Ordinary words a parent writes, none of them a name, a place, a street or an e-mail, and
# none of the words that make the next number a reference ("vedtak 40000000", "kr 500").
VOCABULARY = """
    jeg du han hun vi de det den dette hva hvor hvorfor hvordan når og men så eller som
    ikke bare også veldig litt mye mer mindre alltid aldri ofte i dag i går i morgen
    er var har hadde kan skal vil må får fikk gikk kom sa tror vet savner lurer trenger
    møtet møte samvær samværet barnet barna ungen ungene sønnen datteren min mi mitt mine
    fosterhjem fosterhjemmet fostermor fosterfar barnevernet saksbehandleren advokaten
    klage klagen brev brevet rapport rapporten plan planen tilsyn møterom
    skolen barnehagen helsa hjemme ute tur bursdag jul påske sommer høst vinter vår
    glad trist sint sliten lei redd trygg usikker lenge kort snart endelig kanskje
    hjelp svar spørsmål tid timer uke uker måned dag kveld natt morgen gang ganger
    nok enda fortsatt igjen sammen alene hverandre noen ingen alle andre
    snakke ringe skrive lese vente sove spise leke gråte smile prøve forstå
"""
WORDS = VOCABULARY.split()
# Numbers that are not personal: years, dates, times, ages, amounts, counts, case numbers,
# and the crisis and service numbers the assistant itself shows.
SAFE_NUMBERS = [
    "2024", "i 2019", "høsten 2023", "15.03.2025", "24.12.2015", "1. mai", "14. dag",
    "kl 10:30", "kl. 14.15", "12 år", "3 måneder", "2 timer", "4 barn", "25 000 kr",
    "kr 1 500,-", "350 000 kroner", "sak 2024/1234", "saksnr. 24/5678", "arkivsak 2023/98765",
    "113", "112", "116 123", "116 117", "116 111", "116 006", "22 40 00 40", "110",
]  # fmt: skip
FAKE_NAMES = ["Testa Testesen", "Ola Nordmann", "Kari Nordmann", "Emma", "Jonas"]

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    check = (11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11) % 11
    return None if check == 10 else check


def test_the_vocabulary_holds_no_names() -> None:
    names = {
        line.strip().casefold()
        for line in NAMES_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert not names & {w.casefold() for w in WORDS}


# ------------------------------------------------------------------------ strategies


@st.composite
def fnr_digits(draw: st.DrawFn) -> str:
    """A valid fødselsnummer, D-number, H-number or synthetic test number (month + 80)."""
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, _DAYS[month - 1]))
    year = draw(st.integers(0, 99))
    kind = draw(st.sampled_from(["ordinary", "d", "h", "synthetic", "d+synthetic"]))
    if kind in ("d", "d+synthetic"):
        day += 40
    if kind == "h":
        month += 40
    if kind in ("synthetic", "d+synthetic"):
        month += 80
    # Some individual numbers give a check digit of 10: those are never issued, so the
    # next individual number is used, as the register does.
    start = draw(st.integers(0, 999))
    for offset in range(1000):
        base = f"{day:02d}{month:02d}{year:02d}{(start + offset) % 1000:03d}"
        first = _check_digit(base, _W1)
        if first is None:
            continue
        second = _check_digit(base + str(first), _W2)
        if second is not None:
            return f"{base}{first}{second}"
    raise AssertionError("no individual number gives valid check digits")


def fnr_written(digits: str, style: str) -> str:
    d = digits
    return {
        "plain": d,
        "6+5": f"{d[:6]} {d[6:]}",
        "6-5": f"{d[:6]}-{d[6:]}",
        "6+3+2": f"{d[:6]} {d[6:9]} {d[9:]}",
        "dotted": f"{d[:2]}.{d[2:4]}.{d[4:6]} {d[6:]}",
        "spaced": f"{d[:2]} {d[2:4]} {d[4:6]} {d[6:9]} {d[9:]}",
    }[style]


@st.composite
def phone_written(draw: st.DrawFn) -> str:
    """A Norwegian mobile number (8 digits, starting with 4 or 9) as people write it."""
    digits = draw(st.sampled_from("49")) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=7, max_size=7))
    )
    grouped = draw(
        st.sampled_from(
            [
                digits,
                f"{digits[:3]} {digits[3:5]} {digits[5:]}",
                f"{digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}",
                f"{digits[:4]} {digits[4:]}",
            ]
        )
    )
    prefix = draw(st.sampled_from(["", "+47 ", "+47", "0047 ", "0047"]))
    return prefix + grouped


email_addresses = st.builds(
    lambda local, labels, tld: f"{local}@{'.'.join(labels)}.{tld}",
    st.from_regex(r"[a-zA-Z0-9](?:[a-zA-Z0-9._+-]{0,14}[a-zA-Z0-9])?", fullmatch=True),
    st.lists(
        st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True),
        min_size=1,
        max_size=3,
    ),
    st.from_regex(r"[a-z]{2,6}", fullmatch=True),
)

words = st.lists(st.sampled_from(WORDS), min_size=0, max_size=6).map(" ".join)
some_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
safe_numbers = st.sampled_from(SAFE_NUMBERS)


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


# Context that is never personal data: words, sometimes with a number that is not personal.
context = st.one_of(words, st.builds(_join, words, safe_numbers, words))
# The same, but a number is never the next token: "kr 40000000" and "sak 91234567" are an
# amount and a case number however the digits look, so a phone number needs a word beside it.
context_with_word_edges = st.one_of(words, st.builds(_join, some_words, safe_numbers, some_words))
opening = st.sampled_from(["", "(", '"', "«", "fnr: ", "nr. "])
closing = st.sampled_from(["", ")", ".", ",", "!", "?", ":", "»", '"', " :)"])


def _around(left: str, item: str, right: str) -> str:
    return f"{left} {item}{right}" if left else f"{item}{right}"


# ---------------------------------------------------------------------- properties


@SETTINGS
@given(
    digits=fnr_digits(),
    style=st.sampled_from(["plain", "6+5", "6-5", "6+3+2", "dotted", "spaced"]),
    before=context,
    after=context,
    opener=opening,
    closer=closing,
)
def test_a_valid_fodselsnummer_is_always_removed(
    digits: str, style: str, before: str, after: str, opener: str, closer: str
) -> None:
    assert is_valid_fnr(digits), digits
    number = fnr_written(digits, style)
    left = _around(before, opener + number, closer)
    text = f"{left} {after}" if after else left
    result = redact(text)
    expected_left = _around(before, opener + "[fødselsnummer]", closer)
    expected = f"{expected_left} {after}" if after else expected_left
    assert result == Redaction(expected, ("fødselsnummer",)), text
    assert number not in result.text


@SETTINGS
@given(digits=fnr_digits(), other=st.sampled_from([*SAFE_NUMBERS, "2", "10", "1234"]))
def test_a_fodselsnummer_next_to_another_number_is_removed(digits: str, other: str) -> None:
    for text, expected in (
        (f"{other} {digits}", f"{other} [fødselsnummer]"),
        (f"{digits} {other}", f"[fødselsnummer] {other}"),
        (f"{other}, {digits[:6]} {digits[6:]}", f"{other}, [fødselsnummer]"),
    ):
        assert redact(text).text == expected, text


@SETTINGS
@given(digits=fnr_digits(), position=st.integers(0, 10), delta=st.integers(1, 9))
def test_an_eleven_digit_number_with_a_wrong_check_digit_is_removed_as_a_number(
    digits: str, position: int, delta: int
) -> None:
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1 :]
    kind = "fødselsnummer" if is_valid_fnr(changed) else "nummer"
    result = redact(f"nummeret er {changed} takk")
    assert result == Redaction(f"nummeret er [{kind}] takk", (kind,))
    if position >= 9:  # a changed check digit is never valid again
        assert kind == "nummer"


@SETTINGS
@given(
    number=phone_written(),
    before=context_with_word_edges,
    after=context_with_word_edges,
    opener=opening,
    closer=closing,
)
def test_a_phone_number_is_always_removed(
    number: str, before: str, after: str, opener: str, closer: str
) -> None:
    if opener in ("fnr: ", "nr. "):
        opener = "tlf: "
    left = _around(before, opener + number, closer)
    text = f"{left} {after}" if after else left
    expected_left = _around(before, opener + "[telefon]", closer)
    expected = f"{expected_left} {after}" if after else expected_left
    assert redact(text) == Redaction(expected, ("telefon",)), text


@SETTINGS
@given(address=email_addresses, before=words, after=words, closer=closing)
def test_an_email_address_is_always_removed(
    address: str, before: str, after: str, closer: str
) -> None:
    left = _around(before, address, closer)
    text = f"{left} {after}" if after else left
    expected_left = _around(before, "[e-post]", closer)
    expected = f"{expected_left} {after}" if after else expected_left
    assert redact(text) == Redaction(expected, ("e-post",)), text


@SETTINGS
@given(
    parts=st.lists(st.tuples(words, st.sampled_from(["", *SAFE_NUMBERS])), max_size=6),
    capitalise=st.booleans(),
    closer=closing,
)
def test_ordinary_text_passes_unchanged(
    parts: list[tuple[str, str]], capitalise: bool, closer: str
) -> None:
    # A safe number is always followed by at least one word: "2024 2025" typed as two
    # numbers side by side is not ordinary text.
    text = " ".join(f"{n} {w or 'og'}".strip() for w, n in parts) + closer
    if capitalise:
        text = text[:1].upper() + text[1:]
    assert redact(text) == Redaction(text, ())


@SETTINGS
@given(
    pieces=st.lists(
        st.one_of(
            words,
            st.sampled_from(SAFE_NUMBERS),
            st.sampled_from(FAKE_NAMES).map(lambda n: f"jeg heter {n}"),
            fnr_digits(),
            phone_written(),
            email_addresses,
            st.text(alphabet="abcæøå ABCÆØÅ0123456789.,:-+@()[]", max_size=20),
        ),
        max_size=6,
    )
)
def test_redacting_twice_changes_nothing_more(pieces: list[str]) -> None:
    once = redact(" ".join(pieces)).text
    assert redact(once).text == once
