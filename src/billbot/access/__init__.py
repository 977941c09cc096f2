"""Who gets into the web page: signed tokens, one-time sign-in links, and the record of used links.

Not an interface: the runtime mints links for `/claude-dashboard` (through `Services.sign_in`) in
every process, the terminal's included, while `billbot.web` checks and redeems them and keeps its
session cookie with the same signer. Nothing here reads the environment or the wall clock directly.
"""
