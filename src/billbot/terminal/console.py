"""`billbot console`: an interactive prompt for the slash commands, over one data source for the session.

Each line goes through the same command table as `billbot ask` (the local operator is an admin) and prints
the same answer. A bad line gets its message and usage line and the prompt comes back; so does a
failing data source. `help` lists the commands, `sync` refreshes the report cache, `exit`, `quit` or
Ctrl-D (end of input) leave. The leading "/claude-" may be left out: `spend 7d by model`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from billbot.runtime import Runtime, open_runtime
from billbot.settings import Settings
from billbot.terminal.outcome import EXIT_OK, Outcome, emit, failed, run_command
from billbot.terminal.sync import sync_summary

PROMPT = "billbot> "
LEAVE = frozenset({"exit", "quit"})
CONSOLE_HELP = (
    'here "/claude-" may be left out (spend 7d by model); also: help (this list), '
    "sync (refresh the report cache), exit or quit (or Ctrl-D)"
)

Read = Callable[[str], str]
Print = Callable[[str], None]


def console(settings: Settings, *, read: Read, out: Print, err: Print) -> int:
    """Run the prompt until `exit`, `quit` or end of input; 1 if the source cannot be opened."""
    try:
        with open_runtime(settings, say=err) as runtime:
            out(f"billbot console · {runtime.source.label} · type help, or exit to leave")
            session(runtime, read=read, out=out, err=err)
    except Exception as exc:  # the source or the store could not be opened
        return emit(failed(exc), out=out, err=err)
    return EXIT_OK


def session(runtime: Runtime, *, read: Read, out: Print, err: Print) -> None:
    """Read, answer and print lines until the operator leaves."""
    while True:
        try:
            line = read(PROMPT).strip()
        except EOFError:
            out("")
            return
        except KeyboardInterrupt:  # Ctrl-C drops the line, as a shell does; Ctrl-D leaves
            out("")
            continue
        if line.lower() in LEAVE:
            return
        if line:
            emit(handle(runtime, line, err), out=out, err=err)


def handle(runtime: Runtime, line: str, progress: Print) -> Outcome:
    """One line of the console: a console word or a slash command."""
    word = line.lower()
    if word == "help":
        help_text = run_command(runtime, "/claude-help")
        return Outcome(help_text.code, f"{help_text.out}\n{CONSOLE_HELP}", help_text.err)
    if word == "sync":
        try:
            return Outcome(EXIT_OK, sync_summary(runtime.sync(progress)))
        except Exception as exc:
            return failed(exc)
    return run_command(runtime, as_command(line))


def as_command(line: str) -> str:
    """`spend 7d` and `claude-spend 7d` → `/claude-spend 7d`; a slash command stays as it is."""
    if line.startswith("/"):
        return line
    return f"/{line}" if line.lower().startswith("claude-") else f"/claude-{line}"


def main_console() -> int:
    """Entry used by the CLI: real settings, stdin, stdout and stderr."""
    if sys.stdin.isatty():
        import readline  # noqa: F401  (line editing and history at the prompt)
    return console(Settings(), read=input, out=print, err=lambda line: print(line, file=sys.stderr))
