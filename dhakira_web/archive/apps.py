from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "dhakira_web.archive"
    label = "archive"
    verbose_name = "Dhakira archive"

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created

        from dhakira_web.archive.protection import identifiers, throttle  # noqa: F401  (random ids; login audit)
        from dhakira_web.archive.storage import register_sqlite_functions

        connection_created.connect(_functions_registered, dispatch_uid="dhakira-sqlite-functions")
        for opened in connections.all(initialized_only=True):  # a connection opened before (none, usually)
            register_sqlite_functions(opened)


def _functions_registered(sender: object, connection: object, **kwargs: object) -> None:
    """Every new connection of the archive gets the SQL functions its schema uses (``storage``)."""
    from dhakira_web.archive.storage import register_sqlite_functions

    register_sqlite_functions(connection)
