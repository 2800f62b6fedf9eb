from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "dhakira_web.archive"
    label = "archive"
    verbose_name = "Dhakira archive"

    def ready(self) -> None:
        from dhakira_web.archive.protection import identifiers, throttle  # noqa: F401  (random ids; login audit)
