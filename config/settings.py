"""Funnelboard settings: one file, driven by the environment.

Nothing set → embedded mode (SQLite, eager Celery, database cache).
``DATABASE_URL`` and ``REDIS_URL`` set → PostgreSQL (psycopg 3, pooled) and Redis.
``DJANGO_DEBUG=false`` switches on production hardening and demands ``DJANGO_SECRET_KEY``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    return int(raw) if raw else default


DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET_KEY = "django-insecure-funnelboard-development-key-not-for-production-use"
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=false")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
FUNNELBOARD_BASE_URL = env_str("FUNNELBOARD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", FUNNELBOARD_BASE_URL)

# Proxies whose X-Forwarded-For we believe (the /r/ redirect hashes the client address).
TRUSTED_PROXIES = env_list("FUNNELBOARD_TRUSTED_PROXIES", "")
FUNNELBOARD_PIXEL_RATE_PER_KEY = env_str("FUNNELBOARD_PIXEL_RATE_PER_KEY", "6000/min")
FUNNELBOARD_PIXEL_RATE_PER_IP = env_str("FUNNELBOARD_PIXEL_RATE_PER_IP", "120/min")

INSTALLED_APPS = [
    *[f"django.contrib.{name}" for name in (
        "admin", "auth", "contenttypes", "sessions", "messages", "staticfiles", "humanize",
    )],
    "rest_framework", "django_filters", "drf_spectacular", "drf_spectacular_sidecar",
    "django_htmx", "template_partials", "axes",
    "allauth", "allauth.account", "allauth.mfa", "csp",
    # The project's apps, in the order their data depends on each other.
    *["accounts", "influencers", "campaigns", "metrics", "reports", "content", "payouts", "portal"],
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.CurrentOrganizationMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.organization",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool replaces persistent connections (the two may not be combined).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 1, "max_size": env_int("FUNNELBOARD_DB_POOL_SIZE", 10), "timeout": 10}
    }
else:
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the page reader and the writers (pixel, redirect) work side by side.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "funnelboard_cache",
        }
    }

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Lay report PDFs out after each recompute of an active campaign (``reports.prewarm``): on
# with a worker, off in embedded mode, where tasks run inside the request that caused them.
FUNNELBOARD_PDF_PREWARM = env_bool("FUNNELBOARD_PDF_PREWARM", not CELERY_TASK_ALWAYS_EAGER)
# Task modules beyond each app's tasks.py (found by autodiscover_tasks).
CELERY_IMPORTS = ["metrics.tracking.tasks", "metrics.connectors.tasks"]
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# At-least-once delivery: a task is acknowledged only once it finished, and a task whose worker
# died is handed to another worker. Tasks are idempotent, so a redelivery is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 720
# Longer than the longest task (time limit) and any countdown, so Redis never redelivers a task
# that is still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

CELERY_BEAT_SCHEDULE = {
    # Recompute every active campaign once a night, after the day's data has arrived.
    "recompute-active-campaigns-nightly": {
        "task": "metrics.tasks.recompute_active_campaigns",
        "schedule": 24 * 60 * 60,
    },
    # Move buffered /r/ clicks from Redis into the database.
    "drain-click-buffer": {
        "task": "metrics.tasks.drain_click_buffer",
        "schedule": 2.0,
    },
    # Monthly partitions of the raw event tables, created months ahead (PostgreSQL only).
    "ensure-event-partitions": {
        "task": "metrics.tasks.ensure_event_partitions",
        "schedule": 24 * 60 * 60,
    },
    # Label comments that arrived without a sentiment score.
    "label-pending-comments": {
        "task": "metrics.tasks.label_pending_comments",
        "schedule": 60.0,
    },
    # Hourly: enqueue the connected accounts whose daily sync slot falls in the next hour, so
    # every account refreshes once a day and the platforms' quotas are spent evenly.
    "refresh-connected-accounts": {
        "task": "metrics.connectors.tasks.refresh_connected_accounts",
        "schedule": 60 * 60,
    },
    # Claim and send the campaign digests whose local hour has come: every 5 minutes, as that
    # hour is :30 or :45 past a UTC hour in some zones. A second beat is harmless.
    "send-due-digests": {
        "task": "reports.tasks.send_due_digests",
        "schedule": 5 * 60,
    },
}

# --- Platform connectors (metrics/connectors) --------------------------------------------------
# Fernet key(s) encrypting OAuth tokens at rest; comma-separated to rotate (first encrypts).
# Embedded/debug mode derives a development key from SECRET_KEY; production refuses to start.
FUNNELBOARD_TOKEN_KEY = env_str("FUNNELBOARD_TOKEN_KEY")
if not FUNNELBOARD_TOKEN_KEY and not DEBUG:
    raise ImproperlyConfigured("FUNNELBOARD_TOKEN_KEY must be set when DJANGO_DEBUG=false")
INSTAGRAM_APP_ID = env_str("INSTAGRAM_APP_ID")
INSTAGRAM_APP_SECRET = env_str("INSTAGRAM_APP_SECRET")
YOUTUBE_CLIENT_ID = env_str("YOUTUBE_CLIENT_ID")
YOUTUBE_CLIENT_SECRET = env_str("YOUTUBE_CLIENT_SECRET")
TIKTOK_CLIENT_KEY = env_str("TIKTOK_CLIENT_KEY")
TIKTOK_CLIENT_SECRET = env_str("TIKTOK_CLIENT_SECRET")

# Debounce window for KPI recomputes: a burst of writes inside it costs one recompute.
KPI_RECOMPUTE_COUNTDOWN = env_int("FUNNELBOARD_KPI_COUNTDOWN", 5)

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked-out name stops here
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",  # sign-in by e-mail address
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = len(TRUSTED_PROXIES)
# Failures count against the account, whether its username or its e-mail address was typed.
AXES_USERNAME_CALLABLE = "accounts.adapters.lockout_username"

# django-allauth: sign-in by username or e-mail address, password reset and change, e-mail
# addresses with verification, TOTP two-factor sign-in with recovery codes. Sign-up is closed
# except through an invitation link (accounts.adapters.AccountAdapter.is_open_for_signup).
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.forms.SignInForm",
    "add_email": "accounts.forms.AddEmailAddressForm",
    "reset_password": "accounts.forms.PasswordResetRequestForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# New addresses are verified before they can become the primary one; signing in never waits.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_SESSION_REMEMBER = True  # sessions last SESSION_COOKIE_AGE, as before allauth
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Funnelboard] "
# A reset asked for an unknown address sends nothing (allauth would invite to sign up, and
# sign-up here is by invitation only); the page answers the same either way.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Tell the person when their password, e-mail address or two-factor sign-in changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# django-axes is the one sign-in lockout (5 failures, the 429 page); allauth's own counter of
# failed sign-ins would answer first with a form error, so it is switched off.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
ALLAUTH_TRUSTED_PROXY_COUNT = len(TRUSTED_PROXIES)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Funnelboard"
# Accounts made before allauth have unverified addresses; they may still turn on two-factor
# sign-in (an owner may require it) and change their address afterwards. The risk this guards
# against — someone signing up with another person's address — needs an invitation here.
MFA_ALLOW_UNVERIFIED_EMAIL = True

# --- E-mail ---------------------------------------------------------------------------------
# Embedded mode prints messages to the console; real mode sends them over SMTP.
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("DATABASE_URL")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Funnelboard <funnelboard@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api_auth.IsOrganizationMember"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.StandardPagination",
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "config.schema.FunnelboardAutoSchema",
    "EXCEPTION_HANDLER": "config.api_errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api_auth.ActorRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"actor": env_str("FUNNELBOARD_API_RATE", "1200/min")},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Funnelboard API",
    "DESCRIPTION": "Campaigns, creators, tracking data and the nine influencer-marketing KPIs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Two choice sets share the field name ``kind``; name each so the schema is stable.
    "ENUM_NAME_OVERRIDES": {
        "LinkKindEnum": "campaigns.models.LinkKind",
        "EventKindEnum": "metrics.models.EventKind",
    },
}

# --- Internationalisation, static -----------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fa", "فارسی")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE, USE_I18N, USE_TZ = "UTC", True, True
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
# Front-end packages installed by `make` from package.json (git-ignored, never committed).
if (BASE_DIR / "node_modules").is_dir():
    STATICFILES_DIRS.append(("vendor", BASE_DIR / "node_modules"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024  # a 10,000-item bulk request fits
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
CSV_UPLOAD_MAX_BYTES = env_int("FUNNELBOARD_CSV_MAX_BYTES", 50 * 1024 * 1024)
CSV_UPLOAD_MAX_ROWS = env_int("FUNNELBOARD_CSV_MAX_ROWS", 200_000)

# --- Security -------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Load balancers probe over plain HTTP behind the TLS terminator; a 301 would read as "down".
# The probes carry no data and set no cookie, so answering them over HTTP leaks nothing.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("FUNNELBOARD_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}
