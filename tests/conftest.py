"""Shared fixtures: real PyTorch for differential tests (required when TUTOR_REQUIRE_TORCH=1),
the grader in strict mode, and hypothesis without an example database (every run the same)."""

from __future__ import annotations

import os
import sqlite3

import pytest
from hypothesis import settings

os.environ.setdefault("TUTOR_STRICT_GRADING", "1")
settings.register_profile("tutor", database=None, derandomize=True, deadline=None)
settings.load_profile("tutor")


def pytest_configure(config):
    # modules that import torch at the top skip whole when it is missing: fail them too
    if os.environ.get("TUTOR_REQUIRE_TORCH") == "1":
        try:
            import torch  # noqa: F401
        except ImportError:
            raise pytest.UsageError("TUTOR_REQUIRE_TORCH=1 but torch is not installed") from None


def _load_torch():
    try:
        import torch
    except ImportError:
        if os.environ.get("TUTOR_REQUIRE_TORCH") == "1":
            pytest.fail("TUTOR_REQUIRE_TORCH=1 but torch is not installed", pytrace=False)
        pytest.skip("PyTorch is not installed (set TUTOR_REQUIRE_TORCH=1 to make this fail)")
    torch.set_num_threads(1)
    return torch


@pytest.fixture(scope="session")
def torch():
    """The real PyTorch 2.13 module, or a skip (a failure under TUTOR_REQUIRE_TORCH=1)."""
    return _load_torch()


# PostgreSQL (tutor serve --database): a real server from Debian's packages, one per test run,
# a fresh database per test; skipped when it is not installed, a failure when
# TUTOR_REQUIRE_SERVER=1 (CI installs it)


def _postgres_missing() -> str | None:
    from pg import find_bin

    if find_bin() is None:
        return "PostgreSQL is not installed (apt-get install postgresql)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    return None


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server (tests/pg.py) for the whole run."""
    why = _postgres_missing()
    if why is not None:
        if os.environ.get("TUTOR_REQUIRE_SERVER") == "1":
            pytest.fail(f"TUTOR_REQUIRE_SERVER=1 but {why}", pytrace=False)
        pytest.skip(f"{why}; set TUTOR_REQUIRE_SERVER=1 to make this fail")
    from pg import PostgresServer

    server = PostgresServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """The URL (with its password) of a fresh database on the test run's PostgreSQL."""
    return postgres_server.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request) -> str | None:
    """Each store test twice: None (the store's SQLite file in the data dir, the default) and a
    fresh PostgreSQL database's URL."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def raw(request, database):
    """`raw(store, sql)`: a statement run beside a progress store (SQLite: on its file;
    PostgreSQL: in its schema), as another program would; its rows."""

    def run(store, sql: str) -> list[tuple]:
        if database is None:
            with sqlite3.connect(store.path) as conn:
                return conn.execute(sql).fetchall()
        server = request.getfixturevalue("postgres_server")
        return server.sql(database, sql, schema="tutor_progress")

    return run
