"""The schema of one article file, `data/kb/<slug>.yml` (see docs/kb-format.md)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.topics import ALL_TOPICS

Lang = Literal["nb", "nn", "en"]
LANGS: tuple[Lang, ...] = ("nb", "nn", "en")
Kind = Literal["answer", "crisis", "handoff", "smalltalk"]
Theme = Literal[
    "tilknytning",
    "samvaer",
    "tilbakeforing",
    "rettigheter",
    "samarbeid",
    "stotte",
    "krise",
    "samtale",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Source(_Strict):
    title: str = Field(min_length=3)
    url: str = Field(pattern=r"^https://[^\s]+$")


class Link(_Strict):
    title: str = Field(min_length=2)
    url: str = Field(pattern=r"^(https://[^\s]+|tel:\+?[0-9]{3,12}|mailto:[^\s@]+@[^\s@]+)$")


class NorwegianText(_Strict):
    title: str = Field(min_length=3)
    short: str = Field(min_length=10)
    body: str = ""
    steps: tuple[str, ...] = ()


class EnglishText(_Strict):
    title: str = Field(min_length=3)
    short: str = Field(min_length=10)


class ArticleFile(_Strict):
    slug: str
    theme: Theme
    kind: Kind
    reviewed: dt.date
    related: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    links: tuple[Link, ...] = ()
    nb: NorwegianText
    nn: NorwegianText
    en: EnglishText

    @field_validator("slug")
    @classmethod
    def _known_slug(cls, slug: str) -> str:
        if slug not in ALL_TOPICS:
            raise ValueError(f"unknown topic slug {slug!r}")
        return slug

    @field_validator("related")
    @classmethod
    def _known_related(cls, related: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [slug for slug in related if slug not in ALL_TOPICS]
        if unknown:
            raise ValueError(f"unknown related slugs {unknown}")
        return related

    @model_validator(mode="after")
    def _answers_have_sources(self) -> ArticleFile:
        if self.kind == "answer" and not self.sources:
            raise ValueError("an article of kind 'answer' needs at least one source")
        if self.kind == "answer" and not (self.nb.body and self.nn.body):
            raise ValueError("an article of kind 'answer' needs nb.body and nn.body")
        return self
