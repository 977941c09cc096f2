"""The claim packet as Markdown, rendered from its JSON so both always say the same."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from billbot.core.money import usd
from billbot.tickets.evidence.text_file import due_day, uptime_percent


def render_markdown(packet: dict[str, Any]) -> str:
    """Markdown of a `packet_json` dict: facts, deadline, checklist, requests, notes, remedies, cover."""
    sections = [
        _header(packet),
        _deadline(packet["deadline"]),
        _checklist(packet["checklist"], packet["missing"]),
        _requests(packet["request_ids"]),
        _links(packet["evidence_links"]),
        _notes(packet["notes"]),
        _remedies(packet["remedies_requested"]),
        _evidence(packet["evidence_summary"]),
        "## Cover text\n\n"
        + "\n".join(f"> {line}" if line else ">" for line in packet["cover_text"].split("\n")),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def _header(p: dict[str, Any]) -> str:
    amount = "not given" if p["amount_usd"] is None else usd(Decimal(p["amount_usd"]))
    rows = [
        ("Provider", f"{p['provider']['name']} (`{p['provider']['id']}`)"),
        ("Organisation", p["organization"] or "not given"),
        ("Kind", p["kind"]),
        ("Category", p["category"]["label"]),
        ("Amount", amount),
        ("Transaction time", p["transaction_at"]),
        ("Filed", p["filed_at"]),
        ("Submitted", p["submitted_at"] or "not yet"),
    ]
    table = "\n".join(f"| {name} | {_cell(value)} |" for name, value in rows)
    description = f"\n\n**Description**\n\n{p['description']}" if p["description"] else ""
    title = f"# Claim packet: ticket #{p['ticket_id']}\n\n_Generated {p['generated_at']}._"
    return f"{title}\n\n| Field | Value |\n|---|---|\n{table}{description}"


def _deadline(d: dict[str, Any]) -> str:
    if d["at"] is None:
        return "## Deadline\n\nThe provider sets no window for this claim."
    if d["late"]:
        return f"## Deadline\n\n**LATE**: the deadline was {d['at']}. The provider may refuse the claim."
    return f"## Deadline\n\n{d['at']} ({d['days_left']} days left)."


def _checklist(items: list[dict[str, Any]], missing: list[str]) -> str:
    lines = ["## Evidence checklist", ""]
    for item in items:
        mark = f"present: {item['value'] or 'yes'}" if item["present"] else "**MISSING**"
        clause = f" ({item['clause']['ref']})" if item["clause"] else ""
        lines.append(f"- [{'x' if item['present'] else ' '}] {item['label']}: {mark}{clause}")
    if missing:
        lines += ["", "Missing: " + ", ".join(missing) + "."]
    return "\n".join(lines) if items else ""


def _requests(entries: list[dict[str, Any]]) -> str:
    if not entries:
        return ""
    lines = [
        "## Request IDs",
        "",
        "| Request ID | Status | Cost | Model | Outcome | At |",
        "|---|---|---|---|---|---|",
    ]
    for e in entries:
        cost = "" if e["cost_usd"] is None else f"{usd(Decimal(e['cost_usd']))} ({e['cost_usd']})"
        if e["times_charged"] and e["times_charged"] > 1:
            cost += f", charged {e['times_charged']}×"
        cells = (e["request_id"], e["status"], cost, e["model"] or "", e["outcome"] or "", e["at"] or "")
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def _links(links: list[str]) -> str:
    return "## Evidence links\n\n" + "\n".join(f"- <{link}>" for link in links) if links else ""


def _notes(notes: list[dict[str, Any]]) -> str:
    if not notes:
        return ""
    lines = ["## Eligibility notes"]
    for note in notes:
        lines += ["", f"- **{note['severity']}**: {note['text']}"]
        clause = note["clause"]
        if clause:
            source = f" ({clause['source']})" if clause["source"] else ""
            lines.append(f"  > {clause['quote']}\n  > — {clause['ref']}{source}")
    return "\n".join(lines)


def _remedies(remedies: list[str]) -> str:
    return "## Remedies requested\n\n" + "\n".join(f"- {r}" for r in remedies) if remedies else ""


def _evidence(summary: dict[str, Any] | None) -> str:
    if summary is None:
        return ""
    label = " (simulated)" if summary["simulated"] else ""
    lines = [
        "## Evidence gathered",
        "",
        f"Source: {summary['source']}{label}, as of {summary['gathered_at']}.",
    ]
    if summary["day_cost_usd"] is not None:
        lines.append(f"Cost of the transaction's day: {usd(Decimal(summary['day_cost_usd']))}.")
    uptime = summary["uptime"]
    if uptime:
        credit = usd(Decimal(uptime["credit_due_usd"]))
        shown = (
            f"{uptime_percent(Decimal(uptime['uptime']))} against {uptime_percent(Decimal(uptime['target']))}"
        )
        verdict = "breached" if uptime["breached"] else "met"
        by = due_day(datetime.fromisoformat(uptime["credit_due_by"].replace("Z", "+00:00")))
        due = f"SLA credit due {credit}, by the end of {by} UTC"
        lines.append(f"Uptime {uptime['month']}: {shown} ({verdict}); {due}.")
    lines += [f"Failed: {f['name']}: {f['reason']}" for f in summary["failed_parts"]]
    return "\n".join(lines)


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")
