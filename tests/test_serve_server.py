"""The server's parts without a server: the per-address token bucket, the client's address
behind a trusted proxy, the page's websocket address, learners' directory names, and the
`tutor serve` options."""

from __future__ import annotations

import argparse
import sys

import pytest
from aiohttp.test_utils import make_mocked_request

from tutor.serve import command
from tutor.serve.server import Limits, TokenBucket, TutorServer
from tutor.serve.session import learner_dir, learner_dirname


def test_a_class_behind_one_address_opens_the_page_in_the_same_second():
    bucket = TokenBucket(burst=60, rate=2)
    assert all(bucket.take("10.0.0.1", now=100.0) == 0 for _ in range(60))
    wait = bucket.take("10.0.0.1", now=100.0)
    assert 0 < wait <= 0.5
    assert bucket.take("10.0.0.2", now=100.0) == 0  # another address has its own bucket


def test_after_a_burst_new_sessions_come_at_the_rate():
    bucket = TokenBucket(burst=5, rate=2)
    for _ in range(5):
        bucket.take("a", now=0.0)
    assert bucket.take("a", now=0.0) > 0
    assert bucket.take("a", now=0.5) == 0  # one token back after 1/rate seconds
    assert bucket.take("a", now=0.5) > 0
    assert all(bucket.take("a", now=1000.0) == 0 for _ in range(5))  # full again, no more


def test_the_bucket_forgets_addresses_whose_allowance_is_whole_again():
    bucket = TokenBucket(burst=2, rate=1)
    for n in range(2000):
        bucket.take(f"10.0.{n // 256}.{n % 256}", now=float(n) / 1000)
    bucket.take("late", now=1000.0)
    assert len(bucket.buckets) < 1100


def server(**kwargs) -> TutorServer:
    return TutorServer(["true"], **kwargs)


def request(path="/", headers=None, remote="127.0.0.1"):
    req = make_mocked_request("GET", path, headers=headers or {"Host": "127.0.0.1:8000"})
    return req.clone(remote=remote)


def test_the_address_is_the_peers_unless_the_peer_is_a_trusted_proxy():
    forwarded = {"Host": "tutor.example.edu", "X-Forwarded-For": "203.0.113.9, 10.0.0.5"}
    plain = server()
    assert plain.client_address(request(headers=forwarded, remote="10.0.0.5")) == "10.0.0.5"
    behind = server(trusted_proxies=["127.0.0.1", "10.0.0.5"])
    assert behind.client_address(request(headers=forwarded, remote="127.0.0.1")) == "203.0.113.9"
    # a browser's own X-Forwarded-For is not believed when it is not from the proxy
    assert behind.client_address(request(headers=forwarded, remote="198.51.100.7")) == (
        "198.51.100.7"
    )


def test_the_page_names_the_websocket_the_browser_can_reach():
    asked = request(headers={"Host": "lab-pc:8000"})
    assert server()._public_url(asked) == "http://lab-pc:8000"
    fixed = server(public_url="https://tutor.example.edu/")
    assert fixed._public_url(asked) == "https://tutor.example.edu"
    proxied = request(headers={"Host": "tutor.example.edu", "X-Forwarded-Proto": "https"})
    assert server(trusted_proxies=["127.0.0.1"])._public_url(proxied) == (
        "https://tutor.example.edu"
    )
    assert server()._public_url(proxied) == "http://tutor.example.edu"


def test_the_cap_and_the_rate_give_reasons_in_both_languages():
    capped = server(limits=Limits(max_sessions=1, burst=1, rate=0))
    assert capped.refusal("a") is None
    reason = capped.refusal("a")
    assert "Too many new sessions" in reason.en and "초 뒤에" in reason.ko
    capped.sessions["x"] = object()  # type: ignore[assignment]
    assert "full (1 sessions open)" in capped.refusal("b").en


@pytest.mark.parametrize(
    "student_id", ["s1", "2024-001", "A.B_c", "kim young-hee", "../etc", "..", "학생1", "a/b"]
)
def test_every_student_id_gets_a_directory_of_its_own_inside_learners(tmp_path, student_id):
    where = learner_dir(tmp_path, student_id)
    assert where.parent == tmp_path / "learners"
    assert where.name not in (".", "..") and "/" not in where.name and " " not in where.name
    assert len(where.name) <= 64


def test_plain_ids_keep_their_name_and_no_two_ids_share_a_directory():
    assert learner_dirname("20240001") == "20240001"
    names = {learner_dirname(i) for i in ("a b", "a_b", "a/b", "a\\b", "A b", "a  b")}
    assert len(names) == 6


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return parser.parse_args(argv)


def test_the_contracts_options_and_their_defaults(tmp_path):
    quiz = tmp_path / "a.quiz.toml"
    quiz.write_text("")
    args = parse("--data-dir", "D", "--lessons", "L", "--quiz", str(quiz), str(quiz))
    assert (args.host, args.port, args.data_dir, args.lessons) == ("127.0.0.1", 8000, "D", "L")
    assert args.quiz == [str(quiz), str(quiz)]
    assert args.max_sessions == 250 and args.burst == 60 and args.public_url is None


def test_the_app_process_is_python_itself_with_absolute_paths(tmp_path):
    args = parse("--lessons", "lessons", "--lang", "ko")
    argv = command.session_argv(args, tmp_path)
    assert argv[:3] == [sys.executable, "-m", "tutor.serve.session"]
    assert argv[argv.index("--lessons") + 1].startswith("/")
    assert argv[argv.index("--lang") + 1] == "ko"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--port", "0"], "--port: 0: not a port number"),
        (["--quiz", "missing.quiz.toml"], "--quiz: missing.quiz.toml: no such file"),
        (["--trusted-proxy", "proxy.local"], "not an IP address"),
        (["--public-url", "tutor.example.edu"], "must start with http"),
        (["--max-sessions", "0"], "--max-sessions: at least 1"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(argv, said, capsys, tmp_path):
    assert command.run(parse(*argv, "--data-dir", str(tmp_path))) == 2
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1 and err.startswith("tutor serve: ")


def test_a_broken_course_is_said_once_before_serving(tmp_path, capsys):
    (tmp_path / "course").mkdir()
    args = parse("--lessons", str(tmp_path / "course"), "--data-dir", str(tmp_path))
    assert command.run(args) == 2
    assert capsys.readouterr().err.startswith("tutor serve: ")
