"""Every way pricing a request can fail, as typed errors (re-exported by `sandbox.pricing`)."""

from __future__ import annotations

SERVICE_TIERS = ("standard", "batch")
INFERENCE_GEOS = ("global", "us")
SPEEDS = ("standard", "fast")


class PricingError(Exception):
    """Base class of every pricing failure."""


class UnknownModelError(PricingError):
    """The model ID is neither an entry nor an alias in the price list."""

    def __init__(self, model_id: str) -> None:
        super().__init__(f"unknown model: {model_id!r}")
        self.model_id = model_id


class BatchUnavailableError(PricingError):
    """The model has no Batch API price."""

    def __init__(self, model_id: str) -> None:
        super().__init__(f"model {model_id!r} is not available on the Batch API")
        self.model_id = model_id


class FastModeUnavailableError(PricingError):
    """The model has no fast mode in force on the date asked (or fast mode on the Batch API)."""

    def __init__(self, model_id: str, reason: str) -> None:
        super().__init__(f"fast mode is not available for {model_id!r}: {reason}")
        self.model_id = model_id
        self.reason = reason


class UnknownServiceTierError(PricingError):
    """The service tier is not one the price list knows."""

    def __init__(self, service_tier: str) -> None:
        super().__init__(f"unknown service_tier {service_tier!r}; expected one of {', '.join(SERVICE_TIERS)}")
        self.service_tier = service_tier


class UnknownInferenceGeoError(PricingError):
    """The inference geography is not one the price list knows."""

    def __init__(self, inference_geo: str) -> None:
        super().__init__(
            f"unknown inference_geo {inference_geo!r}; expected one of {', '.join(INFERENCE_GEOS)}"
        )
        self.inference_geo = inference_geo


class UnknownSpeedError(PricingError):
    """A speed other than "standard" or "fast"."""

    def __init__(self, speed: str) -> None:
        super().__init__(f"unknown speed {speed!r}; expected one of {', '.join(SPEEDS)}")
        self.speed = speed


class UnknownTokenTypeError(PricingError):
    """A cost-report token type that has no description."""

    def __init__(self, token_type: str) -> None:
        super().__init__(f"unknown token_type {token_type!r}")
        self.token_type = token_type


class PriceFileError(PricingError):
    """The price file is unreadable or invalid; `location` names the entry and field."""

    def __init__(self, source: str, location: str, problem: str) -> None:
        super().__init__(f"{source}: {location}: {problem}")
        self.source, self.location, self.problem = source, location, problem
