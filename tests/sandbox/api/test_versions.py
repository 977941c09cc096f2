"""`anthropic-version`: 2023-06-01 and 2026-10-21 are both answered, with the differences 2026-10-21 made."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox.api.conftest import API_KEY

NEW = {"anthropic-version": "2026-10-21", "x-api-key": API_KEY}
OLD = {"anthropic-version": "2023-06-01", "x-api-key": API_KEY}


def message(**fields: object) -> dict[str, object]:
    return {
        "model": "claude-sonnet-5",
        "max_tokens": 20,
        "messages": [{"role": "user", "content": "hi"}],
    } | fields


@pytest.mark.parametrize("name", ["temperature", "top_p", "top_k"])
def test_sampling_parameters_are_refused_under_2026_10_21_even_at_defaults(
    admin: httpx.Client, name: str
) -> None:
    value = 1 if name != "top_p" else 1.0
    refused = admin.post("/v1/messages", json=message(**{name: value}), headers=NEW)
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == f"{name}: Extra inputs are not permitted"
    assert admin.post("/v1/messages", json=message(**{name: value}), headers=OLD).status_code == 200


def test_a_document_in_an_assistant_turn_is_refused_under_2026_10_21(admin: httpx.Client) -> None:
    document = {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "notes"}}
    turns = [
        {"role": "user", "content": "summarise"},
        {"role": "assistant", "content": [document]},
        {"role": "user", "content": "and now?"},
    ]
    assert admin.post("/v1/messages", json=message(messages=turns), headers=NEW).status_code == 400
    assert admin.post("/v1/messages", json=message(messages=turns), headers=OLD).status_code == 200


def test_cited_text_in_a_user_turn_is_refused_under_2026_10_21(admin: httpx.Client) -> None:
    cited = {"type": "text", "text": "as quoted", "citations": [{"type": "char_location", "cited_text": "x"}]}
    turns = [{"role": "user", "content": [cited]}]
    refused = admin.post("/v1/messages", json=message(messages=turns), headers=NEW)
    assert refused.status_code == 400 and "citations" in refused.json()["error"]["message"]
    result = {"type": "search_result", "source": "s", "title": "t", "content": [cited]}
    nested = admin.post(
        "/v1/messages", json=message(messages=[{"role": "user", "content": [result]}]), headers=NEW
    )
    assert nested.status_code == 400


def test_an_unknown_version_is_a_400_on_every_api(admin: httpx.Client) -> None:
    odd = {"anthropic-version": "2024-02-30"}
    messages = admin.post("/v1/messages", json=message(), headers={**odd, "x-api-key": API_KEY})
    listing = admin.get("/v1/organizations/api_keys", headers=odd)
    for response in (messages, listing):
        assert response.status_code == 400 and "anthropic-version" in response.json()["error"]["message"]


def test_api_keys_lose_workspace_id_under_2026_10_21(admin: httpx.Client) -> None:
    new = admin.get("/v1/organizations/api_keys", headers={"anthropic-version": "2026-10-21"}).json()["data"]
    old = admin.get("/v1/organizations/api_keys").json()["data"]
    assert all("workspace_id" not in key and "scope" in key for key in new)
    assert all("workspace_id" in key for key in old)
