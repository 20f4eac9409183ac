"""Where a batch's jobs run: worker processes on this machine, or a Dask cluster.

Both take jobs lazily (so the parent holds only the files in flight, however large the
batch) and yield each outcome as it arrives.  A job never takes its executor down: a
worker that dies or overruns the time limit becomes that file's error and is replaced.

The local pool is our own rather than `concurrent.futures`: that one breaks for good when a
worker dies (a segfault in a PDF library, a kill by the out-of-memory killer) and cannot
stop a task that hangs.

A local worker's memory is capped by the kernel (RLIMIT_DATA: its heap and private mappings,
pages shared with the fork server included): past the cap an allocation fails, which Python
raises as MemoryError (the file's error) and a C library such as PDFium answers by aborting
(the worker dies; the file is a crash). Either way that file fails and the batch goes on,
and no input takes the machine's memory.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing as mp
import resource
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing import forkserver
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Protocol

from pipeline.batch.jobs import Job, Outcome, timeout_message
from pipeline.batch.settings import MEMORY

Work = Callable[[Job], Outcome]
GRACE = (2.0, 0.1)  # a worker is killed 2 s + 10 % past its file's time limit: time for the soft limit to act
RECYCLE = 500  # files after which a worker is replaced: its caches (spaCy's vocabulary) only grow


def run(job: Job) -> Outcome:
    """Process a job in this (worker) process.  The pipeline is imported here, not at the top:
    a worker has it loaded by the fork server, and the parent never needs it."""
    from pipeline.batch.worker import run_job

    return run_job(job)


class Executor(Protocol):
    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]: ...


def _serve(connection: Connection, work: Work, memory: int) -> None:
    """A worker's life: a job in, its outcome out, until told to stop or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    try:
        while (job := connection.recv()) is not None:
            try:
                outcome = work(job)
            except Exception as error:  # `run_job` catches its own; this is for any other `work`
                outcome = Outcome.failed(job.path, "internal", f"internal error ({type(error).__name__}: {error})")
            connection.send(outcome)
    except (EOFError, BrokenPipeError):
        pass  # the parent is gone


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    job: Job | None = None
    started: float = 0.0
    done: int = 0


class LocalPool:
    """Worker processes forked from a warm fork server: each starts with the pipeline loaded."""

    def __init__(self, workers: int, work: Work = run, recycle: int = RECYCLE, memory: int = MEMORY) -> None:
        self.size, self.work, self.recycle, self.memory = max(workers, 1), work, recycle, memory
        self.context = mp.get_context("forkserver")
        self.context.set_forkserver_preload(["pipeline.batch.preload"])
        self.started = False  # whether the fork server runs (started by `warm` or the first worker)

    def warm(self) -> None:
        """Start the fork server now: it loads the pipeline (seconds) while the caller goes on,
        and the first worker forks as soon as it is ready."""
        forkserver.ensure_running()
        self.started = True

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child, self.work, self.memory), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        pending = iter(jobs)
        first = next(pending, None)
        if first is None:
            return  # nothing to do: no fork server, no workers
        pending = itertools.chain([first], pending)

        def feed(worker: _Worker) -> None:
            if (job := next(pending, None)) is not None:
                self._give(worker, job)

        workers = [self._start() for _ in range(self.size)]
        self.started = True
        try:
            for worker in workers:
                feed(worker)
            while busy := [w for w in workers if w.job is not None]:
                wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout=1.0)
                for index, worker in enumerate(workers):
                    if worker.job is None or (outcome := self._collect(worker)) is None:
                        continue
                    if outcome.error_kind in ("crash", "timeout") or worker.done >= self.recycle:
                        self._stop(worker)
                        worker = workers[index] = self._start()
                    feed(worker)  # the worker's next file goes out before this outcome is handled
                    yield outcome
        finally:
            for worker in workers:
                self._stop(worker)

    def _give(self, worker: _Worker, job: Job) -> None:
        worker.job, worker.started = job, time.monotonic()
        worker.connection.send(job)

    def _collect(self, worker: _Worker) -> Outcome | None:
        """The worker's outcome if it has one; a crash or a timeout if it died or overran."""
        job = worker.job
        assert job is not None
        elapsed = time.monotonic() - worker.started
        outcome: Outcome | None = None
        try:
            if worker.connection.poll():
                outcome = worker.connection.recv()
                worker.done += 1
        except (EOFError, OSError):
            pass
        if outcome is None and not worker.process.is_alive():
            outcome = Outcome.failed(job.path, "crash", _death(worker.process.exitcode), elapsed)
        elif outcome is None and _overdue(job, elapsed):
            outcome = Outcome.failed(job.path, "timeout", timeout_message(job.time_limit), elapsed)
        if outcome is not None:
            worker.job = None
        return outcome

    @staticmethod
    def _stop(worker: _Worker) -> None:
        if worker.process.is_alive() and worker.job is None:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
            worker.process.join(timeout=2)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.connection.close()


def _overdue(job: Job, elapsed: float) -> bool:
    fixed, share = GRACE
    return elapsed > job.time_limit * (1 + share) + fixed


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        return f"the worker process died ({name}) while reading this file"
    return f"the worker process exited (code {exitcode}) while reading this file"


class DaskPool:
    """The jobs on a Dask distributed cluster.  A Dask worker runs jobs in threads, where no
    signal can stop one: a job past its time limit is reported and abandoned, and the
    cluster's own nanny deals with the thread."""

    def __init__(self, scheduler: str, work: Work = run) -> None:
        self.scheduler, self.work = scheduler, work

    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        from distributed import Client, Future
        from distributed import wait as dask_wait

        with Client(self.scheduler) as client:
            capacity = 2 * max(sum(client.nthreads().values()), 1)
            pending: Iterator[Job] | None = iter(jobs)
            running: dict[Future[Outcome], tuple[Job, float]] = {}
            while True:
                while pending is not None and len(running) < capacity:
                    job = next(pending, None)
                    if job is None:
                        pending = None
                    else:
                        running[client.submit(self.work, job, pure=False)] = (job, time.monotonic())
                if not running:
                    return
                with contextlib.suppress(TimeoutError):
                    dask_wait(list(running), timeout=1.0, return_when="FIRST_COMPLETED")
                for future in list(running):
                    job, started = running[future]
                    elapsed = time.monotonic() - started
                    if future.status == "finished":
                        outcome = future.result()
                    elif future.status in ("error", "cancelled", "lost"):
                        reason = repr(future.exception()) if future.status == "error" else future.status
                        outcome = Outcome.failed(job.path, "crash", f"the Dask task failed: {reason}", elapsed)
                    elif _overdue(job, elapsed):
                        future.cancel()
                        outcome = Outcome.failed(job.path, "timeout", timeout_message(job.time_limit), elapsed)
                    else:
                        continue
                    del running[future]
                    yield outcome
