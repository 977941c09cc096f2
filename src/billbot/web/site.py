"""The web page's routes: the dashboard at `/`, sign-in and sign-out, an admin's top-up, static files.

    GET  /             the dashboard (signed in), else a page saying how to sign in — never a figure
    GET  /signin       a link from /claude-dashboard: checks it, shows a "Sign in" button
    POST /signin       redeems the link once and starts the session cookie, then back to /
    POST /signout      ends the session (CSRF token)
    POST /balance      admins: record a top-up through `/claude-balance topup` (CSRF token)
    GET  /static/…     the stylesheet and the icon

The sign-in link opens a page with a button rather than signing in on the GET: link previews and
mail scanners fetch links too, and must not use up a link that works once. Every POST must come from
this site (`Origin`), and those of a session carry its CSRF token. Every response forbids framing,
scripts and referrers to other sites (the link's token never leaves in a `Referer`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from billbot.access.links import LinkRefused, SignInLinks
from billbot.access.used_links import UsedLinks
from billbot.app.command import Actor, authorize
from billbot.app.errors import Refused, explain
from billbot.app.grammar.answers import CommandError
from billbot.app.replies.model import Response as Reply
from billbot.app.table import parse
from billbot.web import render
from billbot.web.panels import (
    DEFAULT_PERIOD,
    PANELS,
    Answer,
    Panel,
    PanelSpec,
    Selection,
    available,
    run_panels,
    workspace_names,
)
from billbot.web.render import esc
from billbot.web.sessions import COOKIE, Session, SessionRefused, Sessions
from billbot.web.style import stylesheet

MAX_FORM_BYTES = 8192
MAX_PERIOD_CHARS, MAX_WORKSPACE_CHARS = 40, 100
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # not "no-referrer": that makes POSTs say `Origin: null`
    "X-Frame-Options": "DENY",
}
PAGE_HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-store"}
ICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" '
    'fill="#1f5fbf"/><path d="M4 12V4h4.5a2 2 0 0 1 0 4H4h5a2 2 0 0 1 0 4z" fill="none" stroke="#fff" '
    'stroke-width="1.6"/></svg>'
)
HOW_TO_SIGN_IN = (
    "Type <code>/claude-dashboard</code> in Slack: billbot answers with a sign-in link only you can see. "
    "It works once, for a few minutes, and keeps this browser signed in for the day."
)
LINK_REFUSALS = {
    "forged": (400, "This sign-in link is not valid",
               "It was changed or cut short, or it was not made by this billbot."),
    "expired": (410, "This sign-in link has expired", "A link works for a few minutes after it is made."),
    "used": (410, "This sign-in link was already used", "Each link works once."),
}  # fmt: skip
SESSION_REFUSALS = {
    "forged": ("Your session could not be verified", "The session cookie was changed or not made here."),
    "expired": ("Your session has ended", "Sessions last a day."),
}
log = logging.getLogger("billbot.web")


@dataclass(frozen=True)
class Site:
    """Everything the routes use: links, sessions, the used-link record, the answerer and the clocks."""

    links: SignInLinks
    sessions: Sessions
    used_links: Callable[[], UsedLinks]  # opened on first use (the store)
    answer: Answer
    now: Callable[[], datetime]  # the data source's clock: periods are read against it
    is_admin: Callable[[str], bool]
    public_url: str
    commands: Collection[str]
    panels: tuple[PanelSpec, ...] = PANELS

    def routes(self) -> list[BaseRoute]:
        """The page's routes, to mount beside Slack's."""
        return [
            Route("/", self.dashboard, methods=["GET"]),
            Route("/signin", self.sign_in_page, methods=["GET"]),
            Route("/signin", self.sign_in, methods=["POST"]),
            Route("/signout", self.sign_out, methods=["POST"]),
            Route("/balance", self.record_topup, methods=["POST"]),
            Route(render.STYLESHEET, self.css, methods=["GET"]),
            Route(render.ICON, self.icon, methods=["GET"]),
        ]

    async def dashboard(self, request: Request) -> Response:
        """The panels for the signed-in user, or how to sign in (no figure without a session)."""
        session, refusal = self._session(request)
        if session is None:
            return refusal
        actor = Actor(session.user, self.is_admin(session.user))
        now = self.now()
        selection, problem, heading = self._selection(request.query_params, now)
        panels = await run_panels(available(self.commands, self.panels), selection, actor, self.answer, now)
        csrf = self.sessions.csrf_token(session)
        body = (
            f"<h1>Claude API dashboard · {esc(heading)}</h1>"
            + render.selectors(selection, workspace_names(panels))
            + problem
            + '<div class="panels">'
            + "".join(self._panel(panel, actor, csrf) for panel in panels)
            + "</div>"
        )
        header = render.signed_in_header(session.user, csrf)
        return _html(render.page(f"billbot · {heading}", body, header=header))

    async def sign_in_page(self, request: Request) -> Response:
        """A link from Slack: if it is good, a button that signs in with it (a GET never uses it up)."""
        token = request.query_params.get("token", "")
        try:
            claim = self.links.check(token)
            if await run_in_threadpool(self.used_links().used, claim.link_id):
                raise LinkRefused("used")
        except LinkRefused as refused:
            return self._link_refused(refused)
        body = (
            f"<p>This link signs you in as <strong>{esc(claim.user)}</strong>. It works once.</p>"
            '<form method="post" action="/signin">'
            f'<input type="hidden" name="token" value="{esc(token)}">'
            '<button type="submit">Sign in</button></form>'
        )
        return _html(render.page("billbot · sign in", f'<div class="message"><h1>Sign in</h1>{body}</div>'))

    async def sign_in(self, request: Request) -> Response:
        """Redeem a link once and start the session."""
        form = await self._form(request)
        if form is None:
            return _forbidden()
        try:
            claim = self.links.check(form.get("token", ""))
            if not await run_in_threadpool(self.used_links().claim, claim.link_id, claim.expires_at):
                raise LinkRefused("used")
        except LinkRefused as refused:
            return self._link_refused(refused)
        response = RedirectResponse("/", status_code=303, headers=PAGE_HEADERS)
        self.sessions.start(claim.user, response)
        log.info("web sign-in for %s", claim.user)
        return response

    async def sign_out(self, request: Request) -> Response:
        """End the session (a form with its CSRF token)."""
        session, refusal = self._session(request)
        if session is None:
            return refusal
        form = await self._form(request)
        if form is None or not self.sessions.csrf_ok(session, form.get("csrf")):
            return _forbidden()
        response = _html(render.message_page("Signed out", [HOW_TO_SIGN_IN]))
        self.sessions.end(response)
        return response

    async def record_topup(self, request: Request) -> Response:
        """Admins: `/claude-balance topup AMOUNT [DATE]`, parsed, authorized and run like in Slack."""
        session, refusal = self._session(request)
        if session is None:
            return refusal
        form = await self._form(request)
        if form is None or not self.sessions.csrf_ok(session, form.get("csrf")):
            return _forbidden()
        actor = Actor(session.user, self.is_admin(session.user))
        words = [form.get("amount", "").strip(), form.get("date", "").strip()]
        if any(len(word.split()) > 1 for word in words):
            return self._outcome(session, "Not recorded", "one amount and one date, please", 400)
        text = " ".join(["/claude-balance topup", *filter(None, words)])
        try:
            invocation = parse(text, self.now())
            authorize(invocation, actor, frozenset())
            reply = await run_in_threadpool(self.answer, invocation.text, actor)
        except (CommandError, Refused) as exc:
            message = explain(exc)
            status = 403 if isinstance(exc, Refused) else 400
            return self._outcome(session, "Not recorded", message.text, status, message.usage)
        except Exception as exc:
            message = explain(exc)
            log.error("web top-up failed ref=%s", message.ref, exc_info=exc)
            return self._outcome(session, "Not recorded", message.text, 502)
        assert isinstance(reply, Reply), "/claude-balance answers with a reply"
        spec = PanelSpec("result", "Balance record", lambda _: text)
        result = render.panel_html(Panel(spec, text, reply))
        back = '<p><a href="/">Back to the dashboard</a></p>'
        header = render.signed_in_header(session.user, self.sessions.csrf_token(session))
        return _html(
            render.page("billbot · balance record", f"<h1>Balance record</h1>{result}{back}", header=header)
        )

    async def css(self, request: Request) -> Response:
        """The stylesheet."""
        return Response(stylesheet(), media_type="text/css", headers=_static())

    async def icon(self, request: Request) -> Response:
        """The icon."""
        return Response(ICON_SVG, media_type="image/svg+xml", headers=_static())

    def _panel(self, panel: Panel, actor: Actor, csrf: str) -> str:
        extra = render.topup_form(csrf) if panel.spec.key == "balance" and actor.admin else ""
        return render.panel_html(panel, extra=extra)

    def _session(self, request: Request) -> tuple[Session | None, Response]:
        """The session, or None and the page that says why there is none."""
        try:
            session = self.sessions.read(request.cookies.get(COOKIE))
        except SessionRefused as refused:
            title, why = SESSION_REFUSALS[refused.reason]
            response = _html(render.message_page(title, [esc(why), HOW_TO_SIGN_IN]), 401)
            self.sessions.end(response)
            return None, response
        if session is None:
            return None, _html(render.message_page("Sign in to see the figures", [HOW_TO_SIGN_IN]), 401)
        return session, _html("")

    def _selection(self, params: Mapping[str, str], now: datetime) -> tuple[Selection, str, str]:
        """The period and workspace asked for, a problem to show (or ""), and the page's heading."""
        period = (params.get("period") or DEFAULT_PERIOD).strip() or DEFAULT_PERIOD
        workspace = (params.get("workspace") or "").strip() or None
        problem = ""
        if workspace is not None and (len(workspace) > MAX_WORKSPACE_CHARS or not workspace.isprintable()):
            problem, workspace = "That is not a workspace name; showing every workspace.", None
        if len(period) > MAX_PERIOD_CHARS or len(period.split()) != 1:
            problem, period = (
                f"{period[:MAX_PERIOD_CHARS]!r} is not one period; showing month to date.",
                DEFAULT_PERIOD,
            )
        try:
            query: Any = parse(f"/claude-spend {period}", now).query
        except CommandError as exc:
            problem = f"{exc} Showing month to date instead."
            period = DEFAULT_PERIOD
            query = parse(f"/claude-spend {period}", now).query
        heading = query.period.label + (f" · {workspace}" if workspace else "")
        shown = f'<p class="problem" role="alert">{esc(problem)}</p>' if problem else ""
        return Selection(period, workspace), shown, heading

    async def _form(self, request: Request) -> dict[str, str] | None:
        """A small urlencoded form posted from this site; None for anything else."""
        if not self._same_origin(request):
            return None
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return None
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return None
        fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        return {name: values[0] for name, values in fields.items()}

    def _same_origin(self, request: Request) -> bool:
        origin = request.headers.get("origin")
        if origin is None:  # browsers send it with every POST; a client without one has no cookie to abuse
            return True
        own = {_origin(self.public_url), f"{request.url.scheme}://{request.url.netloc}"}
        return origin in own

    def _link_refused(self, refused: LinkRefused) -> Response:
        status, title, why = LINK_REFUSALS[refused.reason]
        log.info("web sign-in link refused: %s", refused.reason)
        return _html(render.message_page(title, [esc(why), HOW_TO_SIGN_IN]), status)

    def _outcome(
        self, session: Session, title: str, text: str, status: int, usage: str | None = None
    ) -> Response:
        lines = [esc(text), *([f"Usage: <code>{esc(usage)}</code>"] if usage else [])]
        lines.append('<a href="/">Back to the dashboard</a>')
        header = render.signed_in_header(session.user, self.sessions.csrf_token(session))
        return _html(render.message_page(title, lines, header=header), status)


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=PAGE_HEADERS)


def _forbidden() -> HTMLResponse:
    text = "That form did not come from this page (or its session changed). Reload the page and try again."
    return _html(render.message_page("Not accepted", [esc(text)]), 403)


def _static() -> dict[str, str]:
    return {**SECURITY_HEADERS, "Cache-Control": "public, max-age=3600"}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
