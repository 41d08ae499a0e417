"""Settings shared by every environment.

Values come from the environment with a ``DJANGO_`` prefix (``DATABASE_URL`` and ``CACHE_URL`` keep their usual
names). Nothing here reads another setting at import time of an app.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import overload

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


@overload
def env(name: str) -> str | None: ...
@overload
def env(name: str, default: str) -> str: ...
def env(name: str, default: str | None = None) -> str | None:
    # The overloads say that a setting with a default is always a str.
    return os.environ.get(f"DJANGO_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A developer's own machine (config.settings.local): lets seed_demo create its accounts with a published password.
LOCAL_DEVELOPMENT = False
SECRET_KEY = env("SECRET_KEY", "insecure-development-key-never-used-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "techex.core",
    "techex.accounts",
    "techex.reference",
    "techex.departments",
    "techex.organizations",
    "techex.listings",
    "techex.search",
    "techex.notifications",
    "techex.deals",
    "techex.matching",
    "techex.alerts",
    "techex.services",
    "techex.events",
    "techex.exchange",
    "techex.statistics",
    "techex.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "techex.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "techex.core.middleware.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Each writing request in one transaction, run again after a deadlock; after every process_exception middleware.
    "techex.core.transactions.RetryConflictsMiddleware",
    # Axes must be last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "techex.core.context_processors.operator",
                "techex.notifications.context_processors.unread_notifications",
            ],
        },
    },
]


def database_config(url: str | None) -> dj_database_url.DBConfig:
    """Build the default database from ``DATABASE_URL``; SQLite in ``var/`` when unset."""
    if not url:
        # The embedded default: a fresh checkout has no var/ yet.
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    # Connections are kept between requests on both databases: opening SQLite's anew for every request (and
    # running the PRAGMAs below) cost ~1 ms, more than a cached search answer (bench/search_speed.py).
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers proceed while one writer commits; IMMEDIATE avoids "database is locked" on upgrade
        # from a read to a write lock inside a transaction.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {"default": database_config(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes' lock-out per (account, address), with a slow-down per account on top (techex/accounts/lockout.py).
    "techex.accounts.lockout.SignInGuardBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"

# django-allauth: e-mail is the login; an address must be verified before the account can sign in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# allauth's rate limits (in the cache: CACHE_URL must be shared by every web node) guard what sends e-mail: the
# password reset (per client address and per address asked for) and sign-up (per client address; per e-mail address
# in techex/accounts/forms.py). Failed sign-ins are django-axes' job, so allauth's own login limits are off.
ACCOUNT_RATE_LIMITS = {
    "login": None,
    "login_failed": None,
    "reset_password": env("RATE_RESET_PASSWORD", "10/h/ip,3/h/key"),
    "signup": env("RATE_SIGNUP", "20/h/ip"),
    "signup_email": env("RATE_SIGNUP_EMAIL", "3/h/key"),
}
ACCOUNT_ADAPTER = "techex.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "techex.accounts.forms.SignupExtraForm"

# How many reverse proxies of ours stand in front of the site, each appending to X-Forwarded-For; 0 (the default):
# none, the header is ignored. Throttles, lock-out, rate limits and logs read the client's address through
# techex.core.client.client_address, which trusts the header only that far.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# django-axes: lock an (account, client address) pair out after repeated failures; never an account for everyone.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
# allauth passes the login as ``email=`` and the admin as ``username=``: read both (see the function).
AXES_USERNAME_CALLABLE = "techex.accounts.lockout.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "techex.core.client.client_address"
AXES_LOCKOUT_CALLABLE = "techex.accounts.lockout.lockout_response"
# A refused attempt (locked out or slowed down) is not another failure: it neither extends the lock nor the slow-down.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The slow-down per account: after this many failures within the cool-off, from any addresses, each attempt for the
# account waits this many seconds after the last failure (an attacker spread over many addresses gets one guess
# every few seconds; the owner is never locked out for 30 minutes by someone else).
SIGNIN_SLOWDOWN_AFTER = int(env("SIGNIN_SLOWDOWN_AFTER", "10"))
SIGNIN_SLOWDOWN_SECONDS = int(env("SIGNIN_SLOWDOWN_SECONDS", "5"))

# Content-Security-Policy (django-csp) on every page and API answer: scripts, styles, images and fonts from this site
# only, no inline script or style attribute (the few inline blocks left, such as Swagger UI's, carry the request's
# nonce), no plug-ins, no framing, forms post only here. tests/browser/test_csp_browser.py loads the pages under it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (techex.core.middleware.PermissionsPolicyMiddleware): no page uses these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Our catalogue first (it wins); then translations of allauth's messages, which ships no Vietnamese.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# Our vi/en formats (config/formats): numbers grouped in Vietnamese (1.332), English dates day first with the month
# in words (7 Dec 2026). Every integer a template prints is grouped, so an id written into HTML for a machine (an
# element id, a form value) goes through ``|unlocalize`` (tests/test_one_place.py checks the usual spots).
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files live outside the static root and are never served by the static handler: every download goes
# through a view that checks who may see it.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Search results are cached under the index's version (techex/search/cache.py); off only to measure without it.
SEARCH_CACHE = os.environ.get("DJANGO_SEARCH_CACHE", "on") != "off"
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith("redis"):
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Sàn giao dịch công nghệ <no-reply@localhost>")

REST_FRAMEWORK = {
    # The token first, so that a request without credentials is answered 401 with a challenge (core.api); partner
    # systems' keys next (techex/exchange, docs/exchange.md); the session last.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "techex.exchange.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "techex.exchange.api.throttling.AnonymousRateThrottle",
        "techex.exchange.api.throttling.ApiKeyRateThrottle",
        "techex.core.client.UserRateThrottle",
    ],
    # Our throttles ask techex.core.client; DRF's own reading of X-Forwarded-For agrees with it.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", "120/minute"),
        "user": env("API_USER_RATE", "600/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Technology exchange API",
    "DESCRIPTION": "Technology offers and needs, organisations and reference data of the technology exchange.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files are served from this site, not a CDN: the docs work on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Tags and operation ids from the resource ("listings_list"), not from the version prefix ("v1_listings_list").
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Query parameters as the API reads them (empty means not given), after spectacular's own enum hook.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "techex.core.api.truthful_query_parameters",
    ],
    # One name per choice set, whatever the field using it is called ("kind" is both a listing's and a file's).
    "ENUM_NAME_OVERRIDES": {
        "ListingKindEnum": "techex.listings.choices.ListingKind",
        "AttachmentKindEnum": "techex.listings.choices.AttachmentKind",
        "ListingStatusEnum": "techex.listings.choices.ListingStatus",
        "TransferFormEnum": "techex.listings.choices.TransferForm",
        "OrganizationTypeEnum": "techex.organizations.choices.OrganizationType",
        "StageEnum": "techex.listings.choices.Stage",
        "DealStageEnum": "techex.deals.choices.DealStage",
        "DealSideEnum": "techex.deals.choices.Side",
        "DealActionEnum": "techex.deals.api.serializers.API_ACTION_CHOICES",
        "ProposalStatusEnum": "techex.deals.choices.ProposalStatus",
        "NDAMethodEnum": "techex.deals.choices.NDAMethod",
        "NDAStatusEnum": "techex.deals.choices.NDAStatus",
        "ContractFormEnum": "techex.deals.choices.ContractForm",
        "TransferObjectEnum": "techex.deals.choices.TransferObject",
        "CrossBorderEnum": "techex.deals.choices.CrossBorder",
        "RegistrationStatusEnum": "techex.deals.choices.RegistrationStatus",
        "EventTypeEnum": "techex.events.choices.EventType",
        "EventStatusEnum": "techex.events.choices.EventStatus",
        "EventRegistrationStatusEnum": "techex.events.choices.RegistrationStatus",
        "EventRegistrationRoleEnum": "techex.events.choices.RegistrationRole",
    },
}

# The operator: the department that runs this exchange. Another province's department, or the national exchange,
# runs the same code with its own values.
TECHEX_OPERATOR = {
    "name": env("OPERATOR_NAME", "Sàn giao dịch công nghệ Cần Thơ"),
    "name_en": env("OPERATOR_NAME_EN", "Can Tho Technology Exchange"),
    "department": env("OPERATOR_DEPARTMENT", "Sở Khoa học và Công nghệ thành phố Cần Thơ"),
    "department_en": env("OPERATOR_DEPARTMENT_EN", "Can Tho Department of Science and Technology"),
    "code": env("OPERATOR_CODE", "CT"),
    "home_province_code": env("OPERATOR_PROVINCE_CODE", "92"),
    "region": env("OPERATOR_REGION", "Đồng bằng sông Cửu Long"),
    "region_en": env("OPERATOR_REGION_EN", "Mekong Delta"),
    "email": env("OPERATOR_EMAIL", "sangiaodich@cantho.example"),
    "phone": env("OPERATOR_PHONE", "0292 3820 000"),
    "address": env("OPERATOR_ADDRESS", "Cần Thơ"),
    "logo": env("OPERATOR_LOGO", "img/logo.svg"),
}
# The address of the site, for links in e-mails sent outside a request (notification e-mails, unsubscribe links).
SITE_URL = env("SITE_URL", "http://localhost:8000")
LISTING_VALIDITY_DAYS = int(env("LISTING_VALIDITY_DAYS", "365"))
LISTING_REMINDER_DAYS = int(env("LISTING_REMINDER_DAYS", "30"))
UPLOAD_MAX_BYTES = int(env("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# The key of the audit trail's signed checkpoints (docs/audit.md); empty: derived from SECRET_KEY (development only).
AUDIT_KEY = env("AUDIT_KEY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    # The audit trail's signed checkpoints go to the operator's log, to be kept outside the database.
    "loggers": {"techex.audit": {"level": "INFO"}},
}
