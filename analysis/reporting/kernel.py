"""The kernel manager report pages run on: an ordinary fresh kernel per page, with the report environment.

One cheap win of an earlier fork server is kept, through public jupyter_client methods only: a kernel is
ready as soon as it has answered and its IOPub 'idle' status has arrived, instead of after jupyter_client's
fixed 0.2 s of IOPub silence.
"""

from __future__ import annotations

import functools
import time


@functools.cache
def report_kernel_manager_class():
    """Return the kernel manager class of report pages (made on first use, so jupyter_client loads lazily)."""
    from queue import Empty

    from jupyter_client import AsyncKernelClient, AsyncKernelManager

    class ReportKernelClient(AsyncKernelClient):
        """A kernel client that is ready as soon as the kernel's answer and its IOPub messages have arrived."""

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            """Ask for kernel_info until it is answered and its 'idle' status arrives on IOPub.

            The 'idle' status of our own request proves IOPub is connected and that every earlier message has
            arrived (a zmq publisher delivers in order), so no further wait for silence is needed.
            """
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                request = self.kernel_info()
                reply = await self._reply_to(request, min(1.0, max(deadline - time.monotonic(), 0.01)))
                if reply is not None and await self._idle_after(request):
                    self._handle_kernel_info_reply(reply)
                    return
                if not await self.is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

        async def _reply_to(self, request: str, seconds: float) -> dict | None:
            """Return the shell reply to a request, or None when none came within `seconds`."""
            until = time.monotonic() + seconds
            while (left := until - time.monotonic()) > 0:
                try:
                    message = await self.shell_channel.get_msg(timeout=left)
                except Empty:
                    return None
                if message.get("parent_header", {}).get("msg_id") == request:
                    return message
            return None

        async def _idle_after(self, request: str) -> bool:
            """Read IOPub up to the 'idle' status of a request; False when IOPub goes quiet for 0.2 s first."""
            while True:
                try:
                    message = await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    return False
                if (
                    message["msg_type"] == "status"
                    and message["content"].get("execution_state") == "idle"
                    and message.get("parent_header", {}).get("msg_id") == request
                ):
                    return True

    class ReportKernelManager(AsyncKernelManager):
        """Starts its kernel with the report environment (asynchronous, as nbclient's own: its timeouts fire)."""

        environment: dict[str, str] | None = None

        def _client_factory_default(self):
            return ReportKernelClient

        async def start_kernel(self, **kw):
            if self.environment is not None:
                kw.setdefault("env", self.environment)
            return await super().start_kernel(**kw)

    return ReportKernelManager
