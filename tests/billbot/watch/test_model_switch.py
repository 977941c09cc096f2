"""Silent model switches: one model's spend stops while another's rises by as much, within the hour."""

from __future__ import annotations

from decimal import Decimal

from billbot.watch.inputs import Tuning
from billbot.watch.rules.model_switch import model_switch_findings
from billbot.watch.scope import Scope
from billbot.watch.series import HourlySeries
from tests.billbot.watch.support import at_hour, flat, series

WEEKS_5 = 5 * 168
SONNET = Scope("model", "claude-sonnet-5", "claude-sonnet-5")
OPUS = Scope("model", "claude-opus-5", "claude-opus-5")
HAIKU = Scope("model", "claude-haiku-4-5", "claude-haiku-4-5")


def _models(
    now_hour: int,
    minutes: int,
    *,
    sonnet_from: int | None = None,
    opus_extra: str = "0",
    haiku: str = "1",
) -> dict[Scope, HourlySeries]:
    """Sonnet $0.60 an hour, Opus $0.40, Haiku $0.10, up to `minutes` into `now_hour`; from hour
    `sonnet_from` Sonnet costs nothing and Opus `opus_extra` more an hour; Haiku times `haiku`."""
    hours = now_hour + 1
    sonnet, opus, cheap = flat(hours, "0.60"), flat(hours, "0.40"), flat(hours, "0.10")
    if sonnet_from is not None:
        for hour in range(sonnet_from, hours):
            sonnet[hour] = Decimal(0)
            opus[hour] += Decimal(opus_extra)
    cheap = [value * Decimal(haiku) for value in cheap]
    for values in (sonnet, opus, cheap):
        values[-1] = values[-1] * minutes / 60  # the hour in progress holds what it has so far
    return {SONNET: series(sonnet), OPUS: series(opus), HAIKU: series(cheap)}


def _find(
    hourly: dict[Scope, HourlySeries], hour: int, minutes: int, tuning: Tuning | None = None
) -> list[str]:
    found = model_switch_findings(hourly, at_hour(hour, minutes), active={}, tuning=tuning)
    return [f"{f.data['from_model']}->{f.scope.id}" for f in found]


def test_a_switch_to_a_pricier_model_is_seen_twenty_minutes_in() -> None:
    hourly = _models(WEEKS_5, 20, sonnet_from=WEEKS_5, opus_extra="1.20")
    assert _find(hourly, WEEKS_5, 20) == ["claude-sonnet-5->claude-opus-5"]
    [finding] = model_switch_findings(hourly, at_hour(WEEKS_5, 20), active={})
    assert finding.basis == "estimate" and finding.amount_usd is not None and finding.amount_usd > 0
    assert "may be served and billed as claude-opus-5" in finding.message


def test_before_twenty_minutes_the_hour_in_progress_is_not_judged_alone() -> None:
    assert _find(_models(WEEKS_5, 10, sonnet_from=WEEKS_5, opus_extra="1.20"), WEEKS_5, 10) == []


def test_a_switch_that_began_last_hour_is_seen_with_the_hour_in_progress() -> None:
    hourly = _models(WEEKS_5 + 1, 5, sonnet_from=WEEKS_5, opus_extra="1.20")
    assert _find(hourly, WEEKS_5 + 1, 5) == ["claude-sonnet-5->claude-opus-5"]


def test_an_outage_drops_every_model_and_is_no_switch() -> None:
    hourly = _models(WEEKS_5, 40, sonnet_from=WEEKS_5, opus_extra="-0.40")
    assert _find(hourly, WEEKS_5, 40) == []


def test_a_model_that_rises_less_than_half_the_missing_spend_took_nothing_over() -> None:
    assert _find(_models(WEEKS_5, 40, sonnet_from=WEEKS_5, opus_extra="0.20"), WEEKS_5, 40) == []


def test_a_quiet_model_that_stops_is_below_the_floor() -> None:
    # Haiku usually costs $0.10 an hour: $0.07 by 40 minutes, going quiet while Opus is busy says nothing.
    hourly = _models(WEEKS_5, 40)
    hourly[HAIKU] = series([*hourly[HAIKU].values[:-1], Decimal(0)])
    hourly[OPUS] = series([*hourly[OPUS].values[:-1], hourly[OPUS].values[-1] + Decimal("0.50")])
    assert _find(hourly, WEEKS_5, 40) == []


def test_a_model_of_a_few_heavy_requests_falling_silent_is_chance_not_a_switch() -> None:
    # Sonnet's hours swing between $0.05 and $1.20 (a few heavy requests): a quiet hour proves nothing.
    hourly = _models(WEEKS_5, 40, sonnet_from=WEEKS_5, opus_extra="1.20")
    swing = [Decimal(value) for value in ("0.05", "1.20", "0.30", "0.90", "0.10")]
    swings = [swing[hour % len(swing)] for hour in range(WEEKS_5)]
    hourly[SONNET] = series([*swings, Decimal(0)])
    assert _find(hourly, WEEKS_5, 40) == []


def test_steady_traffic_is_no_switch() -> None:
    assert _find(_models(WEEKS_5, 40), WEEKS_5, 40) == []


def test_expected_feedback_on_the_target_model_makes_the_rule_less_eager() -> None:
    hourly = _models(WEEKS_5, 40, sonnet_from=WEEKS_5, opus_extra="0.80")
    assert _find(hourly, WEEKS_5, 40) == ["claude-sonnet-5->claude-opus-5"]
    tuned = Tuning({("model_switch", OPUS.key): Decimal(4)})
    assert _find(hourly, WEEKS_5, 40, tuned) == []
