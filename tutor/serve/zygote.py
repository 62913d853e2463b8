"""Provides the zygote: one process, started by `tutor serve` before it serves, that imports what
every session needs once (Textual, the tutor's screens, numpy, sympy, the course) and then forks
one app process per browser connection, so that those pages are shared copy-on-write instead of
loaded again by every session.

Each session stays a process of its own, as when it is started from scratch: its own pid,
session and process group (setsid), its own standard input and output (the textual-serve
protocol pipes, passed over a unix socket with SCM_RIGHTS), its own environment (the browser's
address, its terminal size), the resource limits and the parent-death signal that
tutor.serve.session sets, and fresh random seeds. It is not the zygote's child: the zygote forks
twice and the middle process ends at once, so the session is re-parented to the server (a child
subreaper, PR_SET_CHILD_SUBREAPER), which waits for it (pidfd) and whose death ends it
(PR_SET_PDEATHSIG) as before; a zygote that dies takes no session with it.

Two halves:
- the server's (Forker, ForkedProcess): start and keep one zygote, ask it for a session, wrap
  the session as textual-serve's AppService expects an asyncio subprocess;
- the zygote's (`python -m tutor.serve.zygote --control FD -- PYTHON -m MODULE ARGS…`): import,
  `gc.collect(); gc.freeze()`, then fork on request; the forked session runs MODULE as
  `python -m MODULE ARGS…` would.

The control protocol (SOCK_SEQPACKET, one JSON object a message):
  zygote → server  {"ready": PID} once preloaded, or {"failed": WHY} (then it ends)
  server → zygote  {"id": N, "env": {…}} with two descriptors: the session's stdin and stdout
  zygote → server  {"id": N, "pid": PID} (said by the session itself, once the server has adopted
                   it) or {"id": N, "error": WHY}; the zygote goes on to the next request meanwhile
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import importlib
import json
import logging
import os
import re
import signal
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tutor.serve.session import (
    PR_SET_NAME,
    SESSION_NAME,
    SPARE_ENV,
    SPARE_NAME,
    die_with_server,
    prctl,
)

log = logging.getLogger("tutor.serve")

PR_SET_CHILD_SUBREAPER = 36
ZYGOTE_NAME = b"tutor-zygote"  # /proc/PID/comm of the zygote
READY_PATIENCE = 120.0  # seconds the zygote may take to import everything (a busy machine)
FORK_PATIENCE = 30.0  # seconds a fork may take before the zygote is deemed stuck
RESTARTS = 5  # zygotes that may die within RESTART_WINDOW before sessions are spawned instead
RESTART_WINDOW = 60.0
MESSAGE_BYTES = 1 << 20
PRELOAD_SESSION = "tutor.serve.session"
# what a session imports on the way to its first lesson, besides the screens and widgets
SESSION_MODULES = (
    "queue",
    "concurrent.futures.thread",
    "pygments.lexers.python",
    "pygments.unistring",
    "rich._emoji_codes",
    "textual.drivers.web_driver",
    "textual.drivers.headless_driver",
    "textual.pilot",
    "textual._xterm_parser",
    "textual._binary_encode",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.stream",
    "textual.scrollbar",
    "sympy.assumptions.wrapper",
    "fsrs",
    "tutor.autograd.printing",
    "tutor.program.stepper",
    "tutor.progress.cards",
    "tutor.progress.database",
    "tutor.progress.mastery",
    "tutor.progress.spacing",
    "tutor.symbolic.lift",
    "tutor.tui.due_session",
    "tutor.tui.web_driver",
)
DATABASE_ENV = "TUTOR_DATABASE_URL"  # tutor.progress.database.URL_ENV: set when it is used


def python_module(argv: Sequence[str]) -> tuple[str, list[str]] | None:
    """(MODULE, ARGS) when `argv` is `PYTHON -m MODULE ARGS…` (what a zygote can fork), else
    None."""
    if len(argv) >= 3 and argv[1] == "-m" and argv[2] and not argv[2].startswith("-"):
        return argv[2], list(argv[3:])
    return None


def unsupported() -> str | None:
    """Why sessions cannot be forked from a zygote here (None: they can)."""
    if not sys.platform.startswith("linux"):
        return "not Linux"
    if not hasattr(os, "pidfd_open") or not hasattr(socket, "send_fds"):
        return "no pidfd_open or SCM_RIGHTS in this Python"
    try:
        os.close(os.pidfd_open(os.getpid()))
    except OSError as error:
        return f"pidfd_open: {error.strerror}"
    return None


# -- the server's half ---------------------------------------------------------------------------


class ForkedProcess:
    """A session forked by the zygote and re-parented to this server, as textual-serve's
    AppService uses an asyncio subprocess: `pid`, `stdin` (StreamWriter), `stdout`
    (StreamReader), `stderr` (nothing: the session writes to the server's stderr), `returncode`,
    `wait()`. Its end is seen through a pidfd and its status reaped here."""

    adopted: set[int] = set()  # the pids of every one not reaped yet

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.stdin: asyncio.StreamWriter | None = None
        self.stdout: asyncio.StreamReader | None = None
        self.stderr: asyncio.StreamReader | None = None
        self._loop = asyncio.get_running_loop()
        self._ended = self._loop.create_future()
        self._pidfd = os.pidfd_open(pid)
        self._loop.add_reader(self._pidfd, self._reap)
        self.adopted.add(pid)

    async def attach(self, stdin_fd: int, stdout_fd: int) -> None:
        """Talk to it through our ends of its pipes (taken over here)."""
        loop = self._loop
        try:
            reader = asyncio.StreamReader(limit=2**16, loop=loop)
            await loop.connect_read_pipe(
                lambda: asyncio.StreamReaderProtocol(reader, loop=loop),
                open(stdout_fd, "rb", buffering=0),  # noqa: SIM115 (the transport closes it)
            )
            stdout_fd = -1
            transport, protocol = await loop.connect_write_pipe(
                lambda: asyncio.streams.FlowControlMixin(loop=loop),
                open(stdin_fd, "wb", buffering=0),  # noqa: SIM115 (the transport closes it)
            )
            stdin_fd = -1
        except BaseException:
            for fd in (stdin_fd, stdout_fd):
                if fd >= 0:
                    os.close(fd)
            raise
        self.stdout = reader
        self.stdin = asyncio.StreamWriter(transport, protocol, None, loop)

    def _reap(self) -> None:
        self._loop.remove_reader(self._pidfd)
        os.close(self._pidfd)
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:  # not ours after all (cannot happen under a subreaper)
            pid, status = self.pid, 255 << 8
        if pid == 0:  # the pidfd said it ended: its status comes a moment later
            pid, status = os.waitpid(self.pid, 0)
        self.returncode = os.waitstatus_to_exitcode(status)
        self.adopted.discard(self.pid)
        if not self._ended.done():
            self._ended.set_result(self.returncode)

    async def wait(self) -> int:
        return await asyncio.shield(self._ended)

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _settle(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


class Zygote:
    """One zygote process, seen from the server: started, asked for sessions, ended."""

    def __init__(self, session_argv: Sequence[str], env: dict[str, str]) -> None:
        self.session_argv = list(session_argv)
        self.env = dict(env)
        self.process: asyncio.subprocess.Process | None = None
        self.pid: int | None = None
        self._socket: socket.socket | None = None
        self._replies: dict[int, asyncio.Future] = {}
        self._ready: asyncio.Future | None = None
        self._next = 0
        self.gone = asyncio.Event()

    async def start(self) -> None:
        """Start it and wait until it has imported everything; RuntimeError (why) if it cannot."""
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            command = [
                self.session_argv[0], "-m", "tutor.serve.zygote",
                "--control", str(theirs.fileno()), "--", *self.session_argv,
            ]  # fmt: skip
            self.process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=None,  # its warnings go to the server's log, as the sessions' do
                env=self.env,
                pass_fds=[theirs.fileno()],
                start_new_session=True,
            )
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        self.pid = self.process.pid
        ours.setblocking(False)
        self._socket = ours
        self._ready = loop.create_future()
        loop.add_reader(ours.fileno(), self._readable)
        asyncio.get_running_loop().create_task(self._watch())
        try:
            await asyncio.wait_for(asyncio.shield(self._ready), READY_PATIENCE)
        except TimeoutError:
            self.kill()
            raise RuntimeError(f"not ready after {READY_PATIENCE:.0f} s") from None

    async def _watch(self) -> None:
        assert self.process is not None
        await self.process.wait()
        self._closed(f"it ended with {self.process.returncode}")

    def _readable(self) -> None:
        assert self._socket is not None
        try:
            data = self._socket.recv(MESSAGE_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as error:
            data, why = b"", str(error)
        else:
            why = "it closed its socket"
        if not data:
            self._closed(why)
            return
        try:
            message = json.loads(data)
        except ValueError:
            return
        if self._ready is not None and not self._ready.done():
            if "ready" in message:
                self._ready.set_result(True)
            else:
                self._ready.set_exception(RuntimeError(str(message.get("failed", message))))
            return
        if isinstance(message.get("pid"), int):  # adopted from now on, whatever comes next
            message["process"] = ForkedProcess(message["pid"])
        waiting = self._replies.pop(message.get("id", -1), None)
        if waiting is not None and not waiting.done():
            waiting.set_result(message)
        elif "process" in message:  # no one waits for it any more (gave up): it ends now
            message["process"].kill()

    def _closed(self, why: str) -> None:
        if self._socket is not None:
            asyncio.get_running_loop().remove_reader(self._socket.fileno())
            self._socket.close()
            self._socket = None
        for waiting in [self._ready, *self._replies.values()]:
            if waiting is not None and not waiting.done():
                waiting.set_exception(RuntimeError(f"the zygote is gone: {why}"))
        self._replies.clear()
        if not self.gone.is_set():
            self.why_gone = why
            self.gone.set()

    @property
    def alive(self) -> bool:
        return self._socket is not None and not self.gone.is_set()

    async def fork(self, env: dict[str, str]) -> ForkedProcess:
        """A new session with environment `env`; RuntimeError (why) if the zygote cannot."""
        if not self.alive:
            raise RuntimeError("the zygote is gone")
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        ours = [stdin_w, stdout_r]
        try:
            self._next += 1
            ask = self._next
            reply = asyncio.get_running_loop().create_future()
            self._replies[ask] = reply
            message = json.dumps({"id": ask, "env": env}).encode()
            try:
                await self._send(message, [stdin_r, stdout_w])
            finally:
                os.close(stdin_r)
                os.close(stdout_w)
            try:
                answer = await asyncio.wait_for(reply, FORK_PATIENCE)
            except TimeoutError:
                self._replies.pop(ask, None)
                log.warning("the zygote (pid %s) did not fork in %.0f s", self.pid, FORK_PATIENCE)
                self.kill()
                raise RuntimeError("the zygote is stuck") from None
            process = answer.get("process")
            if process is None:
                raise RuntimeError(str(answer.get("error", answer)))
            ours = []  # attach() takes them over
            try:
                await process.attach(stdin_w, stdout_r)
            except BaseException:
                process.kill()
                raise
            return process
        finally:
            for fd in ours:
                os.close(fd)

    async def _send(self, message: bytes, fds: list[int]) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if self._socket is None:
                raise RuntimeError("the zygote is gone")
            try:
                socket.send_fds(self._socket, [message], fds)
                return
            except (BlockingIOError, InterruptedError):
                writable = loop.create_future()
                fd = self._socket.fileno()
                loop.add_writer(fd, _settle, writable)
                try:
                    await asyncio.wait_for(writable, FORK_PATIENCE)
                except TimeoutError:
                    self.kill()
                    raise RuntimeError("the zygote reads no requests") from None
                finally:
                    loop.remove_writer(fd)
            except OSError as error:
                raise RuntimeError(f"the zygote is gone: {error}") from None

    def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            from tutor.serve.app_process import kill_group

            kill_group(self.process.pid)


def reap_strays(zygote: int | None) -> list[int]:
    """Reap what a dead zygote left to this server: middle processes it forked and had no time
    to wait for, sessions forked whose pid it never said (adopted, ended, never wanted). Not
    `zygote` itself (asyncio waits for it) nor a session being served. The pids reaped."""
    reaped = []
    names = {ZYGOTE_NAME.decode(), SESSION_NAME.decode(), SPARE_NAME.decode()}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in (zygote, *ForkedProcess.adopted):
            continue
        try:
            name = (entry / "comm").read_text().strip()
            state, parent = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:2]
        except OSError:
            continue
        if int(parent) == os.getpid() and state == "Z" and name in names:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(int(entry.name), os.WNOHANG)
                reaped.append(int(entry.name))
    return reaped


class Forker:
    """The server's zygote, kept: started before the server serves, started again when it dies
    (said in the log); sessions are spawned one by one instead when forking is not possible here,
    the zygote cannot start, or it keeps dying (RESTARTS within RESTART_WINDOW seconds)."""

    def __init__(self, session_argv: Sequence[str], env: dict[str, str]) -> None:
        self.session_argv = list(session_argv)
        self.env = dict(env)
        self.zygote: Zygote | None = None
        self.starting: asyncio.Task | None = None
        self.given_up: str | None = None
        self.deaths: list[float] = []
        self._keeper: asyncio.Task | None = None
        self._closing = False

    async def start(self) -> bool:
        """Start the zygote and wait for it; False (said in the log) if sessions will be
        spawned instead."""
        why = unsupported()
        if why is None and python_module(self.session_argv) is None:
            why = "the session command is not `python -m MODULE`"
        if why is None and not prctl(PR_SET_CHILD_SUBREAPER, 1):
            why = "this server cannot adopt forked sessions (PR_SET_CHILD_SUBREAPER)"
        if why is not None:
            self._give_up(why)
            return False
        self.starting = asyncio.get_running_loop().create_task(self._start_one())
        started = await self.starting
        if started:
            self._keeper = asyncio.get_running_loop().create_task(self._keep())
        return started

    async def _start_one(self) -> bool:
        zygote = Zygote(self.session_argv, self.env)
        began = time.monotonic()
        try:
            await zygote.start()
        except (OSError, RuntimeError) as error:
            zygote.kill()
            self._give_up(f"the zygote did not start: {error}")
            return False
        self.zygote = zygote
        log.info(
            "zygote ready: pid %s, %.1f s to import; sessions are forked from it",
            zygote.pid,
            time.monotonic() - began,
        )
        return True

    def _give_up(self, why: str) -> None:
        self.given_up = why
        self.zygote = None
        log.warning("sessions are started one by one, without a zygote: %s", why)

    async def _keep(self) -> None:
        """Start a new zygote whenever the one there dies."""
        while self.zygote is not None and not self._closing:
            zygote = self.zygote
            await zygote.gone.wait()
            if self._closing:
                return
            now = time.monotonic()
            self.deaths = [t for t in self.deaths if now - t < RESTART_WINDOW] + [now]
            if len(self.deaths) > RESTARTS:
                self._give_up(f"the zygote died {len(self.deaths)} times in {RESTART_WINDOW:.0f} s")
                return
            log.warning(
                "the zygote (pid %s) is gone (%s): starting a new one; open sessions go on",
                zygote.pid,
                getattr(zygote, "why_gone", "?"),
            )
            zygote.kill()
            self.zygote = None
            reap_strays(zygote.pid)
            self.starting = asyncio.get_running_loop().create_task(self._start_one())
            if not await self.starting:
                return

    async def fork(self, env: dict[str, str]) -> ForkedProcess | None:
        """A session forked with `env`, or None: spawn it instead (said in the log)."""
        if self.given_up is not None or self._closing:
            return None
        if (self.zygote is None or not self.zygote.alive) and self.starting is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self.starting), READY_PATIENCE)
        zygote = self.zygote
        if zygote is None or not zygote.alive:
            return None
        try:
            return await zygote.fork(env)
        except (OSError, RuntimeError) as error:
            log.warning("could not fork a session (%s): spawning it instead", error)
            return None

    def close(self) -> None:
        self._closing = True
        if self._keeper is not None:
            self._keeper.cancel()
        if self.zygote is not None:
            self.zygote.kill()


# -- the zygote's half -----------------------------------------------------------------------------


def preload(module: str, args: list[str]) -> None:
    """Import what a session of `python -m MODULE ARGS` uses, as much as can be shared."""
    if module == PRELOAD_SESSION:
        _preload_tutor(args)
    imported = importlib.import_module(module)
    hook = getattr(imported, "zygote_preload", None)
    if callable(hook):
        hook(args)


def _preload_tutor(args: list[str]) -> None:
    """Everything a signed-in learner in a lesson uses: Textual and the tutor's screens, numpy,
    sympy and the derivation rules (one expression graded, as the app's warm-up does), the
    course, the quizzes' modules, the accounts, the progress store."""
    import pkgutil

    from tutor.serve import session

    options = session.parse(args)
    import tutor.tui.screens
    import tutor.tui.served as served
    import tutor.tui.widgets

    for package in (tutor.tui.screens, tutor.tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{info.name}")
    import tutor.serve.accounts
    import tutor.serve.presence
    import tutor.symbolic.steps  # noqa: F401
    from tutor.checking.expressions import grade_expression
    from tutor.symbolic.parse import parse

    grade_expression(parse("2*x"), ("x",), "2*x + 1", {})
    for name in SESSION_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    if os.environ.get(DATABASE_ENV):  # the class is in PostgreSQL: every session talks to it
        with contextlib.suppress(ImportError):
            importlib.import_module("psycopg")
    import rich.cells

    rich.cells.cell_len("✔ 한국어")  # the table of character widths, loaded on first use
    if options.quiz:
        import tutor.quiz.load

        for path in options.quiz:
            with contextlib.suppress(Exception):  # a broken one is said by the session
                tutor.quiz.load.load_quiz(path)
    _share_course(served, options.lessons)
    _share_parsed_css()
    _warm_up(served, options.lessons)


def _share_parsed_css() -> bool:
    """Textual parses the same CSS (the app's, each widget's) for every App, that is in every
    session: a parse remembered here (by its text, place, scope and the theme's variables) is
    not parsed again, and what the warm-up parsed is shared by every session. False (nothing
    changed) if this Textual's parser is not the one expected."""
    import inspect

    from textual.css.stylesheet import Stylesheet

    original = Stylesheet._parse_rules
    wanted = ["self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"]
    try:
        if list(inspect.signature(original).parameters) != wanted:
            return False
    except (TypeError, ValueError):
        return False
    parsed: dict[tuple, Any] = {}

    def _parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        variables = self._variables
        seen = self.__dict__.get("_shared_variables")
        if seen is None or seen[0] is not variables:
            seen = (variables, tuple(sorted(variables.items())))
            self.__dict__["_shared_variables"] = seen
        key = (css, read_from, is_default_rules, tie_breaker, scope, seen[1])
        rules = parsed.get(key)
        if rules is None:
            rules = original(self, css, read_from, is_default_rules, tie_breaker, scope)
            if len(parsed) < 1024:
                parsed[key] = rules
        return rules

    Stylesheet._parse_rules = _parse_rules
    return True


def _warm_up(served: Any, lessons: str | None) -> None:
    """One session started here, headless, until its login screen is drawn: what every session
    does before its first screen (that screen's CSS parsed, its code run once) is then done once
    for all, and a class arriving at once waits less. (Further, to the home screen, it would
    cost each session more memory than it saves.) Optional: a warm-up that fails is said in
    the log and the zygote goes on without it."""
    import asyncio

    from textual import events

    from tutor.tui.screens.login import LoginScreen

    def gate(student_id: str, code: str):
        raise RuntimeError("no one signs in to the zygote")

    async def visit() -> None:
        app = served.ServedApp(course=served.load(lessons), gate=gate)
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(500):
                await pilot.pause(0.01)
                if isinstance(app.screen, LoginScreen) and app.screen.is_mounted:
                    break
            await pilot.pause(0.05)
            # as a browser's page does: the app starts blurred, then the page has the focus
            app.post_message(events.AppBlur())
            await pilot.pause(0.05)
            app.post_message(events.AppFocus())
            await pilot.pause(0.05)

    try:
        asyncio.run(visit())
    except Exception as error:
        print(f"tutor serve: the zygote's warm-up failed: {error!r}", file=sys.stderr)
    finally:
        asyncio.set_event_loop(None)


def _share_course(served: Any, lessons: str | None) -> None:
    """The course loaded once here and handed to every session that loads the same directory
    (it is read only: each session has its own copy of any page it would write)."""
    original = served.load
    try:
        course = original(lessons)
    except served.SetupError:
        return  # each session says it
    key = None if lessons is None else str(Path(lessons).resolve())

    def load(lessons_dir: str | Path | None):
        if (None if lessons_dir is None else str(Path(lessons_dir).resolve())) == key:
            return course
        return original(lessons_dir)

    served.load = load


# blocks taken in the zygote's half-used memory, kept for ever (fill_pools, fill_heap)
_FILLED: list[bytes] = []
_FILLED_HEAP: list[int] = []
_POOL_CLASS = re.compile(r"\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$")


def fill_pools() -> int:
    """Take every free block of the zygote's half-used pymalloc pools (bytes objects kept for
    ever): a session's first small objects would land in them, one here and one there, each
    copying a whole page it shares with every other session; they go to pools of their own
    instead. Reads CPython's allocator statistics (sys._debugmallocstats); the blocks taken
    (0 when they cannot be read)."""
    import tempfile

    try:
        with tempfile.TemporaryFile() as stats:
            saved = os.dup(2)
            try:
                sys.stderr.flush()
                os.dup2(stats.fileno(), 2)
                sys._debugmallocstats()
            finally:
                os.dup2(saved, 2)
                os.close(saved)
            stats.seek(0)
            text = stats.read().decode("ascii", "replace")
    except (AttributeError, OSError):
        return 0
    # "class size num-pools blocks-in-use available-blocks": bytes(n) takes 33 + n bytes, a
    # block of class c holds 16·c + 1 … 16·(c + 1) bytes (the first two classes are too small)
    wanted = []
    for line in text.splitlines():
        found = _POOL_CLASS.match(line)
        if found and int(found[1]) >= 2 and int(found[2]) == 16 * (int(found[1]) + 1):
            wanted.append((16 * int(found[1]) - 17, int(found[5])))
    _FILLED.extend(bytes(size) for size, count in wanted for _ in range(count))
    return sum(count for _, count in wanted)


_MALLOC_FREE = re.compile(r'<(?:size|unsorted) from="(\d+)" to="(\d+)" total="\d+" count="(\d+)"')
TCACHE_LARGEST = 1032  # glibc keeps up to 7 freed chunks of each size up to this, per thread
FILL_LARGEST = 128 << 10  # larger chunks are left: malloc would map new memory instead


def fill_heap() -> int:
    """Take the chunks free in the zygote's C heap (glibc malloc; kept for ever), as fill_pools
    does pymalloc's blocks: a session's allocations would reuse them, each copying a page it
    shares with every other session; they come from fresh memory instead. Reads
    malloc_info(3); the chunks taken (0 without glibc)."""
    import tempfile

    try:
        libc = ctypes.CDLL(None)
        libc.fopen.restype = ctypes.c_void_p
        libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        libc.fclose.argtypes = [ctypes.c_void_p]
        libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
        libc.malloc.restype = ctypes.c_void_p
        libc.malloc.argtypes = [ctypes.c_size_t]
        with tempfile.NamedTemporaryFile() as info:
            stream = libc.fopen(os.fsencode(info.name), b"w")
            if not stream:
                return 0
            libc.malloc_info(0, stream)
            libc.fclose(stream)
            text = Path(info.name).read_text("ascii", "replace")
    except (AttributeError, OSError):
        return 0
    main_arena = text.split('<heap nr="1">')[0]
    # a free chunk of size C (printed with its in-use bit) is what malloc(C - 8) takes first;
    # the thread cache holds up to 7 more of each small size, not printed
    wanted = {size: 7 for size in range(24, TCACHE_LARGEST + 1, 16)}
    for low, _, count in _MALLOC_FREE.findall(main_arena):
        size = (int(low) & ~15) - 8
        if 24 <= size <= FILL_LARGEST:
            wanted[size] = wanted.get(size, 0) + int(count)
    for size, count in wanted.items():
        _FILLED_HEAP.extend(libc.malloc(size) for _ in range(count))
    return sum(wanted.values())


def _open_fds() -> set[int]:
    """This process's open descriptors (not the one the listing itself used)."""
    found = set()
    for name in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            os.fstat(int(name))
            found.add(int(name))
    return found


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


class Session:
    """What the zygote's fork hands back in the new session: its module, arguments and
    environment; `run()` becomes it."""

    def __init__(self, module: str, args: list[str], env: dict[str, str]) -> None:
        self.module, self.args, self.env = module, args, env

    def become(self) -> None:
        """The process's own environment, random seeds, name and parent-death signal."""
        textual_before = {k: v for k, v in os.environ.items() if k.startswith("TEXTUAL")}
        os.environ.clear()
        os.environ.update(self.env)
        textual_now = {k: v for k, v in os.environ.items() if k.startswith("TEXTUAL")}
        if textual_now != textual_before and "textual.constants" in sys.modules:
            importlib.reload(sys.modules["textual.constants"])
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the zygote's children are reaped for it
        reseed()
        gc.enable()
        die_with_server()

    def run(self) -> None:
        import runpy
        import warnings

        self.become()
        sys.argv = [self.module, *self.args]
        # run as `python -m MODULE` runs it, though the zygote imported it (as a module)
        warnings.filterwarnings("ignore", "'.*' found in sys.modules", RuntimeWarning)
        runpy.run_module(self.module, run_name="__main__", alter_sys=True)


def reseed() -> None:
    """Fresh random state in a forked session (the zygote's would be every session's)."""
    import random

    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    if "sympy.core.random" in sys.modules:
        sys.modules["sympy.core.random"].seed(int.from_bytes(os.urandom(8), "big"))


class ZygoteLoop:
    """The zygote's life: requests read from the control socket, one fork each."""

    def __init__(self, control: socket.socket, module: str, args: list[str]) -> None:
        self.control = control
        self.module, self.args = module, args

    def say(self, message: dict[str, Any]) -> None:
        self.control.send(json.dumps(message).encode())

    def serve(self) -> Session | None:
        """Fork sessions until the server closes the socket (None); in a forked session,
        the Session to become."""
        while True:
            try:
                data, fds, flags, _ = socket.recv_fds(self.control, MESSAGE_BYTES, 4)
            except InterruptedError:
                continue
            except OSError:
                return None
            if not data:
                return None
            ask = -1
            try:
                request = json.loads(data)
                ask, env = request.get("id", -1), request["env"]
                if flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC) or len(fds) != 2:
                    raise ValueError("not two descriptors")
                if not isinstance(env, dict):
                    raise ValueError("env is not a mapping")
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                for fd in fds:
                    os.close(fd)
                self.say({"id": ask, "error": f"bad request: {error}"})
                continue
            session = self.fork(ask, env, fds[0], fds[1])
            if session is not None:
                return session

    def fork(self, ask: int, env: dict[str, str], stdin_fd: int, stdout_fd: int):
        """Fork twice: the middle process forks the session and ends at once, so that the server
        adopts the session, which then tells the server its pid (only then: the server reaps
        what it is told of). The zygote goes on to the next request without waiting for either
        (the kernel reaps its children: SIGCHLD is ignored here), so a class arriving at once is
        forked in parallel. In the session: the Session to become."""
        try:
            middle = os.fork()
        except OSError as error:
            for fd in (stdin_fd, stdout_fd):
                os.close(fd)
            self.say({"id": ask, "error": f"fork: {error.strerror}"})
            return None
        if middle == 0:
            try:
                middle = os.getpid()
                if os.fork() == 0:
                    name = SPARE_NAME if env.get(SPARE_ENV) == "1" else SESSION_NAME
                    self._take_stdio(ask, middle, stdin_fd, stdout_fd, name)
                    return Session(self.module, self.args, env)
            except BaseException as error:
                with contextlib.suppress(BaseException):
                    self.say({"id": ask, "error": f"the fork failed: {error!r}"})
                os._exit(1)
            os._exit(0)
        for fd in (stdin_fd, stdout_fd):
            os.close(fd)
        return None

    def _take_stdio(self, ask: int, middle: int, stdin_fd: int, stdout_fd: int, name: bytes):
        """In the session: a session of its own, adopted by the server once `middle` has
        ended (then its pid is said, as the answer to request `ask`), the given pipes as
        standard input and output, no other descriptor of the zygote's."""
        prctl(PR_SET_NAME, name)  # before the server adopts it: never seen as a zygote
        os.setsid()
        while os.getppid() == middle:  # the middle process is ending: then the server adopts us
            time.sleep(0.0002)
        with contextlib.suppress(Exception):
            sys.__stdout__.flush()
        os.dup2(stdin_fd, 0)
        os.dup2(stdout_fd, 1)
        self.say({"id": ask, "pid": os.getpid()})
        self.control.close()
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))


def main(argv: list[str] | None = None) -> int:
    import argparse

    sys.stdout = sys.stderr  # standard output is not this process's to write (nor a session's)
    parser = argparse.ArgumentParser(prog="python -m tutor.serve.zygote")
    parser.add_argument("--control", type=int, required=True, metavar="FD")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- PYTHON -m MODULE ARGS…")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    control = socket.socket(fileno=args.control)
    target = python_module(command)
    if target is None:
        control.send(json.dumps({"failed": "not a `python -m MODULE` command"}).encode())
        return 2
    gc.disable()  # nothing collected while importing: no holes left in pages to be shared
    die_with_server()
    prctl(PR_SET_NAME, ZYGOTE_NAME)
    module, module_args = target
    try:
        preload(module, module_args)
    except BaseException as error:
        control.send(json.dumps({"failed": f"importing failed: {error!r}"}).encode())
        return 1
    gc.collect()
    fill_pools()
    fill_heap()
    gc.freeze()  # never scanned again in a session: its pages stay shared
    loop = ZygoteLoop(control, module, module_args)
    extra = _open_fds() - {0, 1, 2, control.fileno()}
    if _threads() != 1 or extra:
        why = f"{_threads()} threads, descriptors {sorted(extra)} open after importing"
        loop.say({"failed": f"cannot fork safely: {why}"})
        return 1
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # its middle processes reaped as they end
    loop.say({"ready": os.getpid()})
    session = loop.serve()
    if session is None:
        return 0
    session.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
