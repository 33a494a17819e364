"""The topic taxonomy: stable public slugs (see TOPICS.md in the shared spec).

Every answer carries exactly one of these slugs; Rasa intents, knowledge-base files,
FAQ pages and review annotations are all keyed by them.
"""

from __future__ import annotations

from typing import Final

THEMES: Final[dict[str, str]] = {
    "tilknytning": "Tilknytning",
    "samvaer": "Samvær og kontakt",
    "tilbakeforing": "Tilbakeføring og trygg gjenforening",
    "rettigheter": "Rettigheter",
    "samarbeid": "Samarbeid",
    "stotte": "Støtte til deg",
}
THEMES_NN: Final[dict[str, str]] = {
    "tilknytning": "Tilknyting",
    "samvaer": "Samvær og kontakt",
    "tilbakeforing": "Tilbakeføring og trygg gjenforeining",
    "rettigheter": "Rettar",
    "samarbeid": "Samarbeid",
    "stotte": "Støtte til deg",
}

KNOWLEDGE_TOPICS: Final[tuple[str, ...]] = (
    "tilknytning.generell",
    "tilknytning.fosterforeldre",
    "tilknytning.skade_reparasjon",
    "tilknytning.reaksjoner",
    "samvaer.hyppighet",
    "samvaer.tilsyn",
    "samvaer.gjennomforing",
    "samvaer.plan",
    "samvaer.digital",
    "samvaer.sosken",
    "samvaer.besteforeldre",
    "samvaer.endring",
    "samvaer.reaksjoner",
    "tilbakeforing.vilkar",
    "tilbakeforing.prosess",
    "tilbakeforing.utviklingstrappen",
    "tilbakeforing.familierad",
    "tilbakeforing.oppfolging_etter",
    "rettigheter.klage",
    "rettigheter.advokat",
    "rettigheter.statsforvalteren",
    "rettigheter.nemnda",
    "rettigheter.innsyn",
    "rettigheter.taushetsplikt",
    "rettigheter.informasjon_om_barnet",
    "samarbeid.fosterforeldre",
    "samarbeid.barnevernet",
    "stotte.folelser",
    "stotte.tilbud",
)
CRISIS_TOPICS: Final[tuple[str, ...]] = ("krise.selvmord", "krise.akutt_fare")
CONVERSATION_TOPICS: Final[tuple[str, ...]] = (
    "utenfor_omfang.egen_sak",
    "utenfor_omfang.annet",
    "smalltalk.hilsen",
    "smalltalk.takk",
    "smalltalk.hade",
    "bot.hvem",
    "bot.hva_kan_du",
    "menneske",
)
ALL_TOPICS: Final[tuple[str, ...]] = KNOWLEDGE_TOPICS + CRISIS_TOPICS + CONVERSATION_TOPICS

# Rasa's FallbackClassifier predicts this intent when it is not confident enough.
FALLBACK_INTENT: Final = "nlu_fallback"


def theme_of(slug: str) -> str:
    """The FAQ theme a knowledge topic belongs to (its slug prefix)."""
    return slug.split(".", 1)[0]
