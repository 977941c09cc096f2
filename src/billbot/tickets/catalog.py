"""Reading provider profiles: the built-in TOML files shipped with billbot, plus a user's own directory."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import ValidationError

from billbot.tickets.domain.profile import ProviderProfile

BUILTIN_PACKAGE = "billbot.tickets"
BUILTIN_DIR = "profiles"


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file, the field and what is wrong."""


def parse_profile(text: str, origin: str) -> ProviderProfile:
    """Validate one profile's TOML text; `origin` (a file name) leads every error message."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{origin}: not valid TOML: {error}") from None
    try:
        return ProviderProfile.model_validate(data)
    except ValidationError as error:
        raise ProfileError(f"{origin}: {_describe(error)}") from None


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {message}" if where else message)
    return "; ".join(problems)


def builtin_profiles() -> dict[str, ProviderProfile]:
    """The profiles shipped with billbot, by id."""
    directory = files(BUILTIN_PACKAGE).joinpath(BUILTIN_DIR)
    return _read_all(sorted(directory.iterdir(), key=lambda entry: entry.name))


def load_profiles(extra_dir: Path | None = None) -> dict[str, ProviderProfile]:
    """Built-in profiles plus `*.toml` in `extra_dir`; a user's profile replaces a built-in of the same id."""
    profiles = builtin_profiles()
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise ProfileError(f"{extra_dir}: not a directory of provider profiles")
        profiles |= _read_all(sorted(extra_dir.iterdir()))
    return profiles


def _read_all(entries: list[Traversable] | list[Path]) -> dict[str, ProviderProfile]:
    found: dict[str, ProviderProfile] = {}
    origins: dict[str, str] = {}
    for entry in entries:
        if not (entry.name.endswith(".toml") and entry.is_file()):
            continue
        origin = str(entry)
        try:
            text = entry.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ProfileError(f"{origin}: not UTF-8 text") from None
        profile = parse_profile(text, origin)
        if profile.id in found:
            # Two files of one directory claiming an id: which wins would depend on file names.
            raise ProfileError(f"{origin}: id: {profile.id!r} is already defined by {origins[profile.id]}")
        found[profile.id] = profile
        origins[profile.id] = origin
    return found
