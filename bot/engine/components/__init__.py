"""Custom Rasa 3.6 NLU components for Norwegian (engine environment only).

- `normalizer.NorwegianNormalizer`: after a tokenizer, gives every token a normalised
  "lemma" (bokmål lemma, Snowball stem, æøå-folded form, compound parts, common dialect
  and nynorsk function words mapped to bokmål) that `CountVectorsFeaturizer` reads.
- `linear_classifier.LinearIntentClassifier`: TF-IDF-weighted multinomial logistic
  regression on the sparse sentence features, an alternative to DIET.
- `build_spacy`: builds the blank `nb` spaCy pipeline folder that `SpacyNLP` loads.

Nothing here imports from the rest of `bot`: Rasa imports these modules in Python 3.10.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def source_fingerprint() -> str:
    """Hash of every module in this package.

    Rasa's training cache keys a component by its own class source only; the helper
    modules it calls (stemmer, lexicon) must change the key too, or an edited stemmer
    would silently reuse features cached from the old one.
    """
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
