"""The chat widget on the demo page, in headless Chromium: what a parent sees and does.

Every test ends with a check (in the `pages` fixture) that the page logged no console
errors, threw nothing and opened no dialog (alert/confirm), unless the test expected the
browser's own "Failed to load resource" line for an error status it provoked.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Locator, Page, expect

from bot.kb.store import KnowledgeBase
from bot.messages import message
from tests.browser.conftest import DESKTOP, HOSTILE_ANSWER, PHONE, LiveApp, Pages

pytestmark = pytest.mark.browser

QUESTION = "hvor ofte blir det samvær?"  # answered from samvaer.hyppighet
STORAGE_NOTE = "Samtalen lagres bare i denne fanen og slettes når du lukker den."
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# The focused element inside the widget, or None when focus is outside it.
FOCUSED = """() => {
  const host = document.querySelector("landsby-chat");
  if (document.activeElement !== host) return null;
  const el = host.shadowRoot.activeElement;
  if (!el) return null;
  const style = getComputedStyle(el);
  return {cls: el.className, tag: el.tagName.toLowerCase(), text: el.textContent,
          outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)};
}"""
STORED = "() => JSON.parse(sessionStorage.getItem('landsby-chat') || 'null')"


def launcher(page: Page) -> Locator:
    return page.get_by_role("button", name="Spør Landsby")


def dialog(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Landsby – spør om barn i fosterhjem")


def textbox(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Skriv spørsmålet ditt")


def answers(page: Page) -> Locator:
    return page.locator(".msg.bot:not(.typing)")


def short(kb: KnowledgeBase, slug: str, lang: str = "nb") -> str:
    article = kb.article(slug)
    assert article is not None
    return " ".join(article.text(lang).short.split()[:8])


async def open_widget(page: Page) -> None:
    await launcher(page).click()
    await expect(dialog(page)).to_be_visible()
    await expect(answers(page).first).to_be_visible()


async def ask(page: Page, text: str) -> Locator:
    """Type `text`, send it with Enter, and wait for the first reply to it."""
    count = await answers(page).count()
    await textbox(page).fill(text)
    await textbox(page).press("Enter")
    await expect(page.locator(".typing")).to_have_count(0)
    reply = answers(page).nth(count)
    await expect(reply).to_be_visible()
    return reply


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = await page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
          return result.violations.map(v => ({id: v.id, help: v.help,
                                             targets: v.nodes.map(n => n.target)}));
        }""",
        WCAG_21_AA,
    )
    return result


async def test_open_ask_and_follow_a_quick_reply(
    page: Page, live: LiveApp, kb: KnowledgeBase
) -> None:
    live.engine.delay_s = 0.5
    async with page.expect_response("**/api/welcome?lang=nb") as welcome_response:
        await launcher(page).click()
    welcome = await (await welcome_response.value).json()
    await expect(dialog(page)).to_be_visible()
    await expect(answers(page).first).to_contain_text(welcome["messages"][0]["text"])
    await expect(answers(page).first).to_contain_text("automatisk")
    await expect(dialog(page)).to_contain_text(STORAGE_NOTE)

    await textbox(page).fill(QUESTION)
    await textbox(page).press("Enter")
    await expect(page.locator(".msg.user")).to_have_text(re.compile(QUESTION))
    await expect(page.locator(".typing")).to_contain_text("Landsby skriver")
    answer = answers(page).nth(1)
    await expect(answer).to_contain_text(short(kb, "samvaer.hyppighet"))
    await expect(page.locator(".typing")).to_have_count(0)

    source = answer.get_by_role("link", name=re.compile("Samvær – kunnskapsbasert"))
    assert (await source.get_attribute("href") or "").startswith("https://www.bufdir.no/")
    assert await source.get_attribute("target") == "_blank"
    steps = answer.get_by_text("Skriv ned hvordan samværene går")
    await expect(steps).to_be_hidden()
    await answer.get_by_text("Les mer").click()
    await expect(steps).to_be_visible()

    live.engine.delay_s = 0
    await answer.get_by_role("button", name=re.compile("Hvordan får jeg mer samvær")).click()
    await expect(answers(page).nth(2)).to_contain_text(short(kb, "samvaer.endring"))
    assert live.engine.received[-1]["message"] == "/samvaer.endring"
    await expect(page.locator(".msg.user").last).to_have_text(
        re.compile("Hvordan får jeg mer samvær")
    )


async def test_keyboard_only_from_opening_to_closing(
    page: Page, live: LiveApp, kb: KnowledgeBase
) -> None:
    for _ in range(40):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(FOCUSED)
        if focused and focused["cls"] == "launcher":
            break
    else:
        pytest.fail("Tab never reached the launcher")
    assert focused["outline"] == "solid" and focused["outlineWidth"] >= 2  # visible focus

    await page.keyboard.press("Enter")
    await expect(dialog(page)).to_be_visible()
    assert (await page.evaluate(FOCUSED))["tag"] == "textarea"
    await page.keyboard.type(QUESTION)
    await page.keyboard.press("Enter")
    await expect(answers(page).nth(1)).to_contain_text(short(kb, "samvaer.hyppighet"))

    for _ in range(60):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(FOCUSED)
        assert focused is not None, "Tab left the open dialog"
        assert focused["outline"] == "solid"
        if focused["cls"] == "reply":
            break
    else:
        pytest.fail("Tab never reached a quick reply")
    await page.keyboard.press("Enter")
    await expect(answers(page).nth(2)).to_be_visible()
    assert live.engine.received[-1]["message"].startswith("/samvaer.")

    await page.keyboard.press("Escape")
    await expect(dialog(page)).to_be_hidden()
    assert (await page.evaluate(FOCUSED))["cls"] == "launcher"


async def test_a_reload_keeps_the_conversation_in_this_tab(page: Page, live: LiveApp) -> None:
    await open_widget(page)
    await ask(page, "Hva er et familieråd?")
    stored = await page.evaluate(STORED)

    await page.reload()
    await open_widget(page)
    await expect(page.locator(".msg.user")).to_have_text([re.compile("Hva er et familieråd")])
    await expect(answers(page)).to_have_count(2)  # welcome + answer, welcome not fetched again
    await ask(page, QUESTION)
    senders = {received["sender"] for received in live.engine.received}
    assert senders == {stored["sessionId"]}
    await expect(dialog(page)).to_contain_text(STORAGE_NOTE)


async def test_nynorsk_is_used_once_chosen(page: Page, live: LiveApp, kb: KnowledgeBase) -> None:
    await open_widget(page)
    nynorsk = page.get_by_role("button", name="Nynorsk")
    await nynorsk.click()
    await expect(nynorsk).to_have_attribute("aria-pressed", "true")
    await expect(page.get_by_role("button", name="Snakk med eit menneske")).to_be_visible()
    await expect(answers(page)).to_have_count(1)
    await expect(answers(page).first).to_contain_text("eg er Landsby")  # greeting redone in nn

    async with page.expect_request("**/api/chat") as request:
        answer = await ask(page, QUESTION)  # typed in bokmål, answered in the chosen nynorsk
    assert ((await request.value).post_data_json or {})["lang"] == "nn"
    await expect(answer).to_contain_text(short(kb, "samvaer.hyppighet", "nn"))
    await expect(answer.get_by_text("Les meir")).to_be_visible()
    await expect(answer).to_have_attribute("lang", "nn")


async def test_thumbs_send_feedback_for_the_answer(
    page: Page, live: LiveApp, kb: KnowledgeBase
) -> None:
    await open_widget(page)
    answer = await ask(page, QUESTION)
    up = answer.get_by_role("button", name="Ja, svaret var nyttig")
    async with page.expect_response("**/api/feedback") as feedback:
        await up.click()
    response = await feedback.value
    article = kb.article("samvaer.hyppighet")
    assert article is not None
    assert response.status == 204
    assert response.request.post_data_json == {
        "session_id": (await page.evaluate(STORED))["sessionId"],
        "topic": "samvaer.hyppighet",
        "version": article.version,
        "value": "up",
    }
    await expect(up).to_have_attribute("aria-pressed", "true")
    await expect(answer).to_contain_text("Takk for tilbakemeldingen!")


async def test_deleting_the_conversation_clears_it_here_and_on_the_server(
    page: Page, live: LiveApp
) -> None:
    await open_widget(page)
    await ask(page, QUESTION)
    session_id = (await page.evaluate(STORED))["sessionId"]

    await page.get_by_role("button", name="Slett samtalen").click()
    async with page.expect_response("**/api/session/delete") as deleted:
        await page.get_by_role("button", name="Ja, slett").click()
    response = await deleted.value
    assert response.status == 200
    assert response.request.post_data_json == {"session_id": session_id}
    confirmation = (await response.json())["messages"][0]["text"]
    await expect(answers(page)).to_have_text([re.compile(re.escape(confirmation))])
    await expect(page.locator(".msg.user")).to_have_count(0)
    assert await page.evaluate(STORED) is None

    await page.reload()
    await open_widget(page)
    await expect(page.locator(".msg.user")).to_have_count(0)


async def test_talking_to_a_human_offers_the_municipalitys_contact(
    page: Page, live: LiveApp
) -> None:
    await open_widget(page)
    await page.get_by_role("button", name="Snakk med et menneske").click()
    answer = answers(page).nth(1)
    await expect(answer).to_contain_text("Spørsmål om din egen sak")
    assert live.engine.received[-1]["message"] == "/menneske"
    call = answer.get_by_role("link", name="Ring 12 34 56 78")
    assert await call.get_attribute("href") == "tel:12345678"
    website = answer.get_by_role("link", name=re.compile("Gå til nettsiden"))
    assert await website.get_attribute("href") == "https://eksempel.kommune.no/barnevern"


async def test_a_crisis_answer_stands_out_with_large_call_buttons(page: Page) -> None:
    await open_widget(page)
    answer = await ask(page, "han slår meg nå og jeg er redd")
    await expect(answer).to_contain_text("Få hjelp nå")
    assert "kind-crisis" in (await answer.get_attribute("class") or "")
    call = answer.get_by_role("link", name="Ring 112 – Politi")
    assert await call.get_attribute("href") == "tel:112"
    box, bubble = await call.bounding_box(), await answer.bounding_box()
    assert box and bubble
    assert box["height"] >= 48 and box["width"] >= 0.8 * bubble["width"]
    colours = await page.evaluate(
        """() => [".kind-crisis", ".msg.bot:not(.kind-crisis)"].map(s => getComputedStyle(
             document.querySelector("landsby-chat").shadowRoot.querySelector(s)).backgroundColor)"""
    )
    assert colours[0] != colours[1]


async def test_engine_down_shows_the_servers_sentence_and_keeps_the_text(
    page: Page, live: LiveApp, pages: Pages
) -> None:
    pages.watches[0].allow("status of 503")
    await open_widget(page)
    live.engine.mode = "down"
    await textbox(page).fill(QUESTION)
    await textbox(page).press("Enter")
    await expect(page.locator(".msg.notice")).to_have_text(message("engine_unavailable"))
    await expect(page.locator(".msg.user.failed")).to_contain_text("Ikke sendt")
    await expect(textbox(page)).to_have_value(QUESTION)

    live.engine.mode = "ok"
    await textbox(page).press("Enter")
    await expect(answers(page).nth(1)).to_contain_text("Det finnes ikke et fast antall")


async def test_too_many_messages_wait_as_long_as_the_server_says(
    pages: Pages, start_app: Callable[..., Awaitable[LiveApp]]
) -> None:
    live = await start_app(rate_per_minute=2)
    page, watch = await pages.open()
    watch.allow("status of 429")
    chat_requests: list[str] = []
    page.on("request", lambda r: chat_requests.append(r.url) if "/api/chat" in r.url else None)
    await page.goto(live.url)
    await open_widget(page)
    await ask(page, QUESTION)
    await ask(page, "Hva er et familieråd?")

    await textbox(page).fill("Hva er en tilsynsfører?")
    await textbox(page).press("Enter")
    await expect(page.locator(".msg.notice")).to_have_text(message("rate_limited"))
    await expect(textbox(page)).to_have_value("Hva er en tilsynsfører?")
    assert len(chat_requests) == 3

    await textbox(page).press("Enter")  # within Retry-After: no request, a note instead
    await expect(page.locator(".msg.notice").last).to_contain_text(
        re.compile(r"Du kan sende en ny melding om \d+ sekunder")
    )
    assert len(chat_requests) == 3


async def test_offline_and_unreachable_are_explained(
    page: Page, live: LiveApp, pages: Pages
) -> None:
    await open_widget(page)
    await page.context.set_offline(True)
    await expect(page.locator(".offline")).to_contain_text("Du er uten nett")
    await textbox(page).fill(QUESTION)
    await textbox(page).press("Enter")
    await expect(page.locator(".msg.notice")).to_contain_text("uten nett")
    await expect(textbox(page)).to_have_value(QUESTION)
    assert live.engine.received == []

    await page.context.set_offline(False)
    await expect(page.locator(".offline")).to_be_hidden()
    pages.watches[0].allow("net::ERR_FAILED")
    await page.route("**/api/chat", lambda route: route.abort())
    await textbox(page).press("Enter")
    await expect(page.locator(".msg.notice").last).to_contain_text("Vi fikk ikke kontakt")
    await expect(textbox(page)).to_have_value(QUESTION)

    await page.unroute("**/api/chat")
    await textbox(page).press("Enter")
    await expect(answers(page).nth(1)).to_contain_text("Det finnes ikke et fast antall")


NO_ACTIVE_CONTENT = """() => {
  const root = document.querySelector("landsby-chat").shadowRoot;
  const all = [...root.querySelectorAll("*")];
  return {
    elements: all.filter(e => ["img", "script", "iframe", "object", "embed"]
                                .includes(e.tagName.toLowerCase())).length,
    handlers: all.flatMap(e => [...e.attributes].map(a => a.name))
                 .filter(n => n.startsWith("on")).length,
    hrefs: all.filter(e => e.hasAttribute("href") && e.tagName !== "LINK")
              .map(e => e.getAttribute("href")),
    pwned: window.__pwned ?? null,
  };
}"""


async def test_html_in_questions_is_shown_as_text(pages: Pages, live: LiveApp) -> None:
    page, _ = await pages.open(bypass_csp=True)  # safe without the app's CSP, as on a host page
    await page.goto(live.url)
    await open_widget(page)
    payloads = [
        '<img src=x onerror="window.__pwned=1;alert(1)">',
        "<script>window.__pwned=2;alert(2)</script>",
        "javascript:alert(3)",
    ]
    for payload in payloads:
        await ask(page, payload)
    await expect(page.locator(".msg.user")).to_have_text(
        [re.compile(re.escape(p)) for p in payloads]
    )
    found = await page.evaluate(NO_ACTIVE_CONTENT)
    assert (found["elements"], found["handlers"], found["pwned"]) == (0, 0, None)
    assert not any(h.startswith("javascript") for h in found["hrefs"])


async def test_hostile_answers_render_as_inert_text_without_unsafe_links(
    pages: Pages, live: LiveApp
) -> None:
    live.engine.mode = "xss"
    page, _ = await pages.open(bypass_csp=True)
    await page.goto(live.url)
    await open_widget(page)
    answer = await ask(page, "hei")
    await expect(answer).to_contain_text(HOSTILE_ANSWER["text"])
    await answer.get_by_text("Les mer").click()
    await expect(answer).to_contain_text("<iframe src=javascript:alert(7)></iframe>")
    await expect(answer).to_contain_text("<a href=javascript:alert(8)>klikk</a>")
    links = await answer.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert links == ["tel:112", "https://www.bufdir.no/"]  # javascript:, data:, http: dropped

    button_title = HOSTILE_ANSWER["buttons"][0]["title"]
    await answer.get_by_role("button", name=button_title).click()
    await expect(page.locator(".msg.user").last).to_have_text(re.compile(re.escape(button_title)))
    await expect(answers(page)).to_have_count(3)

    for _ in range(2):  # as rendered, then as restored from sessionStorage after a reload
        found = await page.evaluate(NO_ACTIVE_CONTENT)
        assert (found["elements"], found["handlers"], found["pwned"]) == (0, 0, None)
        assert set(found["hrefs"]) <= {"tel:112", "https://www.bufdir.no/"}
        await page.reload()
        await open_widget(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_no_wcag_21_aa_violations_closed_and_in_conversation(
    pages: Pages, live: LiveApp, axe_source: Path, viewport: dict[str, int]
) -> None:
    # axe itself sets inline styles while it measures; the other tests hold the widget to the CSP.
    page, _ = await pages.open(viewport=viewport, bypass_csp=True)
    await page.add_init_script(path=str(axe_source))
    await page.goto(live.url)
    await expect(launcher(page)).to_be_visible()
    assert await axe_violations(page) == []

    await open_widget(page)
    answer = await ask(page, QUESTION)
    await answer.get_by_text("Les mer").click()
    await answer.get_by_role("button", name="Ja, svaret var nyttig").click()
    await expect(answer).to_contain_text("Takk")
    await ask(page, "han slår meg nå og jeg er redd")
    await page.get_by_role("button", name="Snakk med et menneske").click()
    await expect(answers(page)).to_have_count(4)
    await page.get_by_role("button", name="Slett samtalen").click()
    assert await axe_violations(page) == []


@pytest.mark.parametrize(
    "viewport",
    [{"width": 320, "height": 640}, {"width": 640, "height": 400}],
    ids=["320px", "200-percent-zoom"],  # 1280×800 at 200 % lays out as 640×400
)
async def test_fits_narrow_screens_and_200_percent_zoom(
    pages: Pages, live: LiveApp, viewport: dict[str, int]
) -> None:
    page, _ = await pages.open(viewport=viewport, device_scale_factor=2)
    await page.goto(live.url)
    await open_widget(page)
    answer = await ask(page, QUESTION)
    await answer.get_by_text("Les mer").click()
    sizes = await page.evaluate(
        """() => {
          const panel = document.querySelector("landsby-chat").shadowRoot.querySelector(".panel");
          const box = panel.getBoundingClientRect();
          return {left: box.left, right: box.right, scrollWidth: panel.scrollWidth,
                  clientWidth: panel.clientWidth, page: document.documentElement.scrollWidth};
        }"""
    )
    assert sizes["left"] >= 0 and sizes["right"] <= viewport["width"]
    assert sizes["scrollWidth"] <= sizes["clientWidth"]  # nothing needs sideways scrolling
    assert sizes["page"] <= viewport["width"]
    for control in (textbox(page), page.get_by_role("button", name="Send", exact=True)):
        await control.scroll_into_view_if_needed()
        box = await control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]


@pytest.mark.parametrize(
    "motion, animation", [("reduce", "none"), ("no-preference", "landsby-bounce")]
)
async def test_the_typing_indicator_respects_reduced_motion(
    pages: Pages, live: LiveApp, motion: str, animation: str
) -> None:
    page, _ = await pages.open(reduced_motion=motion)
    await page.goto(live.url)
    await open_widget(page)
    live.engine.delay_s = 1.0
    await textbox(page).fill(QUESTION)
    await textbox(page).press("Enter")
    dot = page.locator(".dots span").first
    await expect(dot).to_be_visible()
    assert await dot.evaluate("el => getComputedStyle(el).animationName") == animation
    await expect(answers(page).nth(1)).to_be_visible()


async def test_the_host_page_keeps_its_own_styles(page: Page) -> None:
    await expect(launcher(page)).to_be_visible()
    host = await page.evaluate(
        """() => ({sheets: document.styleSheets.length,
                   body: getComputedStyle(document.body).fontFamily,
                   last: document.body.lastElementChild.tagName.toLowerCase()})"""
    )
    assert host == {
        "sheets": 1,
        "body": 'Georgia, "Times New Roman", serif',
        "last": "landsby-chat",
    }
    font = await launcher(page).evaluate("el => getComputedStyle(el).fontFamily")
    assert "Georgia" not in font  # and the page's serif font does not leak into the widget


@pytest.mark.parametrize(
    "name, options",
    [
        ("phone", {"viewport": PHONE, "is_mobile": True, "has_touch": True}),
        ("desktop", {"viewport": DESKTOP}),
    ],
)
async def test_screenshots(
    pages: Pages, live: LiveApp, screenshots: Path, name: str, options: dict[str, Any]
) -> None:
    page, _ = await pages.open(reduced_motion="reduce", **options)
    await page.goto(live.url)
    await expect(launcher(page)).to_be_visible()
    await page.screenshot(path=screenshots / f"widget-{name}-closed.png")
    await open_widget(page)
    answer = await ask(page, QUESTION)
    await page.screenshot(path=screenshots / f"widget-{name}.png")
    await answer.get_by_text("Les mer").click()
    await ask(page, "han slår meg nå og jeg er redd")
    await page.screenshot(path=screenshots / f"widget-{name}-crisis.png")


HOST_PAGE = """<!doctype html><html lang="en"><head><title>Another host</title></head>
<body><main><h1>Another host</h1></main>
<script src="/static/widget.js" defer data-lang="nn" data-accent="{accent}"
  data-title="&lt;img src=x onerror=alert(1)&gt;" data-contact-phone="12 34 56 78"
  data-contact-url="javascript:alert(2)"></script></body></html>"""


@pytest.mark.parametrize(
    "accent, shown",
    [("#6b2c91", "rgb(107, 44, 145)"), ("#ffff00", "rgb(11, 92, 122)")],
    ids=["readable-accent", "unreadable-accent-replaced"],
)
async def test_embedding_attributes_are_checked(
    pages: Pages, live: LiveApp, accent: str, shown: str
) -> None:
    page, _ = await pages.open(bypass_csp=True)
    url = live.url + "host.html"  # a host page of its own, without the app's CSP
    body = HOST_PAGE.format(accent=accent)
    await page.route(url, lambda route: route.fulfill(body=body, content_type="text/html"))
    await page.goto(url)

    button = launcher(page)
    await expect(button).to_have_css("background-color", shown)
    await button.click()
    panel = page.get_by_role("dialog", name="<img src=x onerror=alert(1)>")
    await expect(panel).to_be_visible()
    await expect(answers(page).first).to_contain_text("eg er Landsby")
    assert await page.locator(".landsby").get_attribute("lang") == "nn"  # on an English page

    await page.get_by_role("button", name="Snakk med eit menneske").click()
    answer = answers(page).nth(1)
    await expect(answer.get_by_role("link", name="Ring 12 34 56 78")).to_be_visible()
    await expect(answer.get_by_role("link", name=re.compile("Gå til nettsida"))).to_have_count(0)
    assert await page.evaluate("() => window.__pwned ?? null") is None


@pytest.mark.parametrize("name", ["widget.js", "widget.css"])
def test_widget_files_are_ascii_so_any_host_page_encoding_reads_them(name: str) -> None:
    # Served without a charset, they are decoded in the host page's encoding (see widget.js).
    (Path(__file__).parents[2] / "bot" / "web" / "static" / name).read_bytes().decode("ascii")
