"""Provides the instructor's secret and what is derived from it: the seeds variants are drawn from.

The secret decides every student's numbers. For a quiz taken for a grade it stays on the
server (`server_secret`, DATA_DIR/quiz-secret): nothing a browser is sent is derived from it but
the student's own numbers. `resolve_secret` reads it for instructor tools (`tutor quiz key`,
`tutor quiz check`, `tutor try`). Practice on a learner's machine needs none: it draws from a
random seed of its own (tutor.quiz.taking).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from pathlib import Path

from tutor.ids import id_problem, normalize_id
from tutor.quiz.model import Quiz, QuizError

ENV_VAR = "TUTOR_QUIZ_SECRET"
MIN_SECRET_BYTES = 16
MAX_SECRET_BYTES = 4096


def resolve_secret(
    quiz: Quiz, secret_file: str | Path | None = None, env: Mapping[str, str] | None = None
) -> bytes:
    """The secret from `--secret-file`, else $TUTOR_QUIZ_SECRET, else the quiz's `secret_file`."""
    env = os.environ if env is None else env
    if secret_file is not None:
        return _read_secret(Path(secret_file))
    if env.get(ENV_VAR):
        return _checked(env[ENV_VAR].strip().encode("utf-8"), f"${ENV_VAR}")
    if quiz.secret_file is not None:
        return _read_secret(quiz.secret_file)
    raise QuizError(
        f"no quiz secret: give --secret-file FILE, set ${ENV_VAR}, or add "
        f"`secret_file` to {quiz.path}"
    )


def _read_secret(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_SECRET_BYTES + 1)
    except OSError as error:
        raise QuizError(f"cannot read the secret file {path}: {error.strerror or error}") from None
    if len(raw) > MAX_SECRET_BYTES:
        raise QuizError(f"the secret file {path} is larger than {MAX_SECRET_BYTES} bytes")
    return _checked(raw.strip(), str(path))


def _checked(secret: bytes, where: str) -> bytes:
    if len(secret) < MIN_SECRET_BYTES:
        raise QuizError(f"the secret in {where} is shorter than {MIN_SECRET_BYTES} bytes")
    return secret


SERVER_SECRET = "quiz-secret"


def server_secret(quiz: Quiz, data_dir: Path, env: Mapping[str, str] | None = None) -> bytes:
    """The secret `tutor serve` draws and grades with: $TUTOR_QUIZ_SECRET, else the quiz's
    `secret_file`, else DATA_DIR/quiz-secret, made (random, 0600) the first time. It stays on
    the server: nothing a browser is sent is derived from it but the student's own numbers."""
    env = os.environ if env is None else env
    if env.get(ENV_VAR) or quiz.secret_file is not None:
        return resolve_secret(quiz, env=env)
    path = Path(data_dir) / SERVER_SECRET
    if not path.exists():
        import secrets

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first
        except OSError as error:
            raise QuizError(f"cannot create the quiz secret {path}: {error.strerror}") from None
        else:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_hex(32) + "\n")
    return _read_secret(path)


def check_student_id(student_id: object) -> str:
    """The student id as the class knows it (tutor.ids: stripped, NFKC, up to 128 characters,
    no control characters); QuizError in one line when it cannot be one."""
    problem = (
        "not text" if not isinstance(student_id, str) else id_problem(normalize_id(student_id))
    )
    if problem is not None:
        raise QuizError(f"student id {repr(student_id)[:80]}: {problem}")
    assert isinstance(student_id, str)
    return normalize_id(student_id)


def draw_seed(secret: bytes, quiz_id: str, student_id: str, draw: int, attempt: int = 1) -> bytes:
    """HMAC-SHA256(secret, quiz id, student id, draw[, attempt]): the seed of one draw. A
    second attempt draws its own numbers; the first keeps the seed it always had."""
    fields = (quiz_id, student_id, str(draw)) + (() if attempt == 1 else (f"attempt {attempt}",))
    message = "\x00".join(fields).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).digest()


def pick(seed: bytes, name: str, count: int) -> int:
    """The index (0 ≤ i < count) parameter `name` takes in the draw with this seed — defined by
    SHA-256 alone, so a key regenerated on any machine or Python version is the same."""
    digest = hashlib.sha256(seed + b"\x00" + name.encode("utf-8")).digest()
    return int.from_bytes(digest, "big") % count
