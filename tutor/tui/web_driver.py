"""Provides ServedWebDriver: Textual's web driver (what textual-serve runs an app with) that also
hears the one message `tutor serve` adds to the protocol: `{"type": "client", "address": …}`,
the browser's address, sent to a session started before its browser came (a spare,
tutor.serve.spares) ahead of anything the browser sends.

It also keeps a size sent before the app has started from being overtaken by the size the app
starts with: Textual's web driver posts that first size through the event loop
(Driver.send_message) but a later one straight into the app's queue, so the later one could
arrive first and the app stay at its starting size. Both go through the loop here, in order."""

from __future__ import annotations

from textual import events
from textual.drivers.web_driver import WebDriver
from textual.geometry import Size

CLIENT = "client"


class ServedWebDriver(WebDriver):
    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == CLIENT:
            address = payload.get("address")
            arrived = getattr(self._app, "client_arrived", None)
            if isinstance(address, str) and callable(arrived):
                arrived(address)
        elif packet_type == "resize":
            width, height = payload.get("width"), payload.get("height")
            if isinstance(width, int) and isinstance(height, int):
                self._size = (width, height)
                self.send_message(events.Resize(Size(width, height), Size(width, height)))
        else:
            super().on_meta(packet_type, payload)
