"""A light Streamlit client for the load test: one user's session over the app's own WebSocket
protocol (/_stcore/stream, the protobuf BackMsg/ForwardMsg a browser exchanges), without a
browser. The server does exactly what it does for a browser — a session, a script run per
request, every element sent — while the client only decodes the messages, so hundreds of
sessions fit in one process on one core and the load test measures the server, not the
rendering. What it cannot check (markup drawn from report text) stays with the browser
sessions of tests/test_load.py."""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.RootContainer_pb2 import RootContainer

MAIN = RootContainer.MAIN


@dataclass
class Run:
    page: str
    query: str
    seconds: float
    elements: int
    exceptions: list[str] = field(default_factory=list)
    title: str = ""
    # what the page's main area says, in order: each heading, text (markdown, captions, static
    # tables) and figure card ("label = value"), so a test can read the values a user reads
    texts: list[str] = field(default_factory=list)


class Session:
    """One session: `await open()`, then `await page("budget", "province=广东省")` per page view."""

    def __init__(self, url: str):
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = None

    async def open(self) -> None:
        import websockets
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=60, ping_interval=None)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def page(self, url_path: str, query: str = "", timeout: float = 90) -> Run:
        """Asks for a page as a link to it does (URL path and query string, no widget state)
        and reads the server's messages until that script run has finished."""
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = url_path
        started = time.monotonic()
        await self.ws.send(msg.SerializeToString())
        run = Run(url_path, query, 0.0, 0)
        deadline = started + timeout
        while True:
            data = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.monotonic()))
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                run.elements += 1
                which = element.WhichOneof("type")
                if which == "exception":
                    run.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
                elif which == "heading" and not run.title and fwd.metadata.delta_path[:1] == [MAIN]:
                    run.title = element.heading.body  # the page's own title, not the sidebar's
                if fwd.metadata.delta_path[:1] == [MAIN]:
                    if which in ("heading", "markdown", "alert"):
                        run.texts.append(getattr(element, which).body)
                    elif which == "metric":
                        run.texts.append(f"{element.metric.label} = {element.metric.body}")
            elif kind == "page_not_found":
                run.exceptions.append(f"page not found: {url_path}")
            elif kind == "script_finished":
                # a page that forwards (the root URL) finishes early and runs again; wait for the last run
                if fwd.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                    if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        run.exceptions.append("compile error")
                    run.seconds = time.monotonic() - started
                    return run
