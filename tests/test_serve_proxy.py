"""The reverse-proxy examples of docs/serve.md, run as written: nginx (a self-signed certificate)
and Caddy (its internal one) in front of `tutor serve`, a browser stand-in signing in over
wss:// through them. Skipped when nginx or Caddy is not installed."""

from __future__ import annotations

import re
import shutil
import ssl
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from serve_client import ROOT, Browser, ServedTutor, free_port, issue_codes

DOC = ROOT / "docs" / "serve.md"
PATIENCE = 30.0


def example(language: str) -> str:
    """The doc's first fenced block in `language`."""
    found = re.search(rf"```{language}\n(.*?)```", DOC.read_text(), re.S)
    assert found, f"docs/serve.md has no {language} example"
    return found.group(1)


def answering(url: str) -> str:
    """The page at `url` once the proxy serves it (its certificate not checked)."""
    context = ssl._create_unverified_context()
    end = time.monotonic() + PATIENCE
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5, context=context) as answer:
                assert answer.status == 200
                return answer.read().decode()
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.2)


async def sign_in_through(public: str, codes: dict[str, str]) -> None:
    page = answering(public + "/")
    assert f'data-session-websocket-url="{public.replace("https", "wss")}/ws"' in page
    async with Browser.open(public) as browser:
        await browser.log_in("s1", codes["s1"])
        await browser.wait_for("PyTorch autograd, by hand")


@pytest.fixture
def served(tmp_path):
    codes = issue_codes(tmp_path / "data", ["s1"])
    port = free_port()
    public = f"https://localhost:{port}"
    options = ("--public-url", public, "--trusted-proxy", "127.0.0.1")
    with ServedTutor(tmp_path / "data", *options) as server:
        server.codes, server.public, server.public_port = codes, public, port
        yield server


def run(command: list[str], log: Path, **kwargs) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, **kwargs)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def test_the_nginx_example_passes_the_websocket_through_tls(served, tmp_path):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (
        example("nginx")
        .replace("listen 443 ssl", f"listen 127.0.0.1:{served.public_port} ssl")
        .replace("tutor.example.edu", "localhost")
        .replace("/etc/letsencrypt/live/localhost/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/localhost/privkey.pem", str(key))
        .replace("127.0.0.1:8000", f"127.0.0.1:{served.port}")
    )
    temp = tmp_path / "nginx-temp"
    temp.mkdir()
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/nginx-error.log;\n"
        "events {}\n"
        f"http {{\naccess_log off;\nclient_body_temp_path {temp};\nproxy_temp_path {temp};\n"
        f"{site}\n}}\n"
    )
    proxy = run(
        [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        tmp_path / "nginx.log",
    )
    try:
        await sign_in_through(served.public, served.codes)
    finally:
        stop(proxy)


async def test_the_caddy_example_passes_the_websocket_through_tls(served, tmp_path):
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("Caddy is not installed (apt-get install caddy)")
    site = (
        example("caddyfile")
        .replace("tutor.example.edu", f"localhost:{served.public_port}")
        .replace("127.0.0.1:8000", f"127.0.0.1:{served.port}")
    )
    # Caddy's own CA in place of a public one; nothing installed, nothing else listening
    options = (
        "{\n\tlocal_certs\n\tskip_install_trust\n\tadmin off\n\tauto_https disable_redirects\n}\n"
    )
    (tmp_path / "Caddyfile").write_text(options + site)
    home = tmp_path / "caddy-home"
    proxy = run(
        [caddy, "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        tmp_path / "caddy.log",
        env={"HOME": str(home), "XDG_DATA_HOME": str(home), "XDG_CONFIG_HOME": str(home)},
    )
    try:
        await sign_in_through(served.public, served.codes)
    finally:
        stop(proxy)
