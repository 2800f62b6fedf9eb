"""Serving the archive: gunicorn worker processes in production, Django's development server with ``--dev``.

gunicorn is the WSGI server Django's deployment guide names first; whitenoise (a middleware in
settings) serves the static files from ``STATIC_ROOT``, collected here before the workers start, with
far-future cache headers and compressed copies. The application is loaded once in the master process
and the workers are forked from it (``preload_app``), so they share its memory; every database
connection opened while loading is closed before the fork, so that no worker inherits one.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    """gunicorn's advice, (2 × cores) + 1, unless ``DHAKIRA_WEB_WORKERS`` says otherwise."""
    configured = os.environ.get("DHAKIRA_WEB_WORKERS")
    return int(configured) if configured else 2 * (os.cpu_count() or 1) + 1


class ArchiveServer(BaseApplication):  # type: ignore[misc]
    """gunicorn running the Dhakira WSGI application with options given in Python (no config file read)."""

    def __init__(self, application: Any, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            if name in self.cfg.settings and value is not None:
                self.cfg.set(name, value)

    def load(self) -> Any:
        return self.application


def gunicorn_options(host: str, port: int, workers: int, *, threads: int = 1, timeout: int = 60) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "graceful_timeout": 20,
        "preload_app": True,
        "backlog": 2048,
        "max_requests": 5000,  # a worker is replaced after this many requests: memory stays bounded
        "max_requests_jitter": 500,
        "accesslog": os.environ.get("DHAKIRA_ACCESS_LOG") or None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "dhakira",
    }


def collect_static() -> None:
    """Copy the static files to ``STATIC_ROOT``, where whitenoise serves them (quietly, only what changed)."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def serve(host: str, port: int, *, workers: int | None = None, threads: int = 1, dev: bool = False) -> None:
    """Serve the archive (Django is set up already) until interrupted."""
    from django.core.management import call_command
    from django.db import connections

    if dev:
        call_command("runserver", f"{host}:{port}", use_reloader=False, insecure_serving=True, verbosity=1)
        return
    collect_static()
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    connections.close_all()  # no worker inherits the master's connection
    ArchiveServer(application, gunicorn_options(host, port, workers or default_workers(), threads=threads)).run()
