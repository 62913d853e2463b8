"""Provides `Size`, the tuple subclass PyTorch returns for shapes (`torch.Size([2, 2])`)."""

from __future__ import annotations


class Size(tuple):
    """A tensor's shape; prints as `torch.Size([2, 2])`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "torch.Size([" + ", ".join(str(n) for n in self) + "])"

    __str__ = __repr__

    def __getitem__(self, index):  # type: ignore[override]
        item = tuple.__getitem__(self, index)
        return Size(item) if isinstance(index, slice) else item

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        count = 1
        for n in self:
            count *= n
        return count
