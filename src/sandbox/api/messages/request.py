"""The Messages API request body as pydantic models: what `POST /v1/messages` and `count_tokens` accept.

Rules (decisions where the real API's behaviour is not documented):
- Top-level fields are strict: a field the API does not define is a 400 "NAME: Extra inputs are not
  permitted", as the real API answers (seen in third-party logs). Fields SDK 2.12 may send and the
  sandbox does not simulate (`container`, `diagnostics`, `output_config`, `context_management`,
  `mcp_servers`, `user_profile_id`, `workspace_id`) are accepted and ignored.
- Content blocks are checked on `type` (a known tag) and on the fields the sandbox reads. The core
  blocks (text, image, document, tool_use, tool_result, thinking, redacted_thinking) refuse unknown
  fields; the server-tool result blocks accept any extra field, since their shapes change often.
- Values are validated strictly (no "1000" for 1000), with pydantic's messages behind the field path.
- A string `content` or `system` is the same as one text block (how the API documents it).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Field

from sandbox.api.messages.options import (
    CacheControl,
    ChoiceNone,
    Metadata,
    OpenModel,
    ServerTool,
    StrictModel,
    Thinking,
    Tool,
    ToolChoice,
)

# The price list's inference geographies (`sandbox.pricing.INFERENCE_GEOS`; a test keeps them equal).
InferenceGeo = Literal["global", "us"]


class TextBlock(StrictModel):
    """A text block: in messages, in `system`, or inside a tool result."""

    type: Literal["text"]
    text: str
    cache_control: CacheControl | None = None
    citations: list[Any] | None = None


class ImageBlock(StrictModel):
    """An image (base64, URL or file source); priced at a fixed token estimate."""

    type: Literal["image"]
    source: dict[str, Any]
    cache_control: CacheControl | None = None
    transformations: Any = None


class DocumentBlock(StrictModel):
    """A document (PDF or plain text)."""

    type: Literal["document"]
    source: dict[str, Any]
    cache_control: CacheControl | None = None
    citations: Any = None
    context: str | None = None
    title: str | None = None


class ToolUseBlock(StrictModel):
    """A tool call the assistant made earlier in the conversation."""

    type: Literal["tool_use"]
    id: str
    name: str
    input: dict[str, Any]
    cache_control: CacheControl | None = None
    caller: Any = None
    toolset_name: str | None = None


def _text_blocks(value: object) -> object:
    # The API documents a plain string as shorthand for a single text block.
    if isinstance(value, str):
        return [{"type": "text", "text": value}] if value else []
    return value


ToolResultPart = Annotated[TextBlock | ImageBlock | DocumentBlock, Field(discriminator="type")]


class ToolResultBlock(StrictModel):
    """The user's answer to a tool call: a string or text/image/document blocks."""

    type: Literal["tool_result"]
    tool_use_id: str
    content: Annotated[list[ToolResultPart], BeforeValidator(_text_blocks)] = Field(default_factory=list)
    is_error: bool = False
    cache_control: CacheControl | None = None
    toolset_name: str | None = None


class ThinkingBlock(StrictModel):
    """An earlier thinking block passed back unchanged."""

    type: Literal["thinking"]
    thinking: str
    signature: str


class RedactedThinkingBlock(StrictModel):
    """An earlier redacted thinking block passed back unchanged."""

    type: Literal["redacted_thinking"]
    data: str


ServerBlockType = Literal[
    "search_result",
    "server_tool_use",
    "web_search_tool_result",
    "web_fetch_tool_result",
    "code_execution_tool_result",
    "bash_code_execution_tool_result",
    "text_editor_code_execution_tool_result",
    "tool_search_tool_result",
    "container_upload",
]
SERVER_BLOCK_TYPES: tuple[str, ...] = get_args(ServerBlockType)


class ServerBlock(OpenModel):
    """A server-tool block passed back in a conversation; any fields, counted by their JSON size."""

    type: ServerBlockType
    cache_control: CacheControl | None = None


ContentBlock = Annotated[
    TextBlock
    | ImageBlock
    | DocumentBlock
    | ToolUseBlock
    | ToolResultBlock
    | ThinkingBlock
    | RedactedThinkingBlock
    | ServerBlock,
    Field(discriminator="type"),
]


class InputMessage(StrictModel):
    """One turn of the conversation."""

    role: Literal["user", "assistant", "system"]
    content: Annotated[list[ContentBlock], BeforeValidator(_text_blocks)]


class PromptBody(StrictModel):
    """The fields `count_tokens` accepts: the prompt, without generation settings."""

    model: str
    messages: list[InputMessage]
    system: Annotated[list[TextBlock], BeforeValidator(_text_blocks)] = Field(default_factory=list)
    tools: list[Tool] = Field(default_factory=list)
    tool_choice: ToolChoice | None = None
    thinking: Thinking | None = None
    cache_control: CacheControl | None = None
    speed: Literal["standard", "fast"] | None = None
    # Accepted and not simulated (see the module docstring).
    output_config: Any = None
    context_management: Any = None
    mcp_servers: Any = None
    user_profile_id: Any = None
    workspace_id: Any = None


class CreateBody(PromptBody):
    """The body of `POST /v1/messages`."""

    max_tokens: int = Field(ge=1)
    stream: bool = False
    metadata: Metadata | None = None
    stop_sequences: list[str] = Field(default_factory=list)
    temperature: float | None = Field(default=None, ge=0.0, le=1.0, allow_inf_nan=False)
    top_p: float | None = Field(default=None, ge=0.0, le=1.0, allow_inf_nan=False)
    top_k: int | None = Field(default=None, ge=0)
    service_tier: Literal["auto", "standard_only"] | None = None
    inference_geo: InferenceGeo | None = None
    container: Any = None
    diagnostics: Any = None

    def offers_web_search(self) -> bool:
        """Whether the model may search the web: a `web_search_…` server tool, and tool use allowed."""
        if isinstance(self.tool_choice, ChoiceNone):
            return False
        return any(isinstance(t, ServerTool) and t.type.startswith("web_search") for t in self.tools)
