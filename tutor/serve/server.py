"""Provides TutorServer: textual-serve's Server, one app process per websocket (no shell in
between; forked from a zygote that imported everything once, tutor.serve.zygote), with a cap on
sessions, a per-address rate of new ones, and the reaping of app processes that do not end when
their websocket closes."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import math
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from tutor.serve.app_process import (
    REAP_AFTER,
    SESSION_ENV,
    AppProcess,
    base_environment,
    terminal_size,
)
from tutor.serve.session import ADDRESS_ENV, SERVER_PID_ENV, SPARE_ENV
from tutor.serve.spares import SPARES, Spares
from tutor.serve.zygote import Forker
from tutor.text import Text

log = logging.getLogger("tutor.serve")

# seconds a refused browser keeps its one line on screen before the page says the session ended
REFUSAL_LINGER = 10.0

FULL = Text(
    "The tutor is full ({count} sessions open). Please try again in a few minutes.",
    "지금은 접속한 사람이 너무 많습니다 ({count}명). 몇 분 뒤에 다시 시도하세요.",
)
TOO_FAST = Text(
    "Too many new sessions from your address. Please try again in {seconds} seconds.",
    "이 주소에서 새 접속이 너무 많습니다. {seconds}초 뒤에 다시 시도하세요.",
)


@dataclass
class TokenBucket:
    """Per-address allowance of new sessions: `burst` at once (a class behind one NAT opening
    the page in the same second), then `rate` a second."""

    burst: float
    rate: float
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, address: str, now: float | None = None) -> float:
        """Take one token for `address`: 0.0 if there was one, else the seconds until there is."""
        now = time.monotonic() if now is None else now
        tokens, then = self.buckets.get(address, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens >= 1.0:
            self.buckets[address] = (tokens - 1.0, now)
            self._forget_full(now)
            return 0.0
        self.buckets[address] = (tokens, now)
        return (1.0 - tokens) / self.rate if self.rate > 0 else float("inf")

    def _forget_full(self, now: float) -> None:
        """Drop addresses whose bucket has filled up again (they are as if never seen)."""
        if len(self.buckets) < 1024:
            return
        refill = self.burst / self.rate if self.rate > 0 else float("inf")
        for address, (_, then) in list(self.buckets.items()):
            if now - then >= refill:
                del self.buckets[address]


@dataclass(frozen=True)
class Limits:
    max_sessions: int = 250
    burst: float = 60.0
    rate: float = 2.0
    reap_after: float = REAP_AFTER


class TutorServer(Server):
    """Serves one app process per websocket (`session_argv`), within `limits`; with `zygote`,
    each forked from a zygote started before serving (`python -m MODULE` commands on Linux;
    otherwise, or when no zygote can be kept, each spawned)."""

    def __init__(
        self,
        session_argv: Sequence[str],
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        public_url: str | None = None,
        limits: Limits = Limits(),
        trusted_proxies: Sequence[str] = (),
        title: str = "tutor",
        sweep: Callable[[], object] | None = None,
        sweep_every: float = 2.0,
        zygote: bool = True,
        spares: int = SPARES,
        absent: Callable[[], int | None] | None = None,
    ) -> None:
        super().__init__(
            " ".join(session_argv), host=host, port=port, title=title, public_url=public_url
        )
        self.session_argv = list(session_argv)
        self.fixed_public_url = public_url
        self.limits = limits
        self.bucket = TokenBucket(limits.burst, limits.rate)
        self.trusted = {ipaddress.ip_address(a) for a in trusted_proxies}
        self.sessions: dict[str, AppProcess] = {}
        self.lingering = 0
        self.sweep = sweep
        self.sweep_every = sweep_every
        self._sweeper: asyncio.Task | None = None
        self.use_zygote = zygote
        self.forker: Forker | None = None
        self.spare_count = spares
        self.absent = absent  # the class's students not signed in (tutor.serve.absent)
        self.spares: Spares | None = None

    # -- addresses -------------------------------------------------------------------------

    def client_address(self, request: web.BaseRequest) -> str:
        """The browser's address: the peer's, or, when the peer is a trusted proxy, the
        nearest untrusted one in its X-Forwarded-For."""
        peer = request.remote or ""
        if not self.trusted or not _is_in(peer, self.trusted):
            return peer
        hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")]
        for hop in reversed([h for h in hops if h]):
            if not _is_in(hop, self.trusted):
                return hop
        return peer

    def _public_url(self, request: web.BaseRequest) -> str:
        """--public-url, else what the browser asked for (Host, and the scheme a trusted
        proxy says it used), so that the page's websocket address is one the browser reaches."""
        if self.fixed_public_url:
            return self.fixed_public_url.rstrip("/")
        scheme = request.scheme
        if self.trusted and _is_in(request.remote or "", self.trusted):
            scheme = request.headers.get("X-Forwarded-Proto", scheme).split(",")[0].strip()
        return f"{scheme}://{request.host}"

    # -- the page ----------------------------------------------------------------------------

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        base = self._public_url(request)
        router = request.app.router
        static = f"{base}{router['static'].url_for(filename='/')}".rstrip("/") + "/"
        websocket = f"{base}{router['websocket'].url_for()}"
        websocket = ("wss:" if base.startswith("https") else "ws:") + websocket.split(":", 1)[1]
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket,
            "config": {"static": {"url": static}},
            "application": {"name": self.title},
        }

    # -- sessions ------------------------------------------------------------------------------

    def refusal(self, address: str) -> Text | None:
        if len(self.sessions) >= self.limits.max_sessions:
            return FULL.format(count=len(self.sessions))
        wait = self.bucket.take(address)
        if wait > 0:
            return TOO_FAST.format(seconds=math.ceil(min(wait, 3600.0)))
        return None

    async def refuse(self, request: web.Request, reason: Text) -> web.WebSocketResponse:
        """Accept the websocket only to show the reason (both languages, one line each), keep
        it on screen a little, then close: no app process is started."""
        websocket = web.WebSocketResponse()
        await websocket.prepare(request)
        line = f"\r\n  {reason.en}\r\n  {reason.ko}\r\n"
        await websocket.send_bytes(line.encode("utf-8"))
        log.info("refused %s: %s", self.client_address(request), reason.en)
        if self.lingering < 1000:
            self.lingering += 1
            try:
                await asyncio.wait_for(_until_closed(websocket), REFUSAL_LINGER)
            except TimeoutError:
                pass
            finally:
                self.lingering -= 1
        await websocket.close(code=1013, message=b"try again later")
        return websocket

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        address = self.client_address(request)
        reason = self.refusal(address)
        if reason is not None:
            return await self.refuse(request, reason)
        websocket = web.WebSocketResponse(heartbeat=15)
        width, height = terminal_size(
            to_int(request.query.get("width", "80"), 80),
            to_int(request.query.get("height", "24"), 24),
        )
        service = AppProcess(
            self.session_argv,
            self.session_environment(address),
            self.limits.reap_after,
            forker=self.forker,
            spares=self.spares,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions[service.app_service_id] = service
        try:
            await websocket.prepare(request)
            await service.start(width, height)
            log.info("session %s for %s: pid %s", service.app_service_id[:8], address, service.pid)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.warning("session %s: %r", service.app_service_id[:8], error)
        finally:
            lost = websocket.exception()
            if lost is not None:  # not closed by the browser: no answer to a ping, a broken link
                log.info(
                    "session %s: the connection was lost: %s", service.app_service_id[:8], lost
                )
            try:
                await asyncio.shield(service.stop())
            finally:
                self.sessions.pop(service.app_service_id, None)
                service.kill()
        return websocket

    def session_environment(self, address: str) -> dict[str, str]:
        """What an app process gets besides textual-serve's environment: SESSION_ENV, the
        browser's address ("" while there is none), this server's pid."""
        return {**SESSION_ENV, ADDRESS_ENV: address, SERVER_PID_ENV: str(os.getpid())}

    def spare_environment(self, size: tuple[int, int]) -> dict[str, str]:
        """A spare's environment: an app process's, with no browser's address yet."""
        return {
            **base_environment(self.debug, *size),
            **self.session_environment(""),
            SPARE_ENV: "1",
        }

    # -- the server ------------------------------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        if self.use_zygote:
            # before serving: the zygote imports everything once (a few seconds)
            environment = {**base_environment(self.debug), **self.session_environment("")}
            self.forker = Forker(self.session_argv, environment)
            if await self.forker.start() and self.spare_count > 0:
                self.spares = Spares(
                    self.forker, self.spare_count, self.spare_environment, absent=self.absent
                )
                self.spares.start()
        where = self.fixed_public_url or f"http://{self.host}:{self.port}"
        print(f"tutor serve: serving on {where} (Ctrl+C stops)", file=sys.stderr, flush=True)
        if self.sweep is not None:
            self._sweeper = asyncio.create_task(self._sweep_forever())

    async def _sweep_forever(self) -> None:
        """The server's own round (quizzes whose time is up are submitted on time, whether or
        not a browser is still open), off the event loop, every `sweep_every` seconds."""
        assert self.sweep is not None
        while True:
            try:
                await asyncio.to_thread(self.sweep)
            except Exception as error:  # a failed round is said and tried again
                log.warning("the sweep failed: %s", error)
            await asyncio.sleep(self.sweep_every)

    async def on_shutdown(self, app: web.Application) -> None:
        """Every app process ends with the server (they also die with it: PR_SET_PDEATHSIG)."""
        if self._sweeper is not None:
            self._sweeper.cancel()
        if self.spares is not None:
            self.spares.close()
        if self.forker is not None:
            self.forker.close()
        for service in list(self.sessions.values()):
            service.kill()

    def serve(self, debug: bool = False) -> None:
        self.debug = debug
        logging.basicConfig(
            level=logging.DEBUG if debug else logging.INFO,
            format="%(asctime)s %(name)s: %(message)s",
            datefmt="%H:%M:%S",
            stream=sys.stderr,
        )
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=lambda *args: None,
            shutdown_timeout=2.0,
        )


async def _until_closed(websocket: web.WebSocketResponse) -> None:
    async for _ in websocket:
        pass


def _is_in(address: str, networks: set) -> bool:
    try:
        return ipaddress.ip_address(address) in networks
    except ValueError:
        return False
