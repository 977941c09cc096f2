"""Anthropic's Messages API on the wire: request bodies, parsing, handlers, responses and streams."""
