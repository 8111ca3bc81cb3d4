"""Settings of the helpdesk example: one app, PostgreSQL from the PG* variables."""
import os

SECRET_KEY = "example-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "UTC"
ROOT_URLCONF = "helpdesk_site.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = ["helpdesk"]
# Requests under /api/ carry sqlcommenter tags; the rest of the site does not (yet).
MIDDLEWARE = ["helpdesk_site.sqlcommenter.SqlCommenterMiddleware"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("HELPDESK_DB", "helpdesk"),
        "HOST": os.environ.get("PGHOST", ""),
        "PORT": os.environ.get("PGPORT", ""),
        "USER": os.environ.get("PGUSER", "postgres"),
        # Each worker thread keeps its connection across requests, as a
        # threaded gunicorn worker does: one server session serves many requests.
        "CONN_MAX_AGE": None,
        "OPTIONS": {"application_name": "helpdesk"},
    }
}
