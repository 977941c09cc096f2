"""Slash commands: their grammar, the queries they become and the answers they give (Slack and terminal)."""
