"""The watch in Slack: alert messages with buttons, their relay, the digest, and the scheduler.

- `message`: an alert as Block Kit (title, severity, figures, evidence, buttons, the dispute link);
- `notes`: a person's action on an alert saved with the thread note that says who did it;
- `dispute`: "Draft a dispute" files a ticket with the reconciliation evidence;
- `relay`: posts the alerts' outbox in order and edits messages in place;
- `digest`: the daily digest, recorded once per day in the store;
- `listeners`: the buttons; `desk`: what they and the scheduler share; `scheduler`: the loop.
"""
