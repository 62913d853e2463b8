"""Provides resolve_data_dir: --data-dir, then TUTOR_DATA_DIR, then the platform's user data dir."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def resolve_data_dir(cli_value: str | None, env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if cli_value:
        return Path(cli_value).expanduser()
    if env.get("TUTOR_DATA_DIR"):
        return Path(env["TUTOR_DATA_DIR"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("tutor", appauthor=False))
