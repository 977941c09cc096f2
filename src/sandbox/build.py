"""Build a world from a scenario, and drive it with the scenario's traffic on a virtual clock.

Everything random is derived from one seed: ids, traffic, payments and faults each get their own
generator, so changing one part of a scenario does not reshuffle the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from sandbox.clock import NS_PER_DAY, NS_PER_HOUR, VirtualClock, to_ns
from sandbox.deposits import DepositCap
from sandbox.expiry import expiry_rule
from sandbox.faults import DuplicateBurst, Faults, ModelSwitch, RunawayReload, Window
from sandbox.gc_tuning import paused_if
from sandbox.ledger import Ledger
from sandbox.messages import MessageRequest, Outcome
from sandbox.org import ApiKey, IdFactory, Organization, User, Workspace
from sandbox.payments import AlwaysSucceeds, DeclinesWithProbability, PaymentModel, Scripted
from sandbox.pricing import PriceList, UnknownModelError
from sandbox.ratelimit import RateLimiter, RateLimits
from sandbox.reload import AutoReload, ReloadSettings
from sandbox.scenario import AutoReloadSpec, FaultSpec, Scenario, ScenarioError, day_offset_ns
from sandbox.spend import SpendLimits
from sandbox.tiers import tier_profile
from sandbox.traffic import Call, Surge, TrafficModel
from sandbox.world import World

_ROLES = ("admin", "developer", "developer", "billing", "user")


@dataclass(slots=True)
class Simulation:
    """A world, its clock and its traffic, ready to run day by day.

    Two optional hooks let a caller change how the traffic's calls become requests without reaching
    into the engine (billbot's drills use them: move traffic to another model, batch, pause a key,
    clients that back off and retry): `transform` sees every call just before it is sent and returns
    the call to send (changed or not) or None to drop it; `observe` sees every call sent with the
    outcome it got. With neither set the run is exactly as before.
    """

    world: World
    clock: VirtualClock
    traffic: TrafficModel
    secrets: list[str]
    start_ns: int
    after_decline: tuple[int, Decimal] | None = None
    days_run: int = 0
    _calls: list[Call] | None = None  # the calls of the day in progress (`run_until` stops mid-day)
    _sent: int = 0
    transform: Callable[[Call], Call | None] | None = None
    observe: Callable[[Call, Outcome], None] | None = None

    def run(self, days: int, on_day: Callable[[int], None] | None = None, *, tune_gc: bool = False) -> None:
        """Send `days` more days of traffic through the world, ending at the last day's midnight.

        `on_day` is called with the number of days done after each day, for progress displays. With
        `tune_gc` (a process that is only a sandbox) the cyclic collector is paused for the run and
        what was built is frozen: days of traffic allocate only acyclic objects.
        """
        with paused_if(tune_gc):
            for _ in range(days):
                self._run_until(self.start_ns + (self.days_run + 1) * NS_PER_DAY)
                if on_day is not None:
                    on_day(self.days_run)

    def send(self, calls: Iterable[Call]) -> None:
        """Send calls (in time order, none before the clock) through the world, moving the clock to each."""
        for call in calls:
            self._handle(call)

    def run_until(self, end_ns: int, *, tune_gc: bool = False) -> None:
        """Send the traffic before `end_ns` through the world and stop the clock there.

        For watchers that look every few simulated minutes (billbot's watch backtest, drills): running
        in steps gives exactly the history `run` gives, request for request.
        """
        with paused_if(tune_gc):
            self._run_until(end_ns)

    def _handle(self, call: Call) -> None:
        attempts = self.world.reload.attempts
        self.clock.advance_to(call.at_ns)
        if self.transform is not None:
            changed = self.transform(call)
            if changed is None:
                return
            call = changed
        seen = len(attempts)
        outcome = self.world.handle(self._request(call))
        if self.observe is not None:
            self.observe(call, outcome)
        if len(attempts) > seen and self.after_decline is not None and not attempts[-1].succeeded:
            self._top_up_later(len(attempts))

    def _run_until(self, end_ns: int) -> None:
        while True:
            day_end = self.start_ns + (self.days_run + 1) * NS_PER_DAY
            if self._calls is None:
                self._calls, self._sent = self.traffic.day(self.days_run), 0
            calls, stop = self._calls, min(end_ns, day_end)
            index = self._sent
            while index < len(calls) and calls[index].at_ns < stop:
                self._handle(calls[index])
                index += 1
            self._sent = index
            if end_ns < day_end:
                self.clock.advance_to(max(end_ns, self.clock.now_ns()))
                return
            self.clock.advance_to(day_end)
            self.days_run += 1
            self._calls = None
            if end_ns == day_end:
                return

    def _top_up_later(self, attempt_number: int) -> None:
        # The team notices a declined card after a while and buys credits by hand.
        assert self.after_decline is not None
        delay_ns, amount = self.after_decline
        key = f"manual-topup-after-decline-{attempt_number}"
        self.clock.call_later(delay_ns, lambda: self.world.try_top_up(key, amount))

    def _request(self, call: Call) -> MessageRequest:
        _, key, model, uncached, write_5m, write_1h, read, output, max_tokens, searches, tier, geo, stream = (
            call
        )
        return MessageRequest(
            self.secrets[key], model, uncached, max_tokens, output, write_5m, write_1h, read, searches, tier,
            geo, stream,
        )  # fmt: skip


def build_simulation(scenario: Scenario, *, seed: int = 0, prices: PriceList | None = None) -> Simulation:
    """Construct the scenario's world at its start time, with its traffic model."""
    prices = prices or PriceList.default()
    _check_models(scenario, prices)
    start_ns = to_ns(scenario.start)
    clock = VirtualClock(start_ns)
    org, weights = _build_org(scenario, IdFactory(seed), start_ns)
    world = _build_world(scenario, seed, clock, org, prices)
    _schedule_money(scenario, world, clock, start_ns)
    secrets = [key.secret for key in org.api_keys.values()]
    reaction = scenario.auto_reload.after_decline if scenario.auto_reload else None
    batch_models = frozenset(
        m.model for m in scenario.traffic.models if prices.resolve(m.model).batch_available
    )
    us_models = frozenset(m.model for m in scenario.traffic.models if prices.resolve(m.model).us_inference)
    traffic = TrafficModel(
        scenario.traffic,
        start_ns=start_ns,
        key_weights=weights,
        seed=seed,
        batch_models=batch_models,
        us_models=us_models,
        surges=_surges(scenario, org, start_ns),
    )
    after_decline = None if reaction is None else (int(reaction.delay_hours * NS_PER_HOUR), reaction.amount)
    return Simulation(world, clock, traffic, secrets, start_ns, after_decline)


def _surges(scenario: Scenario, org: Organization, start_ns: int) -> list[Surge]:
    index_of = {key.name: index for index, key in enumerate(org.api_keys.values())}
    surges = []
    for number, spec in enumerate(scenario.faults.surges):
        if spec.key is not None and spec.key not in index_of:
            raise ScenarioError(
                scenario.source, f"faults.surges.{number}.key", f"no API key named {spec.key!r}"
            )
        begin = start_ns + day_offset_ns(spec.day)
        end = begin + int(spec.hours * NS_PER_HOUR)
        key_index = None if spec.key is None else index_of[spec.key]
        surges.append(Surge(begin, end, spec.factor, key_index, spec.ramp))
    return surges


def _check_models(scenario: Scenario, prices: PriceList) -> None:
    for index, mix in enumerate(scenario.traffic.models):
        try:
            prices.resolve(mix.model)
        except UnknownModelError as exc:
            raise ScenarioError(
                scenario.source, f"traffic.models.{index}.model", f"unknown model {mix.model!r}"
            ) from exc
    for index, switch in enumerate(scenario.faults.model_switches):
        for name in ("model", "to"):
            try:
                prices.resolve(getattr(switch, name))
            except UnknownModelError as exc:
                where = f"faults.model_switches.{index}.{name}"
                raise ScenarioError(
                    scenario.source, where, f"unknown model {getattr(switch, name)!r}"
                ) from exc


def _build_org(scenario: Scenario, ids: IdFactory, start_ns: int) -> tuple[Organization, list[float]]:
    spec = scenario.org
    org = Organization(id=ids.uuid(), name=spec.name)
    created = start_ns - 200 * NS_PER_DAY
    for n in range(spec.users):
        user = User(
            ids.make("user"), f"user{n + 1}@{spec.name}.example", f"User {n + 1}", _ROLES[n % 5], created
        )
        org.users[user.id] = user
    creators = list(org.users)
    org.admin_keys.add(ids.secret("sk-ant-admin01-"))
    weights: list[float] = []
    groups: list[tuple[str | None, str, int, float]] = [(None, "Default", spec.default_workspace_keys, 1.0)]
    for ws_spec in spec.workspaces:
        workspace = Workspace(ids.make("wrkspc"), ws_spec.name, created, spend_limit=ws_spec.spend_limit)
        org.workspaces[workspace.id] = workspace
        groups.append((workspace.id, ws_spec.name, ws_spec.keys, ws_spec.weight))
    for workspace_id, name, count, weight in groups:
        for n in range(count):
            key = ApiKey(
                ids.make("apikey"),
                f"{name} key {n + 1}",
                ids.secret("sk-ant-api03-"),
                workspace_id,
                created,
                creators[n % len(creators)],
            )
            org.add_key(key)
            weights.append(weight)
    return org, weights


def _build_world(
    scenario: Scenario, seed: int, clock: VirtualClock, org: Organization, prices: PriceList
) -> World:
    profile = tier_profile(scenario.org.tier_profile)
    ledger = Ledger(expiry_rule(scenario.credits.expiry, days=scenario.credits.expiry_days))
    deposits = DepositCap(profile.tier(scenario.org.tier).monthly_cap) if profile.deposits_capped else None
    reload = AutoReload(
        _reload_settings(scenario.auto_reload),
        _payment(scenario.auto_reload, seed),
        ledger,
        deposits=deposits,
    )
    spend = SpendLimits(
        organization_limit=scenario.spend_limit, tier_cap=profile.tier(scenario.org.tier).monthly_cap
    )
    for workspace in org.workspaces.values():
        if workspace.spend_limit is not None:
            spend.set_workspace_limit(workspace.id, workspace.spend_limit)
    limiter = RateLimiter(
        burst_seconds=scenario.org.rate_limit_burst_seconds, otpm_mode=scenario.org.otpm_mode
    )
    world = World(
        clock=clock,
        org=org,
        prices=prices,
        tiers=profile,
        tier=scenario.org.tier,
        ledger=ledger,
        reload=reload,
        spend=spend,
        limiter=limiter,
        faults=_faults(scenario.faults, seed, to_ns(scenario.start), prices),
        request_id_seed=seed,
        deposits=deposits,
    )
    world.set_tier(scenario.org.tier)
    for model_class, override in scenario.rate_limits.items():
        if model_class != "*" and model_class not in profile.model_classes():
            choices = ", ".join(["*", *profile.model_classes()])
            raise ScenarioError(
                scenario.source, f"rate_limits.{model_class}", f"unknown model class; one of {choices}"
            )
        classes = profile.model_classes() if model_class == "*" else [model_class]
        for name in classes:
            base = profile.rate_limits(scenario.org.tier, name)
            limiter.configure(
                ("org", name),
                RateLimits(override.rpm or base.rpm, override.itpm or base.itpm, override.otpm or base.otpm),
            )
    return world


def _reload_settings(spec: AutoReloadSpec | None) -> ReloadSettings | None:
    if spec is None or not spec.enabled:
        return None
    return ReloadSettings(minimum=spec.minimum, target=spec.target, fixed_amount=spec.fixed_amount)


def _payment(spec: AutoReloadSpec | None, seed: int) -> PaymentModel:
    if spec is None or spec.payment == "always":
        return AlwaysSucceeds()
    if spec.payment == "probability":
        return DeclinesWithProbability(spec.decline_probability, seed=seed + 1)
    late_ns = int(spec.late_failure_hours * NS_PER_HOUR)
    return Scripted.from_names(spec.script, late_failure_after_ns=late_ns)


def _faults(spec: FaultSpec, seed: int, start_ns: int, prices: PriceList) -> Faults:
    def window(day: float, hours: float) -> Window:
        begin = start_ns + int(day * NS_PER_DAY)
        return Window(begin, begin + int(hours * NS_PER_HOUR))

    def incident(day: float, hours: float) -> Window:
        begin = start_ns + day_offset_ns(day)
        return Window(begin, begin + int(hours * NS_PER_HOUR))

    return Faults(
        seed=seed + 2,
        overload_probability=spec.overload_probability,
        overload_windows=[window(w.day, w.hours) for w in spec.overload_windows],
        outage_windows=[window(w.day, w.hours) for w in spec.outages],
        on_hold=spec.on_hold,
        duplicate_charge_windows=[window(d, 24) for d in spec.duplicate_charge_days],
        interrupt_probability=spec.interrupt_probability,
        duplicate_bursts=[DuplicateBurst(incident(b.day, b.hours), b.share) for b in spec.duplicate_charges],
        cache_storm_windows=[incident(w.day, w.hours) for w in spec.cache_storms],
        model_switches=[
            ModelSwitch(incident(m.day, m.hours), prices.resolve(m.model).id, prices.resolve(m.to).id)
            for m in spec.model_switches
        ],
        runaway_reloads=[
            RunawayReload(incident(r.day, r.hours), int(r.every_minutes * 60 * 1_000_000_000))
            for r in spec.runaway_reloads
        ],
    )


def _schedule_money(scenario: Scenario, world: World, clock: VirtualClock, start_ns: int) -> None:
    """Grant the opening lots (backdated) and schedule later top-ups and reactions."""
    for index, lot in enumerate(sorted(scenario.credits.lots, key=lambda lot: lot.day)):
        world.ledger.grant(
            f"opening-lot-{index}", lot.amount, start_ns + int(lot.day * NS_PER_DAY), kind=lot.kind
        )
    for index, topup in enumerate(scenario.credits.topups):
        at = start_ns + int(topup.day * NS_PER_DAY)
        clock.call_at(at, partial(world.try_top_up, f"scheduled-topup-{index}", topup.amount))
