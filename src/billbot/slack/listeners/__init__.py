"""Listeners that are not slash commands (the commands are registered from the table)."""
