"""The sandbox as an ASGI app: Anthropic's Admin and Messages paths, and the `/sandbox/v1/` control API.

One set of handlers, served two ways: by a real ASGI server (`billbot sandbox serve`, uvicorn) and
in-process through an httpx transport (`sandbox.api.transport`), so a client cannot tell the two apart.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from sandbox.api.admin import resources as admin
from sandbox.api.admin.analytics.handlers import analytics_report
from sandbox.api.admin.analytics.query import Kind
from sandbox.api.admin.claude_code import claude_code_report
from sandbox.api.admin.cost import cost_report
from sandbox.api.admin.rate_limits import (
    organization_rate_limits,
    set_workspace_rate_limits,
    workspace_rate_limits,
)
from sandbox.api.admin.usage import usage_report
from sandbox.api.betas import betas_of
from sandbox.api.control import handlers as control
from sandbox.api.endpoints import Handler, endpoint, http_error, unexpected_error
from sandbox.api.messages.handler import count_tokens, create_message
from sandbox.api.state import SandboxState
from sandbox.api.versions import api_version

ORG = "/v1/organizations"


def create_app(state: SandboxState) -> Starlette:
    """An app serving `state`'s world."""
    app = Starlette(
        routes=_messages_routes() + _admin_routes() + _control_routes(),
        exception_handlers={HTTPException: http_error, Exception: unexpected_error},
    )
    app.state.sandbox = state
    return app


def _get(path: str, handler: Handler) -> Route:
    return Route(path, endpoint(handler, auth="admin"), methods=["GET"])


def _params(request: Request) -> list[tuple[str, str]]:
    return request.query_params.multi_items()


def _messages_routes() -> list[Route]:
    # The Messages API authenticates inside its handler: an API key, checked by the world.
    def post(path: str, handler: Handler) -> Route:
        return Route(path, endpoint(handler, auth="none", offload=False), methods=["POST"])

    return [
        post("/v1/messages", lambda s, r, b: create_message(s.world, r.headers, b)),
        post("/v1/messages/count_tokens", lambda s, r, b: count_tokens(s.world, r.headers, b)),
    ]


def _admin_routes() -> list[Route]:
    def path_param(request: Request, name: str) -> str:
        return str(request.path_params[name])

    handlers: list[tuple[str, Handler]] = [
        ("/me", lambda s, r, b: admin.me(s.world.org)),
        ("/api_keys", lambda s, r, b: admin.list_api_keys(s.world.org, _params(r), _version(r))),
        (
            "/api_keys/{key_id}",
            lambda s, r, b: admin.get_api_key(s.world.org, path_param(r, "key_id"), _version(r)),
        ),
        ("/workspaces", lambda s, r, b: admin.list_workspaces(s.world.org, _params(r))),
        ("/workspaces/{ws}", lambda s, r, b: admin.get_workspace(s.world.org, path_param(r, "ws"))),
        (
            "/workspaces/{ws}/rate_limits",
            lambda s, r, b: workspace_rate_limits(s.world, path_param(r, "ws"), _params(r), _version(r)),
        ),
        ("/users", lambda s, r, b: admin.list_users(s.world.org, _params(r))),
        ("/users/{user_id}", lambda s, r, b: admin.get_user(s.world.org, path_param(r, "user_id"))),
        ("/rate_limits", lambda s, r, b: organization_rate_limits(s.world, _params(r), _version(r))),
        ("/usage_report/messages", _usage_report),
        ("/analytics/usage", lambda s, r, b: _analytics(s, r, "usage")),
        ("/analytics/cost", lambda s, r, b: _analytics(s, r, "cost")),
        (
            "/cost_report",
            lambda s, r, b: cost_report(s.world, _params(r), s.clock.now_ns(), betas=betas_of(r.headers)),
        ),
        (
            "/usage_report/claude_code",
            lambda s, r, b: claude_code_report(s.world, _params(r), s.clock.now_ns()),
        ),
    ]
    routes = [_get(ORG + path, handler) for path, handler in handlers]

    def set_limits(state: SandboxState, request: Request, body: bytes) -> dict[str, Any]:
        workspace, limit_id = path_param(request, "ws"), path_param(request, "rate_limit_id")
        return set_workspace_rate_limits(state.world, workspace, limit_id, body, _version(request))

    path = ORG + "/workspaces/{ws}/rate_limits/{rate_limit_id}"
    routes.append(Route(path, endpoint(set_limits, auth="admin"), methods=["POST"]))
    return routes


def _version(request: Request) -> str:
    return api_version(request.headers)


def _usage_report(state: SandboxState, request: Request, body: bytes) -> dict[str, Any]:
    return usage_report(state.world, _params(request), state.clock.now_ns(), betas=betas_of(request.headers))


def _analytics(state: SandboxState, request: Request, kind: Kind) -> dict[str, Any]:
    options = state.options.analytics
    return analytics_report(state.world, kind, _params(request), request.headers, options, state.extras)


def _control_routes() -> list[Route]:
    def control_route(path: str, method: str, handler: Handler) -> Route:
        return Route(f"/sandbox/v1{path}", endpoint(handler, auth="admin"), methods=[method])

    def request_lookup(state: SandboxState, request: Request, body: bytes) -> dict[str, Any]:
        return control.get_request(state, str(request.path_params["request_id"]))

    return [
        control_route("/state", "GET", lambda s, r, b: control.get_state(s)),
        control_route("/topups", "POST", lambda s, r, b: control.top_up(s, b)),
        control_route("/balance", "PUT", lambda s, r, b: control.set_balance(s, b)),
        control_route("/auto_reload", "PUT", lambda s, r, b: control.set_auto_reload(s, b)),
        control_route("/spend_limits", "PUT", lambda s, r, b: control.set_spend_limits(s, b)),
        control_route("/tier", "PUT", lambda s, r, b: control.set_tier(s, b)),
        control_route("/clock", "POST", lambda s, r, b: control.move_clock(s, b)),
        control_route("/faults", "PUT", lambda s, r, b: control.set_faults(s, b)),
        control_route("/reset", "POST", lambda s, r, b: control.reset(s, b)),
        control_route("/requests", "GET", lambda s, r, b: control.recent_requests(s, _params(r))),
        control_route("/requests/{request_id}", "GET", request_lookup),
    ]
