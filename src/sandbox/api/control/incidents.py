"""Incidents staged at run time through `PUT /sandbox/v1/faults`: checked whole, then applied.

Each starts now and lasts `minutes`, exactly as the scenario faults of the same name do (see
`sandbox.faults`): a duplicate-charge burst, a cache-miss storm, a silent model switch, a runaway
reload loop, and a traffic spike (`sandbox.api.control.spikes`). Every check runs before anything
changes, so a refused body (400 for bad input, 409 for a state that cannot carry it) leaves the
sandbox exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.api.control.bodies import FaultsBody, ModelSwitchBody, SpikeBody
from sandbox.api.control.spikes import check_clock, conflict, spike_key_index, stage_spike
from sandbox.api.errors import invalid_request
from sandbox.api.state import SandboxState
from sandbox.clock import NS_PER_MINUTE, VirtualClock
from sandbox.faults import DuplicateBurst, ModelSwitch, RunawayReload, Window
from sandbox.pricing import PriceList, UnknownModelError
from sandbox.traffic import Surge


@dataclass(frozen=True, slots=True)
class IncidentPlan:
    """The incidents one request stages, each already checked."""

    duplicate_burst: DuplicateBurst | None = None
    cache_storm: Window | None = None
    model_switch: ModelSwitch | None = None
    runaway_reload: RunawayReload | None = None
    spike: tuple[Surge, VirtualClock] | None = None


def plan_incidents(state: SandboxState, change: FaultsBody, now_ns: int) -> IncidentPlan:
    """Check every incident `change` asks for, starting at `now_ns`; 400 or 409 for the first problem."""
    world = state.world

    def window(minutes: float) -> Window:
        return Window(now_ns, now_ns + _ns(minutes))

    burst = change.duplicate_charges
    storm = change.cache_storm
    switch = change.model_switch
    loop = change.runaway_reload
    if loop is not None and world.reload.settings is None:
        raise conflict(
            "runaway_reload: auto-reload is off, so no reload can run away; "
            "turn it on first with PUT /sandbox/v1/auto_reload"
        )
    return IncidentPlan(
        duplicate_burst=None if burst is None else DuplicateBurst(window(burst.minutes), burst.share),
        cache_storm=None if storm is None else window(storm.minutes),
        model_switch=None if switch is None else _switch(switch, world.prices, window(switch.minutes)),
        runaway_reload=None if loop is None else RunawayReload(window(loop.minutes), _ns(loop.every_minutes)),
        spike=None if change.spike is None else _spike(state, change.spike, now_ns),
    )


def stage_incidents(state: SandboxState, plan: IncidentPlan) -> None:
    """Apply a checked plan to the served world (the caller holds the world's lock)."""
    faults = state.world.faults
    if plan.duplicate_burst is not None:
        faults.duplicate_bursts.append(plan.duplicate_burst)
    if plan.cache_storm is not None:
        faults.cache_storm_windows.append(plan.cache_storm)
    if plan.model_switch is not None:
        faults.model_switches.append(plan.model_switch)
    if plan.runaway_reload is not None:
        faults.runaway_reloads.append(plan.runaway_reload)
    if plan.spike is not None:
        surge, clock = plan.spike
        stage_spike(state.simulation, clock, surge, len(state.spikes))
        state.spikes.append(surge)


def _ns(minutes: float) -> int:
    # At least a nanosecond: a window must end after it starts, however small the minutes.
    return max(1, int(minutes * NS_PER_MINUTE))


def _switch(body: ModelSwitchBody, prices: PriceList, window: Window) -> ModelSwitch:
    ids = []
    for field, name in (("from", body.from_model), ("to", body.to)):
        try:
            ids.append(prices.resolve(name).id)
        except UnknownModelError:
            raise invalid_request(f"model_switch.{field}: unknown model {name!r}") from None
    if ids[0] == ids[1]:
        raise invalid_request(f"model_switch.to: {body.to!r} is the model it switches from")
    return ModelSwitch(window, ids[0], ids[1])


def _spike(state: SandboxState, body: SpikeBody, now_ns: int) -> tuple[Surge, VirtualClock]:
    simulation = state.simulation
    key_index = None if body.key is None else spike_key_index(simulation, body.key)
    clock = check_clock(simulation, state.world.clock, now_ns)
    return Surge(now_ns, now_ns + _ns(body.minutes), body.factor, key_index), clock
