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
        """Equal to a device of the same type and index (never to a string, as in PyTorch)."""
        if not isinstance(other, device):
            return NotImplemented
        return (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


device.__module__ = "torch"
CPU = device("cpu")


# the device a constructor without `device=` makes its tensor on (torch.set_default_device)
_DEFAULT: list[device] = [CPU]
_NO_CUDA = "Torch not compiled with CUDA enabled"
_NO_ACCELERATOR = "Cannot access accelerator device when none is available."


def check(target: object) -> None:
    """Accepts a `device=` argument naming the CPU (None: the default device); refuses another
    device as PyTorch would without one."""
    chosen = _DEFAULT[0] if target is None else target
    if not isinstance(chosen, device):
        chosen = device(str(chosen))
    if chosen.type != "cpu":
        raise AssertionError(_NO_CUDA)


def set_default_device(target: object) -> None:
    """`torch.set_default_device`: where constructors put tensors (None: the CPU again). A
    device this engine lacks is accepted here and refused by the first tensor made on it."""
    if target is None:
        _DEFAULT[0] = CPU
    elif isinstance(target, device):
        _DEFAULT[0] = target
    elif isinstance(target, int) and not isinstance(target, bool):  # the accelerator's index
        raise RuntimeError(_NO_ACCELERATOR)
    else:
        _DEFAULT[0] = device(str(target))


def get_default_device() -> device:
    """`torch.get_default_device`: a CUDA default without an index needs CUDA to say which."""
    chosen = _DEFAULT[0]
    if chosen.type == "cuda" and chosen.index is None:
        raise AssertionError(_NO_CUDA)
    return chosen


class cuda:  # noqa: N801 - torch.cuda
    """`torch.cuda`: no GPU here."""

    @staticmethod
    def is_available() -> bool:
        return False

    @staticmethod
    def device_count() -> int:
        return 0


CUDA_NAMES = frozenset({"is_available", "device_count"})


class accelerator:  # noqa: N801 - torch.accelerator
    """`torch.accelerator`: the CPU is not an accelerator, so none is available."""

    @staticmethod
    def is_available() -> bool:
        return False

    @staticmethod
    def device_count() -> int:
        return 0

    @staticmethod
    def current_accelerator(check_available: bool = False) -> device | None:
        return None

    @staticmethod
    def current_device_index() -> int:
        raise RuntimeError(_NO_ACCELERATOR)


ACCELERATOR_NAMES = frozenset(
    {"is_available", "device_count", "current_accelerator", "current_device_index"}
)
