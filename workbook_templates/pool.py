"""Worker processes that live and die with the main process, and SIGINT/SIGTERM as an exception.

:class:`Pool` runs a function over tasks in worker processes, handing each worker its next task
as it finishes the last, so that the caller decides (and records) what starts when.  A worker
ignores SIGINT (a Ctrl-C reaches every process of the terminal's group: the main process decides
what happens) and leaves on SIGTERM: at once when it is waiting for a task, after the task (and
sending its result) when it has one, so that what it writes is never left half-written.  It
watches its parent: when the parent dies, even by SIGKILL, the worker sends itself SIGTERM within
:data:`WATCH_SECONDS`.  :meth:`Pool.stop`
terminates the workers and waits for them; a worker that dies on its own is reported as
:class:`Died` with its task and replaced.

:class:`Signals` turns SIGINT and SIGTERM in the main process into :class:`Interrupted` (a
``KeyboardInterrupt``), or holds them back while the caller finishes what it must write.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

__all__ = ["Pool", "Died", "Signals", "Interrupted", "WATCH_SECONDS", "signal_name"]

#: How often a worker checks that its parent is alive.
WATCH_SECONDS = 0.2
#: How long :meth:`Pool.stop` waits for a terminated worker to finish its task before it kills it.
STOP_SECONDS = 30.0

_STOPPING = (signal.SIGINT, signal.SIGTERM)


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM reached the main process."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal_name(signum))


class Signals:
    """Within ``with Signals() as s:`` in the main thread, SIGINT and SIGTERM raise :class:`Interrupted`;
    within ``with s.held():`` they are remembered instead, and raised when the block ends.

    A handler the program set itself is left alone; elsewhere than in the main thread this does nothing.
    """

    def __init__(self):
        self.previous: dict[int, object] = {}
        self.pending: int | None = None
        self.holding = 0

    def __enter__(self) -> Signals:
        if threading.current_thread() is not threading.main_thread():
            return self
        for signum in _STOPPING:
            current = signal.getsignal(signum)
            if current in (signal.SIG_DFL, signal.default_int_handler):
                self.previous[signum] = current
                signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum, frame) -> None:
        if self.holding:
            self.pending = self.pending or signum
            return
        raise Interrupted(signum)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Remember a signal while the block runs; raise :class:`Interrupted` after it if one came."""
        self.holding += 1
        try:
            yield
        finally:
            self.holding -= 1
        if not self.holding and self.pending is not None:
            signum, self.pending = self.pending, None
            raise Interrupted(signum)


@dataclass(frozen=True)
class Died:
    """A worker process that ended without returning its task's result."""

    exitcode: int | None

    @property
    def reason(self) -> str:
        if self.exitcode is not None and self.exitcode < 0:
            return f"killed by {signal_name(-self.exitcode)}"
        return f"exit status {self.exitcode}"


class _Worker:
    def __init__(self, ctx, fn: Callable):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, fn), daemon=True)
        with _blocked():                       # the child starts with them blocked, until its own handlers are set
            self.process.start()
        child.close()
        self.task = None
        self.busy = False


class Pool:
    """``size`` worker processes running ``fn`` (a module-level function: it may be pickled)."""

    def __init__(self, fn: Callable, size: int):
        self.fn = fn
        self.ctx = multiprocessing.get_context()
        self.workers: list[_Worker] = []
        try:
            for _ in range(size):
                self.workers.append(_Worker(self.ctx, fn))
        except BaseException:
            self.stop()
            raise

    def imap(self, tasks: Iterable) -> Iterator[tuple[object, object]]:
        """``(task, result)`` pairs as workers finish, the result a :class:`Died` when the worker died.

        A task is taken from ``tasks`` only when a worker is free to start it."""
        tasks = iter(tasks)
        more = True
        while True:
            for i, w in enumerate(self.workers):
                if more and not w.busy:
                    try:
                        task = next(tasks)
                    except StopIteration:
                        more = False
                        break
                    self.workers[i] = self._start(w, task)
            busy = [w for w in self.workers if w.busy]
            if not busy:
                return
            ready = multiprocessing.connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for i, w in enumerate(self.workers):
                if w.busy and (w.conn in ready or w.process.sentinel in ready):
                    task, result = w.task, self._result(w)
                    w.busy, w.task = False, None
                    if isinstance(result, Died):
                        self.workers[i] = self._replace(w)
                    yield task, result

    def _start(self, w: _Worker, task) -> _Worker:
        try:
            w.conn.send(task)
        except OSError:                         # it died while idle: a new one takes the task
            w = self._replace(w)
            w.conn.send(task)
        w.task, w.busy = task, True
        return w

    def _result(self, w: _Worker):
        try:
            if w.conn.poll(0):
                return w.conn.recv()
        except Exception:                       # a message cut short: the worker died writing it
            pass
        w.process.join(STOP_SECONDS)
        return Died(w.process.exitcode)

    def _replace(self, w: _Worker) -> _Worker:
        _end(w)
        return _Worker(self.ctx, self.fn)

    def close(self) -> None:
        """Let the workers finish (they are idle) and wait for them."""
        for w in self.workers:
            with contextlib.suppress(OSError):
                w.conn.send(None)
        for w in self.workers:
            _end(w)

    def stop(self) -> None:
        """Terminate every worker (SIGTERM: a file being written is removed) and wait for them to end."""
        for w in self.workers:
            if w.process.is_alive():
                w.process.terminate()
        for w in self.workers:
            _end(w)


def _end(w: _Worker) -> None:
    w.process.join(STOP_SECONDS)
    if w.process.is_alive():
        w.process.kill()
        w.process.join()
    w.conn.close()


@contextlib.contextmanager
def _blocked() -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# ------------------------------------------------------------------ in the worker
def _serve(conn, fn: Callable) -> None:
    """A worker's life: its signals, its parent watched, then one task after another until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _leave)
    if hasattr(signal, "pthread_sigmask"):
        # the watcher thread starts with the signals blocked, so SIGTERM reaches this thread, whatever it is doing
        threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):             # the parent is gone
            return
        if task is None:
            return
        _task["busy"] = True
        try:
            result = fn(task)
            try:
                conn.send(result)
            except OSError:
                return
        finally:
            _task["busy"] = False
        if _task["stop"] is not None:
            raise SystemExit(128 + _task["stop"])


_task: dict = {"busy": False, "stop": None}


def _leave(signum, frame) -> None:
    if _task["busy"]:
        _task["stop"] = signum
        return
    raise SystemExit(128 + signum)


def _watch_parent(parent: int) -> None:
    """SIGTERM to this process once its parent is gone (it is then adopted by another), and a hard exit
    if the SIGTERM is not acted on."""
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(STOP_SECONDS)
    os._exit(1)
