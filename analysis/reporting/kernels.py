"""Start report kernels by forking one warm process instead of starting Python afresh for every page.

A kernel started the usual way (`python -m ipykernel_launcher`) imports ipykernel and IPython, and then
each report page imports pandas, pyarrow and plotly: about half a second of CPU spent on the same imports
in every kernel. The report runner instead starts one *fork server* per run: a Python process that imports
those modules once, then forks a kernel for each page. A forked kernel is a fresh process (its own memory,
sockets, working folder and environment, a reseeded numpy generator; no notebook code has run in the
server) that finds the modules already imported, as if the first lines of the notebook had imported them.

One server serves every page of the run, and what it imports is decided for the run by one rule applied to
every page (`preload_modules`). POSIX only; elsewhere, for a kernel that is not this Python's ipykernel, or
when the server cannot serve, kernels start the usual way.

The kernel manager the pages use (`report_kernel_classes`) also removes two fixed waits jupyter_client adds
to every kernel (see ReportKernelClient.wait_for_ready and ReportKernelManager._async_wait).

    python -m analysis.reporting.kernels FD MODULES_JSON     # the server itself (started by KernelForkServer)
"""
from __future__ import annotations

import functools
import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Iterable

# What every ipykernel kernel imports before it runs a cell.
KERNEL_MODULES = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "IPython.display",
    "jupyter_client.session",
)
# What every report page of the analysis package imports before its own work (the notebook conventions'
# preamble: `import analysis`, setup_notebook(), load_data(), filter_data(), show_header()), most of it inside
# functions so that `import analysis` stays fast. Preloaded when a page imports `analysis`. The statistics
# libraries (scipy, statsmodels) are not: only some pages use them, and they import them in parallel.
ANALYSIS_MODULES = (
    "pandas", "pyarrow.parquet", "plotly.graph_objects", "plotly.io", "plotly.io._renderers",
    "analysis.notebook.page", "analysis.pipeline.load", "analysis.core.selection", "analysis.core.tables",
)
LAUNCHER_MODULE = "ipykernel_launcher"
READY_TIMEOUT_SECONDS = 120.0
REPLY_TIMEOUT_SECONDS = 30.0


def notebook_imports(notebook: Path) -> set[str]:
    """Return the top-level packages a notebook's code cells import (`import x.y`, `from x import y`).

    >>> import json, tempfile
    >>> cell = {"cell_type": "code", "source": "import analysis as an\\nfrom pandas import DataFrame\\nx = 1"}
    >>> path = Path(tempfile.mkdtemp()) / "n.ipynb"
    >>> _ = path.write_text(json.dumps({"cells": [cell]}))
    >>> sorted(notebook_imports(path))
    ['analysis', 'pandas']
    """
    import ast

    found: set[str] = set()
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        try:
            tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))
        except SyntaxError:  # IPython-only syntax the filter above missed: that cell adds nothing
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found


def preload_modules(notebooks: Iterable[Path]) -> list[str]:
    """Return what the fork server imports for a run: the kernel's own modules, plus what the pages import.

    A page that imports `analysis` brings what every report page of the package imports (ANALYSIS_MODULES);
    any other package a page imports is preloaded as it is. The same rule for every page, trivial or not.

    >>> preload_modules([])[:2]
    ['ipykernel.kernelapp', 'ipykernel.ipkernel']
    """
    wanted = list(KERNEL_MODULES)
    for notebook in notebooks:
        if not Path(notebook).is_file():
            continue
        for package in sorted(notebook_imports(notebook)):
            wanted += ANALYSIS_MODULES if package == "analysis" else [package]
    return list(dict.fromkeys(wanted))


def can_fork() -> bool:
    """Tell whether kernels can be forked here (POSIX with os.fork)."""
    return os.name == "posix" and hasattr(os, "fork")


def launcher_arguments(command: list[str]) -> list[str] | None:
    """Return the arguments after `-m ipykernel_launcher` when a kernel command is this Python running ipykernel.

    Interpreter `-X` options before `-m` are allowed: `ipykernel install` writes `-Xfrozen_modules=off`
    (which only matters to a debugger attached to the kernel) into the kernel specs it creates.
    None means the fork server cannot stand in for this command.
    """
    if not command or os.path.abspath(command[0]) != os.path.abspath(sys.executable):
        return None
    arguments = command[1:]
    while arguments and arguments[0].startswith("-X"):
        arguments = arguments[1:]
    return arguments[2:] if arguments[:2] == ["-m", LAUNCHER_MODULE] else None


def forkable_command(command: list[str]) -> bool:
    """Tell whether a kernel command is this Python running ipykernel (what the fork server can stand in for)."""
    return launcher_arguments(command) is not None


class ForkServerUnavailable(RuntimeError):
    """The fork server cannot start kernels (it failed to start, or died): start them the usual way."""


class ForkedKernelProcess:
    """The part of subprocess.Popen that jupyter_client uses, for a kernel forked by the fork server.

    The kernel is the server's child, not ours: the server reaps it and reports its exit status.
    """

    stdin = stdout = stderr = None

    def __init__(self, server: "KernelForkServer", pid: int):
        self._server = server
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """Return the exit status once the kernel has exited, else None."""
        if self.returncode is None:
            self.returncode = self._server.exit_status(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the kernel to exit and return its exit status."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"forked kernel {self.pid}", timeout)
            self._server.wait_for_exit(self.pid, 0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Send a signal to the kernel (nothing once it has exited)."""
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """Kill the kernel."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Ask the kernel to stop."""
        self.send_signal(signal.SIGTERM)


class KernelForkServer:
    """The runner's side of the fork server: start it, ask it for kernels, stop it (and its kernels)."""

    def __init__(self, modules: list[str], env: dict[str, str] | None = None):
        import socket

        self.modules = list(modules)
        ours, theirs = socket.socketpair()
        self._channel = ours
        self._lock = threading.Lock()  # one launch request at a time
        self._changed = threading.Condition()
        self._replies: list[dict] = []
        self._exits: dict[int, int] = {}
        self.ready: dict | None = None
        self.closed = False
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(theirs.fileno()), json.dumps(self.modules)],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env, close_fds=True,
        )
        theirs.close()
        self._reader = threading.Thread(target=self._read, name="kernel-fork-server", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        """Receive the server's messages: readiness, launch replies, kernels' exits."""
        with self._channel.makefile("r", encoding="utf-8") as stream:
            for line in stream:
                message = json.loads(line)
                with self._changed:
                    if "exited" in message:
                        self._exits[message["exited"]] = message["status"]
                    elif "ready" in message:
                        self.ready = message
                    else:
                        self._replies.append(message)
                    self._changed.notify_all()
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> dict:
        """Wait until the server has imported its modules; raise ForkServerUnavailable if it cannot serve."""
        with self._changed:
            self._changed.wait_for(lambda: self.ready is not None or self.closed, timeout)
            if self.ready is None:
                raise ForkServerUnavailable("the kernel fork server did not start")
            if not self.ready["ready"]:
                raise ForkServerUnavailable(self.ready.get("reason", "the kernel fork server cannot fork"))
            return self.ready

    def launch(self, command: list[str], env: dict[str, str], cwd: str | None) -> ForkedKernelProcess:
        """Fork a kernel running `command` (python -m ipykernel_launcher ...) with this environment and folder."""
        self.wait_ready()
        request = json.dumps({"argv": launcher_arguments(command), "env": dict(env), "cwd": str(cwd or os.getcwd())}) + "\n"
        with self._lock:
            try:
                self._channel.sendall(request.encode("utf-8"))
            except OSError as error:
                raise ForkServerUnavailable(f"the kernel fork server is gone: {error}") from None
            with self._changed:
                if not self._changed.wait_for(lambda: self._replies or self.closed, REPLY_TIMEOUT_SECONDS) or not self._replies:
                    raise ForkServerUnavailable("the kernel fork server did not answer")
                reply = self._replies.pop(0)
        if "pid" not in reply:
            raise ForkServerUnavailable(f"the kernel fork server could not fork: {reply.get('error')}")
        return ForkedKernelProcess(self, reply["pid"])

    def exit_status(self, pid: int) -> int | None:
        """Return a forked kernel's exit status, or None while it runs."""
        with self._changed:
            if pid in self._exits:
                return self._exits[pid]
        if self.closed and not _process_exists(pid):  # the server died: no status will come
            return -signal.SIGKILL
        return None

    def wait_for_exit(self, pid: int, timeout: float) -> None:
        """Wait up to `timeout` seconds for news of a kernel's exit."""
        with self._changed:
            self._changed.wait_for(lambda: pid in self._exits or self.closed, timeout)

    def close(self) -> None:
        """Stop the server; it kills the kernels it forked that are still running."""
        import socket

        try:
            self._channel.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)
        self._channel.close()


def _process_exists(pid: int) -> bool:
    """Tell whether a process id is in use."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@functools.lru_cache(maxsize=None)
def report_kernel_classes():
    """Return the kernel manager, client and provisioner classes of report kernels (made on first use).

    Besides forking (ForkingProvisioner), they remove two fixed waits jupyter_client adds to every kernel:
    a 0.2 s IOPub flush after the kernel first answers, and 0.1 s steps while waiting for a killed kernel.
    """
    import asyncio
    from queue import Empty

    import zmq
    from jupyter_client import AsyncKernelClient, AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    class ForkingProvisioner(LocalProvisioner):
        """LocalProvisioner whose kernel is forked from the run's fork server (else launched as usual)."""

        fork_server: KernelForkServer | None = None

        async def launch_kernel(self, cmd: list[str], **kwargs):
            """Fork the kernel from the server; launch it as a new process when the server cannot."""
            server = self.fork_server
            if server is None or not forkable_command(cmd):
                return await super().launch_kernel(cmd, **kwargs)
            try:
                process = await asyncio.to_thread(server.launch, cmd, kwargs.get("env") or dict(os.environ),
                                                  kwargs.get("cwd"))
            except ForkServerUnavailable as error:
                self.log.warning("report kernel started afresh: %s", error)
                return await super().launch_kernel(cmd, **kwargs)
            self.process, self.pid, self.pgid = process, process.pid, process.pid  # the kernel leads its own group
            self.cwd = kwargs.get("cwd", Path.cwd())
            return self.connection_info

        async def wait(self) -> int | None:
            """Wait for the kernel to exit, checking every 10 ms (jupyter_client checks every 100 ms)."""
            status = 0
            if self.process:
                while await self.poll() is None:
                    await asyncio.sleep(0.01)
                status = self.process.wait()
                for stream in (self.process.stdout, self.process.stderr, self.process.stdin):
                    if stream:
                        stream.close()
                self.process = None
            return status

    class ReportKernelClient(AsyncKernelClient):
        """A kernel client that is ready as soon as the kernel's answer and its IOPub messages have arrived."""

        def _context_default(self):
            context = super()._context_default()
            # retry a connection to a kernel still starting after 10 ms rather than zmq's default 100 ms
            context.setsockopt(zmq.RECONNECT_IVL, 10)
            return context

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            """Ask for kernel_info until it is answered and its 'idle' status arrives on IOPub.

            jupyter_client's version then waits for 0.2 s of IOPub silence; the 'idle' status of our own
            request already proves IOPub is connected and that every earlier message has arrived (a zmq
            publisher delivers in order).
            """
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                request = self.kernel_info()
                reply = await self._reply_to(request, min(1.0, max(deadline - time.monotonic(), 0.01)))
                if reply is not None and await self._idle_after(request):
                    self._handle_kernel_info_reply(reply)
                    return
                if not await self._async_is_alive():
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
                if (message["msg_type"] == "status" and message["content"].get("execution_state") == "idle"
                        and message.get("parent_header", {}).get("msg_id") == request):
                    return True

    class ReportKernelManager(AsyncKernelManager):
        """Starts its kernel with the report environment, forked from the fork server when it can.

        It is an asynchronous manager, like the one nbclient makes for itself: with a blocking one,
        nbclient's per-cell timeout never fires.
        """

        fork_server: KernelForkServer | None = None
        environment: dict[str, str] | None = None

        def _client_factory_default(self):
            return ReportKernelClient

        async def start_kernel(self, **kw):
            if self.environment is not None:
                kw.setdefault("env", self.environment)
            if self.provisioner is None and not self.kernel_spec.metadata.get("kernel_provisioner"):
                self.kernel_id = self.kernel_id or str(uuid.uuid4())
                self.provisioner = ForkingProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
                self.provisioner.fork_server = self.fork_server
            return await super().start_kernel(**kw)

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            await super()._async_wait(pollinterval=min(pollinterval, 0.01))

    return ReportKernelManager, ReportKernelClient, ForkingProvisioner


# ---------------------------------------------------------------------------------------------------------
# The server process


def _send(channel, message: dict) -> None:
    """Send one message to the runner."""
    channel.sendall((json.dumps(message) + "\n").encode("utf-8"))


def _import_plotly_validators() -> None:
    """Import the validators plotly loads lazily when it checks a layout template, changing no setting.

    setup_notebook's `pio.templates.default = ...` validates a template, which imports some 180 modules;
    validating plotly's own default template imports the same ones.
    """
    import plotly.io as pio

    pio.templates._validate(pio.templates.default)


# Import steps that are not a module name, run when their package has been preloaded.
WARM_UPS = {"plotly": _import_plotly_validators}


def _preload(modules: list[str]) -> tuple[list[str], float]:
    """Import the modules; return those that failed and the seconds taken."""
    import importlib

    started, failed = time.perf_counter(), []
    # debugpy (imported by ipykernel.debugger) warns on stderr about frozen modules when imported outside a
    # kernel, which captures stderr; the variable is its documented switch for that check alone
    quiet = "PYDEVD_DISABLE_FILE_VALIDATION" not in os.environ
    if quiet:
        os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    try:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception as error:  # a page that needs it will raise the same error itself, in its kernel
                failed.append(f"{name}: {type(error).__name__}: {error}")
        for package, warm_up in WARM_UPS.items():
            if package in sys.modules:
                try:
                    warm_up()
                except Exception as error:
                    failed.append(f"{package} warm-up: {type(error).__name__}: {error}")
    finally:
        if quiet:
            del os.environ["PYDEVD_DISABLE_FILE_VALIDATION"]
    return failed, time.perf_counter() - started


def _run_kernel(request: dict, ready_fd: int) -> None:
    """In a forked child: become a kernel process as `python -m ipykernel_launcher ARGS` would be."""
    os.setsid()  # the kernel leads its own process group, as jupyter_client's launcher makes it
    gc.enable()
    os.write(ready_fd, b"1")
    os.close(ready_fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["JPY_PARENT_PID"] = str(os.getppid())  # the server: the kernel stops when the server goes
    numpy = sys.modules.get("numpy")
    if numpy is not None and "numpy.random" in sys.modules:
        numpy.random.seed()  # numpy's global generator is not reseeded on fork (Python's `random` is)
    import ipykernel_launcher
    from ipykernel import kernelapp

    # the kernel app read JPY_PARENT_PID when the server imported it: say who the parent is now
    sys.argv = [ipykernel_launcher.__file__, *request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"]
    kernelapp.launch_new_instance()


def _fork_kernel(request: dict, channel, wakeup: tuple[int, int]) -> int:
    """Fork a kernel; return its process id once it leads its own process group."""
    ready_read, ready_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            channel.close()
            for fd in (*wakeup, ready_read):
                os.close(fd)
            _run_kernel(request, ready_write)
            status = 0
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:
                    pass
            os._exit(status)
    os.close(ready_write)
    os.read(ready_read, 1)  # empty when the child failed before setsid: it exits, and is reported so
    os.close(ready_read)
    return pid


def _reap(channel, children: set[int]) -> None:
    """Collect exited kernels and report their exit statuses."""
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)
        _send(channel, {"exited": pid, "status": os.waitstatus_to_exitcode(status)})


def serve(channel_fd: int, modules: list[str]) -> None:
    """Run the fork server: import the modules, then fork a kernel for each request until the runner goes."""
    import resource
    import select
    import socket

    if sys.path and sys.path[0] and Path(sys.path[0]) == Path.cwd():
        del sys.path[0]  # as ipykernel_launcher does; the kernel puts '' back
    from analysis.reporting.worker import SLOW_OPTIONAL_MODULES

    for name in SLOW_OPTIONAL_MODULES:  # as in every report kernel (worker.KERNEL_STARTUP_CODE)
        sys.modules.setdefault(name, None)
    channel = socket.socket(fileno=channel_fd)
    gc.disable()  # no collection during the imports: fewer freed holes in pages the kernels will share
    failed, seconds = _preload(modules)
    gc.freeze()  # the kernels' collections then leave the preloaded objects (and their pages) untouched
    if threading.active_count() > 1:  # forking would copy locks that threads hold, but not the threads
        _send(channel, {"ready": False, "reason": f"a preloaded module started a thread: {threading.enumerate()}"})
        return
    wakeup = os.pipe()
    for fd in wakeup:
        os.set_blocking(fd, False)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    signal.set_wakeup_fd(wakeup[1], warn_on_full_buffer=False)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _send(channel, {"ready": True, "seconds": round(seconds, 3), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
                    "failed": failed, "pid": os.getpid()})
    children: set[int] = set()
    buffer = b""
    try:
        while True:
            readable, _, _ = select.select([channel, wakeup[0]], [], [])
            if wakeup[0] in readable:
                while True:
                    try:
                        if not os.read(wakeup[0], 512):
                            break
                    except BlockingIOError:
                        break
                _reap(channel, children)
            if channel in readable:
                data = channel.recv(65536)
                if not data:
                    return  # the runner has gone (or closed us): stop, killing what is left
                buffer += data
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    try:
                        pid = _fork_kernel(json.loads(line), channel, wakeup)
                    except OSError as error:
                        _send(channel, {"error": f"{type(error).__name__}: {error}"})
                        continue
                    children.add(pid)
                    _send(channel, {"pid": pid})
                _reap(channel, children)
    finally:  # kill what is left, and reap it: killed kernels must not linger as zombies
        for pid in children:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


if __name__ == "__main__":
    serve(int(sys.argv[1]), json.loads(sys.argv[2]))
