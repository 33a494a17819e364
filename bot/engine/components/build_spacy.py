"""Build the blank Norwegian (bokmål) spaCy pipeline that `SpacyNLP` loads from a folder.

    python -m bot.engine.components.build_spacy [DIR]   (default: var/spacy/nb_blank)

Rasa's `SpacyNLP` refuses `model: nb` and needs an installed package or a folder. A blank
`nb` pipeline is only spaCy's rule-based Norwegian tokenizer (no tagger, no vectors, no
download), so it is built from code with the engine's own spaCy version instead of being
stored or fetched. Idempotent: an existing folder built by the same spaCy is kept.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DEFAULT_DIR = Path("var/spacy/nb_blank")


def build(directory: Path = DEFAULT_DIR) -> Path:
    """Write `spacy.blank("nb")` to `directory` unless this spaCy version already did."""
    import spacy

    meta = directory / "meta.json"
    if meta.exists() and json.loads(meta.read_text()).get("spacy_version", "").endswith(
        spacy.__version__
    ):
        return directory
    nlp = spacy.blank("nb")
    nlp.meta["name"] = "nb_blank"
    nlp.meta["spacy_version"] = f">={spacy.__version__}"
    directory.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(directory)
    return directory


def main(argv: list[str]) -> int:
    print(build(Path(argv[0]) if argv else DEFAULT_DIR))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
