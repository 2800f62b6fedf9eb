from tests.web.conftest import add_record, demo_archive  # noqa: F401 - the archive fixtures, shared
