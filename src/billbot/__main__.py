"""`python -m billbot`: the same command line as the `billbot` console script (`billbot.cli`)."""

from __future__ import annotations

from billbot.cli import main

if __name__ == "__main__":
    main()
