"""Per-deployment settings (deployment.yml): the municipality's own contact for a human.

Only the handoff answers use it, so that "Snakk med et menneske" ends with a number and
opening hours the parent can actually use.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.config import PROJECT_ROOT

DEFAULT_FILE = PROJECT_ROOT / "deployment.yml"

_CONTACT_INTRO = {
    "nb": "Du kan kontakte {name} på telefon {phone}",
    "nn": "Du kan kontakte {name} på telefon {phone}",
    "en": "You can contact {name} by phone on {phone}",
}
_CHAT_TITLE = {"nb": "Chat – barnevern", "nn": "Chat – barnevern", "en": "Chat – barnevern"}


class DeploymentError(Exception):
    pass


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=3)
    phone: str = Field(pattern=r"^\+?[0-9 ]{3,16}$")
    opening_hours: dict[str, str] = Field(default_factory=dict)
    url: str | None = Field(default=None, pattern=r"^https://\S+$")
    chat_url: str | None = Field(default=None, pattern=r"^https://\S+$")


class Deployment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    municipality: str | None = None
    barnevern: Contact | None = None

    def contact_text(self, lang: str) -> str | None:
        """One sentence with the municipality's number and opening hours, if configured."""
        if self.barnevern is None:
            return None
        contact = self.barnevern
        text = _CONTACT_INTRO.get(lang, _CONTACT_INTRO["nb"]).format(
            name=contact.name, phone=contact.phone
        )
        hours = contact.opening_hours.get(lang) or contact.opening_hours.get("nb")
        return f"{text} ({hours})." if hours else f"{text}."

    def contact_links(self, lang: str) -> list[dict[str, str]]:
        if self.barnevern is None:
            return []
        contact = self.barnevern
        links = [
            {
                "title": f"{contact.name}: {contact.phone}",
                "url": "tel:" + re.sub(r"[^0-9+]", "", contact.phone),
            }
        ]
        if contact.chat_url:
            links.append(
                {"title": _CHAT_TITLE.get(lang, "Chat – barnevern"), "url": contact.chat_url}
            )
        if contact.url:
            links.append({"title": contact.name, "url": contact.url})
        return links


@lru_cache(maxsize=4)
def _load(path: Path) -> Deployment:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        return Deployment.model_validate(raw or {})
    except (yaml.YAMLError, ValidationError) as exc:
        raise DeploymentError(f"{path}: {exc}") from exc


def load(path: Path | None = None) -> Deployment:
    """The deployment settings (LANDSBY_DEPLOYMENT_FILE, else deployment.yml)."""
    configured = os.environ.get("LANDSBY_DEPLOYMENT_FILE")
    return _load(path or (Path(configured) if configured else DEFAULT_FILE))
