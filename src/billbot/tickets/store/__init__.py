"""Tickets in the SQL store: rows read back as domain values, and the outbox of posts owed to Slack."""
