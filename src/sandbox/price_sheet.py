"""The price list as in force on one day, for people and for tests (`billbot sandbox prices`).

`price_sheet(prices, on)` gives every model's rates on that day, with its batch and fast-mode prices,
long-context rules, US-inference multiplier, context window, retirement date, source and as-of date, as
plain JSON values (decimal strings, ISO dates). `sheet_text` renders the same sheet as a table with the
sources below it. Nothing is rounded: "0.10" is what the engine charges per million tokens that day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sandbox.price_rules import FastMode, ModelPrice, Rates, day_number
from sandbox.pricing import DatedPrice, PriceList

RATE_NAMES = ("input", "cache_write_5m", "cache_write_1h", "cache_read", "output")


def price_sheet(prices: PriceList, on: dt.date) -> dict[str, Any]:
    """Every model's prices in force on `on` (USD per million tokens)."""
    day = day_number(on)
    us_source, us_as_of = prices.sources.get("inference_geo.us", ("", None))
    search_source, search_as_of = prices.sources.get("web_search", ("", None))
    return {
        "at": on.isoformat(),
        "currency": "USD",
        "unit": "per million tokens",
        "web_search": {
            "per_1000_requests": _plain(prices.web_search_per_1000),
            "source": search_source,
            "as_of": _date(search_as_of),
        },
        "inference_geo": {
            "us": {"multiplier": _plain(prices.us_multiplier), "source": us_source, "as_of": _date(us_as_of)}
        },
        "models": [_model(prices.dated(model_id, day), prices.us_multiplier) for model_id in prices.models],
    }


def _model(priced: DatedPrice, us_multiplier: Decimal) -> dict[str, Any]:
    model = priced.model
    rates = priced.rates
    return {
        "id": model.id,
        "display_name": model.display_name,
        "aliases": list(model.aliases),
        "released": _date(model.released),
        "rate_limit_class": model.rate_limit_class,
        "rates": _rates(rates),
        "rate_changes": [
            {
                "from": _date(change.when.valid_from),
                "until": _date(change.when.until),
                "rates": {name: _text(value) for name, value in change.changes.items()},
                "in_force": change.when.in_force(priced.day),
                "source": change.source,
                "as_of": _date(change.as_of),
                "note": change.note,
            }
            for change in model.rate_changes
        ],
        "batch": _batch(model, rates),
        "fast_mode": _fast(priced, rates),
        "long_context": [
            {
                "threshold": rule.threshold,
                "from": _date(rule.valid_from),
                "until": _date(rule.until),
                "rates": _rates(rule.rates),
                "source": rule.source,
                "as_of": _date(rule.as_of),
                "note": rule.note,
            }
            for rule in model.long_context
            if rule.when.in_force(priced.day)
        ],
        "inference_geo": {
            "supported": model.inference_geo_supported,
            "us_multiplier": _plain(us_multiplier) if model.us_inference else None,
        },
        "context": None
        if model.context is None
        else {
            "window": model.context.window,
            "max_output": model.context.max_output,
            "extended_window": model.context.extended_window,
            "extended_beta": model.context.extended_beta,
            "source": model.context.source,
        },
        "lifecycle": {
            "deprecated": _date(model.lifecycle.deprecated) if model.lifecycle else None,
            "retires": _date(model.lifecycle.retires) if model.lifecycle else None,
            "retired": priced.retired,
            "source": model.lifecycle.source if model.lifecycle else None,
            "note": model.lifecycle.note if model.lifecycle else "",
        },
        "source": model.source,
        "as_of": _date(model.as_of),
        "note": model.note,
    }


def _batch(model: ModelPrice, rates: Rates) -> dict[str, Any] | None:
    if model.batch_multiplier is None:
        return None
    return {
        "multiplier": _plain(model.batch_multiplier),
        "rates": _rates(rates.scaled(model.batch_multiplier)),
        "source": model.batch_source or model.source,
        "as_of": _date(model.batch_as_of or model.as_of),
    }


def _fast(priced: DatedPrice, rates: Rates) -> dict[str, Any] | None:
    rule: FastMode | None = priced.fast
    if rule is None:
        ended = [fast for fast in priced.model.fast_modes if fast.when.ended(priced.day)]
        if not ended:
            return None
        last = ended[-1]
        return {**_fast_rule(last), "in_force": False, "rates": None}
    return {**_fast_rule(rule), "in_force": True, "rates": _rates(rates.scaled(rule.multiplier))}


def _fast_rule(rule: FastMode) -> dict[str, Any]:
    return {
        "multiplier": _plain(rule.multiplier),
        "from": _date(rule.when.valid_from),
        "until": _date(rule.when.until),
        "after": rule.after,
        "requires_beta": rule.requires_beta,
        "source": rule.source,
        "as_of": _date(rule.as_of),
        "note": rule.note,
    }


def _rates(rates: Rates) -> dict[str, str]:
    return {name: _text(value) for name, value in zip(RATE_NAMES, rates.as_tuple(), strict=True)}


def _text(value: Decimal) -> str:
    """A rate as prices are written: whole dollars bare ("8"), cents with two decimals or more ("0.10")."""
    text = _plain(value)
    if "." in text and len(text.split(".")[1]) < 2:
        text = f"{value:.2f}"
    return text


def _plain(value: Decimal) -> str:
    """A number in plain notation without trailing zeros ("1.1", "10")."""
    return format(value.normalize(), "f")


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def sheet_text(sheet: dict[str, Any]) -> str:
    """The sheet as a table, one model a line, then the rules and every source with its as-of date."""
    header: tuple[str, ...] = ("model", "input", "5m write", "1h write", "cache read", "output")
    header += ("batch in/out", "fast in/out", "window", "retires")
    rows = [header] + [_row(model) for model in sheet["models"]]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = [f"Claude API prices in force on {sheet['at']} (USD per million tokens; sandbox price list)"]
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.append("")
    for model in sheet["models"]:
        for rule in model["long_context"]:
            shown = " / ".join(rule["rates"][name] for name in RATE_NAMES)
            lines.append(
                f"Long context: {model['id']} above {rule['threshold']:,} input tokens, every token at "
                f"{shown} (in / 5m / 1h / read / out)"
            )
    us = sheet["inference_geo"]["us"]
    lines.append(
        f'US-only inference (inference_geo "us"): {us["multiplier"]}x on models marked "geo"; older models '
        "take no inference_geo (400)."
    )
    lines.append(f"Web search: ${sheet['web_search']['per_1000_requests']} per 1,000 searches.")
    lines += ["", "Sources (as of):"]
    for model in sheet["models"]:
        lines.append(f"  {model['id']}: {model['source']} ({model['as_of']})")
        for extra in _notes(model):
            lines.append(f"      {extra}")
    return "\n".join(lines)


def _row(model: dict[str, Any]) -> tuple[str, ...]:
    rates = model["rates"]
    batch = model["batch"]
    fast = model["fast_mode"]
    context = model["context"]
    lifecycle = model["lifecycle"]
    name = model["id"] + (" (geo)" if model["inference_geo"]["supported"] else "")
    if lifecycle["retired"]:
        name += " [retired]"
    return (
        name,
        *(rates[key] for key in RATE_NAMES),
        f"{batch['rates']['input']} / {batch['rates']['output']}" if batch else "—",
        f"{fast['rates']['input']} / {fast['rates']['output']}" if fast and fast["in_force"] else "—",
        _tokens(context["window"]) if context else "?",
        lifecycle["retires"] or "—",
    )


def _notes(model: dict[str, Any]) -> list[str]:
    notes = [model["note"]] if model["note"] else []
    for change in model["rate_changes"]:
        changed = ", ".join(f"{name} {value}" for name, value in change["rates"].items())
        notes.append(f"from {change['from']}: {changed} — {change['source']} ({change['as_of']})")
    batch = model["batch"]
    if batch and batch["source"] != model["source"]:
        notes.append(f"batch: {batch['source']} ({batch['as_of']})")
    fast = model["fast_mode"]
    if fast:
        until = f" until {fast['until']}" if fast["until"] else ""
        state = "fast mode" if fast["in_force"] else f"fast mode ended ({fast['after']} after)"
        line = f"{state} {fast['multiplier']}x{until}: {fast['source']} ({fast['as_of']}) {fast['note']}"
        notes.append(line.rstrip())
    if model["lifecycle"]["source"]:
        notes.append(f"lifecycle: {model['lifecycle']['source']} {model['lifecycle']['note']}".rstrip())
    return notes


def _tokens(count: int) -> str:
    return f"{count // 1_000_000}M" if count % 1_000_000 == 0 else f"{count // 1000}K"
