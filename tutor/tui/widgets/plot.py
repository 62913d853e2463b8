"""Provides FunctionPlot: f over the leaf's values, its points and the tangent at each element."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from tutor.tui.lesson_math import PlotData


class FunctionPlot(PlotextPlot):
    """A plotext plot of one PlotData; `data` keeps what was drawn."""

    data: PlotData | None = None

    def show(self, data: PlotData, *, tangent_label: str, point_label: str) -> None:
        self.data = data
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(data.title)
        plt.xlabel(data.leaf)
        plt.plot(
            data.xs.tolist(), data.ys.tolist(), label=data.title, color="cyan", marker="braille"
        )
        for number, tangent in enumerate(data.tangents):
            plt.plot(
                list(tangent.xs),
                list(tangent.ys),
                label=tangent_label if number == 0 else None,
                color="orange",
                marker="braille",
            )
        if not data.tangents:
            self.refresh()
            return
        plt.scatter(
            [t.x for t in data.tangents],
            [t.y for t in data.tangents],
            label=point_label,
            color="red",
            marker="●",
        )
        self.refresh()
