"""Django settings of the Dhakira archive.

The archive lives in one directory (``DHAKIRA_ARCHIVE``, default ``var/archive``): the embedded
SQLite database, the content-addressed originals under ``blobs/`` and the quarantine. Set
``DHAKIRA_DATABASE_URL=postgresql://user@host:port/name`` to keep the database in PostgreSQL
instead; the originals stay in the archive directory.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

ARCHIVE_DIR = Path(os.environ.get("DHAKIRA_ARCHIVE", "var/archive")).resolve()
BLOB_DIR = ARCHIVE_DIR / "blobs"
QUARANTINE_DIR = ARCHIVE_DIR / "quarantine"


def _secret_key() -> str:
    if os.environ.get("DHAKIRA_SECRET_KEY"):
        return os.environ["DHAKIRA_SECRET_KEY"]
    key_file = ARCHIVE_DIR / "secret.key"
    try:
        return key_file.read_text().strip()
    except OSError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        ARCHIVE_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(key)
        key_file.chmod(0o600)
    except OSError:
        pass
    return key


def database_from_url(url: str) -> dict[str, object]:
    """Django database settings from ``postgresql://user:password@host:port/name``."""
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DHAKIRA_DATABASE_URL must be a postgresql:// URL, not {parsed.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "dhakira",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
    }


SECRET_KEY = _secret_key()
# ``dhakira check --deploy`` sets DHAKIRA_PRODUCTION: no debug, and only the hosts named in DHAKIRA_ALLOWED_HOSTS.
PRODUCTION = os.environ.get("DHAKIRA_PRODUCTION", "") == "1"
DEBUG = os.environ.get("DHAKIRA_DEBUG", "") == "1" and not PRODUCTION
ALLOWED_HOSTS = [host for host in os.environ.get("DHAKIRA_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver").split(",") if host]

SQLITE_PAGE_SIZE = 16384  # bytes a page of a new SQLite archive

if os.environ.get("DHAKIRA_DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DHAKIRA_DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(ARCHIVE_DIR / "archive.sqlite3"),
            # BEGIN IMMEDIATE: a writer waits for the lock when its transaction starts (up to the busy
            # timeout, in seconds) instead of failing when a read turns into a write (jobs/locking.py).
            # Pages of 16 KB for a new archive (an existing one keeps its own): a record's row of 2-3 KB fills a
            # 4 KB page alone, and long values spill into fewer overflow pages (docs/scale.md, "Disk").
            "OPTIONS": {"init_command": f"PRAGMA page_size={SQLITE_PAGE_SIZE}; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                        "timeout": int(os.environ.get("DHAKIRA_BUSY_TIMEOUT", "60")), "transaction_mode": "IMMEDIATE"},
        }
    }

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # its Swagger UI assets, served from here (never from a CDN)
    "axes",
    "dhakira_web.archive",
]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The job queue (``dhakira worker``, ``dhakira ingest --queue``) lives in PostgreSQL: procrastinate's
    # tables come with its migrations. SQLite archives have no queue (its SQL is PostgreSQL's own).
    INSTALLED_APPS.insert(INSTALLED_APPS.index("dhakira_web.archive"), "procrastinate.contrib.django")
PROCRASTINATE_IMPORT_PATHS = ["dhakira_web.archive.jobs.tasks"]
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = ""

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files in production (serving.py)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dhakira_web.archive.protection.tokens.ApiTokenMiddleware",
    "dhakira_web.archive.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dhakira_web.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
WSGI_APPLICATION = "dhakira_web.wsgi.application"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ar", "العربية")]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale", Path(__file__).resolve().parent / "archive" / "review" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = ARCHIVE_DIR / "static"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Hardening (docs/security.md): Argon2 passwords, throttled logins, a strict content security policy,
# and, behind a TLS proxy (DHAKIRA_HTTPS=1), HSTS, secure cookies and the HTTPS redirect.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "dhakira_web.archive.protection.throttle.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DHAKIRA_LOGIN_FAILURES", "10"))  # wrong passwords in a row, then locked out
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dhakira_web.archive.protection.throttle.locked_out"
AXES_VERBOSE = False
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"], "img-src": ["'self'", "data:"], "style-src": ["'self'"], "script-src": ["'self'"],
        "object-src": ["'none'"], "frame-ancestors": ["'none'"], "base-uri": ["'none'"], "form-action": ["'self'"],
    }
}
if os.environ.get("DHAKIRA_HTTPS", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "dhakira": {"handlers": ["console"], "level": os.environ.get("DHAKIRA_LOG_LEVEL", "WARNING")},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}
# Kept counts and pages (counts/kept.py) live in the archive's own disk cache, shared by all its web
# processes; keys carry the archive's generation, so nothing kept is served after a change. Deleted entries
# are overwritten (secure_delete); a safety removal clears the cache. A busy cache answers "not kept".
CACHES = {
    "default": {
        "BACKEND": "diskcache.DjangoCache",
        "LOCATION": str(ARCHIVE_DIR / "cache"),
        "TIMEOUT": 24 * 3600,
        "SHARDS": 4,
        "DATABASE_TIMEOUT": 0.5,
        "OPTIONS": {"size_limit": int(os.environ.get("DHAKIRA_CACHE_MB", "512")) * 2**20, "sqlite_secure_delete": 1},
    }
}
DHAKIRA_SEARCH_COUNT_LIMIT = int(os.environ.get("DHAKIRA_SEARCH_COUNT_LIMIT", "2000"))  # totals above it read "more than"
DHAKIRA_PUBLISH_REVIEWED_ONLY = os.environ.get("DHAKIRA_PUBLISH_REVIEWED_ONLY", "") == "1"  # anonymous visitors see published records only
