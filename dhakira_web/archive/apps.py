from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "dhakira_web.archive"
    label = "archive"
    verbose_name = "Dhakira archive"
