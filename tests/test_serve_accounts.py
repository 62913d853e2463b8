"""Class accounts: codes that verify and are stored only hashed, failed logins limited per student
and per address on a fake clock (never a whole class behind one NAT), and `tutor class` — the
accounts on SQLite (the data dir's file) and on PostgreSQL (`database`, tests/conftest.py)."""

from __future__ import annotations

import argparse
import csv
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.serve import class_command
from tutor.serve.accounts import (
    ADDRESS_FAILURES,
    ADDRESS_WINDOW,
    ALPHABET,
    DB_NAME,
    FORGET_AFTER,
    FREE_FAILURES,
    MISSING,
    VERSION,
    WRONG,
    Accounts,
    AccountsError,
)
from tutor.serve.roster import Roster, Student, read_roster

CHEAP = 2**4  # scrypt work for tests; the default is 2**14
T0 = 1_800_000_000.0
LAB = "10.0.0.1"


def roster_of(*ids: str, **columns: str) -> Roster:
    students = [Student(i, {"student_id": i, **columns}) for i in ids]
    return Roster(Path("roster.csv"), ["student_id", *columns], "student_id", students)


@pytest.fixture
def accounts(tmp_path, database):
    with Accounts.open(tmp_path / "data", database=database, scrypt_n=CHEAP) as opened:
        yield opened


def wrong(code: str) -> str:
    """A well-formed code that is not `code`."""
    first = ALPHABET[(ALPHABET.index(code[0]) + 1) % len(ALPHABET)]
    return first + code[1:]


def test_codes_are_three_groups_of_four_unambiguous_characters(accounts):
    codes = dict(accounts.issue_codes(roster_of(*(f"s{i}" for i in range(50)))))
    assert len(set(codes.values())) == 50
    for code in codes.values():
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4]
        assert set("".join(groups)) <= set(ALPHABET)
    assert not set("0O1lI") & set(ALPHABET)


def test_an_issued_code_logs_its_student_in_however_it_is_typed(accounts):
    (student, code), *_ = accounts.issue_codes(roster_of("s1", "s2"))
    for typed in (code, code.lower(), code.replace("-", " "), f"  {code.replace('-', '')}  "):
        login = accounts.login(" s1 ", typed, LAB, now=T0)
        assert (login.ok, login.role, login.student_id, login.reason) == (
            True,
            "student",
            "s1",
            None,
        )
        assert login.retry_after == 0


def test_a_wrong_code_and_an_unknown_id_are_told_alike(accounts):
    codes = dict(accounts.issue_codes(roster_of("s1", "s2")))
    bad_code = accounts.login("s1", codes["s2"], LAB, now=T0)
    unknown = accounts.login("nobody", codes["s1"], LAB, now=T0)
    assert bad_code == unknown
    assert (bad_code.ok, bad_code.role, bad_code.student_id) == (False, None, None)
    assert bad_code.reason == WRONG
    assert "\n" not in WRONG.en and "\n" not in WRONG.ko


def test_an_empty_id_or_code_is_asked_for_and_not_counted(accounts):
    codes = dict(accounts.issue_codes(roster_of("s1")))
    for _ in range(FREE_FAILURES + 3):
        assert accounts.login("s1", "  ", LAB, now=T0).reason == MISSING
        assert accounts.login("", codes["s1"], LAB, now=T0).reason == MISSING
    assert accounts.login("s1", codes["s1"], LAB, now=T0).ok


def test_only_salted_scrypt_hashes_reach_the_database(tmp_path):
    data = tmp_path / "data"
    with Accounts.open(data, scrypt_n=CHEAP) as accounts:
        codes = accounts.issue_codes(roster_of("s1", "s2"))
        accounts.issue_instructor_code()
        stored = [
            row[0]
            for row in sqlite3.connect(data / DB_NAME).execute("SELECT code_hash FROM account")
        ]
        everything = b"".join(path.read_bytes() for path in data.iterdir())
    for _, code in codes:
        assert code.encode() not in everything
        assert code.replace("-", "").encode() not in everything
    assert b"s1" in everything  # the ids are there, just not the codes
    assert all(h.startswith(f"scrypt${CHEAP}$8$1$") for h in stored)
    salts = {h.split("$")[4] for h in stored}
    assert len(salts) == len(stored) == 3


def test_codes_verify_with_the_work_they_were_hashed_with(tmp_path, database):
    with Accounts.open(tmp_path, database=database, scrypt_n=CHEAP) as accounts:
        codes = dict(accounts.issue_codes(roster_of("s1")))
    with Accounts.open(tmp_path, database=database, scrypt_n=2 * CHEAP) as accounts:
        assert accounts.login("s1", codes["s1"], LAB, now=T0).ok


def test_reissuing_replaces_the_old_code_and_keeps_other_students(accounts):
    first = dict(accounts.issue_codes(roster_of("s1", "s2")))
    second = dict(accounts.issue_codes(roster_of("s1", section="B")))
    assert first["s1"] != second["s1"]
    assert not accounts.login("s1", first["s1"], LAB, now=T0).ok
    assert accounts.login("s1", second["s1"], LAB, now=T0).ok
    assert accounts.login("s2", first["s2"], LAB, now=T0).ok
    assert accounts.students() == [
        Student("s1", {"student_id": "s1", "section": "B"}),
        Student("s2", {"student_id": "s2"}),
    ]


def test_students_come_back_with_their_roster_columns_in_order(accounts, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text('Student,ID,SIS User ID,Section\n"Kim, Minsu",1,2024123,A\n', "utf-8")
    accounts.issue_codes(read_roster(path))
    (student,) = accounts.students()
    assert student.id == "2024123"
    assert list(student.columns.items()) == [
        ("Student", "Kim, Minsu"),
        ("ID", "1"),
        ("SIS User ID", "2024123"),
        ("Section", "A"),
    ]


def test_a_student_is_locked_out_longer_after_each_failure_and_then_let_in(accounts):
    code = dict(accounts.issue_codes(roster_of("s1")))["s1"]
    now = T0
    for _ in range(FREE_FAILURES - 1):
        login = accounts.login("s1", wrong(code), LAB, now=now)
        assert (login.reason, login.retry_after) == (WRONG, 0)
        now += 1
    waits = []
    for _ in range(3):
        login = accounts.login("s1", wrong(code), LAB, now=now)
        waits.append(login.retry_after)
        assert login.reason.en == f"Too many failed attempts: try again in {waits[-1]:.0f} s."
        assert f"{waits[-1]:.0f}초" in login.reason.ko
        # while it waits even the right code is refused, and nothing is checked or counted
        early = accounts.login("s1", code, LAB, now=now + waits[-1] - 1)
        assert not early.ok and early.retry_after == pytest.approx(1)
        now += waits[-1]
    assert waits == [30, 60, 120]
    assert accounts.login("s1", code, LAB, now=now).ok
    # a success ends the count: the next failures are free again
    assert accounts.login("s1", wrong(code), LAB, now=now).retry_after == 0


def test_failures_are_forgotten_an_hour_after_the_last(accounts):
    code = dict(accounts.issue_codes(roster_of("s1")))["s1"]
    for _ in range(FREE_FAILURES - 1):
        accounts.login("s1", wrong(code), LAB, now=T0)
    later = T0 + FORGET_AFTER + 1
    for _ in range(FREE_FAILURES - 1):
        assert accounts.login("s1", wrong(code), LAB, now=later).retry_after == 0
    assert accounts.login("s1", wrong(code), LAB, now=later).retry_after == 30


def test_an_unknown_id_is_limited_exactly_as_a_known_one(accounts):
    code = dict(accounts.issue_codes(roster_of("s1")))["s1"]
    known = [accounts.login("s1", wrong(code), f"10.0.1.{i}", now=T0 + i) for i in range(7)]
    unknown = [accounts.login("s9", wrong(code), f"10.0.2.{i}", now=T0 + i) for i in range(7)]
    assert known == unknown


def test_a_new_code_ends_a_lock_out(accounts):
    code = dict(accounts.issue_codes(roster_of("s1")))["s1"]
    for _ in range(FREE_FAILURES):
        accounts.login("s1", wrong(code), LAB, now=T0)
    fresh = dict(accounts.issue_codes(roster_of("s1")))["s1"]
    assert accounts.login("s1", fresh, LAB, now=T0 + 1).ok


def test_a_class_of_200_behind_one_nat_logs_in_within_a_minute_never_slowed(accounts):
    codes = accounts.issue_codes(roster_of(*(f"2024{i:03d}" for i in range(200))))
    for i, (student_id, code) in enumerate(codes):
        now = T0 + i * 0.25  # all in 50 seconds
        if i % 10 == 0:  # a typo from one in ten students first
            assert accounts.login(student_id, wrong(code), LAB, now=now).reason == WRONG
        login = accounts.login(student_id, code, LAB, now=now)
        assert login.ok and login.retry_after == 0, (i, login)


def test_a_burst_of_wrong_codes_from_one_address_is_limited(accounts):
    codes = dict(accounts.issue_codes(roster_of(*(f"s{i}" for i in range(40)))))
    for i in range(ADDRESS_FAILURES):  # one guess at each of many ids: no id is locked
        login = accounts.login(f"s{i}", wrong(codes[f"s{i}"]), "6.6.6.6", now=T0 + i)
        assert login.reason == WRONG
    limited = accounts.login("s35", wrong(codes["s35"]), "6.6.6.6", now=T0 + 30)
    assert limited.reason.en.startswith("Too many failed attempts")
    assert limited.retry_after == pytest.approx(ADDRESS_WINDOW - 30)
    # while the address waits no code is checked from it; other addresses are not affected
    assert not accounts.login("s36", codes["s36"], "6.6.6.6", now=T0 + 31).ok
    assert accounts.login("s37", codes["s37"], LAB, now=T0 + 31).ok
    # as the oldest failures leave the window, the address may try again
    assert accounts.login("s36", codes["s36"], "6.6.6.6", now=T0 + ADDRESS_WINDOW).ok


def test_two_processes_share_the_counts(tmp_path, database):
    with (
        Accounts.open(tmp_path, database=database, scrypt_n=CHEAP) as one,
        Accounts.open(tmp_path, database=database, scrypt_n=CHEAP) as other,
    ):
        code = dict(one.issue_codes(roster_of("s1")))["s1"]
        for i in range(FREE_FAILURES):
            (one if i % 2 else other).login("s1", wrong(code), LAB, now=T0)
        assert one.login("s1", code, LAB, now=T0 + 1).retry_after == 29
        assert other.login("s1", code, LAB, now=T0 + 30).ok


def test_an_instructor_code_opens_the_instructor_role(accounts):
    accounts.issue_codes(roster_of("s1"))
    code = accounts.issue_instructor_code()
    login = accounts.login("instructor", code, LAB, now=T0)
    assert (login.ok, login.role, login.student_id, login.account) == (
        True,
        "instructor",
        None,
        "instructor",
    )
    again = accounts.issue_instructor_code()
    assert not accounts.login("instructor", code, LAB, now=T0).ok
    assert accounts.login("instructor", again, LAB, now=T0).ok
    assert [s.id for s in accounts.students()] == ["s1"]


def test_a_name_is_never_both_a_student_and_an_instructor(accounts):
    accounts.issue_codes(roster_of("s1"))
    with pytest.raises(AccountsError, match="student"):
        accounts.issue_instructor_code("s1")
    accounts.issue_instructor_code("prof")
    with pytest.raises(AccountsError, match="instructor"):
        accounts.issue_codes(roster_of("s2", "prof"))
    assert [s.id for s in accounts.students()] == ["s1"]


def test_only_salted_scrypt_hashes_reach_postgresql(tmp_path, postgres_server, postgres_url):
    with Accounts.open(database=postgres_url, scrypt_n=CHEAP) as accounts:
        codes = accounts.issue_codes(roster_of("s1", "s2"))
        accounts.issue_instructor_code()
        accounts.login("s1", wrong(codes[0][1]), LAB, now=T0)
    everything = " ".join(
        str(row)
        for table in ("account", "id_failure", "address_failure", "schema_version")
        for row in postgres_server.sql(postgres_url, f"SELECT * FROM tutor_accounts.{table}")
    )
    for _, code in codes:
        assert code not in everything and code.replace("-", "") not in everything
    stored = postgres_server.sql(postgres_url, "SELECT code_hash FROM tutor_accounts.account")
    assert len({h.split("$")[4] for (h,) in stored}) == len(stored) == 3
    assert "s1" in everything


def test_the_schema_has_a_version_and_a_newer_one_is_refused(tmp_path):
    Accounts.open(tmp_path, scrypt_n=CHEAP).close()
    conn = sqlite3.connect(tmp_path / DB_NAME)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(VERSION,)]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.execute("UPDATE schema_version SET version = ?", (VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(AccountsError) as caught:
        Accounts.open(tmp_path, scrypt_n=CHEAP)
    assert "newer tutor" in str(caught.value) and "\n" not in str(caught.value)


def test_the_postgresql_schema_has_a_version_and_a_newer_one_is_refused(
    postgres_server, postgres_url
):
    Accounts.open(database=postgres_url, scrypt_n=CHEAP).close()
    version = "SELECT version FROM tutor_accounts.schema_version"
    assert postgres_server.sql(postgres_url, version) == [(VERSION,)]
    postgres_server.sql(
        postgres_url, "UPDATE tutor_accounts.schema_version SET version = %s", (VERSION + 1,)
    )
    with pytest.raises(AccountsError) as caught:
        Accounts.open(database=postgres_url, scrypt_n=CHEAP)
    said = str(caught.value)
    assert "newer tutor" in said and "\n" not in said
    assert postgres_server.password not in said and "tutor:***@" in said


def test_the_accounts_import_neither_textual_nor_the_engine():
    script = (
        "import sys, tutor.serve.accounts, tutor.serve.roster, tutor.serve.class_command; "
        "print(sorted(m for m in ('textual', 'sympy', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


# `tutor class`, through a parser of its own (tutor.cli registers it as "class")


def run_class(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="tutor class")
    class_command.add_arguments(parser)
    return class_command.run(parser.parse_args(list(argv)))


@pytest.fixture
def cheap_accounts(monkeypatch):
    opened = Accounts.open.__func__

    def open_cheaply(cls, data_dir=None, *, database=None, scrypt_n=CHEAP):
        return opened(cls, data_dir, database=database, scrypt_n=scrypt_n)

    monkeypatch.setattr(Accounts, "open", classmethod(open_cheaply))


def test_class_codes_writes_one_secret_row_per_student(tmp_path, cheap_accounts, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("\ufeffStudent_ID,name\ns2,Lee\ns1,Kim\n", encoding="utf-8")
    out, data = tmp_path / "codes.csv", tmp_path / "data"
    assert run_class("codes", str(roster), "--out", str(out), "--data-dir", str(data)) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    assert text.startswith("student_id,code\n")
    rows = list(csv.reader(text.splitlines()))
    assert [row[0] for row in rows[1:]] == ["s2", "s1"]
    with Accounts.open(data) as accounts:
        for student_id, code in rows[1:]:
            assert accounts.login(student_id, code, LAB, now=T0).ok
    assert "2 access codes" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_class_codes_keeps_its_data_where_the_tutor_does(tmp_path, cheap_accounts, monkeypatch):
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\ns1\n", encoding="utf-8")
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "env-data"))
    assert run_class("codes", str(roster), "--out", str(tmp_path / "codes.csv")) == 0
    assert (tmp_path / "env-data" / DB_NAME).is_file()


@pytest.mark.parametrize(
    ("roster_text", "words"),
    [
        ("name\nKim\n", "roster.csv:1: no student_id column"),
        ("student_id\ns1\ns1\n", "roster.csv:3: duplicate student_id 's1' (first on line 2)"),
        ("student_id\ns1\n,\n  \n", None),
    ],
)
def test_class_codes_refuses_a_bad_roster_in_one_line(
    tmp_path, cheap_accounts, capsys, roster_text, words
):
    roster = tmp_path / "roster.csv"
    roster.write_text(roster_text, encoding="utf-8")
    out = tmp_path / "codes.csv"
    out.write_text("earlier codes\n", encoding="utf-8")
    status = run_class("codes", str(roster), "--out", str(out), "--data-dir", str(tmp_path / "d"))
    if words is None:  # blank lines are no problem
        assert status == 0
        return
    assert status == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tutor: class codes: ")
    assert words in err
    assert out.read_text(encoding="utf-8") == "earlier codes\n"


def test_class_codes_refuses_an_unwritable_out_before_issuing(tmp_path, cheap_accounts, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\ns1\n", encoding="utf-8")
    data = tmp_path / "data"
    for out in (tmp_path / "missing" / "codes.csv", tmp_path):
        assert run_class("codes", str(roster), "--out", str(out), "--data-dir", str(data)) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"tutor: class codes: cannot write {out}: ")
        assert err.count("\n") == 1
    assert not data.exists()  # nothing issued, so the codes in use still work


def test_class_codes_never_overwrites_the_roster(tmp_path, cheap_accounts, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\ns1\n", encoding="utf-8")
    assert run_class("codes", str(roster), "--out", str(roster), "--data-dir", str(tmp_path)) == 2
    assert "is the roster itself" in capsys.readouterr().err
    assert roster.read_text(encoding="utf-8") == "student_id\ns1\n"


def test_class_codes_writes_nothing_when_issuing_fails(tmp_path, cheap_accounts, capsys):
    data = tmp_path / "data"
    with Accounts.open(data) as accounts:
        accounts.issue_instructor_code("prof")
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\ns1\nprof\n", encoding="utf-8")
    out = tmp_path / "codes.csv"
    assert run_class("codes", str(roster), "--out", str(out), "--data-dir", str(data)) == 2
    assert "instructor" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "roster.csv"]


def test_class_instructor_prints_or_writes_a_code_that_opens_the_instructor_role(
    tmp_path, cheap_accounts, capsys
):
    data = tmp_path / "data"
    assert run_class("instructor", "--data-dir", str(data)) == 0
    printed = capsys.readouterr().out
    code = printed.split("Access code: ")[1].strip()
    out = tmp_path / "prof.csv"
    assert (
        run_class("instructor", "--name", "prof", "--out", str(out), "--data-dir", str(data)) == 0
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    ((name, written),) = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))[1:]
    with Accounts.open(data) as accounts:
        assert accounts.login("instructor", code, LAB, now=T0).role == "instructor"
        assert accounts.login(name, written, LAB, now=T0).role == "instructor"


def test_the_real_command_line_reads_data_dir_before_or_after_class(
    tmp_path, cheap_accounts, monkeypatch, capsys
):
    from tutor import cli

    monkeypatch.setitem(cli.COMMANDS, "class", ("tutor.serve.class_command", "class accounts"))
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\ns1\n", encoding="utf-8")
    before, after = tmp_path / "before", tmp_path / "after"
    argv = ["class", "codes", str(roster), "--out", str(tmp_path / "a.csv")]
    assert cli.main(["--data-dir", str(before), *argv]) == 0
    assert cli.main([*argv, "--data-dir", str(after)]) == 0
    assert (before / DB_NAME).is_file() and (after / DB_NAME).is_file()
    with pytest.raises(SystemExit) as exited:
        cli.main(["class", "codes", str(roster)])  # --out is required
    assert exited.value.code == 2
    assert "--out" in capsys.readouterr().err
