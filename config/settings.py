"""TELEPATI settings: one module, driven by environment variables.

`TELEPATI_ENV` selects the mode: `development` (default: SQLite under var/, DEBUG on,
WhatsApp simulator) or `production` (refuses to start with unsafe values). Tests use
`config.settings_test`, which imports this module and overrides a few values.
Every variable is documented in `.env.example` and the README.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TELEPATI_VAR_DIR", str(BASE_DIR / "var")))

TELEPATI_ENV = env_str("TELEPATI_ENV", "development").strip().lower()
if TELEPATI_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"TELEPATI_ENV must be development, production or test, got {TELEPATI_ENV!r}"
    )
PRODUCTION = TELEPATI_ENV == "production"

# --- Core -------------------------------------------------------------------------------

DEV_SECRET_KEY = "django-insecure-telepati-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def _production_problems() -> list[str]:
    """What makes this configuration unsafe to serve the public with."""
    problems = []
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
        problems.append("SECRET_KEY must be set to a long random value")
    elif len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        problems.append("SECRET_KEY must be at least 50 characters with 5 distinct ones")
    if DEBUG:
        problems.append("DEBUG must be off")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the public host names")
    return problems


if PRODUCTION and (_problems := _production_problems()):
    raise ImproperlyConfigured(
        "TELEPATI_ENV=production refuses to start: " + "; ".join(_problems) + "."
    )

INSTALLED_APPS = [
    # django.contrib.admin with TELEPATI's default site (administrators need two factors).
    "telepati.backoffice.auth.admin_apps.TelepatiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "telepati.core",
    "telepati.org",
    "telepati.accounts",
    "telepati.citizens",
    "telepati.messaging",
    "telepati.reports",
    "telepati.documents",
    "telepati.appointments",
    "telepati.apikeys",
    "telepati.programs",
    "telepati.announcements",
    "telepati.open311",
    "telepati.api",
    "telepati.whatsapp",
    "telepati.backoffice",
    "telepati.backoffice.auth.apps.BackofficeAuthConfig",
    "telepati.web",
    "telepati.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "telepati.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor in this session.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session timeouts (needs the user and messages above).
    "telepati.backoffice.auth.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-axes: last, as its documentation asks (turns a lock-out into the lock-out page).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "telepati.web.context_processors.site",
                "telepati.backoffice.context_processors.backoffice",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# SQLite is the embedded default. WAL lets readers and a writer work at once; IMMEDIATE
# transactions take the write lock up front, so a web process and a task worker never
# fail on a lock upgrade ("database is locked"); the busy timeout makes writers queue.

SQLITE_PATH = VAR_DIR / "telepati.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: TELEPATI's queries read few rows through indexes, but a query with
    # several subqueries (the inbox's capped status counts, the dashboard's aggregates) has a
    # plan cost above `jit_above_cost`, and compiling it took 50-300 ms when running it
    # takes a few (docs/performance.md). DATABASE_PG_OPTIONS replaces this.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env_str(
        "DATABASE_PG_OPTIONS", "-c jit=off"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # sqlite3's `timeout` is the busy timeout; a PRAGMA here would override it.
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20),
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ATOMIC_REQUESTS = False

# --- Caches -----------------------------------------------------------------------------
# "default" is per process (small look-ups). "ratelimit" counts attempts for rate limits
# (django-ratelimit) and must be shared by every web process: the database by default
# (table created by `make migrate`), Redis when RATELIMIT_REDIS_URL is set.
_RATELIMIT_REDIS_URL = env_str("RATELIMIT_REDIS_URL", "")
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _RATELIMIT_REDIS_URL}
        if _RATELIMIT_REDIS_URL
        else {
            # Django's DatabaseCache reads then writes on incr; this one locks the row.
            "BACKEND": "telepati.core.cache.AtomicDatabaseCache",
            "LOCATION": "telepati_cache",
        }
    ),
}
RATELIMIT_USE_CACHE = "ratelimit"
# Behind a reverse proxy, the client address comes from X-Forwarded-For (set by the proxy).
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY", "REMOTE_ADDR")

# --- Auth -------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:home"
# django-axes first: it refuses a locked-out username+address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A session ends SESSION_COOKIE_AGE after sign-in whatever happens (absolute), or after
# TELEPATI_SESSION_IDLE_SECONDS without a request (idle); both are enforced by
# telepati.backoffice.auth.middleware, which marks the session at most once a minute.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE_SECONDS", 8 * 60 * 60)
TELEPATI_SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 60) * 60

# Lock-out after repeated failed passwords (django-axes, failures stored in the database).
# Locked is the pair username + client address: a whole kantor behind one shared address
# is not locked out because of one person's typos (or one attacker guessing one account),
# and a guesser moving between accounts from one address is locked on each of them.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries while locked do not restart the cool-off, so the wait the page shows stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The Indonesian lock-out page, with the minutes left to wait.
AXES_LOCKOUT_CALLABLE = "telepati.backoffice.auth.lockout.lockout_response"
# The client address: REMOTE_ADDR, or behind our proxy (TELEPATI_BEHIND_PROXY) the address
# the proxy appended to X-Forwarded-For (django-ipware is not used).
AXES_CLIENT_IP_CALLABLE = "telepati.backoffice.auth.lockout.client_ip"
# No start-up banner on stderr (failures and lock-outs are still logged).
AXES_VERBOSE = False

# Two-factor sign-in (django-otp, TOTP + one-time backup codes). Administrators and
# superusers must use it (back-office and admin site); other officers may. The code step
# locks after AXES_FAILURE_LIMIT wrong codes for AXES_COOLOFF_TIME, counted per user on the
# device, on top of django-otp's own growing delay between attempts.
TELEPATI_ADMIN_2FA_REQUIRED = True
OTP_TOTP_ISSUER = "TELEPATI"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Language and time ------------------------------------------------------------------

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- Static and media files -------------------------------------------------------------
# Third-party front-end assets are installed from the npm registry by `make assets` into
# var/vendor (never committed) and served locally like our own files.

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
VENDOR_DIR = VAR_DIR / "vendor"
STATICFILES_DIRS = [("vendor", VENDOR_DIR)] if VENDOR_DIR.is_dir() else []
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Background tasks -------------------------------------------------------------------
# Django's Tasks API (django-tasks backport). `database` runs on the django-tasks-db
# worker (`manage.py db_worker`); `rq` switches to Redis + RQ by settings alone.

TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    RQ_QUEUES = {"default": {"URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0")}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database, rq or immediate, got {TASKS_BACKEND!r}"
    )

# --- Security ---------------------------------------------------------------------------
# Production defaults are strict; the proxy switches exist for TLS terminated in front.

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
TELEPATI_BEHIND_PROXY = env_bool("TELEPATI_BEHIND_PROXY", default=False)
if TELEPATI_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", default=True)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

# --- Logging ----------------------------------------------------------------------------

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # httpx logs every request URL at INFO, media URLs with their signed query included.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

# --- TELEPATI ---------------------------------------------------------------------------

TELEPATI_SITE_NAME = env_str("TELEPATI_SITE_NAME", "TELEPATI Kecamatan Medan Amplas")
# Office hours used by the working-day calendar: "HH:MM-HH:MM", local time (WIB).
TELEPATI_OFFICE_HOURS = env_str("TELEPATI_OFFICE_HOURS", "08:00-16:00")
# Weekdays that are not working days (0 = Monday … 6 = Sunday).
TELEPATI_WEEKEND_DAYS = [int(d) for d in env_list("TELEPATI_WEEKEND_DAYS", ["5", "6"])]
# Demo accounts and data may only be loaded outside production.
TELEPATI_ALLOW_DEMO_DATA = env_bool("TELEPATI_ALLOW_DEMO_DATA", default=not PRODUCTION)

# --- Complaints (laporan) ---------------------------------------------------------------

# Tracking numbers read "<prefix><yymm>-<sequence>", e.g. L2611-0042.
TELEPATI_TRACKING_PREFIX = env_str("TELEPATI_TRACKING_PREFIX", "L")
# The kecamatan a report belongs to when a door cannot tell (one-kecamatan deployments).
TELEPATI_DEFAULT_KECAMATAN = env_str("TELEPATI_DEFAULT_KECAMATAN", "medan-amplas")
# Working days a reporter has to dispute a resolution before the report closes by itself.
TELEPATI_DISPUTE_WORKING_DAYS = env_int("TELEPATI_DISPUTE_WORKING_DAYS", 10)
# Duplicate suggestions: open reports of the same category this close and this recent.
TELEPATI_DUPLICATE_RADIUS_METERS = env_int("TELEPATI_DUPLICATE_RADIUS_METERS", 150)
TELEPATI_DUPLICATE_MAX_AGE_DAYS = env_int("TELEPATI_DUPLICATE_MAX_AGE_DAYS", 30)
# Uploads (photos and files attached to reports).
TELEPATI_UPLOAD_MAX_BYTES = env_int("TELEPATI_UPLOAD_MAX_MB", 10) * 1024 * 1024
TELEPATI_UPLOAD_MAX_FILES = env_int("TELEPATI_UPLOAD_MAX_FILES", 5)

# --- Periodic jobs ----------------------------------------------------------------------
# `manage.py run_scheduler` (started by `make run` and `make worker`) enqueues each task on
# its crontab ("minute hour day month weekday", WIB); the task worker runs it. The sweeps
# claim the rows they act on, so a second scheduler running by mistake does no harm.

TELEPATI_PERIODIC_TASKS: list[tuple[str, str]] = [
    # Escalate passed deadlines (verification, first response, resolution, dispositions).
    ("telepati.reports.tasks.sla_sweep", env_str("TELEPATI_SLA_SWEEP_CRON", "*/5 * * * *")),
    # Close resolved reports whose dispute window has ended.
    (
        "telepati.reports.tasks.sla_autoclose_sweep",
        env_str("TELEPATI_AUTOCLOSE_CRON", "*/15 * * * *"),
    ),
    # Re-queue WhatsApp webhook deliveries left unprocessed (e.g. a worker died mid-batch).
    (
        "telepati.whatsapp.tasks.webhook_resume_sweep",
        env_str("TELEPATI_WEBHOOK_RESUME_CRON", "*/10 * * * *"),
    ),
    # Outbox: queue again messages whose delivery job was lost or whose retry is due; fail
    # (never resend) messages stuck in "sending".
    (
        "telepati.messaging.tasks.outbox_sweep_task",
        env_str("TELEPATI_OUTBOX_SWEEP_CRON", "* * * * *"),
    ),
    # Announcements whose chunk job was lost go on sending (each chunk claims its rows).
    (
        "telepati.announcements.tasks.announcement_resume_sweep",
        env_str("TELEPATI_ANNOUNCEMENT_RESUME_CRON", "* * * * *"),
    ),
    # Temu cepat: reminders (16.00 the working day before; an hour before) and no-shows.
    (
        "telepati.appointments.tasks.reminders_sweep",
        env_str("TELEPATI_APPOINTMENT_REMINDERS_CRON", "*/5 * * * *"),
    ),
    (
        "telepati.appointments.tasks.no_show_sweep",
        env_str("TELEPATI_APPOINTMENT_NO_SHOW_CRON", "*/10 * * * *"),
    ),
    # Remind residents whose issued documents wait to be collected.
    (
        "telepati.documents.tasks.reminders_sweep",
        env_str("TELEPATI_DOCUMENT_REMINDER_CRON", "*/30 * * * *"),
    ),
    # Stored figures: the leaders' dashboard (current month of every area) and the public
    # statistics (unfiltered and per single filter); see telepati/reports/figures_store.py.
    (
        "telepati.reports.tasks_figures.dashboard_figures_refresh_task",
        env_str("TELEPATI_DASHBOARD_FIGURES_CRON", "*/10 * * * *"),
    ),
    (
        "telepati.reports.tasks_figures.public_statistics_refresh_task",
        env_str("TELEPATI_PUBLIC_STATISTICS_CRON", "*/30 * * * *"),
    ),
]
# The WA Center's public number (digits or +62…), for wa.me links on the web (e.g. the
# announcements opt-in page). Empty: the pages explain the steps without a link.
TELEPATI_WA_CENTER_NUMBER = env_str("TELEPATI_WA_CENTER_NUMBER", "")
# Uploaded files are served by /media/<name> after an access check. Behind nginx, name an
# internal location (e.g. "/protected-media/") and nginx sends the file (X-Accel-Redirect).
TELEPATI_MEDIA_ACCEL_REDIRECT = env_str("TELEPATI_MEDIA_ACCEL_REDIRECT", "")
# Open311: requests per minute from one address without an API key, and the contact shown
# in discovery.
TELEPATI_OPEN311_ANONYMOUS_RATE = env_str("TELEPATI_OPEN311_ANONYMOUS_RATE", "120/m")
TELEPATI_OPEN311_CONTACT = env_str("TELEPATI_OPEN311_CONTACT", "")
# REST API: requests per minute from one address without an API key.
TELEPATI_API_ANONYMOUS_RATE = env_str("TELEPATI_API_ANONYMOUS_RATE", "60/m")
# REST API at /api/v1/ (telepati.api): API-key authentication (Token or Bearer), JSON only,
# one error shape, limits per client (anonymous calls per address); drf-spectacular's schema.
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["telepati.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["telepati.api.permissions.ApiClientRequired"],
    "DEFAULT_THROTTLE_CLASSES": ["telepati.api.throttling.ApiRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "telepati.api.negotiation.JsonAlways",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "telepati.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "TELEPATI REST API",
    "DESCRIPTION": "Kategori, kelurahan, laporan warga dan status permohonan dokumen.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# Temu cepat web door: bookings per address; look-ups, cancels and reschedules per address;
# failed look-ups per booking code (django-ratelimit rates).
TELEPATI_BOOKING_IP_RATE = env_str("TELEPATI_BOOKING_IP_RATE", "5/h")
TELEPATI_BOOKING_LOOKUP_IP_RATE = env_str("TELEPATI_BOOKING_LOOKUP_IP_RATE", "20/10m")
TELEPATI_BOOKING_LOOKUP_CODE_RATE = env_str("TELEPATI_BOOKING_LOOKUP_CODE_RATE", "5/h")
# Pick-up reminders for issued documents: every N working days, at most M times.
TELEPATI_DOCUMENT_REMINDER_DAYS = env_int("TELEPATI_DOCUMENT_REMINDER_DAYS", 3)
TELEPATI_DOCUMENT_REMINDER_MAX = env_int("TELEPATI_DOCUMENT_REMINDER_MAX", 3)
# Public look-ups and pre-registrations on the web, per client address / per code
# (django-ratelimit rates, e.g. 10/10m).
TELEPATI_STATUS_CHECK_IP_RATE = env_str("TELEPATI_STATUS_CHECK_IP_RATE", "10/10m")
TELEPATI_STATUS_CHECK_CODE_RATE = env_str("TELEPATI_STATUS_CHECK_CODE_RATE", "5/h")
TELEPATI_PREREGISTER_IP_RATE = env_str("TELEPATI_PREREGISTER_IP_RATE", "5/h")
# Web reports per client address; report tracking look-ups per address and failed ones
# per report number.
TELEPATI_REPORT_WEB_IP_RATE = env_str("TELEPATI_REPORT_WEB_IP_RATE", "10/h")
TELEPATI_TRACK_IP_RATE = env_str("TELEPATI_TRACK_IP_RATE", "10/10m")
TELEPATI_TRACK_NUMBER_RATE = env_str("TELEPATI_TRACK_NUMBER_RATE", "5/h")
# A tick missed while the scheduler was down still runs (once) if at most this late.
TELEPATI_SCHEDULER_MISFIRE_GRACE_SECONDS = env_int("TELEPATI_SCHEDULER_MISFIRE_GRACE_SECONDS", 300)

# --- WhatsApp Cloud API -----------------------------------------------------------------
# The WA Center talks to Meta's Graph API. Without an access token the door runs on the
# simulator: nothing leaves the machine, and development signs webhooks with fixed values.

WHATSAPP_GRAPH_URL = env_str("WHATSAPP_GRAPH_URL", "https://graph.facebook.com")
WHATSAPP_API_VERSION = env_str("WHATSAPP_API_VERSION", "v25.0")
WHATSAPP_PHONE_NUMBER_ID = env_str("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_ACCESS_TOKEN = env_str("WHATSAPP_ACCESS_TOKEN", "")
_WHATSAPP_DEV_SECRETS = not PRODUCTION and not WHATSAPP_ACCESS_TOKEN
# Signs every webhook POST (X-Hub-Signature-256); never defaulted in production.
WHATSAPP_APP_SECRET = env_str(
    "WHATSAPP_APP_SECRET", "telepati-dev-app-secret" if _WHATSAPP_DEV_SECRETS else ""
)
# Answers Meta's GET verification handshake; never defaulted in production.
WHATSAPP_VERIFY_TOKEN = env_str(
    "WHATSAPP_VERIFY_TOKEN", "telepati-dev-verify-token" if _WHATSAPP_DEV_SECRETS else ""
)
# Messages per second one business number may send (Meta's default throughput is 80).
WHATSAPP_RATE_PER_SECOND = env_int("WHATSAPP_RATE_PER_SECOND", 80)
# How long a Graph API call may wait for an answer (connecting gives up after 5 s at most).
WHATSAPP_TIMEOUT_SECONDS = env_float("WHATSAPP_TIMEOUT_SECONDS", 15.0)

# --- WhatsApp simulator (development and demos only) ------------------------------------
# /simulator/ is a phone-chat page that posts signed webhooks to /whatsapp/webhook/ exactly
# as Meta would and shows the replies. Never on in production (a system check refuses it).
TELEPATI_SIMULATOR_ENABLED = env_bool("TELEPATI_SIMULATOR_ENABLED", default=DEBUG)
# Where the simulator's stand-in for the Graph API media endpoints is reached. Without an
# access token and without WHATSAPP_GRAPH_URL, the client's media lookups go there, so the
# bot downloads a simulated photo through the same code path as a real one.
TELEPATI_SIMULATOR_BASE_URL = env_str(
    "TELEPATI_SIMULATOR_BASE_URL", "http://127.0.0.1:8000/simulator/graph"
)
if TELEPATI_SIMULATOR_ENABLED and not WHATSAPP_ACCESS_TOKEN and not env_str("WHATSAPP_GRAPH_URL"):
    WHATSAPP_GRAPH_URL = TELEPATI_SIMULATOR_BASE_URL

# --- Outbox delivery --------------------------------------------------------------------
# auto: the WhatsApp Cloud API with an access token, else the local simulator; or force
# "whatsapp" / "simulator".
TELEPATI_MESSAGE_TRANSPORT = env_str("TELEPATI_MESSAGE_TRANSPORT", "auto")
# Transient failures (network, 5xx, rate limits) are retried with backoff this many times.
TELEPATI_OUTBOX_MAX_ATTEMPTS = env_int("TELEPATI_OUTBOX_MAX_ATTEMPTS", 8)
# Rows per delivery job and threads sending one batch (telepati.messaging.delivery).
TELEPATI_OUTBOX_BATCH = env_int("TELEPATI_OUTBOX_BATCH", 50)
TELEPATI_OUTBOX_SEND_THREADS = env_int("TELEPATI_OUTBOX_SEND_THREADS", 8)
# A message "sending" longer than this is failed as unknown_outcome (never resent by itself).
TELEPATI_OUTBOX_STUCK_MINUTES = env_int("TELEPATI_OUTBOX_STUCK_MINUTES", 10)
# Language code of the approved templates sent outside the 24-hour window.
WHATSAPP_TEMPLATE_LANGUAGE = env_str("WHATSAPP_TEMPLATE_LANGUAGE", "id")
# The approved template names as registered with Meta, when they differ from TELEPATI's own
# (laporan_diterima, status_laporan, laporan_selesai, pemberitahuan_petugas, dokumen_status
# [code, status], dokumen_terbit [name, document, code + quick replies "Ambil di kantor" /
# "Antar ke rumah"], janji_temu, and the announcement templates entered in the admin),
# written as "ours=theirs" pairs, e.g. "status_laporan=medan_amplas_status_v2".
WHATSAPP_TEMPLATE_NAMES: dict[str, str] = dict(
    pair.split("=", 1) for pair in env_list("WHATSAPP_TEMPLATE_NAMES") if "=" in pair
)
# Seconds between two messages to the same resident (Meta's pair rate limit, 131056).
WHATSAPP_RECIPIENT_INTERVAL_SECONDS = env_float("WHATSAPP_RECIPIENT_INTERVAL_SECONDS", 1.0)
