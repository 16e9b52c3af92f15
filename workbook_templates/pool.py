"""Worker processes that live and die with the main process, and SIGINT/SIGTERM as an exception.

:class:`Pool` runs a function over tasks in worker processes, taking each task from the caller
only when a worker has room for it (one in hand and one waiting), so that the caller decides and
records what is handed out when.  A worker
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
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

__all__ = ["Pool", "Died", "Signals", "Interrupted", "WATCH_SECONDS", "signal_name"]

#: How many tasks a worker is sent ahead of the one it is doing.
DEPTH = 2
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
        self.queue: deque = deque()            # the tasks sent to it, in order, whose results have not come


class Pool:
    """``size`` worker processes running ``fn`` (a module-level function: it may be pickled).

    Each worker is sent up to :data:`DEPTH` tasks ahead, so that it starts the next one without
    waiting for the main process to take the last one's result."""

    def __init__(self, fn: Callable, size: int):
        self.fn = fn
        self.ctx = multiprocessing.get_context()
        self.workers: list[_Worker] = []
        self._done: deque = deque()             # (task, result) pairs not yet handed back
        try:
            for _ in range(size):
                self.workers.append(_Worker(self.ctx, fn))
        except BaseException:
            self.stop()
            raise

    def imap(self, tasks: Iterable) -> Iterator[tuple[object, object]]:
        """``(task, result)`` pairs as workers finish, the result a :class:`Died` when the worker died
        with the task in hand (a task it had not started goes to the worker that replaces it).

        A task is taken from ``tasks`` only when a worker has room for it."""
        tasks = iter(tasks)
        more = True
        while True:
            for i in range(len(self.workers)):
                while more and len(self.workers[i].queue) < DEPTH:
                    try:
                        task = next(tasks)
                    except StopIteration:
                        more = False
                        break
                    self._send(i, task)
            while self._done:
                yield self._done.popleft()
            busy = [w for w in self.workers if w.queue]
            if not busy:
                return
            ready = multiprocessing.connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for i, w in enumerate(self.workers):
                if w.queue and (w.conn in ready or w.process.sentinel in ready):
                    self._collect(i, w.process.sentinel in ready)
            while self._done:
                yield self._done.popleft()

    def _send(self, i: int, task, fresh: bool = False) -> None:
        w = self.workers[i]
        try:
            w.conn.send(task)
        except OSError:                         # it has died
            if fresh:
                raise
            self._died(i, [task])
            return
        w.queue.append(task)

    def _collect(self, i: int, ended: bool) -> None:
        """The results a worker has sent; when it has ended, the task it had in hand as :class:`Died`."""
        w = self.workers[i]
        while w.queue:
            try:
                if not w.conn.poll(0):
                    break
                result = w.conn.recv()
            except Exception:                   # the end of the pipe, or a message cut short: it died
                ended = True
                break
            self._done.append((w.queue.popleft(), result))
        if ended:
            self._died(i)

    def _died(self, i: int, unsent: Iterable = ()) -> None:
        """Report a dead worker's task in hand; a new worker takes the tasks it had not started."""
        w = self.workers[i]
        w.process.join(STOP_SECONDS)
        if w.queue:
            self._done.append((w.queue.popleft(), Died(w.process.exitcode)))
        rest = [*w.queue, *unsent]
        _end(w)
        self.workers[i] = _Worker(self.ctx, self.fn)
        for task in rest:
            self._send(i, task, fresh=True)

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
