"""What the theme overrides read from ``config.extra``, the same under every engine.

The overrides in ``docs_templates/overrides`` are Material templates, rendered by MkDocs with
the ``mechatlas`` plugin or by an engine building the generated tree without it
(``site/engines.py``); ``config.extra`` is what reaches them in both cases.
"""

from __future__ import annotations

from typing import Any

from mechatlas.model.kinds import LANGUAGES
from mechatlas.render.environment import load_strings
from mechatlas.settings import BuildSettings

THEME_STRINGS = ("colour_toggle",)
"""Sections of the interface strings the theme's own chrome uses (partials/palette.html)."""


def theme_extra(settings: BuildSettings) -> dict[str, Any]:
    """``mechatlas_edit_url``: the prefix of an entry's edit link (partials/actions.html);
    ``mechatlas_strings``: per language, the interface strings of the header's chrome, so a
    Chinese page's toggle is named in Chinese (static-i18n has no per-language palette)."""
    strings = {lang: load_strings(settings.template_dir, lang) for lang in LANGUAGES}
    return {"mechatlas_edit_url": settings.edit_url,
            "mechatlas_strings": {lang: {section: strings[lang][section]
                                         for section in THEME_STRINGS}
                                  for lang in LANGUAGES}}
