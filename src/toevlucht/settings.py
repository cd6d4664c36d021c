"""Django settings for Toevlucht (the case-management shell around toevlucht.law).

Configuration comes from the environment:

* ``DATABASE_URL`` — default SQLite in ``$TOEVLUCHT_VAR`` (``./var``), WAL mode;
* ``DJANGO_DEBUG`` (``1``), ``DJANGO_SECURE`` (``1``: HTTPS-only cookies, HSTS, redirect);
* ``DJANGO_SECRET_KEY`` — required unless DEBUG or the demo sets one in ``var/``;
* ``DJANGO_ALLOWED_HOSTS`` — comma separated;
* ``TOEVLUCHT_AS_OF`` — a fixed "today" (the demo runs in spring 2022).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
# Runtime files (SQLite database, secret key, demo logins, audit checkpoint): the checkout's
# var/ when run from a source checkout, else ./var, unless TOEVLUCHT_VAR says otherwise.
_CHECKOUT = BASE_DIR.parent.parent
_DEFAULT_VAR = _CHECKOUT / "var" if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd() / "var"
VAR_DIR = Path(os.environ.get("TOEVLUCHT_VAR", _DEFAULT_VAR)).resolve()

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
_secret = os.environ.get("DJANGO_SECRET_KEY", "")
if not _secret and os.environ.get("DJANGO_SECURE") == "1":
    from django.core.exceptions import ImproperlyConfigured

    # several application servers must share one key; a generated file would differ per host
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production (DJANGO_SECURE=1)")
if not _secret:
    # Development, tests and the demo: a random key per checkout, in var/ (ignored by git),
    # created once (O_EXCL: concurrent first starts agree on one key) and readable by the
    # owner only from its first byte.
    import secrets

    key_file = VAR_DIR / "secret_key"
    VAR_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    for _ in range(100):  # another process may have created the file but not written it yet
        _secret = key_file.read_text().strip()
        if _secret:
            break
        import time

        time.sleep(0.01)
SECRET_KEY = _secret
ALLOWED_HOSTS = [
    h
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "toevlucht.accounts",
    "toevlucht.audit",
    "toevlucht.cases",
    "toevlucht.measures",
    "toevlucht.web",
    "toevlucht.api",
    "toevlucht.portal",
    "toevlucht.letters",
    "toevlucht.reminders",
    "toevlucht.analysis",
    "toevlucht.forecasts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "toevlucht.urls"
WSGI_APPLICATION = "toevlucht.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'toevlucht.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Connections are kept (60 s) as with PostgreSQL: closing the last one of a WAL database
    # checkpoints it, and each new one reads the schema again (5-10 ms of every request).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # A file (WAL does not apply in memory), one per test run: several runs in one checkout
    # (people, CI, helpers) would otherwise create and delete each other's test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test_db.{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "toevlucht.accounts.passwords.VarietyValidator"},  # aaaaaaaaaaaa passed the above
    {"NAME": "toevlucht.accounts.passwords.ApplicantPassphraseValidator"},
]
# Failed sign-ins: per (user name, client address), growing delays (accounts/throttle.py).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = "toevlucht.accounts.throttle.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "toevlucht.accounts.throttle.client_address"
# The reverse proxies in front of the app (addresses or networks, comma separated): only
# from them is X-Forwarded-For believed (docs/operations.md).
TOEVLUCHT_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("TOEVLUCHT_TRUSTED_PROXIES", "").split(",") if p.strip()
]
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("nl", "Nederlands"), ("ru", "Русский"), ("uk", "Українська")]
# Each app's catalogues are in its own locale/ folder; the privacy module is no app, so its
# folder is named here.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "privacy" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# whitenoise warns (an error under the tests' -W error) when STATIC_ROOT does not exist yet,
# as on a fresh checkout before any collectstatic
with contextlib.suppress(OSError):  # read-only deployment: collectstatic made it, or warned
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated request gets 401 with WWW-Authenticate: Token.
        "toevlucht.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["toevlucht.api.permissions.IsActiveUser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["toevlucht.api.parsers.JSONParser"],  # with a depth limit
    "DEFAULT_PAGINATION_CLASS": "toevlucht.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "toevlucht.api.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "toevlucht.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Toevlucht API",
    "DESCRIPTION": (
        "Cases, procedure events, deadlines with their legal explanation, policy measures and "
        "placements of the Dutch asylum procedure. Token authentication "
        "(`Authorization: Token <key>`); errors are RFC 9457 problem documents. See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "toevlucht.api.schema.postprocess",
    ],
    # api/urls.py's "id" converter: 1 to 18 digits.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    "ENUM_NAME_OVERRIDES": {
        "ApplicationKindEnum": "toevlucht.cases.models.Application.Kind",
        "EventKindEnum": "toevlucht.law.EventKind",
        "ProcedureEnum": "toevlucht.law.model.PROCEDURE_VALUES",
        "AprProcedureEnum": "toevlucht.law.model.APR_PROCEDURE_VALUES",
    },
    # Swagger UI's files: bundled (drf-spectacular-sidecar, served as our own static files,
    # so /api/docs/ works offline); TOEVLUCHT_SWAGGER_UI_DIST may name a CDN instead, whose
    # origin the docs page's CSP then admits, and no other.
    "SWAGGER_UI_DIST": os.environ.get("TOEVLUCHT_SWAGGER_UI_DIST", "SIDECAR"),
    "SWAGGER_UI_FAVICON_HREF": (
        os.environ["TOEVLUCHT_SWAGGER_UI_DIST"] + "/favicon-32x32.png"
        if os.environ.get("TOEVLUCHT_SWAGGER_UI_DIST")
        else "SIDECAR"
    ),
}
# E-mail (reminders): DJANGO_EMAIL_BACKEND and, as JSON, DJANGO_EMAIL_OPTIONS (e.g.
# {"host": "smtp.example.org", "port": 587, "use_tls": true}). Without them: SMTP in production
# (DJANGO_SECURE=1), the console in development and the demo.
_MAIL_DEFAULT = (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("DJANGO_SECURE") == "1"
    else "django.core.mail.backends.console.EmailBackend"
)
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_EMAIL_BACKEND", _MAIL_DEFAULT),
        "OPTIONS": json.loads(os.environ.get("DJANGO_EMAIL_OPTIONS", "{}")),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "toevlucht@localhost")
# The site's public address, for links in e-mails (reminders): e.g. https://toevlucht.example.
TOEVLUCHT_BASE_URL = os.environ.get("TOEVLUCHT_BASE_URL", "http://127.0.0.1:8000")
# Reminders: how many working days (law.legal_calendar) before a deadline to send one.
TOEVLUCHT_REMINDER_WORKING_DAYS = int(os.environ.get("TOEVLUCHT_REMINDER_WORKING_DAYS", "5"))
# Seconds an API list's count is cached (0: count on every request).
TOEVLUCHT_API_COUNT_CACHE_SECONDS = int(os.environ.get("TOEVLUCHT_API_COUNT_CACHE_SECONDS", "30"))
# Legal aid's mandate requests naming a V-number on no record, per user and hour, before
# the API answers 429 (docs/api.md, "Asking for a mandate by V-number").
TOEVLUCHT_MANDATE_REQUEST_MISSES = int(os.environ.get("TOEVLUCHT_MANDATE_REQUEST_MISSES", "10"))
# Seconds between two runs of the periodic reminder task (it re-enqueues itself).
TOEVLUCHT_REMINDER_INTERVAL = int(os.environ.get("TOEVLUCHT_REMINDER_INTERVAL", "3600"))


# Case forecasts (toevlucht.forecasts, docs/forecasts.md).
def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


# the window before the day whose exits set each queue's pace (weeks)
TOEVLUCHT_FORECAST_WINDOW_WEEKS = _env_int("TOEVLUCHT_FORECAST_WINDOW_WEEKS", 13)
TOEVLUCHT_FORECAST_REPLICATIONS = _env_int("TOEVLUCHT_FORECAST_REPLICATIONS", 200)
TOEVLUCHT_FORECAST_HORIZON_DAYS = _env_int("TOEVLUCHT_FORECAST_HORIZON_DAYS", 1095)
# a decision within this many days of entering the decision queue is on the fast path
TOEVLUCHT_FORECAST_FAST_DAYS = _env_int("TOEVLUCHT_FORECAST_FAST_DAYS", 14)
# cases of one nationality for a nationality group of its own (else "other")
TOEVLUCHT_FORECAST_MIN_GROUP = _env_int("TOEVLUCHT_FORECAST_MIN_GROUP", 50)
# the backtest's gate: the share of outcomes inside the p10-p90 band, and how many outcomes
TOEVLUCHT_FORECAST_MIN_COVERAGE = float(os.environ.get("TOEVLUCHT_FORECAST_MIN_COVERAGE", "0.7"))
TOEVLUCHT_FORECAST_MIN_OUTCOMES = _env_int("TOEVLUCHT_FORECAST_MIN_OUTCOMES", 20)
# the periodic task renews the backtest when the latest is this many case-clock days old
TOEVLUCHT_BACKTEST_EVERY_DAYS = _env_int("TOEVLUCHT_BACKTEST_EVERY_DAYS", 7)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
if os.environ.get("DJANGO_SECURE") == "1":
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Where the audit log's checkpoint lives: outside the database, so a truncated log shows.
TOEVLUCHT_AUDIT_CHECKPOINT = Path(
    os.environ.get("TOEVLUCHT_AUDIT_CHECKPOINT", VAR_DIR / "audit-checkpoint.json")
)
# The key of the hash chains (the audit log and the procedure events) and of the checkpoint's
# signature. Hold it outside the database and away from those who administer it (a secret
# store, the service's environment): without it a database writer cannot forge a row that
# verifies (docs/operations.md). Required in production; elsewhere derived from SECRET_KEY.
TOEVLUCHT_AUDIT_KEY = os.environ.get("TOEVLUCHT_AUDIT_KEY", "")
if not TOEVLUCHT_AUDIT_KEY and os.environ.get("DJANGO_SECURE") == "1":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TOEVLUCHT_AUDIT_KEY must be set in production (DJANGO_SECURE=1)")
if not TOEVLUCHT_AUDIT_KEY:
    import hashlib
    import hmac

    TOEVLUCHT_AUDIT_KEY = hmac.new(
        SECRET_KEY.encode(), b"toevlucht audit chain", hashlib.sha256
    ).hexdigest()
# Retired chain keys, separated by white space or commas: they verify the rows they sealed
# before ``toevlucht audit rotate`` handed the chains over to TOEVLUCHT_AUDIT_KEY, and seal
# nothing (docs/operations.md, "Rotating the audit key").
TOEVLUCHT_AUDIT_KEYS_OLD = [
    k for k in os.environ.get("TOEVLUCHT_AUDIT_KEYS_OLD", "").replace(",", " ").split() if k
]
# Forecasts (analysis): a run whose estimated memory or time (sim.cost) is past the budget is
# refused on the form; the task worker runs each one in a child process under the limits
# and ends it as failed past them; each user has at most so many runs queued or running.
TOEVLUCHT_FORECAST_BUDGET_MB = int(os.environ.get("TOEVLUCHT_FORECAST_BUDGET_MB", "4096"))
TOEVLUCHT_FORECAST_BUDGET_SECONDS = int(os.environ.get("TOEVLUCHT_FORECAST_BUDGET_SECONDS", "1800"))
TOEVLUCHT_FORECAST_LIMIT_MB = int(os.environ.get("TOEVLUCHT_FORECAST_LIMIT_MB", "6144"))
TOEVLUCHT_FORECAST_LIMIT_SECONDS = int(os.environ.get("TOEVLUCHT_FORECAST_LIMIT_SECONDS", "3600"))
TOEVLUCHT_FORECAST_QUEUE_PER_USER = int(os.environ.get("TOEVLUCHT_FORECAST_QUEUE_PER_USER", "2"))
# Days an API token works after it was made (api/authentication.py).
TOEVLUCHT_API_TOKEN_DAYS = int(os.environ.get("TOEVLUCHT_API_TOKEN_DAYS", "90"))
# A fixed "today" (ISO date) for the demo; empty: the real date in Amsterdam. Without the
# variable, a demo's folder gives its own (``toevlucht demo`` writes var/demo-as-of), so that
# the commands run on the demo's data (export-subject, retention, reminders) keep its clock.
_DEMO_AS_OF = VAR_DIR / "demo-as-of"
TOEVLUCHT_AS_OF = os.environ.get("TOEVLUCHT_AS_OF", "") or (
    _DEMO_AS_OF.read_text(encoding="utf-8").strip() if _DEMO_AS_OF.is_file() else ""
)
# Years after the final decision until personal data is due for deletion (retention).
# Days after the asylum request with no registration interview before the work queue flags
# the case (the story's five weeks). Not law: a setting; `toevlucht refresh --all` applies a
# change to every case.
TOEVLUCHT_REGISTRATION_INTERVIEW_ALERT_DAYS = int(
    os.environ.get("TOEVLUCHT_REGISTRATION_INTERVIEW_ALERT_DAYS", "35")
)
TOEVLUCHT_RETENTION_YEARS = int(os.environ.get("TOEVLUCHT_RETENTION_YEARS", "10"))
# A measure announced in the app that moves more cases than this has them recomputed by a
# background task (the django-tasks-db worker) instead of while the supervisor waits.
TOEVLUCHT_ANNOUNCE_INLINE_MAX = int(os.environ.get("TOEVLUCHT_ANNOUNCE_INLINE_MAX", "5000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # Personal data never goes to logs: loggers carry ids, never names or V-numbers.
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"toevlucht": {"level": "INFO"}, "django.request": {"level": "ERROR"}},
}
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
# Staff (caseworkers, supervisors, legal aid, administrators) must set up and use a TOTP
# second factor when 1; otherwise it is asked only of those who set one up (the demo).
TOEVLUCHT_REQUIRE_2FA = os.environ.get("TOEVLUCHT_REQUIRE_2FA", "0") == "1"
# Seconds the counts of a work queue (open, overdue, suspended, matching) are kept in the cache.
TOEVLUCHT_WEB_COUNT_CACHE_SECONDS = int(os.environ.get("TOEVLUCHT_WEB_COUNT_CACHE_SECONDS", "30"))
