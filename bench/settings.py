"""Settings for the benchmarks' web server: the development settings, served as in production, on a throw-away database.

bench/search_speed.py runs gunicorn with these (and its own process too). Differences from ``config.settings.local``:
DEBUG off (no query log, no debug pages, as in production); only 127.0.0.1 and localhost served; API throttling off,
because one client sending hundreds of requests a second is the point here, not an abuse; and ``bench.urls``, which
adds the constant view the search requests are compared with. The database is refused unless the environment names
a throw-away one (bench/setup_db.py sets it), so a benchmark can never write to the checkout's ``var/db.sqlite3``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings.local import *  # noqa: F403
from config.settings.local import CACHES, REST_FRAMEWORK, database_config

if not (os.environ.get("DATABASE_URL") or os.environ.get("DJANGO_VAR_DIR")):
    raise ImproperlyConfigured("bench.settings needs a throw-away database: set DATABASE_URL or DJANGO_VAR_DIR.")

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": database_config(os.environ.get("DATABASE_URL"))}
ROOT_URLCONF = "bench.urls"
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
# A prefix of the run's own, so that runs sharing a Redis server never read each other's cached search results.
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": os.environ.get("BENCH_CACHE_PREFIX", "")}}
