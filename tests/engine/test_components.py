"""Landsby's custom Rasa components, run in the engine environment (Python 3.10).

pytest runs in the app environment, so each test runs a small script with the engine's
Python and checks what it prints (as tests/actions/test_protocol.py does).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bot.config import PROJECT_ROOT
from tests.processes import ENGINE_PYTHON


def run_engine(script: str, *args: str, timeout: float = 120) -> Any:
    """Run `script` with the engine's Python; it prints one JSON value on its last line."""
    env = dict(os.environ) | {
        "PYTHONPATH": str(PROJECT_ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_MAX_CACHE_SIZE": "0",
    }
    result = subprocess.run(
        [str(ENGINE_PYTHON), "-c", script, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


NORMALISER = r"""
import json
from bot.engine.components.norwegian import DIALECT, Lexicon, Normaliser, Options, fold, stem

lexicon = Lexicon.full()
normaliser = Normaliser(lexicon)
words = ["samværet", "samvaeret", "samvaret", "samværsplanen", "sønnen", "sonnen",
         "barna", "ungane", "itj", "kvifor", "fosterforeldrene", "er"]
small = lexicon.restricted_to({"samvær", "plan", "barn"})
print(json.dumps({
    "forms": {w: normaliser.forms(w) for w in words},
    "stem": {w: stem(w) for w in ["barnet", "gutter", "hyggelig", "klokkene", "ung"]},
    "fold": [fold("Blåbærsyltetøy"), fold("samvaer"), fold("Åse")],
    "dialect": DIALECT["ka"],
    "surface": Normaliser(lexicon, Options(surface=True)).forms("Barna"),
    "small_size": len(small.lemmas),
    "small": {w: Normaliser(small).forms(w) for w in ["samværsplanen", "barnet", "datteren"]},
    "roundtrip": Lexicon.from_json(small.to_json()).lemmas == small.lemmas,
}))
"""


@pytest.fixture(scope="module")
def normalised() -> Any:
    return run_engine(NORMALISER)


def test_normaliser_maps_spellings_inflections_and_dialect_together(normalised: Any) -> None:
    out = normalised
    forms = out["forms"]
    # æøå spelled three ways, bokmål inflection: one form.
    assert forms["samværet"] == forms["samvaeret"] == forms["samvaret"] == ["samvar"]
    assert forms["sønnen"] == forms["sonnen"] == ["sonn"]
    # compounds keep the whole word and add their parts
    assert forms["samværsplanen"] == ["samvarsplan", "samvar", "plan"]
    assert {"foster", "forelder"} <= set(forms["fosterforeldrene"])
    assert forms["barna"] == ["barn"]
    # nynorsk inflection the bokmål lexicon lacks falls back to the stem
    assert forms["ungane"] == ["ung"]
    # dialect and nynorsk function words become bokmål
    assert forms["itj"][0] == "ikke" and forms["kvifor"] == ["hvorfor"]
    assert out["dialect"] == "hva"
    # verbs win for auxiliaries: "er" → "være" (folded)
    assert forms["er"][0] == "vare"
    assert out["surface"][0] == "barna" and "barn" in out["surface"]


def test_stemmer_and_folding(normalised: Any) -> None:
    out = normalised
    assert out["stem"] == {
        "barnet": "barn",
        "gutter": "gutt",
        "hyggelig": "hygg",
        "klokkene": "klokk",
        "ung": "ung",
    }
    assert out["fold"] == ["blabarsyltetoy", "samvar", "ase"]


def test_a_pruned_lexicon_keeps_only_forms_of_known_lemmas(normalised: Any) -> None:
    out = normalised
    assert 0 < out["small_size"] < 100
    assert out["roundtrip"]
    small = out["small"]
    assert small["samværsplanen"] == ["samvarsplan", "samvar", "plan"]
    assert small["barnet"] == ["barn"]
    # an unknown lemma: only the stem, never an error
    assert small["datteren"] == ["datter"]


PIPELINE = r"""
import asyncio, json, sys, time
from pathlib import Path

started = time.monotonic()
tmp = Path(sys.argv[1])
(tmp / "data").mkdir()
(tmp / "config.yml").write_text('''
recipe: default.v1
assistant_id: component-test
language: nb
pipeline:
  - name: WhitespaceTokenizer
  - name: bot.engine.components.normalizer.NorwegianNormalizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    use_lemma: false
    min_ngram: 2
    max_ngram: 4
  - name: bot.engine.components.linear_classifier.LinearIntentClassifier
    random_seed: 1
  - name: FallbackClassifier
    threshold: 0.3
policies: []
''')
(tmp / "data" / "nlu.yml").write_text('''version: "3.1"
nlu:
- intent: samvaer
  examples: |
    - hvor ofte får jeg samvær med barnet
    - kan vi endre samværsplanen
    - er samværet med tilsyn
    - jeg vil ha mer samvær
    - hvor lenge varer samværet
- intent: klage
  examples: |
    - hvordan klager jeg på vedtaket
    - hvor sender jeg klagen
    - hva er klagefristen
    - kan jeg klage på vedtaket fra nemnda
    - jeg vil klage
- intent: hilsen
  examples: |
    - hei
    - hallo
    - god morgen
    - heisann
    - hei hei
''')
from rasa.model_training import train_nlu
from rasa.core.agent import Agent

model = train_nlu(str(tmp / "config.yml"), str(tmp / "data"), str(tmp / "models"),
                  fixed_model_name="tiny")
agent = Agent.load(model)
texts = ["kor ofte får eg samvaer med ungen", "Klagene mine på vedtakene", "hallo der"]
parsed = [asyncio.run(agent.parse_message(t)) for t in texts]
print(json.dumps({
    "intents": [p["intent"]["name"] for p in parsed],
    "confidences": [p["intent"]["confidence"] for p in parsed],
    "ranking_sums": [round(sum(r["confidence"] for r in p["intent_ranking"]), 3) for p in parsed],
    "seconds": round(time.monotonic() - started, 1),
}))
"""


def test_a_tiny_pipeline_with_our_components_trains_and_parses(tmp_path: Path) -> None:
    out = run_engine(PIPELINE, str(tmp_path), timeout=180)
    assert out["intents"] == ["samvaer", "klage", "hilsen"]
    assert all(0.3 < c <= 1.0 for c in out["confidences"])
    assert out["ranking_sums"] == [1.0, 1.0, 1.0]  # real probabilities over 3 intents


PLACEHOLDERS = r"""
import asyncio, json, sys
from pathlib import Path

tmp = Path(sys.argv[1])
(tmp / "data").mkdir()
(tmp / "config.yml").write_text('''
recipe: default.v1
assistant_id: placeholder-test
language: nb
pipeline:
  - name: WhitespaceTokenizer
  - name: bot.engine.components.normalizer.NorwegianNormalizer
  - name: RegexFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    use_lemma: false
    min_ngram: 2
    max_ngram: 4
  - name: bot.engine.components.linear_classifier.LinearIntentClassifier
    random_seed: 1
policies: []
''')
(tmp / "data" / "nlu.yml").write_text('''version: "3.1"
nlu:
- intent: hyppighet
  examples: |
    - hvor ofte får jeg samvær med barnet
    - er samværet mitt vanlig
    - hvor mye samvær får foreldre
- intent: digital
  examples: |
    - kan jeg ringe barnet på telefon
    - kan jeg sende e-post eller sms til sønnen min
    - får jeg ha telefonkontakt med henne
    - kan jeg ringe eller sende e-post
- intent: navn
  examples: |
    - hva heter saksbehandleren min
    - navnet på fostermor
    - fødselsnummer og adresse
''')
from rasa.model_training import train_nlu
from rasa.core.agent import Agent
from bot.engine.components.norwegian import PLACEHOLDER_KINDS, strip_placeholders

model = train_nlu(str(tmp / "config.yml"), str(tmp / "data"), str(tmp / "models"),
                  fixed_model_name="tiny")
agent = Agent.load(model)
every = " ".join(f"[{kind}]" for kind in PLACEHOLDER_KINDS)
texts = {
    "plain": "hvor ofte får jeg samvær?",
    "redacted": f"{every} hvor ofte får jeg samvær? [telefon], [e-post].",
    "only": every,
    "empty": "",
    "framed": "Jeg heter [navn], ring meg på [telefon] eller skriv til [e-post]. "
    "hvor ofte får jeg samvær?",
    "asked": "kan jeg ringe barnet på [telefon]?",
}
parsed = {k: asyncio.run(agent.parse_message(t)) for k, t in texts.items()}
print(json.dumps({
    "kinds": list(PLACEHOLDER_KINDS),
    "stripped": strip_placeholders("ring [telefon] el. [e-post]:  samvær [navn]"),
    "ranking": {k: [[r["name"], round(r["confidence"], 6)] for r in p["intent_ranking"]]
                for k, p in parsed.items()},
}, ensure_ascii=False))
"""


def test_redaction_placeholders_are_not_topical(tmp_path: Path) -> None:
    from bot.safety.redact import KINDS

    out = run_engine(PLACEHOLDERS, str(tmp_path), timeout=180)
    # The engine's copy of the placeholder kinds is the redactor's list.
    assert out["kinds"] == list(KINDS)
    assert out["stripped"] == "ring el. : samvær"
    ranking = out["ranking"]
    # "[telefon]" and "[e-post]" do not pull a question about visits towards phone contact:
    # with or without placeholders, the message is read the same.
    assert ranking["redacted"] == ranking["plain"]
    assert ranking["plain"][0][0] == "hyppighet"
    # the words that only introduce the data go with it ("ring meg på [telefon]") ...
    assert ranking["framed"] == ranking["plain"]
    # ... but not the question's own words
    assert ranking["asked"][0][0] == "digital"
    # nothing but placeholders reads like an empty message: no topic is favoured
    assert ranking["only"] == ranking["empty"]


SPACY_AND_RETRIEVAL = r"""
import json, sys
from pathlib import Path
import spacy
from bot.engine.components.build_spacy import build
from bot.engine.nlu_eval import _expand_retrieval

folder = build(Path(sys.argv[1]) / "nb_blank")
again = build(folder)
nlp = spacy.load(folder)
parsed = {
    "response_selector": {
        "all_retrieval_intents": ["samvaer"],
        "default": {"ranking": [
            {"intent_response_key": "samvaer/plan", "confidence": 0.6},
            {"intent_response_key": "samvaer/tilsyn", "confidence": 0.2},
            {"intent_response_key": "klage/frist", "confidence": 0.2},
        ]},
    }
}
print(json.dumps({
    "lang": nlp.lang,
    "pipes": nlp.pipe_names,
    "tokens": [t.text for t in nlp("Hva er f.eks. et familieråd?")],
    "same": str(again) == str(folder),
    "expanded": _expand_retrieval(parsed, [("samvaer", 0.75), ("menneske", 0.25)]),
}))
"""


def test_blank_spacy_pipeline_and_retrieval_scoring(tmp_path: Path) -> None:
    out = run_engine(SPACY_AND_RETRIEVAL, str(tmp_path))
    assert out["lang"] == "nb" and out["pipes"] == [] and out["same"]
    assert out["tokens"] == ["Hva", "er", "f.eks.", "et", "familieråd", "?"]
    # the theme's 0.75 is shared 3:1 between its topics; other response keys are ignored
    assert [name for name, _ in out["expanded"]] == ["samvaer.plan", "menneske", "samvaer.tilsyn"]
    assert [c for _, c in out["expanded"]] == pytest.approx([0.5625, 0.25, 0.1875])
