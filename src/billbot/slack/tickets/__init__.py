"""Tickets in Slack: the modals and their typed metadata, the header's buttons, the thread relay, the desk."""
