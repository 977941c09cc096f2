"""The Slack face of billbot: app factory, listeners, and Block Kit builders."""
