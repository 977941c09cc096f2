"""Refund and dispute tickets, by layer.

`domain/` (pure: claims, transitions, profiles, policy, terms, reminders, event narration),
`evidence/` (what is gathered from the data source), `packet/` (the claim packet), `store/` (SQL),
`service.py` (`TicketService`: every change one transaction with its event), `catalog.py` (reading
the provider profiles in `profiles/`) and `files.py` (the files a ticket's thread gets).
"""
