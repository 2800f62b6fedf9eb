"""``dhakira worker``: one process that pulls jobs from the archive's PostgreSQL queue and runs them, one at a time.

Extraction is CPU work and some of the archive's caches (the near-duplicate index, deferred credibility)
belong to the process, so a worker runs one job at a time and the archive scales by worker processes.

Run as many as the machines have cores, on as many machines as see the database and the archive
directory. Each worker writes a heartbeat every ``heartbeat`` seconds. A worker that was killed
(power cut, out of memory, ``kill -9``) stops beating, and its job stays "doing": every worker, when
it starts and then every ``heartbeat`` seconds, puts such a job back in the queue once its worker has
been silent for ``stalled_after`` seconds. A job that killed its worker ``MAX_STALLS`` times is
marked failed instead, so that one poisonous file cannot stop every worker in turn.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("dhakira.jobs")
MAX_STALLS = 3


@dataclass(frozen=True)
class WorkerSettings:
    queues: tuple[str, ...] | None = None  # None: every queue
    until_empty: bool = False
    heartbeat: float = 10.0
    stalled_after: float = 60.0
    name: str | None = None


async def requeue_stalled(app: Any, stalled_after: float) -> tuple[int, int]:
    """Put back in the queue the jobs of workers silent for ``stalled_after`` seconds; returns (requeued, failed)."""
    from procrastinate.jobs import Status

    requeued = failed = 0
    for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
        if job.attempts + 1 >= MAX_STALLS:
            log.error("job %s (%s) stopped its worker %d times; marked failed", job.id, job.call_string, job.attempts + 1)
            await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
            failed += 1
        else:
            log.warning("job %s (%s) was left by a worker that stopped; queued again", job.id, job.call_string)
            await app.job_manager.retry_job(job)
            requeued += 1
    return requeued, failed


async def _requeue_forever(app: Any, settings: WorkerSettings) -> None:
    while True:
        await asyncio.sleep(settings.heartbeat)
        try:
            await requeue_stalled(app, settings.stalled_after)
        except Exception:  # noqa: BLE001 - the sweep never stops the worker; it tries again next beat
            log.exception("could not look for stalled jobs")


async def _work(app: Any, settings: WorkerSettings) -> None:
    async with app.open_async():
        await requeue_stalled(app, settings.stalled_after)
        sweeper = None if settings.until_empty else asyncio.create_task(_requeue_forever(app, settings))
        options: dict[str, Any] = {
            "concurrency": 1, "wait": not settings.until_empty,
            "update_heartbeat_interval": settings.heartbeat, "stalled_worker_timeout": settings.stalled_after,
            "delete_jobs": "successful",
        }
        if settings.queues:
            options["queues"] = list(settings.queues)
        if settings.name:
            options["name"] = settings.name
        try:
            await app.run_worker_async(**options)
        finally:
            if sweeper is not None:
                sweeper.cancel()


def run_worker(settings: WorkerSettings) -> None:
    """Run jobs until stopped (SIGTERM or Ctrl-C: the running job is finished first), or until the queue is empty."""
    from procrastinate.contrib.django import app

    from dhakira.knowledge import knowledge
    from dhakira_web.archive.jobs.queue import require_queue

    require_queue()
    knowledge()  # loaded once, before the first job
    django_connector: Any = app.connector  # queries through Django's connection; a worker listens with its own
    with app.replace_connector(django_connector.get_worker_connector()):
        asyncio.run(_work(app, settings))
