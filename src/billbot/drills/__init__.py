"""Billing drills: a copy of an organisation lives through a billing incident on the sandbox's exact engine.

Pure: `grammar` (what a person types), `script` (timed actions), `catalogue` (drills as data),
`record` (what happened), `scorecard` and `advice` (the score and what to change). `traffic` and
`actions` change the drill's world; `engine` (`DrillSession`) steps it minute by minute and runs the
watch's rules over it; `play` runs one from a script. `command` is `/claude-drill`'s grammar and
answers, `runs` the drills kept in the store. See docs/DRILLS.md.
"""
