"""The incidents a scenario stages, labelled: what kind, from when to when, and where.

A detector (billbot's watch backtest) is scored against these labels, so every fault that should
raise an alert is listed with the scope it shows in: the organisation, one API key, or one model.
Times are simulated nanoseconds, windows half-open like the faults themselves. Labels come from the
scenario alone (plus the built organisation, to turn key names into ids), never from the run.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.build import Simulation
from sandbox.clock import NS_PER_DAY, NS_PER_HOUR
from sandbox.scenario import Scenario, day_offset_ns

ORGANIZATION = "organization"
KINDS = (
    "traffic_spike",
    "key_spike",
    "traffic_ramp",
    "cache_storm",
    "model_switch",
    "runaway_reload",
    "duplicate_charges",
    "outage",
)


@dataclass(frozen=True, slots=True)
class Incident:
    """One staged incident: `kind`, `[start_ns, end_ns)`, the scope it shows in, and a human detail."""

    kind: str
    start_ns: int
    end_ns: int
    scope: str  # "organization", "api_key:<id>" or "model:<canonical id>"
    detail: str


def scenario_incidents(scenario: Scenario, simulation: Simulation) -> list[Incident]:
    """Every incident the scenario stages, oldest first."""
    start = simulation.start_ns
    faults = scenario.faults
    key_ids = {key.name: key.id for key in simulation.world.org.api_keys.values()}
    prices = simulation.world.prices

    def span(day: float, hours: float) -> tuple[int, int]:
        begin = start + day_offset_ns(day)
        return begin, begin + int(hours * NS_PER_HOUR)

    found: list[Incident] = []
    for spike in scenario.traffic.spikes:
        begin = start + spike.day * NS_PER_DAY + spike.start_hour * NS_PER_HOUR
        found.append(
            Incident(
                "traffic_spike", begin, begin + spike.hours * NS_PER_HOUR, ORGANIZATION, f"×{spike.factor:g}"
            )
        )
    for surge in faults.surges:
        kind = "traffic_ramp" if surge.ramp else ("key_spike" if surge.key else "traffic_spike")
        scope = ORGANIZATION if surge.key is None else f"api_key:{key_ids[surge.key]}"
        who = surge.key or "every key"
        found.append(Incident(kind, *span(surge.day, surge.hours), scope, f"{who} ×{surge.factor:g}"))
    for window in faults.cache_storms:
        storm = span(window.day, window.hours)
        found.append(Incident("cache_storm", *storm, ORGANIZATION, "cache reads miss"))
    for switch in faults.model_switches:
        target = prices.resolve(switch.to).id
        detail = f"{prices.resolve(switch.model).id} served as {target}"
        found.append(Incident("model_switch", *span(switch.day, switch.hours), f"model:{target}", detail))
    for loop in faults.runaway_reloads:
        detail = f"a reload every {loop.every_minutes:g} minutes"
        found.append(Incident("runaway_reload", *span(loop.day, loop.hours), ORGANIZATION, detail))
    for day in faults.duplicate_charge_days:
        begin = start + day * NS_PER_DAY
        detail = "every request billed twice"
        found.append(Incident("duplicate_charges", begin, begin + NS_PER_DAY, ORGANIZATION, detail))
    for burst in faults.duplicate_charges:
        detail = f"{burst.share:.0%} of requests billed twice"
        found.append(Incident("duplicate_charges", *span(burst.day, burst.hours), ORGANIZATION, detail))
    for window in faults.outages:
        begin = start + int(window.day * NS_PER_DAY)  # as the outage itself is placed (build._faults)
        found.append(
            Incident("outage", begin, begin + int(window.hours * NS_PER_HOUR), ORGANIZATION, "API down (500)")
        )
    return sorted(found, key=lambda incident: (incident.start_ns, incident.kind))
