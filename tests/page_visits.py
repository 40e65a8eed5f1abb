"""One visit per page of the real site in headless Chromium, read by several tests.

Loading a page is most of what a browser test costs, so the checks that only read a loaded
page (no sideways scroll on a phone, one <h1>, no console error or outside request, where the
language switch leads, axe-core) share one load. The page opens at a phone's width (390 px),
as a phone loads it, so that scripts which look at the width when the page loads are measured
too; its width is read; then the viewport widens to a desktop's (1280 px), as when a window
is widened, and the desktop checks read it. (Material's own scripts follow width changes as
they happen; the site's own script reads no width.) axe-core runs only on the pages
test_accessibility.py names: it costs seconds a page.

The tests that use these visits carry ``xdist_group(group(lang))``, so that under
pytest-xdist one worker makes each visit of a language once (and the two languages can go to
two workers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def group(lang: str) -> str:
    """The xdist group of the tests that read the visits of one language."""
    return f"page-visits-{lang}"


LANGUAGES = [pytest.param(lang, marks=pytest.mark.xdist_group(group(lang)))
             for lang in ("en", "zh")]
"""``lang`` parameters for the tests that read visits: each language in its xdist group."""
PREFIXES = [pytest.param(prefix, marks=pytest.mark.xdist_group(group(lang)))
            for lang, prefix in (("en", ""), ("zh", "/zh"))]
"""The same, as the URL prefix of the language (``""``, ``"/zh"``)."""


def watch_problems(tab: Any, site_url: str) -> Any:
    """Collect in ``tab.problems`` the console errors, page errors and requests that leave
    ``site_url``: what every browser test asserts to be empty."""
    tab.problems = []
    tab.on("console", lambda m: tab.problems.append(f"console {m.type}: {m.text}")
           if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.problems.append(f"page error: {e}"))
    tab.on("request", lambda r: tab.problems.append(f"external request: {r.url}")
           if not r.url.startswith((site_url, "data:", "blob:")) else None)
    return tab


@dataclass
class Visit:
    """What one load of one page showed."""

    url: str
    ok: bool
    headings: int
    switch_href: str
    problems: list[str]
    phone_width: int
    violations: list[dict[str, Any]] | None = field(default=None)
    """axe-core's violations, for the pages it was asked to check (else None)."""


class PageVisits:
    """Visits made on demand, each page once, in one tab per language."""

    def __init__(self, browser: Any, site_url: str, axe: Any) -> None:
        self.browser, self.site_url, self.axe = browser, site_url, axe
        self.visits: dict[tuple[str, bool], Visit] = {}
        self.tabs: dict[str, Any] = {}
        self.contexts: list[Any] = []

    def _tab(self, lang: str) -> Any:
        if lang not in self.tabs:
            context = self.browser.new_context(viewport=DESK, reduced_motion="reduce")
            self.contexts.append(context)
            self.tabs[lang] = watch_problems(context.new_page(), self.site_url)
        return self.tabs[lang]

    def visit(self, lang: str, path: str, *, axe: bool = False) -> Visit:
        """The page at ``path`` (below the language's root), loaded once for every check."""
        key = (f"{lang}:{path}", axe)
        if key not in self.visits:
            if not axe and (f"{lang}:{path}", True) in self.visits:
                return self.visits[(f"{lang}:{path}", True)]
            self.visits[key] = self._load(lang, path, axe)
        return self.visits[key]

    def _load(self, lang: str, path: str, axe: bool) -> Visit:
        tab = self._tab(lang)
        tab.problems.clear()
        other = "zh" if lang == "en" else "en"
        url = f"{self.site_url}{'' if lang == 'en' else '/zh'}/{path}"
        tab.set_viewport_size(PHONE)
        response = tab.goto(url, wait_until="load")  # every script has run, at a phone's width
        phone_width = tab.evaluate("document.documentElement.scrollWidth")
        tab.set_viewport_size(DESK)
        # Layout follows the new width by the next frame; what appears with it (the tabs) fades
        # in: wait for two frames, then for every running transition to end. (The context asks
        # for reduced motion, as a reader may; Material then skips its transitions, and this
        # wait is two frames, not 0.7 s a page.)
        tab.evaluate("""() => new Promise(done => requestAnimationFrame(
            () => requestAnimationFrame(done))).then(() => Promise.all(
            document.getAnimations().map(a => a.finished.catch(() => null))))""")
        headings = tab.locator("h1").count()
        switch = tab.locator(f".md-header a[hreflang='{other}']").evaluate("a => a.href")
        violations = None
        if axe:
            # axe reads colours where an element is drawn, and content-visibility: auto leaves
            # off-screen parts undrawn until a reader scrolls to them: measure every part as
            # drawn (axe-core issue 2768, a known false contrast failure).
            tab.add_style_tag(content="* { content-visibility: visible !important; }")
            violations = self.axe.run(tab).response["violations"]
        return Visit(url, response is not None and response.ok, headings, switch,
                     list(tab.problems), phone_width, violations)

    def close(self) -> None:
        for context in self.contexts:
            context.close()
