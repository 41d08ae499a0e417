"""Development on one machine: SQLite, console e-mail, the site's own error pages.

DEBUG is off by default, so a mistyped URL gets the site's 404 page (in Vietnamese) and a crash its 500 page, as a
visitor of the real site would see them, instead of Django's technical pages that list every URL pattern in
English. What DEBUG gave for comfort is kept without it: static files are served from the apps' folders as they are
edited (WhiteNoise's finders, no collectstatic), tracebacks still print on the console (the root logger in base),
and ``seed_demo`` still runs (LOCAL_DEVELOPMENT). ``DJANGO_DEBUG=1 make run`` brings the technical pages back.
"""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", False)
LOCAL_DEVELOPMENT = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
