"""Support for the browser tests: Playwright driving Debian's Chromium against the live test
server. Fixtures are in the root conftest.py (`browser`, `open_page`, `reference_data`);
journeys live next to the pages they test (`sevamitra/<app>/tests/test_browser_*.py`).

Screenshots go to var/screenshots/ (README: "Screenshots").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from sevamitra.sms.backends import locmem as sms_outbox

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PAGE_BUDGET_BYTES = 100 * 1024  # before images, CSS and JS included (issue 4)

MOBILE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) in the page; the violations of those impacts,
    each as {id, impact, help, nodes: [css target, …]} so a failure message says where."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {
               runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
               resultTypes: ['violations']})"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [", ".join(map(str, n["target"])) for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def page_weight(page: Page) -> dict[str, int]:
    """Bytes the page cost over the wire, from the browser's own Resource Timing: the document
    plus every resource that is not an image. Call on a fresh context (nothing cached).
    Each figure is also appended to var/screenshots/page-weights.tsv (the measured list)."""
    weight: dict[str, int] = page.evaluate(
        """() => {
            const nav = performance.getEntriesByType('navigation')[0];
            let other = 0, images = 0;
            for (const r of performance.getEntriesByType('resource')) {
                const size = r.transferSize || r.encodedBodySize || 0;
                const image = /\\.(png|jpe?g|webp|gif|svg|avif)(\\?|$)/.test(r.name);
                if (r.initiatorType === 'img' || image) images += size;
                else other += size;
            }
            const doc = nav.transferSize || nav.encodedBodySize || 0;
            return {document: doc, other: other, images: images, total: doc + other};
        }"""
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = page.url.split("://", 1)[-1].split("/", 1)[-1].split("?")[0]
    with (SCREENSHOTS / "page-weights.tsv").open("a", encoding="utf-8") as log:
        log.write(f"/{path}\t{weight['document']}\t{weight['other']}\t{weight['total']}\n")
    return weight


def overflowing(page: Page) -> list[str]:
    """Elements wider than the viewport (a page usable at 360 px scrolls only vertically);
    scrollable table wrappers are allowed to hold wide tables."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth, out = [];
            for (const el of document.body.querySelectorAll('*')) {
                if (el.closest('.table-wrap')) continue;
                const box = el.getBoundingClientRect();
                if (box.width && (box.right > width + 1 || box.left < -1)) {
                    if (getComputedStyle(el).position === 'absolute') continue;  // skip link
                    out.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                             + ' ' + Math.round(box.left) + '…' + Math.round(box.right));
                }
            }
            return out.slice(0, 10);
        }"""
    )


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as var/screenshots/<name>.png and return its path. At phone
    width it first checks that nothing sticks out sideways (usable at 360 px)."""
    if page.viewport_size and page.viewport_size["width"] <= 400:
        wide = overflowing(page)
        assert wide == [], f"{name}: wider than the screen: {wide}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_MASKED_PHONE = re.compile(r"\bX{4,}\d{2,4}\b")  # user.masked_phone: "XXXXXX1234"
# Words that are the same in both languages: names, units and marks, not sentences.
LATIN_ALLOWED = {
    "Sevamitra", "English", "AM", "PM", "OTP", "ID", "UPI", "GST", "GSTIN", "km", "ONDC",
    "PDF", "SMS", "QR",
}  # fmt: skip


def visible_texts(page: Page) -> list[str]:
    """Every visible text node of the page (and button/input labels), stripped."""
    return page.evaluate(
        """() => {
            const out = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode, el = node.parentElement;
                const text = node.textContent.trim();
                if (!text || !el) continue;
                if (el.closest('script,style,[lang="en"],[translate="no"]')) continue;
                const style = getComputedStyle(el);
                if (style.display === 'none' || style.visibility === 'hidden') continue;
                if (!el.getClientRects().length) continue;
                out.push(text);
            }
            for (const el of document.querySelectorAll('input[placeholder],[aria-label]')) {
                if (el.closest('[lang="en"],[translate="no"]')) continue;
                const t = el.getAttribute('placeholder') || el.getAttribute('aria-label');
                if (t) out.push(t.trim());
            }
            return out;
        }"""
    )


def untranslated(page: Page, allowed: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Texts on a Hindi page that contain English words. Proper names and other deliberate
    English must be marked in the template with lang="en" (which screen readers need anyway)
    or translate="no"; `allowed` adds words for one page (e.g. demo names)."""
    words = LATIN_ALLOWED | set(allowed)
    return [
        text
        for text in visible_texts(page)
        if any(w not in words for w in _LATIN_WORD.findall(_MASKED_PHONE.sub("", text)))
    ]


def last_sms_code(phone: str) -> str:
    """The newest 6-digit code texted to this number (the live server shares our process)."""
    for message in reversed(sms_outbox.outbox):
        if message.to.endswith(phone):
            found = re.search(r"\b(\d{6})\b", message.body)
            if found:
                return found.group(1)
    raise AssertionError(f"no code was texted to {phone}")


def sign_in(page: Page, phone: str, next_path: str = "/") -> None:
    """Sign in through the real pages: number, then the code from the SMS outbox. Each step
    waits for the page it leads to (Enter alone returns before the browser has navigated)."""
    page.goto(f"/accounts/signin/?next={next_path}")
    page.locator("input[name=phone]").fill(phone)
    with page.expect_navigation():
        page.locator("input[name=phone]").press("Enter")
    page.locator("input[name=code]").fill(last_sms_code(phone))
    with page.expect_navigation():
        page.locator("input[name=code]").press("Enter")
    page.wait_for_load_state()


def audit_page(
    page: Page,
    *,
    area: str,
    name: str,
    language: str,
    allowed: set[str] | frozenset[str] = frozenset(),
) -> None:
    """The checks every main page passes, as it is now: no serious or critical axe violation,
    under the weight budget, nothing untranslated on a Hindi page, nothing wider than a phone;
    and its screenshots at 360 px and desktop ("<area>-<name>-<language>-<360|desktop>").
    The viewport is left as it was."""
    label = f"{area}-{name}-{language}"
    assert axe_violations(page) == [], label
    weight = page_weight(page)["total"]
    assert 0 < weight < PAGE_BUDGET_BYTES, (label, weight)
    if language == "hi":
        assert untranslated(page, allowed=allowed) == [], label
    was = page.viewport_size or MOBILE
    page.set_viewport_size(MOBILE)
    screenshot(page, f"{label}-360")
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{label}-desktop")
    page.set_viewport_size(was)
