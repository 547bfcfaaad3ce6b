"""Settings for running the bot, read from the environment or a .env file, once, at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values


class ConfigError(ValueError):
    """A setting that is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Settings:
    token: str = field(repr=False)  # never in a repr, a log line or a traceback's locals dump
    dev_guild_id: int | None = None
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    api_base: str | None = None  # another Discord-compatible REST base (tests, a rate-limit proxy)


def _int(env: Mapping[str, str], name: str) -> int | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a whole number, not {raw!r}")
    return int(raw)


def load_settings(env: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
    """Environment first, then ``.env`` (git-ignored) for what the environment does not set."""
    merged: dict[str, str] = {}
    if dotenv is not None and dotenv.is_file():
        merged.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
    merged.update(os.environ if env is None else env)
    token = (merged.get("DISCORD_TOKEN") or "").strip()
    if not token:
        raise ConfigError("DISCORD_TOKEN is not set (put it in the environment or in .env; see .env.example)")
    shard_ids = None
    raw_ids = (merged.get("SHARD_IDS") or "").strip()
    if raw_ids:
        parts = [p.strip() for p in raw_ids.split(",")]
        if not all(p.isdigit() for p in parts):
            raise ConfigError(f"SHARD_IDS must be comma-separated whole numbers, not {raw_ids!r}")
        shard_ids = tuple(int(p) for p in parts)
    shard_count = _int(merged, "SHARD_COUNT")
    if shard_ids is not None and shard_count is None:
        raise ConfigError("SHARD_IDS needs SHARD_COUNT too")
    if shard_ids is not None and shard_count is not None and max(shard_ids) >= shard_count:
        raise ConfigError(f"SHARD_IDS {raw_ids} do not fit SHARD_COUNT {shard_count}")
    api_base = (merged.get("DISCORD_API_BASE") or "").strip().rstrip("/") or None
    if api_base is not None and not api_base.startswith(("http://", "https://")):
        raise ConfigError(f"DISCORD_API_BASE must be an http(s) URL, not {api_base!r}")
    return Settings(
        token=token,
        dev_guild_id=_int(merged, "DEV_GUILD_ID"),
        shard_count=shard_count,
        shard_ids=shard_ids,
        api_base=api_base,
    )
