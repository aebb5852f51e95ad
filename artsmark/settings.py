"""Settings for the Artsmark Journeys portal.

One file for every environment: production differs only by environment variables
(see the README's table). Development defaults point at the local PostgreSQL and Redis.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "artsmark.accounts",
    "artsmark.schools",
    "artsmark.common",
    "journeys",
    "learning",
    "partners",
    "insight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "artsmark.schools.middleware.RequestRolesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "artsmark.common.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "artsmark.urls"
WSGI_APPLICATION = "artsmark.wsgi.application"

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
                "artsmark.common.context_processors.portal",
            ],
        },
    },
]

# Who schools pay their registration invoice to, and how (printed on invoices). The defaults
# are examples for development and the demo; "|" separates the lines of the bank details.
INVOICE_PAYEE = os.environ.get("INVOICE_PAYEE", "Arts Council England (Artsmark)")
INVOICE_BANK_DETAILS = os.environ.get(
    "INVOICE_BANK_DETAILS",
    "Account name: Arts Council England|Sort code: 00-00-00 (example: set "
    "INVOICE_BANK_DETAILS)|Account number: 00000000",
).split("|")

# Seconds a first visit's landing page (no cookies) is kept in the cache.
LANDING_CACHE_SECONDS = int(os.environ.get("LANDING_CACHE_SECONDS", "300"))

# Widgets render through the TEMPLATES above, so templates/django/forms/ can replace Django's
# own (a select writes its options itself instead of including a template per option).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database and Redis -------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/artsmark")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# The portal's statements are short; PostgreSQL's JIT compiler costs them far more than it
# saves (a directory search past its cost threshold took a second instead of milliseconds).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Parallel test runs on one machine (several developers, or CI beside a dev server) each
# need their own test database.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "artsmark"),
    }
}

# --- Celery ------------------------------------------------------------------------------
# The database row of a request is the truth; the broker carries only a nudge. Tasks are
# acknowledged after they run so that a worker killed mid-task gives the task back.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_TIMEZONE = "Europe/London"
# Reports: a render that runs past the soft limit is recorded as failed; the hard limit
# kills it. While a worker renders, the request is leased to it for the hard limit plus a
# margin; after that (a worker killed mid-render) the periodic re-send gives it to another.
REPORT_SOFT_TIME_LIMIT = int(os.environ.get("REPORT_SOFT_TIME_LIMIT", "120"))
REPORT_HARD_TIME_LIMIT = REPORT_SOFT_TIME_LIMIT + 30
REPORT_LEASE_SECONDS = int(os.environ.get("REPORT_LEASE_SECONDS", str(REPORT_HARD_TIME_LIMIT + 30)))
# A queued request whose nudge has not been picked up after this long is sent again.
REPORT_STALE_AFTER_SECONDS = int(os.environ.get("REPORT_STALE_AFTER_SECONDS", "120"))
REPORT_MAX_ATTEMPTS = 5
CELERY_TASK_ANNOTATIONS = {
    "reports.render": {
        "soft_time_limit": REPORT_SOFT_TIME_LIMIT,
        "time_limit": REPORT_HARD_TIME_LIMIT,
    }
}
CELERY_BEAT_SCHEDULE = {
    "resend-stale-report-requests": {
        "task": "reports.resend_stale",
        "schedule": float(os.environ.get("REPORT_RESEND_EVERY_SECONDS", "60")),
    },
    # Deadline reminders and overdue notices, once a day (each is sent once however often
    # the task runs).
    "send-due-reminders": {
        "task": "journeys.send_due_reminders",
        "schedule": crontab(minute=0, hour=int(os.environ.get("REMINDERS_HOUR", "6"))),
    },
}

# Kinds of generated report: the subject's model, a data function (subject -> dict), the
# print template, and the access helper that decides who may read it (`helper(user, pk)`,
# 404 for not yours). The project package knows kinds only through this table.
REPORT_KINDS = {
    "progress": {
        "label": "Progress report",
        "subject": "journeys.journey",
        "data": "journeys.reports.progress_report_data",
        "template": "pdf/progress_report.html",
        "access": "journeys.access.get_journey_for",
    },
    "regional": {
        "label": "Regional report",
        "subject": "schools.bridgeorganisation",
        "data": "journeys.reports.regional_report_data",
        "template": "pdf/regional_report.html",
        "access": "artsmark.schools.access.get_bridge_organisation_for",
    },
    "certificate": {
        "label": "Artsmark certificate",
        "subject": "journeys.journey",
        "data": "journeys.certificate.certificate_data",
        "template": "pdf/certificate.html",
        "access": "journeys.access.get_journey_for",
    },
}

# --- Authentication ----------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
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
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "landing"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {
    "login": "artsmark.accounts.forms.LoginForm",
    "signup": "artsmark.accounts.forms.SignupForm",
}
ACCOUNT_ADAPTER = "artsmark.accounts.adapter.AccountAdapter"
# Lock-out: five failed logins for one account within 15 minutes locks it for that long.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/900s/key"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Artsmark] "

# --- Email ---------------------------------------------------------------------------------

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Artsmark <no-reply@artsmark.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ----------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media files ----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end packages (Bootstrap, htmx) are installed from npm by `make assets` into
# node_modules and copied to static/vendor, which git ignores.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Schools' evidence uploads: a private folder, outside MEDIA_ROOT and never served as files,
# only through the access-checked evidence view (journeys/delivery_views.py).
EVIDENCE_ROOT = Path(os.environ.get("EVIDENCE_ROOT", BASE_DIR / "private" / "evidence"))
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ------------------------------------------------------------------------------

SESSION_COOKIE_SECURE = not DEBUG
# Sessions are read from Redis (no database query a page) and written through to the
# database, so that a Redis restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Portal --------------------------------------------------------------------------------

# Callables that each add a panel to a user's home page. Apps further out (journeys,
# partners) plug in here so that the project package never imports them.
HOME_PANELS = [
    "artsmark.schools.home.school_panels",
    "journeys.home.journey_panels",
    "artsmark.schools.home.reviewer_panels",
    "journeys.home.reviewer_panels",
    "partners.home.partner_panels",
    "insight.home.insight_panels",
    "learning.home.learning_panels",
]
# Callables that `seed_demo` runs in order; each is idempotent.
DEMO_SEEDERS = [
    "artsmark.schools.demo.seed",
    # Before journeys: the development days the demo schools attended before submitting.
    "learning.demo.seed",
    "journeys.demo.seed",
    "journeys.fees_demo.seed",
    "journeys.deadlines_demo.seed",
    "journeys.report_demo.seed",
    "partners.demo.seed",
    # After partners: partner@example.org's place on a partner training session.
    "learning.demo.seed_partner_bookings",
]
DEMO_PASSWORD = "artsmark-demo"
# Callables (journey -> list of {"message", "url"}) that may block a Statement of Commitment's
# submission, beside journeys' own rules: apps further out (the learning programme's required
# sessions) plug in here so that journeys never imports them.
COMMITMENT_SUBMIT_CHECKS = ["learning.checks.commitment_problems"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "one_line_client_errors": {"()": "artsmark.common.log_filters.OneLineClientErrors"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print each record a second time beside the root's:
        # configuring the logger here drops it, and its records reach the root's handler.
        "django": {"level": "INFO"},
        # A refused request (403, 404 from an access helper) is one line, not a traceback.
        "django.request": {"filters": ["one_line_client_errors"]},
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every layout step at INFO; keep its warnings only.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
