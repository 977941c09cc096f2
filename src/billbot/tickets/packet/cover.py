"""The cover text of a claim packet: a short message addressed to the provider, ready to send."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from billbot.core.money import usd


def cover_text(packet: dict[str, Any]) -> str:
    """A plain-text message to the provider built from a packet's JSON fields."""
    provider = packet["provider"]["name"]
    amount = packet["amount_usd"]
    of = f" of {usd(Decimal(amount))}" if amount is not None else ""
    what = packet["category"]["label"].lower()
    lines = [
        f"To {provider} support,",
        "",
        f"On behalf of {packet['organization'] or 'our organisation'}, we {_ask(packet)}{of} made on "
        f"{packet['transaction_at']} ({what}; our reference: ticket #{packet['ticket_id']}).",
    ]
    if packet["description"]:
        lines += ["", packet["description"]]
    ids = [entry["request_id"] for entry in packet["request_ids"]]
    if ids:
        lines += ["", "Request IDs concerned: " + ", ".join(ids) + "."]
    present = [
        f"- {item['label']}: {item['value'] or 'attached'}" for item in packet["checklist"] if item["present"]
    ]
    if present:
        lines += ["", "Supporting information:", *present]
    if packet["evidence_links"]:
        lines += ["", "Evidence: " + ", ".join(packet["evidence_links"])]
    if packet["remedies_requested"]:
        lines += ["", "We ask for: " + ", ".join(packet["remedies_requested"]) + "."]
    lines += ["", "Thank you,", packet["organization"] or "(our organisation)"]
    return "\n".join(lines)


def _ask(packet: dict[str, Any]) -> str:
    # A refund is asked for the amount; a dispute contests the charge.
    return "request a refund" if packet["kind"] == "refund" else "dispute a charge"
