"""Provides `torch.device` and the CPU, the only device the tutor's engine has."""

from __future__ import annotations


class device:  # noqa: N801 - named as torch names it
    """A device; only the CPU exists here (`torch.cuda.is_available()` is False)."""

    __slots__ = ("type", "index")

    def __init__(self, type: str = "cpu", index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            type, index = type.type, type.index
        name, _, number = str(type).partition(":")
        if name not in ("cpu", "cuda", "mps"):
            raise RuntimeError(
                "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, "
                "fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type "
                f"at start of device string: {type}"
            )
        self.type = name
        self.index = int(number) if number else index

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


device.__module__ = "torch"
CPU = device("cpu")


def check(target: object) -> None:
    """Accepts a `device=` argument naming the CPU; refuses another device as PyTorch would
    without one."""
    if target is None:
        return
    chosen = target if isinstance(target, device) else device(str(target))
    if chosen.type != "cpu":
        raise AssertionError("Torch not compiled with CUDA enabled")


class cuda:  # noqa: N801 - torch.cuda
    """`torch.cuda`: no GPU here."""

    @staticmethod
    def is_available() -> bool:
        return False

    @staticmethod
    def device_count() -> int:
        return 0


CUDA_NAMES = frozenset({"is_available", "device_count"})
