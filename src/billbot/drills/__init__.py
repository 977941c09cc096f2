"""Billing drills: a copy of an organisation lives through a billing incident on the sandbox's exact engine.

Pure: `grammar` (what a person types), `script` (timed actions), `catalogue` (drills as data),
`record` (what happened), `scorecard` and `advice` (the score and what to change). `traffic` and
`actions` change the drill's world; `engine` (`DrillSession`, `run_scripted`) steps it minute by
minute and runs the watch's rules over it. See docs/DRILLS.md.
"""
