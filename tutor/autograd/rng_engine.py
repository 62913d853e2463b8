"""Provides PyTorch's CPU Mersenne Twister (at::mt19937), vectorised over numpy arrays."""

from __future__ import annotations

import numpy as np

N = 624


def _temper(y: np.ndarray) -> np.ndarray:
    y = y ^ (y >> np.uint32(11))
    y = y ^ ((y << np.uint32(7)) & np.uint32(0x9D2C5680))
    y = y ^ ((y << np.uint32(15)) & np.uint32(0xEFC60000))
    return y ^ (y >> np.uint32(18))


class MT19937:
    """`at::mt19937_engine`: 624 words of state, `left` draws until the next twist, `next` index.

    `operator()` is `if (--left == 0) next_state(); return temper(state[next++]);` — here
    `words(n)` returns n such draws at once.
    """

    __slots__ = ("_bits", "left", "next", "seed", "state")

    def __init__(self, seed: int = 5489) -> None:
        self._bits: np.random.MT19937 | None = None
        self.reseed(seed)

    def reseed(self, seed: int) -> None:
        """`init_with_uint32`: Knuth's multiplier 1812433253 over the low 32 bits of the seed."""
        self.seed = seed
        state = [seed & 0xFFFFFFFF]
        for j in range(1, N):
            previous = state[-1]
            state.append((1812433253 * (previous ^ (previous >> 30)) + j) & 0xFFFFFFFF)
        self.state = np.array(state, dtype=np.uint32)
        self.left = 1
        self.next = 0

    def words(self, count: int) -> np.ndarray:
        """The next `count` 32-bit outputs (`CPUGeneratorImpl::random()`), as uint32.

        The words left before the next twist are tempered here; from the twist on, numpy's own
        MT19937 bit generator — the same recurrence and tempering — continues from this state.
        """
        ready = min(count, self.left - 1)
        head = _temper(self.state[self.next : self.next + ready])
        self.next += ready
        self.left -= ready
        if ready == count:
            return head
        if self._bits is None:
            self._bits = np.random.MT19937(0)
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": self.state, "pos": N}}
        tail = self._bits.random_raw(count - ready).astype(np.uint32)
        after = self._bits.state["state"]
        self.state = np.asarray(after["key"], dtype=np.uint32)
        self.next = int(after["pos"])
        self.left = N + 1 - self.next
        return np.concatenate([head, tail])

    def words64(self, count: int) -> np.ndarray:
        """`random64()`: two draws per value, the first one the high half, as uint64."""
        pairs = self.words(2 * count).astype(np.uint64).reshape(count, 2)
        return (pairs[:, 0] << np.uint64(32)) | pairs[:, 1]

    def set(self, seed: int, left: int, next_index: int, state: np.ndarray) -> None:
        """Adopt a saved state, refusing the ones PyTorch would reject or read past the end of."""
        if not (0 < left <= N and 0 <= next_index <= N):
            raise RuntimeError("Invalid mt19937 state")
        if left > 1 and next_index + left - 1 > N:
            raise RuntimeError("Invalid mt19937 state")
        self.seed = seed
        self.left = left
        self.next = next_index
        self.state = np.array(state, dtype=np.uint32)
