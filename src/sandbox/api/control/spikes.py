"""Run-time traffic spikes: the extra calls a scenario surge would add, sent as a frozen clock passes them.

A served sandbox sends no traffic of its own once its history is built: its clients are its traffic.
A spike staged through `PUT /sandbox/v1/faults` is the one exception. It is drawn exactly as a
scenario's surge is (`TrafficModel.surge_calls`: the scenario's rate for that day and hour, times
`factor - 1`, on one key's share or everyone's), from a random stream of its own, so the same seed and
the same staging give the same calls. Each call is scheduled on the frozen (virtual) clock at its own
instant, a day at a time; advancing the clock through `/sandbox/v1/clock` sends them in time order.

On a running clock nothing could send a call at its instant without a thread racing the clients, so
staging a spike there is refused (409); so is a key that sends no simulated traffic (one added with
`--api-key`): the scenario's traffic model has no share for it.
"""

from __future__ import annotations

from functools import partial

from sandbox.api.errors import WireError, invalid_request
from sandbox.build import Simulation
from sandbox.clock import NS_PER_DAY, VirtualClock
from sandbox.messages import MessageRequest
from sandbox.org import ApiKey
from sandbox.traffic import Call, Surge
from sandbox.world import World

# Run-time spike n draws from stream RUNTIME_STREAM + n, apart from a scenario's surges (1 + index).
RUNTIME_STREAM = 10_000


def conflict(message: str) -> WireError:
    """409: the request is well formed, but the sandbox's present state cannot carry it out."""
    return WireError(409, "invalid_request_error", message)


def spike_key_index(simulation: Simulation, ref: str) -> int:
    """The traffic model's index of the API key named or identified by `ref` (400 if none sends traffic)."""
    keys = simulation.world.org.api_keys
    by_id = keys.get(ref)
    matches = [by_id] if by_id is not None else [key for key in keys.values() if key.name == ref]
    if not matches:
        raise invalid_request(f"spike.key: no API key named or with id {ref!r}")
    if len(matches) > 1:
        raise invalid_request(f"spike.key: {len(matches)} keys are named {ref!r}; give the key's id")
    return _traffic_index(simulation, matches[0])


def spike_key(simulation: Simulation, surge: Surge) -> ApiKey | None:
    """The API key a spike is on, or None for every key."""
    if surge.key_index is None:
        return None
    return simulation.world.org.key_for_secret(simulation.secrets[surge.key_index])


def check_clock(simulation: Simulation, clock: object, start_ns: int) -> VirtualClock:
    """The frozen clock a spike from `start_ns` is sent on, or a 409 saying why it cannot be."""
    if not isinstance(clock, VirtualClock):
        raise conflict(
            "spike: the sandbox's clock is running, and a served sandbox sends no traffic of its own on "
            'a running clock; freeze it with POST /sandbox/v1/clock {"speed": 0}, stage the spike, '
            "then advance the clock"
        )
    if start_ns < simulation.start_ns:
        raise conflict("spike: the clock is before the scenario's start, where it has no traffic rate")
    return clock


def stage_spike(simulation: Simulation, clock: VirtualClock, surge: Surge, number: int) -> None:
    """Schedule run-time spike `number`'s calls on `clock`, a day at a time, from its first day."""
    day = (surge.start_ns - simulation.start_ns) // NS_PER_DAY
    _feed_day(simulation, clock, surge, RUNTIME_STREAM + number, day)


def _feed_day(simulation: Simulation, clock: VirtualClock, surge: Surge, stream: int, day: int) -> None:
    # Drawn when the day begins (or when staged), so a spike of months costs nothing up front.
    world = simulation.world
    for call in simulation.traffic.surge_calls(surge, day, stream):
        clock.call_at(call.at_ns, partial(_send, world, _request(simulation.secrets[call.key_index], call)))
    next_day_ns = simulation.start_ns + (day + 1) * NS_PER_DAY
    if next_day_ns < surge.end_ns:
        clock.call_at(next_day_ns, partial(_feed_day, simulation, clock, surge, stream, day + 1))


def _send(world: World, request: MessageRequest) -> None:
    world.handle(request)  # its outcome is in the request log and the reports, as a client's is


def _traffic_index(simulation: Simulation, key: ApiKey) -> int:
    try:
        return simulation.secrets.index(key.secret)
    except ValueError:
        raise invalid_request(
            f"spike.key: {key.name!r} ({key.id}) sends no simulated traffic (a key added with --api-key)"
        ) from None


def _request(secret: str, call: Call) -> MessageRequest:
    return MessageRequest(
        secret,
        call.model,
        call.uncached_input,
        call.max_tokens,
        call.output_tokens,
        call.cache_write_5m,
        call.cache_write_1h,
        call.cache_read,
        call.web_search_requests,
        call.service_tier,
        call.inference_geo,
        call.stream,
    )
