"""Writing files so that nothing is ever half-written, lost or detached: the one place that replaces a file.

:func:`replace_atomic` (and :func:`write_atomic`, :func:`write_text_atomic` on top of it) writes a
file the way a careful user would want it written:

* **beside the target, then renamed over it.**  The new content goes to a short hidden temporary
  ``.suanli-<hash>-<random>.part`` in the target's folder (``<hash>`` names the target, so a name
  of 255 bytes still has room), is flushed to disk (``fsync``), and is renamed over the target
  in one step; the folder is flushed after the rename.  An interrupted write leaves the old file
  (or none), never a torn one.
* **symlinks followed.**  A symbolic link is kept: the file it points to is the one replaced
  (:func:`resolve`).
* **mode and owner kept.**  The new file gets the mode of the file it replaces, and its owner and
  group where the user may set them; a new file gets the ``like`` file's mode, or the usual one.
* **regular files only.**  A device, a pipe or a folder at the path is refused, never replaced.
* **one writer at a time.**  The write holds the target's lock (:func:`locked`: ``fcntl.flock`` on
  ``.suanli-<hash>.lock`` beside it, removed afterwards).  Under the lock, temporaries left by an
  earlier writer that was killed (``kill -9``, a power cut) are removed.
* **interrupts clean up.**  Ctrl-C raises :class:`KeyboardInterrupt`; while a write is under way
  ``SIGTERM`` and ``SIGHUP`` raise :class:`Interrupted` (a ``KeyboardInterrupt``) where they would
  otherwise kill the process, so the temporary is removed either way.  The rename itself runs with
  those signals held back, so an interrupt lands either before it (nothing changed) or after it
  (the new file complete).
* **backups are unique.**  With ``backup_stamp`` the file being replaced is first copied to
  ``NAME.<stamp>.bak.EXT`` beside it (``-2``, ``-3`` ... when taken; never overwritten; shortened
  to fit the file-name limit), with its mode, owner and times; the copy is removed again if the
  write fails.

Refusals are :class:`FileError`: one line, exit status 2 on the command line.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from engine.errors import SuanliError, TextError

try:                                   # POSIX
    import fcntl
except ImportError:                    # pragma: no cover - Windows
    fcntl = None

__all__ = ["signals_held",
           "write_atomic", "write_text_atomic", "replace_atomic", "Replaced", "FileError", "FileInUseError",
           "Interrupted", "interruptible", "locked", "resolve", "check_writable", "check_not_open", "backup_name",
           "temporaries", "temporary_prefix", "lock_path", "TEMP_PREFIX"]

#: Every temporary and lock file written here starts with this (hidden on POSIX).
TEMP_PREFIX = ".suanli-"
NAME_MAX = 255
COPY_CHUNK = 1 << 20


class FileError(TextError, OSError):
    """A file that cannot be written as asked: the message says what and what to do."""

    def __init__(self, text: str, cause: OSError | None = None):
        super().__init__("file", text)
        if cause is not None:           # the system's reason stays readable: ENOSPC is a full disk
            self.errno, self.strerror, self.filename = cause.errno, cause.strerror, cause.filename


class FileInUseError(FileError):
    """Another suanli process is writing the same file."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived while a file was being written (``signum`` says which)."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


# ------------------------------------------------------------------ paths
def resolve(path: str | os.PathLike) -> Path:
    """The file a path stands for, every symbolic link followed (the link itself is kept);
    a path to a file that does not exist yet resolves to where it will be."""
    return Path(os.path.realpath(os.fspath(path)))


def _tag(target: Path) -> str:
    """A short name for a target, for its temporaries and its lock file (names of any length fit)."""
    return hashlib.sha256(os.fsencode(target.name)).hexdigest()[:12]


def temporary_prefix(path: str | os.PathLike) -> str:
    """How the names of ``path``'s temporaries begin (``.suanli-<hash>-``); they end in ``.part``."""
    return f"{TEMP_PREFIX}{_tag(resolve(path))}-"


def temporaries(path: str | os.PathLike) -> list[Path]:
    """The temporaries of ``path`` lying beside it (left by a writer that was killed, or under way)."""
    target = resolve(path)
    prefix = temporary_prefix(target)
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    return sorted(target.parent / n for n in names if n.startswith(prefix) and n.endswith(".part"))


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        return NAME_MAX


def backup_name(path: str | os.PathLike, stamp: str, n: int = 1) -> Path:
    """``NAME.<stamp>.bak.EXT`` beside ``path`` (``NAME.<stamp>.bak-<n>.EXT`` from ``n`` = 2), with NAME
    shortened where the whole would pass the folder's file-name limit."""
    p = Path(path)
    tail = f".{stamp}.bak{'' if n == 1 else f'-{n}'}{p.suffix}"
    room = _name_max(p.parent) - len(os.fsencode(tail))
    stem = os.fsencode(p.stem)
    if len(stem) > room:
        stem = stem[:max(room, 1)]
        stem = stem.decode("utf-8", "ignore").encode() if os.name != "nt" else stem
    return p.with_name(os.fsdecode(stem) + tail)


# ------------------------------------------------------------------ checks before a write
def check_writable(path: str | os.PathLike, force: bool = False, what: str = "") -> None:
    """Refuse to replace ``path`` when it is not a regular file, or when it is read-only and ``force`` is false.

    ``path`` is resolved first; a path where nothing exists yet passes.  ``what`` names it in the
    message (``--out``), the path by default.
    """
    target = resolve(path)
    shown = f"{what} {path}" if what else str(path)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FileError(f"cannot write {shown}: {exc.strerror or exc}", exc) from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a device, a pipe or a socket"
        raise FileError(f"refused {shown}: it is {kind}, not a regular file; give the path of a file")
    if force:
        return
    if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise FileError(f"refused {shown}: it is read-only; make it writable (chmod u+w, or untick Read-only), "
                        "or pass --force to replace it anyway")


#: The files Excel and LibreOffice keep beside a workbook while it is open.
def _owner_files(p: Path) -> list[Path]:
    return [p.with_name("~$" + p.name), p.with_name(f".~lock.{p.name}#")]


def check_not_open(path: str | os.PathLike, what: str = "") -> None:
    """Refuse a workbook that Excel (``~$BOOK.xlsx``) or LibreOffice (``.~lock.BOOK.xlsx#``) has open:
    their next save would overwrite what is written now.  Looked for beside the path and, for a
    symbolic link, beside the file it points to."""
    given = Path(path)
    shown = f"{what} {path}" if what else str(path)
    for p in dict.fromkeys([given, resolve(given)]):
        for owner in _owner_files(p):
            if os.path.lexists(owner):
                app = "Excel" if owner.name.startswith("~$") else "LibreOffice"
                raise FileError(f"refused {shown}: it is open in {app} ({owner.name} beside it); close it first, "
                                "or pass --force if no one has it open")


# ------------------------------------------------------------------ the lock
_held: dict[str, tuple[int, int]] = {}          # lock path -> (thread id, depth)
_held_guard = threading.Lock()


def lock_path(path: str | os.PathLike) -> Path:
    """The lock file of ``path`` (``.suanli-<hash>.lock`` beside the file it stands for)."""
    target = resolve(path)
    return target.parent / f"{TEMP_PREFIX}{_tag(target)}.lock"


@contextlib.contextmanager
def locked(path: str | os.PathLike, *, wait: bool = True) -> Iterator[Path]:
    """Hold the lock of ``path`` (resolved) for the block; yields the resolved path.

    The lock is ``fcntl.flock`` on ``.suanli-<hash>.lock`` beside the file, created for the block
    and removed after it (the kernel releases a lock whose process died; the file left behind is
    reused and removed by the next writer).  Taking it removes the temporaries of ``path`` left by
    a writer that was killed.  Re-entrant within a thread.  With ``wait`` false a lock another
    process (or thread) holds raises :class:`FileInUseError` at once.  While the file's folder does
    not exist there is nothing to lock (the write that makes the folder takes the lock).
    """
    target = resolve(path)
    lock = lock_path(target)
    key = str(lock)
    me = threading.get_ident()
    with _held_guard:
        owner = _held.get(key)
        if owner is not None and owner[0] == me:
            _held[key] = (me, owner[1] + 1)
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield target
        finally:
            with _held_guard:
                tid, depth = _held[key]
                _held[key] = (tid, depth - 1)
        return
    if not target.parent.is_dir():             # nothing can be writing into a folder that is not there yet
        yield target
        return
    fd = _acquire(lock, target, wait)
    with _held_guard:
        _held[key] = (me, 1)
    try:
        for stale in temporaries(target):      # under the lock, a temporary is one whose writer was killed
            with contextlib.suppress(OSError):
                stale.unlink()
        yield target
    finally:
        with _held_guard:
            del _held[key]
        _release(fd, lock)


def _acquire(lock: Path, target: Path, wait: bool) -> int:
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise FileError(f"cannot write {target}: {exc.strerror or exc} ({lock.name})", exc) from None
        try:
            _lock_fd(fd, wait)
        except BlockingIOError:
            os.close(fd)
            raise FileInUseError(f"refused {target}: it is in use by another suanli process writing it; wait for "
                                 "that to finish, then run again") from None
        except BaseException:
            os.close(fd)
            raise
        # the file may have been removed (and made anew) by the holder we waited for: lock the one there now
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(lock))
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _lock_fd(fd: int, wait: bool) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        return
    import msvcrt  # pragma: no cover - Windows

    while True:  # pragma: no cover - Windows
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return
        except OSError:
            if not wait:
                raise BlockingIOError(errno.EAGAIN, "locked") from None
            import time
            time.sleep(0.05)


def _release(fd: int, lock: Path) -> None:
    if fcntl is not None:
        with contextlib.suppress(OSError):
            lock.unlink()                         # still holding it: a waiter finds the file gone and retries
        os.close(fd)
    else:  # pragma: no cover - Windows: an open file cannot be removed
        os.close(fd)
        with contextlib.suppress(OSError):
            lock.unlink()


# ------------------------------------------------------------------ signals
_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))
_raising = threading.local()
_installed = 0
_installed_guard = threading.Lock()


def _raise_interrupted(signum, frame) -> None:
    if getattr(_raising, "done", False):    # a second signal while cleaning up: let the cleanup finish
        return
    _raising.done = True
    raise Interrupted(signum)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """For the block, SIGTERM and SIGHUP raise :class:`Interrupted` instead of killing the process outright,
    so that ``finally`` blocks remove what they would leave.  Only in the main thread, and only for a
    signal whose action is still the default (a program's own handler is left in charge)."""
    global _installed
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    with _installed_guard:
        _installed += 1
        if _installed == 1:
            _raising.done = False
            for sig in _SIGNALS:
                if signal.getsignal(sig) == signal.SIG_DFL:
                    previous[sig] = signal.signal(sig, _raise_interrupted)
    try:
        yield
    finally:
        with _installed_guard:
            _installed -= 1
            for sig, handler in previous.items():
                signal.signal(sig, handler)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C, TERM and HUP back for the block; the first one that came is delivered right after it.

    A signal mask cannot do this: Python runs its handlers in the main thread whichever thread the
    system delivered the signal to, and numpy's BLAS threads leave these signals unblocked.  So for the
    block each handler is swapped for one that only notes the signal (main thread only: Python runs
    handlers nowhere else; a signal that is ignored stays ignored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {}
    for sig in (signal.SIGINT, *_SIGNALS):
        handler = signal.getsignal(sig)
        if handler not in (signal.SIG_IGN, None):
            previous[sig] = signal.signal(sig, lambda signum, frame: noted.append(signum))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if noted:
            signal.raise_signal(noted[0])


# ------------------------------------------------------------------ writing
@dataclass(frozen=True)
class Replaced:
    """What :func:`replace_atomic` wrote: the file (symlinks resolved) and the backup of what it replaced."""

    path: Path
    backup: Path | None


def write_atomic(path: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call ``write(temp_path)`` to produce the file, then put it at ``path`` (see the module); returns
    the file written (``path`` with symlinks resolved)."""
    return replace_atomic(path, write).path


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))


def replace_atomic(path: str | os.PathLike, write: Callable[[Path], None], *, backup_stamp: str | None = None,
                   like: str | os.PathLike | None = None, expect: os.stat_result | None = None) -> Replaced:
    """Write a file with ``write(temp_path)`` and rename it over ``path`` (see the module).

    ``backup_stamp``: keep what ``path`` held as ``NAME.<stamp>.bak.EXT`` first (when it exists).
    ``like``: a file whose mode a *new* file takes (an existing one keeps its own).
    ``expect``: the ``os.stat`` of ``path`` when it was read; if the file there changed since
    (another program saved it), nothing is written and :class:`FileError` says so.
    """
    target = resolve(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileError(f"cannot write {path}: {exc.strerror or exc}", exc) from None
    with interruptible(), locked(target):
        check_writable(target, force=True)
        return _replace(target, write, backup_stamp, like, expect, shown=str(path))


def _replace(target: Path, write, backup_stamp, like, expect, shown: str) -> Replaced:
    prefix = temporary_prefix(target)
    made: list[Path] = []                  # temporaries and the backup: removed unless the rename happened
    committed = False
    try:
        try:
            tmp = _temporary(target, prefix, made)
        except OSError as exc:
            raise FileError(f"cannot write {shown}: {exc.strerror or exc}", exc) from None
        write(tmp)
        try:
            current = os.stat(target)
        except FileNotFoundError:
            current = None
        if expect is not None and (current is None or not _same_file(current, expect)):
            raise FileError(f"refused {shown}: it changed while it was being read (another program saved it); "
                            "nothing was written: run again")
        model = current if current is not None else (os.stat(like) if like is not None else None)
        _finish(tmp, model)
        backup = None
        if backup_stamp is not None and current is not None:
            backup = _backup(target, current, backup_stamp, prefix, made)
        with signals_held():
            os.replace(tmp, target)
            committed = True
        _sync_folder(target.parent)
        return Replaced(target, backup)
    except OSError as exc:
        if committed or isinstance(exc, SuanliError):
            raise
        raise FileError(f"cannot write {exc.filename or shown}: {exc.strerror or exc}", exc) from None
    finally:
        if not committed:
            for p in reversed(made):
                with contextlib.suppress(OSError):
                    p.unlink()


def _temporary(target: Path, prefix: str, made: list[Path]) -> Path:
    """A new empty temporary beside ``target``, recorded in ``made`` before any signal can land: an interrupt
    between creating it and recording it would leave it behind."""
    with signals_held():
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=target.parent)
        tmp = Path(tmp_name)
        made.append(tmp)
    os.close(fd)
    return tmp


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return os.path.samestat(a, b) and a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def _finish(tmp: Path, model: os.stat_result | None) -> None:
    """Mode and owner from ``model`` (or the usual mode), then the content flushed to disk."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        if model is not None:
            _own(fd, model)
            os.chmod(tmp, stat.S_IMODE(model.st_mode))
        else:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)       # mkstemp makes 0600; a new file gets the usual mode
        os.fsync(fd)
    finally:
        os.close(fd)


def _own(fd: int, model: os.stat_result) -> None:
    """The owner and group of ``model`` where the user may set them (the group alone, or neither)."""
    if not hasattr(os, "fchown"):  # pragma: no cover - Windows
        return
    st = os.fstat(fd)
    if (st.st_uid, st.st_gid) == (model.st_uid, model.st_gid):
        return
    for uid, gid in ((model.st_uid, model.st_gid), (-1, model.st_gid)):
        try:
            os.fchown(fd, uid, gid)
            return
        except PermissionError:
            continue


def _backup(target: Path, original: os.stat_result, stamp: str, prefix: str, made: list[Path]) -> Path:
    """A copy of ``target`` (checked to be the file read) under a name no file has, with its mode, owner and times."""
    tmp = _temporary(target, prefix, made)
    with open(tmp, "wb") as out, open(target, "rb") as src:
        if not _same_file(os.fstat(src.fileno()), original):
            raise FileError(f"refused {target}: it changed while it was being written; nothing was written: run again")
        shutil.copyfileobj(src, out, COPY_CHUNK)
        out.flush()
        _own(out.fileno(), original)
        os.chmod(tmp, stat.S_IMODE(original.st_mode))
        os.fsync(out.fileno())
    os.utime(tmp, ns=(original.st_atime_ns, original.st_mtime_ns))
    n = 1
    while True:
        candidate = backup_name(target, stamp, n)
        n += 1
        try:
            os.link(tmp, candidate)          # fails if the name is taken: a backup is never overwritten
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
                raise
            # a file system without hard links: skip taken names (the lock keeps other suanli writers out)
            if os.path.lexists(candidate):
                continue
            os.replace(tmp, candidate)
            made[made.index(tmp)] = candidate
            break
        made.append(candidate)
        tmp.unlink()
        made.remove(tmp)
        break
    _sync_folder(target.parent)
    return candidate


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename) to disk, where the system allows it."""
    if not hasattr(os, "O_DIRECTORY"):  # pragma: no cover - Windows
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
