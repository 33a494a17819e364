"""Redaction of personal data. Every identity here is fake: fødselsnummer are generated
synthetic test numbers (month + 80, as in the national test register) or D/H variants
with computed check digits, and names are placeholder names like Ola Nordmann."""

from __future__ import annotations

import re

import pytest

from bot.safety.redact import (
    PLACEHOLDERS,
    Redaction,
    contains_personal_data,
    is_valid_fnr,
    redact,
)

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check(digits: str, weights: tuple[int, ...]) -> int | None:
    check = (11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11) % 11
    return None if check == 10 else check


def make_fnr(day: int, month: int, year: int, individual: int = 0, *, kind: str = "test") -> str:
    """A fødselsnummer that can never be a real person's: the synthetic-test month offset
    (+80) by default, or a D-number (+40 on the day) / H-number (+40 on the month)."""
    if kind == "test":
        month += 80
    elif kind == "d":
        day += 40
    elif kind == "h":
        month += 40
    for ind in range(individual, individual + 1000):
        base = f"{day:02d}{month:02d}{year % 100:02d}{ind % 1000:03d}"
        k1 = _check(base, _W1)
        if k1 is None:
            continue
        k2 = _check(base + str(k1), _W2)
        if k2 is None:
            continue
        return f"{base}{k1}{k2}"
    raise AssertionError("no valid individual number found")


FNR_A = make_fnr(1, 1, 1999, 123)
FNR_B = make_fnr(24, 12, 1985, 400)
FNR_D = make_fnr(15, 6, 1990, 500, kind="d")
FNR_H = make_fnr(3, 3, 2001, 700, kind="h")
# Decoys: eleven digits that are not a fødselsnummer.
FNR_A_BAD_CHECK = FNR_A[:-1] + str((int(FNR_A[-1]) + 1) % 10)
NO_SUCH_DAY = make_fnr(31, 4, 1990, 200)  # check digits fine, but April has 30 days


def test_generated_numbers_are_valid_and_synthetic() -> None:
    for number in (FNR_A, FNR_B, FNR_D, FNR_H):
        assert is_valid_fnr(number), number
    assert int(FNR_A[2:4]) > 80  # synthetic test numbers: never a real person's
    assert is_valid_fnr("01819912323")  # the web test's number


@pytest.mark.parametrize(
    "number",
    [
        FNR_A[:-1] + str((int(FNR_A[-1]) + 1) % 10),  # wrong second check digit
        FNR_A[:9] + str((int(FNR_A[9]) + 1) % 10) + FNR_A[10],  # wrong first check digit
        "1234567890",  # too short
        "00000000000",  # no such date
        NO_SUCH_DAY,
        "12345678901",
        "abcdefghijk",
    ],
)
def test_invalid_fnr_is_rejected(number: str) -> None:
    assert not is_valid_fnr(number)


REDACTED = [
    # fødselsnummer: an 11-digit run with valid check digits, with or without a space
    (f"fnr {FNR_A}", "fnr [fødselsnummer]", ("fødselsnummer",)),
    (f"mitt fødselsnummer er {FNR_B[:6]} {FNR_B[6:]}", "mitt fødselsnummer er [fødselsnummer]",
     ("fødselsnummer",)),
    (f"D-nummer: {FNR_D}", "D-nummer: [fødselsnummer]", ("fødselsnummer",)),
    (f"hun har H-nummer {FNR_H}.", "hun har H-nummer [fødselsnummer].", ("fødselsnummer",)),
    # any other 11-digit run is removed too, but labelled as a plain number
    ("personnummeret er 12345678901", "personnummeret er [nummer]", ("nummer",)),
    ("ordrenummer 12345678901", "ordrenummer [nummer]", ("nummer",)),
    (f"fnr {FNR_A_BAD_CHECK}", "fnr [nummer]", ("nummer",)),
    (f"{FNR_A_BAD_CHECK[:6]} {FNR_A_BAD_CHECK[6:]}", "[nummer]", ("nummer",)),
    (f"fnr {NO_SUCH_DAY}", "fnr [nummer]", ("nummer",)),
    ("kontonummer 1234 56 78903", "kontonummer [nummer]", ("nummer",)),
    ("referanse 98765432109.", "referanse [nummer].", ("nummer",)),
    (f"{FNR_A} og ordrenr 12345678901", "[fødselsnummer] og ordrenr [nummer]",
     ("fødselsnummer", "nummer")),
    (f"fnr {FNR_A[:6]} {FNR_A[6:9]} {FNR_A[9:]}", "fnr [fødselsnummer]", ("fødselsnummer",)),
    (f"{FNR_A[:2]}.{FNR_A[2:4]}.{FNR_A[4:6]} {FNR_A[6:]}", "[fødselsnummer]", ("fødselsnummer",)),
    (f"{FNR_A}", "[fødselsnummer]", ("fødselsnummer",)),
    # telefon
    ("ring meg på 912 34 567", "ring meg på [telefon]", ("telefon",)),
    ("nummeret mitt er 91 23 45 67", "nummeret mitt er [telefon]", ("telefon",)),
    ("+47 91234567", "[telefon]", ("telefon",)),
    ("tlf +4791234567!", "tlf [telefon]!", ("telefon",)),
    ("0047 912 34 567", "[telefon]", ("telefon",)),
    ("send sms til 41234567 i kveld", "send sms til [telefon] i kveld", ("telefon",)),
    ("fostermor har nummer 22 12 34 56", "fostermor har nummer [telefon]", ("telefon",)),
    ("hennes nr: 912-34-567", "hennes nr: [telefon]", ("telefon",)),
    ("ring 412 34 567 eller SOS 22 40 00 40", "ring [telefon] eller SOS 22 40 00 40",
     ("telefon",)),
    ("tel 22 12 34 56, fax 9123 4567", "tel [telefon], fax [telefon]", ("telefon", "telefon")),
    # e-post
    ("skriv til ola.nordmann@example.no", "skriv til [e-post]", ("e-post",)),
    ("testa+bv@eksempel.com svarer ikke", "[e-post] svarer ikke", ("e-post",)),
    # adresse
    ("jeg bor i Storgata 12", "jeg bor i [adresse]", ("adresse",)),
    ("Kirkeveien 5B, 2. etasje", "[adresse], 2. etasje", ("adresse",)),
    ("samvær i Nedre Slottsgate 3", "samvær i [adresse]", ("adresse",)),
    ("jeg bor i storgata 12", "jeg bor i [adresse]", ("adresse",)),
    ("de bor i Karl Johans gate 22 nå", "de bor i [adresse] nå", ("adresse",)),
    ("Fjellvegen 7 b", "[adresse]", ("adresse",)),
    ("møtet er på Sankt Olavs plass 3", "møtet er på [adresse]", ("adresse",)),
    ("Bygdøy allé 5", "[adresse]", ("adresse",)),
    # postnummer (the place is kept: a town names no one)
    ("0150 Oslo", "[postnummer] Oslo", ("postnummer",)),
    ("Storgata 12, 5003 Bergen", "[adresse], [postnummer] Bergen", ("adresse", "postnummer")),
    # navn
    ("Jeg heter Testa Testesen", "Jeg heter [navn]", ("navn",)),
    ("eg heiter Testa og er mor til to", "eg heiter [navn] og er mor til to", ("navn",)),
    ("hei, jeg heter kari", "hei, jeg heter [navn]", ("navn",)),
    ("mitt navn er Ola Nordmann", "mitt navn er [navn]", ("navn",)),
    ("datteren min Kari er fem år", "datteren min [navn] er fem år", ("navn",)),
    ("sønnen min Jonas vil ikke", "sønnen min [navn] vil ikke", ("navn",)),
    ("dottera mi Ingrid saknar meg", "dottera mi [navn] saknar meg", ("navn",)),
    ("sonen min Emil", "sonen min [navn]", ("navn",)),
    ("gutten min Testus er 7", "gutten min [navn] er 7", ("navn",)),
    ("jenta mi nora gråter", "jenta mi [navn] gråter", ("navn",)),
    ("barnet mitt Emma", "barnet mitt [navn]", ("navn",)),
    ("fostermor Testa sier nei", "fostermor [navn] sier nei", ("navn",)),
    ("saksbehandleren min Testa Testesen svarer ikke", "saksbehandleren min [navn] svarer ikke",
     ("navn",)),
    ("Testa Testesen er saksbehandleren", "[navn] er saksbehandleren", ("navn",)),
    ("saksbehandleren heter Ola", "saksbehandleren heter [navn]", ("navn",)),
    ("møtet med Kari Nordmann var fint", "møtet med [navn] var fint", ("navn",)),
    ("Mvh Testa Testesen", "Mvh [navn]", ("navn",)),
    ("Kari og jeg var på samvær", "[navn] og jeg var på samvær", ("navn",)),
    ("Hei Ola Nordmann", "Hei [navn]", ("navn",)),
    ("Anne-Lise Testesen er fostermor", "[navn] er fostermor", ("navn",)),
    ("Thomas og Emma bor i fosterhjem", "[navn] og [navn] bor i fosterhjem", ("navn", "navn")),
    ("My name is Ola", "My name is [navn]", ("navn",)),
    ("Med vennlig hilsen Kari", "Med vennlig hilsen [navn]", ("navn",)),
    # several kinds, reported in order of appearance
    (f"Jeg heter Testa Testesen, fnr {FNR_A}, ring 912 34 567",
     "Jeg heter [navn], fnr [fødselsnummer], ring [telefon]",
     ("navn", "fødselsnummer", "telefon")),
    (f"{FNR_B} og datteren min Kari", "[fødselsnummer] og datteren min [navn]",
     ("fødselsnummer", "navn")),
]  # fmt: skip

UNCHANGED = [
    # crisis and service numbers from FACTS.md
    "Ring 113 hvis det haster, eller 112 til politiet",
    "Kirkens SOS har nummer 22 40 00 40",
    "Mental Helse: 116 123",
    "Alarmtelefonen 116 111 og Vold- og overgrepslinjen 116 006",
    "116 117 er legevakt, 110 er brann",
    "ring 116 123 eller 113",
    "Kirkens SOS: 22400040",
    # case numbers, dates, years, amounts, ages
    "saken har nummer sak 2024/1234",
    "saksnr. 24/5678 gjelder samvær",
    "arkivsak 2023/12345-7 og journalpost 2024/998877",
    "møtet er kl 10:30, eller klokka 14.15",
    "hun ble født 12. mai 2015 og er 9 år",
    "han er 7 år og 3 måneder",
    "det koster 1 500 kr, eller kr 12 500,-",
    "samværet var 10 000 kroner billigere",
    "ring 113, 112 eller 116 117 om natta",
    "et fødselsnummer har 11 siffer",
    "1 2 3 4 5 6 7 8 9 10",
    "fra 2019 til 2024, altså 2019 2020 2021",
    "saksnummer 2024 1234",
    "i 2023 og 2024 hadde vi samvær",
    "2023 2024 var tunge år",
    "møtet er 15.03.2025 kl 10",
    "født 24122023",
    "jeg har fått 25 000 000 kr i gjeld",
    "det koster 25000000 kroner",
    "hun er 12 år og har bodd der i 3 år",
    "samvær 4 timer hver 14. dag",
    "barnehageplass 3 dager i uka",
    # public bodies, places, the assistant, months, common words
    "Statsforvalteren i Oslo og Viken",
    "Bufetat og Barnevernet svarer ikke",
    "Oslo kommune har ikke svart",
    "NAV har ikke betalt",
    "Hei Landsby! Kan du hjelpe meg?",
    "I mai og august skal vi ha samvær",
    "Per måned får vi to timer",
    "Hans mor er syk",
    "Dag og natt tenker jeg på henne",
    "Finn ut hva som skjer",
    "Liv og helse er det viktigste",
    "Mental Helse og Redd Barna",
    "Midtre Gauldal kommune",
    "datteren min er fem år",
    "sønnen min har det vondt",
    "Saksbehandleren sier nei",
    "Hva heter det på nynorsk?",
    "det heter Barneverns- og helsenemnda nå",
    "Kem e saksbehandleren min no?",
    "Koss e det med samværet?",
    "jeg går på gata 3 ganger om dagen",
    "Vi møttes på Kirkeveien",
    "Nordre Land kommune og Sørlandet Sykehus",
    "eg heiter berre mamma",
    "født 01.01.1990, møte 12.03.2024 kl 10:30",
    "Det koster 1500 Kroner",
    "",
    "[navn] og [telefon]",  # already redacted: idempotent
]


@pytest.mark.parametrize(("text", "expected", "found"), REDACTED)
def test_personal_data_is_replaced(text: str, expected: str, found: tuple[str, ...]) -> None:
    result = redact(text)
    assert result == Redaction(expected, found)
    assert result.changed
    assert contains_personal_data(text)


@pytest.mark.parametrize("text", UNCHANGED)
def test_text_without_personal_data_is_unchanged(text: str) -> None:
    result = redact(text)
    assert result == Redaction(text, ())
    assert not result.changed
    assert not contains_personal_data(text)


def test_placeholders_carry_no_digits() -> None:
    for placeholder in PLACEHOLDERS.values():
        assert not re.search(r"\d", placeholder)


@pytest.mark.parametrize(("text", "_expected", "_found"), REDACTED)
def test_redaction_leaves_no_digit_run_and_is_idempotent(
    text: str, _expected: str, _found: tuple[str, ...]
) -> None:
    once = redact(text).text
    without_service_numbers = once.replace("22 40 00 40", "")
    assert not re.search(r"\d{6}", without_service_numbers.replace(" ", ""))
    assert redact(once).text == once
