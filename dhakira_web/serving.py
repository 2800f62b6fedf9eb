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
    """One process per core and one more, unless ``DHAKIRA_WEB_WORKERS`` says otherwise: the pages are work for
    the processor, not waits on the network (gunicorn's 2 × cores + 1 served 171 requests/s against 200 for
    cores + 1 at 32 clients on two cores, docs/scale.md)."""
    configured = os.environ.get("DHAKIRA_WEB_WORKERS")
    return int(configured) if configured else (os.cpu_count() or 1) + 1


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


WARM_PAGES = ("/", "/search?q=%D8%B3%D8%AC%D9%86", "/search?q=prison", "/map", "/chronicle")


def warm_up(application: Any) -> None:
    """Load what every page needs (the knowledge base, templates, translations, the map) once, in the master.

    The forked workers then share it instead of each loading it on its first requests (seconds of
    work per worker). A page that fails here is only logged: the server starts all the same.
    """
    import io
    import logging

    from django.conf import settings

    from dhakira.knowledge import knowledge

    knowledge()
    host = next((name for name in settings.ALLOWED_HOSTS if name and "*" not in name and not name.startswith(".")), "localhost")
    for page in WARM_PAGES:
        path, _, query = page.partition("?")
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": host, "SERVER_PORT": "80",
                   "HTTP_HOST": host, "wsgi.input": io.BytesIO(), "wsgi.errors": io.StringIO(), "wsgi.url_scheme": "http",
                   "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False}
        try:
            for _ in application(environ, lambda status, headers, exc_info=None: None):
                pass
        except Exception as error:  # noqa: BLE001 - warming is an optimisation only
            logging.getLogger("dhakira.serving").warning("warming %s failed: %s", page, error)


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
    warm_up(application)
    connections.close_all()
    from django.core.cache import caches

    caches.close_all()  # nor the master's handle on the disk cache
    import gc

    gc.freeze()  # what the master loaded stays shared: the workers' collector never touches (and copies) it  # no worker inherits the master's connection
    ArchiveServer(application, gunicorn_options(host, port, workers or default_workers(), threads=threads)).run()
