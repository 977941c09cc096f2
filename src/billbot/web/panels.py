"""The dashboard's panels: each is one command of the table, run as the signed-in user.

A panel is a `PanelSpec`: an id, a heading and the command line it runs for the page's selection
(period, workspace). The page parses and authorizes each line through the table exactly as Slack
does, runs it with the same answerer (the worker processes under `billbot serve`) and renders the
`Response` — or the sentence of `billbot.app.errors.explain` — so the page and Slack never disagree.

Adding a panel is one function and one row in `PANELS`. A row whose command is not in the table yet
is left out, so the watch's alerts panel is registered already and appears once `/claude-alerts`
exists. Recent what-ifs: add `PanelSpec("whatifs", "Recent what-ifs", _whatifs, span="full")` whose
function returns the command that lists them; its `Response.chart` (the what-if's `SpendChart`) and
any `Response.plots` are drawn as SVG like the spend by day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import anyio
from starlette.concurrency import run_in_threadpool

from billbot.app.command import Actor, Reply, authorize
from billbot.app.errors import UserMessage, explain
from billbot.app.replies.model import Response
from billbot.app.table import parse

DEFAULT_PERIOD = "mtd"
PERIODS = (
    ("mtd", "Month to date"),
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("last-month", "Last month"),
    ("90d", "Last 90 days"),
)
Answer = Callable[[str, Actor], Reply]
log = logging.getLogger("billbot.web")


@dataclass(frozen=True, slots=True)
class Selection:
    """What the page shows: a period in the commands' grammar and, optionally, one workspace."""

    period: str = DEFAULT_PERIOD
    workspace: str | None = None

    @property
    def scope(self) -> str:
        """The words that keep one workspace, or nothing."""
        return f" workspace {self.workspace}" if self.workspace else ""


@dataclass(frozen=True, slots=True)
class PanelSpec:
    """One panel: id, heading, the command it runs, and which parts of the answer it shows."""

    key: str
    heading: str
    command: Callable[[Selection], str]
    span: Literal["one", "two", "full"] = "one"  # grid columns on a wide screen (a phone shows one)
    facts: bool = True
    charts: bool = True
    row_label: str = "Name"  # the first column's header where the answer's table leaves it blank

    @property
    def command_name(self) -> str:
        """The slash command the panel runs (`/claude-spend`)."""
        return self.command(Selection()).split()[0]


@dataclass(frozen=True, slots=True)
class Panel:
    """A panel as computed: its spec, the command line it ran, and the answer or what went wrong."""

    spec: PanelSpec
    command: str
    reply: Response | UserMessage


def _balance(selection: Selection) -> str:
    return "/claude-balance"


def _limits(selection: Selection) -> str:
    return "/claude-limits"


def _alerts(selection: Selection) -> str:
    return "/claude-alerts active"


def _spend(selection: Selection) -> str:
    return f"/claude-spend {selection.period}{selection.scope}"


def _by_model(selection: Selection) -> str:
    return f"/claude-spend {selection.period} by model{selection.scope}"


def _by_workspace(selection: Selection) -> str:
    return f"/claude-spend {selection.period} by workspace"  # every workspace: it is the scope's menu


def _by_key(selection: Selection) -> str:
    return f"/claude-spend {selection.period} by key{selection.scope}"


def _tickets(selection: Selection) -> str:
    return "/claude-tickets open"


PANELS = (
    PanelSpec("balance", "Balance and runway", _balance),
    PanelSpec("limits", "Limits", _limits, span="two"),
    PanelSpec("alerts", "Active alerts", _alerts, span="full"),
    PanelSpec("spend", "Spend by day", _spend, span="full"),
    PanelSpec("by-model", "Spend by model", _by_model, facts=False, charts=False, row_label="Model"),
    PanelSpec(
        "by-workspace", "Spend by workspace", _by_workspace, facts=False, charts=False, row_label="Workspace"
    ),
    PanelSpec("by-key", "Spend by API key", _by_key, charts=False, row_label="API key"),
    PanelSpec("tickets", "Open tickets", _tickets, span="full"),
)


def available(commands: Collection[str], panels: tuple[PanelSpec, ...] = PANELS) -> tuple[PanelSpec, ...]:
    """The panels whose command the table has."""
    return tuple(panel for panel in panels if panel.command_name in commands)


def run_panel(spec: PanelSpec, selection: Selection, actor: Actor, answer: Answer, now: datetime) -> Panel:
    """Parse, authorize and answer one panel's command as `actor`; a failure becomes its sentence."""
    text = spec.command(selection)
    try:
        invocation = parse(text, now)
        authorize(invocation, actor, frozenset())  # the page is no channel: signing in is its gate
        reply = answer(invocation.text, actor)
        if not isinstance(reply, Response):
            raise TypeError(f"{spec.command_name} answered with a form, which a page cannot open")
        return Panel(spec, text, reply)
    except Exception as exc:
        message = explain(exc)
        if not message.expected:
            log.error("dashboard panel %s failed ref=%s", spec.key, message.ref, exc_info=exc)
        return Panel(spec, text, message)


async def run_panels(
    specs: tuple[PanelSpec, ...], selection: Selection, actor: Actor, answer: Answer, now: datetime
) -> list[Panel]:
    """Every panel, computed side by side (each waits in a thread for its answerer)."""
    results: dict[int, Panel] = {}

    async def one(index: int, spec: PanelSpec) -> None:
        results[index] = await run_in_threadpool(run_panel, spec, selection, actor, answer, now)

    async with anyio.create_task_group() as group:
        for index, spec in enumerate(specs):
            group.start_soon(one, index, spec)
    return [results[index] for index in range(len(specs))]


def workspace_names(panels: list[Panel]) -> list[str]:
    """The workspaces the by-workspace panel lists (the scope selector's choices)."""
    for panel in panels:
        if panel.spec.key == "by-workspace" and isinstance(panel.reply, Response) and panel.reply.tables:
            return sorted(row[0] for row in panel.reply.tables[0].rows)
    return []
