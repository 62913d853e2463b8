"""Provides `torch.Generator` for the CPU: the mt19937 engine, the cached normals, the state bytes."""

from __future__ import annotations

import numpy as np

from .rng_engine import MT19937, N

DEFAULT_SEED = 67280421310721
STATE_BYTES = 5056
_STATE_LAYOUT = np.dtype(
    [
        ("seed", "<u8"),
        ("left", "<i4"),
        ("seeded", "<i4"),
        ("next", "<u8"),
        ("state", "<u8", (N,)),
        ("normal_x", "<f8"),
        ("normal_y", "<f8"),
        ("normal_rho", "<f8"),
        ("normal_is_valid", "<i4"),
        ("pad", "V4"),
        ("next_float_normal", "<f4"),
        ("float_normal_is_valid", "u1"),
        ("tail", "V3"),
    ]
)


def seed_value(seed: object) -> int:
    """`Generator.manual_seed`'s argument as the uint64 it stores (negative ones wrap around)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    value = int(seed)
    if not -(1 << 63) <= value < 1 << 64:
        raise ValueError("Overflow when unpacking long long")
    return value & 0xFFFFFFFFFFFFFFFF


class Generator:
    """`torch.Generator()` on the CPU: an mt19937 engine and the cached second normal values."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.engine = MT19937(seed_value(seed))
        self.next_double_normal: float | None = None
        self.next_float_normal: float | None = None

    def manual_seed(self, seed: int) -> Generator:
        """Reseed the engine and forget both cached normals (`set_current_seed`)."""
        self.engine.reseed(seed_value(seed))
        self.next_double_normal = None
        self.next_float_normal = None
        return self

    def initial_seed(self) -> int:
        return self.engine.seed

    def get_state(self) -> np.ndarray:
        """The 5056 bytes `torch.Generator.get_state()` holds (CPUGeneratorImplState)."""
        record = np.zeros((), dtype=_STATE_LAYOUT)
        record["seed"] = self.engine.seed
        record["left"] = self.engine.left
        record["seeded"] = 1
        record["next"] = self.engine.next
        record["state"] = self.engine.state
        if self.next_double_normal is not None:
            record["normal_is_valid"] = 1
            record["normal_y"] = self.next_double_normal
        if self.next_float_normal is not None:
            record["float_normal_is_valid"] = 1
            record["next_float_normal"] = self.next_float_normal
        return np.frombuffer(record.tobytes(), dtype=np.uint8).copy()

    def set_state(self, state: np.ndarray | bytes) -> Generator:
        """Adopt bytes from `get_state` (ours or PyTorch's `get_rng_state().numpy()`)."""
        raw = np.asarray(bytearray(state) if isinstance(state, bytes) else state, dtype=np.uint8)
        if raw.size != STATE_BYTES:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {STATE_BYTES} but found the input "
                f"RNG state size to be {raw.size}"
            )
        record = raw.view(_STATE_LAYOUT)[0]
        if not record["seeded"]:
            raise RuntimeError("Invalid mt19937 state")
        self.engine.set(
            int(record["seed"]), int(record["left"]), int(record["next"]), record["state"]
        )
        valid = bool(record["normal_is_valid"])
        self.next_double_normal = float(record["normal_y"]) if valid else None
        valid = bool(record["float_normal_is_valid"])
        self.next_float_normal = float(record["next_float_normal"]) if valid else None
        return self
