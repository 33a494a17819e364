"""`NorwegianNormalizer`: normalised forms for every token, read by CountVectorsFeaturizer.

Put it right after the tokenizer (WhitespaceTokenizer or SpacyTokenizer, e.g. with a
blank `nb` spaCy pipeline). It replaces each token's `lemma` with its normalised forms
joined by spaces ("samværsplanen" → "samvarsplan samvar plan"). Rasa's
`CountVectorsFeaturizer` reads `token.lemma` by default (`use_lemma: true`) and its word
analyzer splits that string into separate features, so one token contributes its
lemma, stem and compound parts. A featurizer that should see the text as written sets
`use_lemma: false` (the `char_wb` one, typically).

Training keeps only the part of the bokmål lexicon that can matter: forms whose lemma
occurs in the training data (a form of an unseen lemma would only produce a feature the
featurizer has never seen). That table is stored in the model, so serving never reads
the 600,000-form source tables.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.engine.components import source_fingerprint
from bot.engine.components.norwegian import (
    FRAME_MAX_WORDS,
    FRAME_WORDS,
    Lexicon,
    Normaliser,
    Options,
    placeholder_spans,
)

logger = logging.getLogger(__name__)

LEXICON_FILE = "lexicon.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class NorwegianNormalizer(GraphComponent):
    """Gives tokens normalised Norwegian forms (lemmas, stems, folding, compounds)."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # bokmål lemmas from spacy-lookups-data (Norsk Ordbank)
            "lemmas": True,
            # Snowball stems, also for nynorsk and dialect words the lexicon lacks
            "stems": True,
            # map common nynorsk/dialect function words ("kvifor", "itj") to bokmål
            "dialect": True,
            # add the parts of compounds found in the lexicon ("samværs|plan")
            "compounds": True,
            # keep the lower-cased word as written among the forms
            "surface": False,
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when any module of the package changes, not only this class."""
        return source_fingerprint()

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        lexicon: Lexicon | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._options = Options(
            lemmas=bool(self._config["lemmas"]),
            stems=bool(self._config["stems"]),
            dialect=bool(self._config["dialect"]),
            compounds=bool(self._config["compounds"]),
            surface=bool(self._config["surface"]),
        )
        self._lexicon = lexicon
        self._normaliser = Normaliser(lexicon, self._options)

    @property
    def _uses_lexicon(self) -> bool:
        return self._options.lemmas or self._options.compounds

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NorwegianNormalizer:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> NorwegianNormalizer:
        lexicon: Lexicon | None = None
        try:
            with model_storage.read_from(resource) as directory:
                path = directory / LEXICON_FILE
                if path.exists():
                    lexicon = Lexicon.from_json(path.read_text(encoding="utf-8"))
        except ValueError:
            logger.debug("No stored lexicon for %s; using stems only.", resource.name)
        return cls(config, model_storage, resource, lexicon)

    def train(self, training_data: TrainingData) -> Resource:
        """Keep the lexicon entries whose lemma occurs in the training data, and store them."""
        if self._uses_lexicon:
            words = {
                token.text
                for message in training_data.training_examples
                for token in message.get(TOKENS_NAMES[TEXT]) or []
            }
            full = Lexicon.full()
            self._lexicon = full.restricted_to(Normaliser(full, self._options).lemmas_of(words))
            self._normaliser = Normaliser(self._lexicon, self._options)
            logger.info("Norwegian lexicon: %d forms kept", len(self._lexicon.lemmas))
        with self._model_storage.write_to(self._resource) as directory:
            if self._lexicon is not None:
                (directory / LEXICON_FILE).write_text(self._lexicon.to_json(), encoding="utf-8")
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Drop redaction placeholders; set each token's lemma to its normalised forms."""
        for message in messages:
            tokens = _without_placeholders(message)
            for token in tokens:
                forms = self._normaliser.forms(token.text)
                token.lemma = " ".join(forms) if forms else token.text
        return messages


def _without_placeholders(message: Message) -> list[Token]:
    """The message's tokens without those of redaction placeholders ("[telefon]").

    The words that only introduce the data ("ring meg på", "jeg heter") go too. The
    tokens are removed from the message itself, so that no later featurizer (words,
    characters, regexes) sees them. A message of nothing but placeholders keeps one empty
    token, as Rasa's tokenizers never leave a message without tokens.
    """
    tokens: list[Token] = message.get(TOKENS_NAMES[TEXT]) or []
    spans = placeholder_spans(message.get(TEXT) or "")
    if not spans or not tokens:
        return tokens
    dropped = {
        i for i, t in enumerate(tokens) if any(s <= t.start and t.end <= e for s, e in spans)
    }
    for i in sorted(dropped):
        _drop_frame(tokens, i, dropped, message.get(TEXT) or "")
    kept = [t for i, t in enumerate(tokens) if i not in dropped]
    if len(kept) < len(tokens):
        message.set(TOKENS_NAMES[TEXT], kept or [Token("", 0, 0, lemma="")])
    return kept


def _drop_frame(tokens: list[Token], placeholder: int, dropped: set[int], text: str) -> None:
    """Mark the frame words right before a placeholder, within its clause, as dropped."""
    i, end = placeholder - 1, tokens[placeholder].start
    while i >= 0 and placeholder - i <= FRAME_MAX_WORDS:
        token = tokens[i]
        if any(c in ".!?;:," for c in text[token.end : end]):
            return  # another clause: its words may be the question
        if i not in dropped and token.text.lower() not in FRAME_WORDS:
            return
        dropped.add(i)
        i, end = i - 1, token.start
