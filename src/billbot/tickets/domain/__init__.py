"""The pure ticket domain: claims, statuses and transitions, provider profiles, policy, terms, reminders.

Nothing here does I/O or imports an I/O library: it takes `now` and returns values.
"""
