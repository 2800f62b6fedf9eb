"""WSGI entry point of the Dhakira archive."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
application = get_wsgi_application()
