"""billbot's sandbox: a simulator of Anthropic billing that imports nothing from billbot."""
