"""billbot: a Slack billing co-pilot for the Claude API."""

__version__ = "0.1.0"
