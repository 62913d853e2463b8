"""Provides VariablesView: each variable as PyTorch prints it; the ones the step made stand out."""

from __future__ import annotations

from rich.text import Text as RichText
from textual.widgets import Static

from tutor.program.snapshot import Snapshot
from tutor.text import clean


class VariablesView(Static):
    def show(self, snapshot: Snapshot | None, empty: str) -> None:
        if snapshot is None or not snapshot.variables:
            self.update(RichText(empty, style="dim"))
            return
        out = RichText()
        fresh = set(snapshot.new_variables)
        for name, variable in snapshot.variables.items():
            if variable.type == "ModuleProxy":
                continue
            style = "bold green" if name in fresh else "bold cyan"
            out.append(f"{name}", style=style)
            out.append(" = ")
            indent = " " * (len(name) + 3)
            out.append(clean(variable.repr).replace("\n", "\n" + indent))
            tensor = variable.tensor
            if tensor is not None and tensor.grad_repr is not None:
                out.append(f"\n{indent}.grad = ", style="green")
                out.append(tensor.grad_repr.replace("\n", "\n" + indent + "        "))
            out.append("\n")
        out.rstrip()
        self.update(out)
