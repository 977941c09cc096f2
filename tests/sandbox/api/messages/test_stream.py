"""Streaming POST /v1/messages: the documented event order, and an interrupted stream's bill."""

from __future__ import annotations

from decimal import Decimal

from tests.sandbox.api.messages.support import CREDIT, MTOK, balance, body, events, send, streamed_text
from tests.sandbox.conftest import WorldFactory

ORDER = ["message_start", "content_block_start", "ping"]
END = ["content_block_stop", "message_delta", "message_stop"]


def test_stream_follows_the_documented_order_and_carries_the_same_answer(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    plain = send(sim, body(max_tokens=4096))
    streamed = send(sim, body(max_tokens=4096, stream=True))
    assert streamed.status == 200 and streamed.body is None
    assert streamed.headers["content-type"].startswith("text/event-stream")
    stream = events(streamed)
    names = [name for name, _ in stream]
    deltas = names.count("content_block_delta")
    assert deltas >= 2 and names == ORDER + ["content_block_delta"] * deltas + END
    assert all(data["type"] == name for name, data in stream)
    assert plain.body is not None
    assert streamed_text(stream) == plain.body["content"][0]["text"]
    start = stream[0][1]["message"]
    assert start["content"] == [] and start["stop_reason"] is None
    assert start["usage"]["input_tokens"] == 9 and start["usage"]["output_tokens"] == 1
    assert start["id"] == "msg_" + streamed.headers["request-id"].removeprefix("req_")
    final = stream[-2][1]
    assert final["delta"] == {"stop_reason": "end_turn", "stop_sequence": None}
    assert final["usage"]["output_tokens"] == plain.body["usage"]["output_tokens"]


def test_stream_is_billed_like_the_plain_request(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    stream = events(send(sim, body(stream=True)))
    assert stream[-2][1]["delta"]["stop_reason"] == "max_tokens"
    assert balance(sim) == Decimal(100) - (9 * 2 + 10 * 10) / MTOK


def test_interrupted_stream_ends_with_an_error_and_bills_what_was_sent(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + "\n[faults]\ninterrupt_probability = 1.0\n")
    response = send(sim, body(max_tokens=4096, stream=True))
    assert response.status == 200
    stream = events(response)
    names = [name for name, _ in stream]
    assert names[:3] == ORDER and names[-1] == "error"
    assert set(names[3:-1]) <= {"content_block_delta"}
    assert stream[-1][1] == {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    logged = sim.world.records.find(response.headers["request-id"])
    assert logged is not None and logged.interrupted and logged.usage is not None
    produced = logged.usage.output
    assert len(streamed_text(stream)) == 4 * produced
    assert balance(sim) == Decimal(100) - (9 * 2 + produced * 10) / MTOK


def test_a_refused_stream_is_a_plain_json_error(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + "\n[faults]\noverload_windows = [{ day = 0, hours = 1 }]\n")
    response = send(sim, body(stream=True))
    assert response.status == 529 and response.events is None and response.body is not None
    assert response.body["error"]["type"] == "overloaded_error"
    assert response.headers["content-type"] == "application/json"
