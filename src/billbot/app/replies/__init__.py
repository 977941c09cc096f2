"""Answers as a renderer-neutral document: built once, rendered as Block Kit for Slack or as text."""
