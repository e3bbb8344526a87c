"""Pages from Jinja templates, in the reader's language, and the language itself.

Templates use the ``jinja2.ext.i18n`` extension: ``{{ _("Scenarios") }}`` and ``{% trans %}``
blocks look up ``gettext`` in the render context, so each request gets the callables of its
own language without touching the shared environment (which would not be thread-safe).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from importlib import resources
from typing import Any

from babel.dates import format_datetime
from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from koers.i18n import translator
from koers.model import LANGUAGES, Language

__all__ = [
    "LANGUAGE_COOKIE",
    "environment",
    "gettext_callables",
    "language_of",
    "render",
    "text_in",
]

LANGUAGE_COOKIE = "koers_lang"


def environment() -> Environment:
    """The Jinja environment of the workbench's templates (autoescaped, i18n on)."""
    folder = resources.files("koers.web") / "templates"
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=select_autoescape(["html"], default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Install English callables once so the extension runs in new-style mode; each render
    # passes the callables of its own language in the context, which take precedence.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        *gettext_callables("en"), newstyle=True
    )
    env.filters["t"] = text_in
    env.filters["signed"] = lambda value: f"+{value}" if value > 0 else str(value)
    env.filters["number"] = lambda value, language: format_decimal(value, locale=language)
    env.filters["when"] = when
    return env


def gettext_callables(language: str) -> tuple[Callable[..., str], Callable[..., str]]:
    """``gettext`` and ``ngettext`` for ``language``, new-style (``%(name)s`` filled in).

    The translations are Koers's own, so they are trusted markup; the variables filled into
    them are escaped.
    """
    translate = translator(language)

    def gettext(message: str, **variables: Any) -> str:
        text = Markup(translate(message))
        return text % variables if variables else text

    def ngettext(singular: str, plural: str, number: int, **variables: Any) -> str:
        variables.setdefault("num", number)
        return gettext(singular if number == 1 else plural, **variables)

    return gettext, ngettext


def text_in(value: Any, language: str) -> str:
    """A bilingual text (as its JSON ``{"nl": ..., "en": ...}``) in ``language``."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return str(value.get(language) or value.get("nl") or value.get("en") or "")
    return str(value)


def when(iso: str, language: str) -> str:
    """A stored time (ISO 8601) as a reader of ``language`` writes it: 27 november 2026 07:06."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()  # the server's local time, where the team works
    return format_datetime(moment, "d MMMM y HH:mm", tzinfo=moment.tzinfo, locale=language)


def language_of(request: Request, study_language: str | None = None) -> Language:
    """The reader's language: their choice (a cookie), else the study's, else the browser's."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    if study_language in LANGUAGES:
        return study_language
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    default: Language = request.app.state.settings.language
    return default


def render(
    request: Request,
    template: str,
    page: Mapping[str, Any],
    *,
    language: Language,
    status: int = 200,
    json_url: str | None = None,
    title: str = "",
    state: Hashable | None = None,
) -> HTMLResponse:
    """The HTML page ``template`` over the context object ``page``.

    ``state`` names what the page shows (for a study: its id and revision). Pages with the
    same state, template, language, address and session (its CSRF token) are the same page,
    so they are rendered once and then served from a small cache; without a state the page
    is always rendered. ``csrf`` (the session's CSRF token, for the hidden field of every
    form) and ``account`` (the signed-in name; ``None`` in local mode) are in every page.
    """
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    csrf: str = getattr(request.state, "csrf", "")
    user = getattr(request.state, "user", None)
    account = None if user is None or request.app.state.settings.local else user.name
    key = (template, language, here, status, json_url, title, state, csrf)
    cache: dict[tuple[Any, ...], str] = request.app.state.pages
    html = cache.get(key) if state is not None else None
    if html is None:
        gettext, ngettext = gettext_callables(language)
        env: Environment = request.app.state.templates
        html = env.get_template(template).render(
            page=page,
            lang=language,
            gettext=gettext,
            ngettext=ngettext,
            _=gettext,
            path=request.url.path,
            here=here,
            json_url=json_url,
            title=title,
            csrf=csrf,
            csrf_token=csrf,  # the same, under the name the rounds pages use
            account=account,
        )
        if state is not None:
            if len(cache) >= _CACHED_PAGES:
                cache.pop(next(iter(cache)))
            cache[key] = html
    return HTMLResponse(html, status_code=status)


_CACHED_PAGES = 256
