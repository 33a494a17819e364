"""The crisis guard: what must be caught, and what must not be mistaken for a crisis."""

from __future__ import annotations

import pytest

from bot.safety.crisis import AKUTT_FARE, SELVMORD, CrisisMatch, detect, normalise

SELVMORD_CASES = [
    # bokmål, direct and indirect
    "jeg orker ikke mer",
    "Jeg orker ikke mer.",
    "orker ikke mer av livet",
    "jeg vil bare forsvinne",
    "vil bare sove og ikke våkne",
    "Det er best for alle om jeg ikke fantes",
    "alle har det bedre uten meg",
    "jeg vil ta livet mitt",
    "Jeg tenker på å ta livet av meg",
    "jeg skader meg selv når det blir for vondt",
    "jeg kutter meg igjen",
    "Dette er siste gang dere hører fra meg",
    "farvel alle sammen",
    "har gitt bort tingene mine",
    "jeg har selvmordstanker",
    "jeg ser ingen grunn til å leve lenger",
    "har ikke grunn til å leve når de har tatt barna mine",
    "æ ser itj nån grunn te å lev lenger",
    "eg har ikkje nokon grunn til å leva no",
    "livet er ikke verdt å leve uten ungene",
    "jeg vil ikke leve mer",
    "skulle ønske jeg var død",
    "ingen kommer til å savne meg",
    "jeg har samlet på piller",
    "jeg prøvde å ta livet mitt i går",
    "jeg er redd jeg skal gjøre noe dumt",
    "når dere leser dette er jeg borte",
    "orker ikke mer. jeg orker ikke flere møter",
    # nynorsk
    "eg orkar ikkje meir",
    "Eg orker ikkje meir, heilt ærleg",
    "eg vil berre forsvinne",
    "eg vil ikkje leva lenger",
    "eg tenkjer på å ta livet mitt",
    "eg skadar meg sjølv",
    # dialect
    "æ orke itj mer",
    "æ vil itj leve mer",
    "æ ska ta livet av mæ",
    "e vil bærre forsvinn",
    # no æøå
    "orker ikke mer",
    "vil do",
    "jeg vil vaere dod",
    "har lyst til a do",
    "vil bare sove og aldri vaakne",
    # SMS and typos
    "orkr ikke mer",
    "vil dø nå",
    "jg orker ikke meeeer!!!",
    "vil bare dø",
    "orker ikk mer nå",
    # English
    "i want to die",
    "I'm going to kill myself",
    "i feel suicidal",
    "everyone would be better off without me",
    "I can't go on",
    # more indirect wording
    "jeg har ikke lyst til å leve lenger",
    "hva er vitsen med å leve",
    "eg har ikkje lyst å vakne opp att",
    "har skrevet et avskjedsbrev til barna",
    "hadde vært best om jeg døde",
    "jeg kommer ikke til å klare meg gjennom natta",
    "dette er det siste brevet jeg skriver",
    "si til ungane at pappa var glad i dei",
    "nå orker jeg ikke mer",
    "jeg orker ikke",
    # methods, places, decisions and farewells (misses on the unseen batch,
    # tests/integration/crisis_unseen.yml)
    "tenker på å kjøre rett i fjellveggen i kveld",
    "står ytterst på kanten av brua nå",
    "gjør det vondt å henge seg?",
    "hvor mange sovetabletter må jeg ta for å ikke våkne",
    "har pillene klare. nå eller aldri",
    "jeg kommer ikke til å være her til bursdagen hennes",
    "har ikke tenkt å være her så mye lenger",
    "i wont be around when she grows up. tell her i love her",
    "har sagt farvel til søstera mi og gitt katten til naboen",
]

AKUTT_CASES = [
    "han slår meg nå",
    "han slår meg nå og jeg er redd",
    "han truer med å drepe meg",
    "han har kniv",
    "eksen står utenfor døra og banker, jeg tør ikke åpne",
    "kjæresten min slår meg og ungene",
    "nå slår han meg igjen",
    "faren til ungen truer meg med kniv",
    "han sier han skal drepe oss",
    "hjelp han prøver å bryte seg inn",
    "ungen er alene og han er full",
    "barnet er i fare",
    "fosterfar er full og kjører bil med ungen",
    "dattera mi er savnet",
    "jeg finner ikke ungen",
    "fosterfar slår dattera mi",
    "jeg er redd jeg skal skade barnet mitt",
    "klarer ikke å la være å slå",
    "eg klarer ikkje la vere å slå ungen",
    "noen har tatt med seg barnet",
    "faren har kidnappet ungen",
    "mora har bortført ungen",
    "faren har tatt med seg ungen ut av landet",
    "sønnen min sier han vil ta livet sitt",
    "dattera mi kutter seg",
    "eksen truer med å ta livet av seg",
    "æ e redd for livet mitt",
    "han e full og ungen e aleine",
    "han truer med a drepe meg",
    "my husband is hitting me",
    "he has a knife",
    "my son is in danger",
    "han truer med å ta med seg ungen til utlandet",
    "faren tar barnet og reiser ut av landet i kveld",
    "jeg er redd jeg kan gjøre henne noe",
    "har så lyst til å riste babyen",
    "jeg slo ungen min i dag",
    "dattera mi på 14 har selvmordstanker",
    "eksen har stukket av med barna",
    # violence as a state, a drunk rampage, someone else's child (guard misses once
    # caught only by the model on the calibration sets)
    "fosterfar er voldelig mot jenta mi",
    "sønnen min gjemmer seg på rommet fordi fosterfar er voldelig og sint akkurat nå",
    "samboeren min er full og slår i veggene, jeg er redd",
    "typen er dritings og knuser ting, ungene er her",
    "someone is hurting a child next door right now, what do I do?",
    # hiding from someone raging outside; a threatened abduction (guard misses the
    # model caught on the held-out set)
    "vi har låst oss inne på badet, han er full og hamrer på døra",
    "sitter låst inne på do med ungen, samboeren slår løs på døra",
    "jeg gjemmer meg på soverommet med jentene, eksen skriker og sparker i veggen",
    "eksen sier han kommer for å ta jenta med seg i kveld",
    "faren har sagt at han kommer for å ta henne",
    # a break-in and a cry for help in broken Norwegian (the unseen batch)
    "hjelp, han drepe meg",
    "noen prøver å bryte opp døra og ungene er her",
]

NOT_CRISIS = [
    # jokes and figures of speech
    "jeg dør av latter",
    "haha jeg døde av latter",
    "drepende kjedelig møte i dag",
    "jeg holdt på å dø av skam på møtet",
    "jeg holdt på å dø av sjokk da jeg leste rapporten",
    "jeg er dødsliten etter samværet",
    "jeg vil dø for barna mine",
    # legal or informational questions
    "hva er et akuttvedtak?",
    "hva betyr akuttplassering",
    "kan et selvmordsforsøk for fem år siden brukes mot meg i saken?",
    "jeg var suicidal for to år siden, kan det brukes mot meg?",
    "hvordan snakker man med barn om selvmord?",
    "hva er barnebortføring?",
    "er det lov for fosterfar å ha våpen i huset?",
    "barnevernet påstår at jeg slo barnet, hva gjør jeg?",
    "barnevernet sier at barnet er i fare hos meg, stemmer det?",
    "hva gjør jeg hvis barnet sier det vil dø?",
    # the past, over
    "faren min tok livet av seg da jeg var liten",
    "eksen slo meg for tre år siden, får han samvær?",
    "barnevernet tok barna mine for to år siden",
    "jeg har aldri slått barnet mitt",
    "jeg er ikke suicidal, bare sliten",
    # ordinary frustration
    "jeg orker ikke flere møter med barnevernet",
    "orker ikke mer av dette møtet",
    "jeg orker ikke mer masing fra saksbehandleren",
    "klarer ikke mer enn to timer samvær",
    "jeg orker ikke lenger å vente på svar",
    "farvel",
    "takk for alt, ha det bra",
    # other people, other meanings
    "sønnen min slår meg når han blir sint etter samvær",
    "han truer med å gå til barnevernet",
    "eksen truer meg med advokat",
    "fostermor har tatt med seg ungen på ferie",
    "barnevernet kom og tok med seg ungen fra skolen",
    "jeg kuttet meg i fingeren da jeg lagde middag",
    "de kutter meg ut av alt som skjer med barnet",
    "kan jeg henge meg på samværet til bestemor?",
    "fosterforeldrene vil at jeg skal forsvinne fra livet hennes",
    "jeg har skadet meg i kneet på trening",
    "ungen har rømt hjem til meg",
    "jeg vet ikke hvor barnet mitt bor",
    "har jeg skadet barnet mitt for alltid?",
    "I'm dying to see my kids",
    "how do I talk to my kids about suicide?",
    "Landsby, er du en robot?",
    "jeg så en film om selvmord",
    "er det vanlig at foreldre får selvmordstanker når barna blir tatt?",
    "dette er den siste meldingen fra barnevernet",
    "det slår meg at de aldri spør om min mening",
    "hun slår meg alltid i kortspill",
    "jeg vil dø inni meg hver gang jeg må si ha det",
    "Jeg tar livet av meg hvis jeg må sitte i et møte til! haha",
    "jeg var suicidal for to år siden, kan det brukes mot meg nå?",
    "kan jeg reise til Spania med ungen i sommer?",
    "han truet meg med politiet",
    "",
    # violence words that are not violence now
    "Barnevernet sier at jeg er voldelig mot barna",
    "hva er voldelig oppførsel?",
    "han var voldelig mot meg for mange år siden",
    "jeg er ikke voldelig mot barna mine",
    "hva gjør jeg hvis fosterfar er voldelig mot henne?",
    "han pleier å være full og knuse ting hver helg",
    "er det lov å være full og kaste opp på samvær",
    # hiding, or someone coming for the child, without danger
    "jeg har låst meg inne på badet og gråter fordi jeg savner ungene",
    "sønnen min sitter på rommet og er sint etter samvær",
    "faren kommer for å ta ham med på fotballtrening",
    "barnevernet kommer for å ta ham i morgen, kan de det?",
    "fosterfar kommer for å hente ham etter skolen",
    "hva gjør jeg hvis faren kommer for å ta ham med?",
    # the same words about ordinary things
    "slår meg som rart at de aldri ringer tilbake",
    "hvor mange paracet kan en tiåring ta?",
    "sa ha det til ungen og ga ham en klem",
    "hvor lang tid tar det å få svar på klagen?",
    "kjører rett til samværet etter jobb",
]


@pytest.mark.parametrize("text", SELVMORD_CASES)
def test_own_suicidality_is_caught(text: str) -> None:
    match = detect(text)
    assert match is not None, text
    assert match.topic == SELVMORD, (text, match)


@pytest.mark.parametrize("text", AKUTT_CASES)
def test_acute_danger_is_caught(text: str) -> None:
    match = detect(text)
    assert match is not None, text
    assert match.topic == AKUTT_FARE, (text, match)


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_not_a_crisis(text: str) -> None:
    assert detect(text) is None


def test_the_reason_names_the_rule_that_fired() -> None:
    assert detect("jeg orker ikke mer") == CrisisMatch(SELVMORD, "selvmord.orker_ikke_mer")
    match = detect("noen har tatt med seg barnet")
    assert match is not None and match.reason.startswith("akutt.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jeg ØNSKER å dø!!!", "jeg onsker a do ."),
        ("vaakne, våkne", "vakne vakne"),
        ("ikkkke meeeer", "ike mer"),
        ("e'kje", "ekje"),
    ],
)
def test_normalise_folds_spellings_together(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_a_past_that_comes_back_is_a_crisis_again() -> None:
    assert detect("jeg var suicidal for to år siden, og nå er tankene der igjen") is not None


def test_the_guard_is_deterministic_and_fast_on_long_text() -> None:
    text = "jeg lurer på samværet neste uke og hva jeg skal ta med. " * 200
    assert detect(text) is None
    assert detect(text + " jeg orker ikke mer") == detect("jeg orker ikke mer")
