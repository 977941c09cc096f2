"""The web page: a dashboard of the same answers as Slack, behind a one-time sign-in link.

An interface like `billbot.slack` and `billbot.terminal` (it imports neither): each panel runs one
command of the table as the signed-in Slack user and renders its reply as HTML, charts as SVG drawn
on the server. `billbot serve` mounts its routes beside Slack's (`billbot.runtime.http`).
"""
