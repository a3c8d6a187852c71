"""Whoosh's multiprocess writer, made safe to stop: for building a whole index at once.

Analysis and segment writing are most of an indexing run, and Whoosh's
`MpWriter` spreads them over processes (each writes its own segment). As
shipped it is not safe to interrupt: `cancel()` does not reach its processes,
a failed process loses its documents silently, Ctrl-C prints a traceback per
process, and processes left behind by a killed indexer wait forever. Here:

- the parent cancels by terminating its processes, which are daemons (never
  outlive a normal exit) and end themselves when the parent dies (SIGKILL);
- they ignore SIGINT (the parent handles Ctrl-C and stops them);
- a process that fails keeps draining its queue (so the parent never blocks),
  sends its error home, and `commit` raises it: nothing is published;
- the parent never waits without a timeout: a process killed from outside
  (the OOM killer) may die holding the job queue's lock, so every wait on
  the queue or on a process checks that all processes are still well, and
  fails the build if not, before anything is committed.
"""

from __future__ import annotations

import gc
import os
import queue
import signal
import threading
import time
from multiprocessing import Queue
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask

from .errors import ArchiveError
from .segment_writer import TermSegmentWriter

BATCH = 100  # documents per job file handed to a process


class BulkWriteFailed(ArchiveError):
    """An indexing process failed; the documents it held are not in the index."""


def _exit_with_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(0.5)


class _Jobs:
    """The job queue, noting whether the end (None) has been taken from it."""

    def __init__(self, jobs: Any) -> None:
        self.jobs = jobs
        self.ended = False

    def get(self) -> Any:
        job = self.jobs.get()
        self.ended = self.ended or job is None
        return job


def _as_message(error: BaseException) -> OSError | str:
    if isinstance(error, OSError):
        return OSError(error.errno, error.strerror)  # picklable, and the CLI knows it
    return f"{type(error).__name__}: {error}"


class _Task(SubWriterTask):
    def __init__(self, *args: Any, errors: Any) -> None:
        super().__init__(*args)
        self.errors = errors
        self.daemon = True
        self.parent = os.getpid()

    def run(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        threading.Thread(target=_exit_with_parent, args=(self.parent,), daemon=True).start()
        jobs = _Jobs(self.jobqueue)
        self.jobqueue: Any = jobs
        try:
            self._write_segment(jobs)
        except BaseException as error:  # reported by the parent, without a traceback
            self.errors.put(_as_message(error))
            while not jobs.ended:  # take the rest, so the parent never waits on a full queue
                jobs.get()
            raise SystemExit(1) from None

    def _write_segment(self, jobs: _Jobs) -> None:
        """`SubWriterTask.run` for one segment per process, written by a
        `TermSegmentWriter` (the same files as Whoosh's writer, in less time).

        The cyclic garbage collector is off: the pool's millions of postings lists made
        each of its passes walk them all (a fifth of the process's time), and the writer
        makes no reference cycles to collect; the process ends with the segment."""
        gc.disable()
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = TermSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            job = jobs.get()
            if job is None:
                break
            self._process_file(*job)
        if not self.running:
            writer.cancel()
            return
        segment = writer._finalize_segment()
        self.resultqueue.put((None, writer.pool.fieldnames, segment), timeout=5)


class _GuardedJobs:
    """The parent's side of the job queue: a put that gives up when a process has failed."""

    def __init__(self, jobs: Any, writer: BulkWriter) -> None:
        self.jobs = jobs
        self.writer = writer

    def put(self, job: Any) -> None:
        while True:
            self.writer.check_processes()
            try:
                self.jobs.put(job, timeout=WAIT)
                return
            except queue.Full:
                continue


WAIT = 0.5  # seconds between health checks while the parent waits


class BulkWriter(MpWriter):
    """`MpWriter` with one segment per process, stoppable, and loud about failures."""

    def __init__(self, ix: Any, processes: int, **kwargs: Any) -> None:
        super().__init__(ix, procs=processes, batchsize=BATCH, multisegment=True, **kwargs)
        self.errors: Any = Queue()
        self.shared_jobs = self.jobqueue  # what the processes read
        self.jobqueue: Any = _GuardedJobs(self.shared_jobs, self)
        self._cancelled = False

    def check_processes(self) -> None:
        """Raise (after stopping the others) if a process has ended badly."""
        failed = [task.exitcode for task in self.tasks if task.exitcode not in (None, 0)]
        if not failed:
            return
        self.cancel()
        try:
            error = self.errors.get(timeout=1)
        except queue.Empty:
            error = f"an indexing process stopped (exit code {failed[0]})"
        if isinstance(error, OSError):
            raise error
        raise BulkWriteFailed(f"indexing failed: {error}")

    def _new_task(self) -> _Task:
        task = _Task(
            self.storage,
            self.indexname,
            self.shared_jobs,
            self.resultqueue,
            self.subargs,
            self.multisegment,
            errors=self.errors,
        )
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self) -> None:
        if self._cancelled:
            return
        self._cancelled = True
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(timeout=10)
        super(MpWriter, self).cancel()

    def commit(self, *args: Any, **kwargs: Any) -> None:
        try:
            if self._added_sub:
                # hand out the last documents and the end markers, and wait for every
                # process, checking on them, before Whoosh commits (it waits blindly);
                # the markers Whoosh then adds go unread
                if self.docbuffer:
                    self._enqueue()
                for _ in self.tasks:
                    self.jobqueue.put(None)
                for task in self.tasks:
                    while task.exitcode is None:
                        self.check_processes()
                        task.join(timeout=WAIT)
                self.check_processes()
            super().commit(*args, **kwargs)
        except BaseException:
            self.cancel()
            raise
