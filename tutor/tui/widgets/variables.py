"""Provides VariablesView: each variable as PyTorch prints it; the ones the step made stand out.

What an open question asks is shown as `?`: `x1 = ?`, `.grad = ?`, `grad_fn=<?>`.
"""

from __future__ import annotations

from rich.text import Text as RichText
from textual.widgets import Static

from tutor.program.snapshot import Snapshot
from tutor.text import clean
from tutor.tui.widgets.veil import HIDDEN, NO_VEIL, Veil


class VariablesView(Static):
    def show(self, snapshot: Snapshot | None, empty: str, veil: Veil = NO_VEIL) -> None:
        if snapshot is None or not snapshot.variables:
            self.update(RichText(empty, style="dim"))
            return
        out = RichText()
        fresh = set(snapshot.new_variables)
        asked = veil.asked
        for name, variable in snapshot.variables.items():
            if variable.type == "ModuleProxy":
                continue
            style = "bold green" if name in fresh else "bold cyan"
            out.append(f"{name}", style=style)
            out.append(" = ")
            indent = " " * (len(name) + 3)
            if name in asked.values:
                out.append(HIDDEN, style="bold yellow")
            else:
                out.append(veil.names_in(clean(variable.repr)).replace("\n", "\n" + indent))
            tensor = variable.tensor
            if name in asked.grads:
                out.append(f"\n{indent}.grad = ", style="green")
                out.append(HIDDEN, style="bold yellow")
            elif tensor is not None and tensor.grad_repr is not None:
                out.append(f"\n{indent}.grad = ", style="green")
                grad = veil.names_in(clean(tensor.grad_repr))
                out.append(grad.replace("\n", "\n" + indent + "        "))
            out.append("\n")
        out.rstrip()
        self.update(out)
