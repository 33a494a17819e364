"""Choose FallbackClassifier thresholds from cross-validated predictions on training data.

Never from the held-out set: a threshold picked there would make its score a fiction.

A turn below the threshold (or with the top two intents closer than the ambiguity
threshold) gets a clarifying question with the likeliest topics instead of an answer.
Costs per turn: a wrong answer 1, a clarifying question `CLARIFY_COST`, a right answer 0.
A wrong answer to a worried parent is worse than a question back, but a question back is
not free either (one more tap, and some parents give up), so it costs half. Minimising
the expected cost sends a turn to clarification when P(wrong) > CLARIFY_COST.

That cost surface is flat (on one 5-fold CV of data/nlu the cheapest pair saved 9 % of the
cost of no fallback at all, by asking back on 13 % of turns, 40 % of which the model had
right), so
cost alone lets the fallback swallow many right answers. A clarifying question should be
kept for messages that are genuinely unclear: the pair may turn at most `MAX_LOST_RIGHT`
of the turns the model gets right into questions; among those pairs, the cheapest wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.evaluation import Prediction

CLARIFY_COST = 0.5
MAX_LOST_RIGHT = 0.02
THRESHOLDS = tuple(round(0.01 * i, 2) for i in range(1, 100))
AMBIGUITIES = (0.0, 0.01, 0.02, 0.03, 0.05, 0.1, 0.15)


@dataclass(frozen=True)
class Choice:
    threshold: float
    ambiguity: float
    cost: float
    wrong_answers: int
    clarifications: int
    caught_errors: int
    n: int

    @property
    def lost_right(self) -> int:
        """Turns the model had right that became clarifying questions."""
        return self.clarifications - self.caught_errors

    def line(self) -> str:
        return (
            f"threshold {self.threshold:.2f} ambiguity {self.ambiguity:.2f}: cost "
            f"{self.cost:.1f}, wrong answers {self.wrong_answers}/{self.n}, clarifications "
            f"{self.clarifications} (of which errors caught {self.caught_errors}, right "
            f"answers lost {self.lost_right})"
        )


def evaluate(predictions: Sequence[Prediction], threshold: float, ambiguity: float) -> Choice:
    """Outcome of one threshold pair on predictions made without any fallback."""
    wrong = clarify = caught = 0
    for p in predictions:
        ranking = p.ranking or [(p.predicted, p.confidence)]
        top, first = ranking[0]
        second = ranking[1][1] if len(ranking) > 1 else 0.0
        if first < threshold or first - second < ambiguity:
            clarify += 1
            caught += top != p.expected
        elif top != p.expected:
            wrong += 1
    cost = wrong + CLARIFY_COST * clarify
    return Choice(threshold, ambiguity, round(cost, 2), wrong, clarify, caught, len(predictions))


def choose(predictions: Sequence[Prediction]) -> tuple[Choice, list[Choice]]:
    """The cheapest pair that loses at most `MAX_LOST_RIGHT` of the right answers.

    Ties: the lowest tied ambiguity, then the middle of the tied thresholds. A flat
    stretch of the cost curve only says the data has no turn between its ends, so the
    middle is the choice least bent to this sample (the ends sit right next to a turn
    that would flip). Returns the whole grid too.
    """
    grid = [evaluate(predictions, t, a) for t in THRESHOLDS for a in AMBIGUITIES]
    right = sum(
        (p.ranking or [(p.predicted, p.confidence)])[0][0] == p.expected for p in predictions
    )
    allowed = [c for c in grid if c.lost_right <= MAX_LOST_RIGHT * right] or grid
    cheapest = min(c.cost for c in allowed)
    tied = [c for c in allowed if c.cost == cheapest]
    ambiguity = min(c.ambiguity for c in tied)
    flat = sorted((c for c in tied if c.ambiguity == ambiguity), key=lambda c: c.threshold)
    return flat[(len(flat) - 1) // 2], grid
