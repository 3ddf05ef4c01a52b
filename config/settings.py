"""Django settings for Sevamitra.

Everything that differs between machines comes from the environment (config/env.py):
SQLite when DATABASE_URL is unset, PostgreSQL when it is set; Redis for the cache when
REDIS_URL is set, the database cache otherwise.
"""

from django.utils.translation import gettext_lazy as _

from config.caches import caches_from_env
from config.env import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
_DEV_SECRET = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
# The development key only works for local runs: `manage.py check --deploy` refuses it
# (sevamitra/core/checks.py), so production must set DJANGO_SECRET_KEY.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "sevamitra.core",
    "sevamitra.geo",
    "sevamitra.accounts",
    "sevamitra.catalog",
    "sevamitra.providers",
    "sevamitra.search",
    # Background work and the notification outbox (docs/adr/0003-background-work.md)
    "sevamitra.tasks",
    "sevamitra.notifications",
    "sevamitra.bookings",
    "sevamitra.callcentre",
    "sevamitra.ondc",
    "sevamitra.privacy",
    "sevamitra.audit",
    "sevamitra.badges",
    "sevamitra.verification",
    "sevamitra.grievances",
    "sevamitra.procurement",
    "sevamitra.invoicing",
    "sevamitra.govdash",
    # One portal for work (issue 8): OpenID Connect provider, linked employment-exchange
    # profiles, jobs, public outcome figures.
    "oauth2_provider",
    "sevamitra.sso",
    "sevamitra.employment",
    "sevamitra.jobs",
    "sevamitra.figures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files with hashed names, gzip/brotli, far-future caching (docs/adr/0005-web.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sevamitra.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sevamitra.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "sevamitra.core.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with one process's writers queueing in Python (see its module).
    DATABASES["default"]["ENGINE"] = "sevamitra.core.sqlite_backend"
    # WAL + a busy timeout: readers never block the writer, writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file, not memory: WAL and concurrent connections behave as in production.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("SQLITE_TEST_NAME", default=str(BASE_DIR / "var" / "test.sqlite3"))
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Short OLTP queries: JIT compilation costs more than it saves (measured in bench/search.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if test_name := env.str("DATABASE_TEST_NAME", default=""):
        DATABASES["default"]["TEST"] = {"NAME": test_name}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = caches_from_env(env.str("REDIS_URL", default=""))

AUTH_USER_MODEL = "accounts.User"
# Django's hashers, then the one for the sibling portals' client secrets (sevamitra/sso/hashers.py).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "sevamitra.sso.hashers.ClientSecretHasher",
]
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:signin"

LANGUAGE_CODE = "hi"
LANGUAGES = [("hi", _("Hindi")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Kolkata"
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# DD/MM/YYYY and 12-hour times with AM/PM in both languages (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed files from `collectstatic`, served by WhiteNoise. Development and tests
# (DJANGO_STATIC_MANIFEST=0, set by scripts/test) use the plain storage and need no collectstatic.
STATIC_MANIFEST = env.bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collected files WhiteNoise serves straight from the source folders.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
# Uploads (photos, documents) live outside the web root and have no public URL: views that
# check who is asking serve them.
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)

# Behind TLS in production (DJANGO_HTTPS=1): HTTPS only, HSTS, secure cookies.
# `manage.py check --deploy` is clean with DJANGO_HTTPS=1 and a real DJANGO_SECRET_KEY.
HTTPS = env.bool("DJANGO_HTTPS", default=False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    # The TLS-terminating proxy says the original request was HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "sevamitra.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Sign-in by one-time code -------------------------------------------------------------
SMS_BACKEND = env.str("SMS_BACKEND", default="sevamitra.sms.backends.console.SmsBackend")
SMS_FILE_PATH = env.path("SMS_FILE_PATH", default=BASE_DIR / "var" / "sms")
OTP_TTL_SECONDS = env.int("OTP_TTL_SECONDS", default=300)
OTP_MAX_ATTEMPTS = env.int("OTP_MAX_ATTEMPTS", default=5)
# "count/seconds": at most count requests in a window of that many seconds.
OTP_RATE_PER_PHONE = env.str("OTP_RATE_PER_PHONE", default="3/900")
OTP_RATE_PER_PHONE_DAY = env.str("OTP_RATE_PER_PHONE_DAY", default="10/86400")
OTP_RATE_PER_IP = env.str("OTP_RATE_PER_IP", default="20/3600")

# --- Search ---------------------------------------------------------------------------------
SEARCH_MAX_DAYS_AHEAD = env.int("SEARCH_MAX_DAYS_AHEAD", default=90)
SEARCH_MAX_SLOT_HOURS = env.int("SEARCH_MAX_SLOT_HOURS", default=24)
SEARCH_PAGE_SIZE = env.int("SEARCH_PAGE_SIZE", default=20)
SEARCH_MAX_PAGE_SIZE = 50
# Longest service radius a provider may set: bounds the geographic prefilter of search.
PROVIDER_MAX_RADIUS_KM = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Booking engine -------------------------------------------------------------------------
BOOKING_HOLD_MINUTES = env.int("BOOKING_HOLD_MINUTES", default=10)
BOOKING_CODE_MAX_ATTEMPTS = env.int("BOOKING_CODE_MAX_ATTEMPTS", default=5)
# At least the longest government order (procurement rules refuse a longer maximum).
BOOKING_SERIES_MAX_OCCURRENCES = env.int("BOOKING_SERIES_MAX_OCCURRENCES", default=92)
BOOKING_NO_SHOW_GRACE_MINUTES = env.int("BOOKING_NO_SHOW_GRACE_MINUTES", default=30)

# --- Background jobs and notifications (sevamitra.tasks, sevamitra.notifications) -------------
# docs/adr/0003-background-work.md. `manage.py worker` runs every background job.
# A claimed job is another worker's again if its worker has not finished within the lease.
TASKS_LEASE_SECONDS = env.int("TASKS_LEASE_SECONDS", default=300)
TASKS_MAX_ATTEMPTS = env.int("TASKS_MAX_ATTEMPTS", default=8)
# Retry n waits between half and all of min(base·2^(n-1), max): 30 s, 1 min, 2 min, … 1 h.
TASKS_RETRY_BASE_SECONDS = env.float("TASKS_RETRY_BASE_SECONDS", default=30.0)
TASKS_RETRY_MAX_SECONDS = env.float("TASKS_RETRY_MAX_SECONDS", default=3600.0)
TASKS_POLL_SECONDS = env.float("TASKS_POLL_SECONDS", default=2.0)
# Periodic sweeps (@periodic jobs: reminders, deadlines) are queued by the workers.
TASKS_PERIODIC = env.bool("TASKS_PERIODIC", default=True)
# console (development), file, locmem (tests); production: ….backends.gateway.Backend
NOTIFICATIONS_BACKEND = env.str(
    "NOTIFICATIONS_BACKEND", default="sevamitra.notifications.backends.console.Backend"
)
NOTIFICATIONS_FILE_PATH = env.path(
    "NOTIFICATIONS_FILE_PATH", default=BASE_DIR / "var" / "notifications"
)
NOTIFICATIONS_EMAIL_FROM = env.str(
    "NOTIFICATIONS_EMAIL_FROM", default="Sevamitra <noreply@sevamitra.localhost>"
)
# --- end of background jobs and notifications ------------------------------------------------

# --- ONDC seller node (sevamitra.ondc; docs/ondc.md) -----------------------------------------
# Without ONDC_SUBSCRIBER_ID and the keys, the rest of the portal runs and /ondc/* answers 503.
ONDC_SUBSCRIBER_ID = env.str("ONDC_SUBSCRIBER_ID", default="")
ONDC_SUBSCRIBER_URL = env.str("ONDC_SUBSCRIBER_URL", default="")  # base URL ending in /ondc
ONDC_UNIQUE_KEY_ID = env.str("ONDC_UNIQUE_KEY_ID", default="")
ONDC_SIGNING_PRIVATE_KEY = env.str("ONDC_SIGNING_PRIVATE_KEY", default="")  # base64 Ed25519
ONDC_ENCRYPTION_PRIVATE_KEY = env.str("ONDC_ENCRYPTION_PRIVATE_KEY", default="")  # X25519 PKCS8
ONDC_REGISTRY_URL = env.str("ONDC_REGISTRY_URL", default="")
ONDC_REGISTRY_ENCRYPTION_PUBLIC_KEY = env.str("ONDC_REGISTRY_ENCRYPTION_PUBLIC_KEY", default="")
ONDC_CITY_CODES = env.list("ONDC_CITY_CODES", default=[])  # e.g. std:0522,std:0512
# Signatures: how long a key looked up in the registry is cached; largest clock difference
# accepted on `created`; the longest signature lifetime accepted (a replay outside it is refused).
ONDC_KEY_CACHE_SECONDS = env.int("ONDC_KEY_CACHE_SECONDS", default=3600)
ONDC_CLOCK_SKEW_SECONDS = env.int("ONDC_CLOCK_SKEW_SECONDS", default=30)
ONDC_MAX_SIGNATURE_AGE_SECONDS = env.int("ONDC_MAX_SIGNATURE_AGE_SECONDS", default=300)
ONDC_MAX_BODY_BYTES = env.int("ONDC_MAX_BODY_BYTES", default=256 * 1024)
ONDC_CALLBACK_TIMEOUT_SECONDS = env.float("ONDC_CALLBACK_TIMEOUT_SECONDS", default=10.0)
ONDC_LOG_RETENTION_DAYS = env.int("ONDC_LOG_RETENTION_DAYS", default=180)
ONDC_SEARCH_MAX_PROVIDERS = env.int("ONDC_SEARCH_MAX_PROVIDERS", default=50)
# What on_support gives the buyer app: the department's helpline.
ONDC_SUPPORT_PHONE = env.str("ONDC_SUPPORT_PHONE", default="1800000000")
ONDC_SUPPORT_EMAIL = env.str("ONDC_SUPPORT_EMAIL", default="")
ONDC_SUPPORT_URL = env.str("ONDC_SUPPORT_URL", default="")

# --- ID badges (sevamitra.badges; token layout in sevamitra/badges/tokens.py) -----------------
# The portal's badge key, separate from the ONDC keys: base64 Ed25519 seed (32 bytes). Empty
# means a development key derived deterministically (DEBUG and tests); `check --deploy` refuses it.
BADGE_SIGNING_PRIVATE_KEY = env.str("BADGE_SIGNING_PRIVATE_KEY", default="")
BADGE_VALID_DAYS = env.int("BADGE_VALID_DAYS", default=365)

# --- Single sign-on: the portal is an OpenID Connect provider (issue 8, sevamitra/sso) ------
# docs/sso.md. Production: OIDC_RSA_PRIVATE_KEY (PEM) identical on every node, HTTPS, and
# OIDC_ISSUER set to the site's public root URL (else the issuer is derived from each request).
from sevamitra.sso.keys import load_or_create_private_key, split_pems  # noqa: E402

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    # See sevamitra/sso/keys.py: OIDC_RSA_PRIVATE_KEY (PEM) in production, else a key file.
    "OIDC_RSA_PRIVATE_KEY": load_or_create_private_key(
        env.path("OIDC_RSA_PRIVATE_KEY_FILE", default=BASE_DIR / "var" / "oidc_rsa.pem"),
        env.str("OIDC_RSA_PRIVATE_KEY", default=""),
    ),
    # Retired keys (PEM blocks one after another): still published in the JWKS, never used to sign.
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": split_pems(
        env.str("OIDC_RSA_PRIVATE_KEYS_INACTIVE", default="")
    ),
    "OIDC_ISS_ENDPOINT": env.str("OIDC_ISSUER", default="").rstrip("/"),
    "OAUTH2_VALIDATOR_CLASS": "sevamitra.sso.validators.PortalValidator",
    "SCOPES_BACKEND_CLASS": "sevamitra.sso.scopes.PortalScopes",
    "APPLICATION_ADMIN_CLASS": "sevamitra.sso.admin.ClientAdmin",
    # The scopes that exist (their words and claims: sevamitra/sso/scopes.py); each client may
    # ask only for those its policy allows.
    "SCOPES": {
        "openid": "OpenID Connect sign-in",
        "profile": "Name and language",
        "phone": "Verified mobile number",
        "district": "District",
        "roles": "Roles at Sevamitra",
    },
    "DEFAULT_SCOPES": ["openid"],
    # Authorization code flow with PKCE (S256) only; refresh tokens rotate, a reused one
    # revokes its whole family.
    "PKCE_REQUIRED": True,
    # Client secrets are random, not chosen by people: a cheap hasher (sevamitra/sso/hashers.py).
    "CLIENT_SECRET_HASHER": "pbkdf2_sha256_client",
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 10 * 60,
    "ID_TOKEN_EXPIRE_SECONDS": 10 * 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": [
        "client_secret_basic",
        "client_secret_post",
        "none",
    ],
    "OAUTH2_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": [
        "client_secret_basic",
        "client_secret_post",
        "none",
    ],
    # Redirect URIs over HTTPS; plain http only to this computer (loopback), in development
    # (DJANGO_DEBUG) or where OIDC_ALLOW_HTTP_LOOPBACK says so (sevamitra/sso/clients.py).
    "ALLOWED_REDIRECT_URI_SCHEMES": (
        ["https", "http"]
        if DEBUG or env.bool("OIDC_ALLOW_HTTP_LOOPBACK", default=False)
        else ["https"]
    ),
    # RFC 9700 (OAuth 2.0 Security Best Current Practice), all of it.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
# django-oauth-toolkit's own models (not swapped), named because its models are swappable and
# migrations that refer to them (sevamitra/sso) depend on these settings.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 (a model)

# --- Sibling portals (issue 8): {name: adapter class}, see sevamitra/employment/adapters.py ---
EMPLOYMENT_ADAPTERS = {
    "sewayojan": env.str(
        "EMPLOYMENT_ADAPTER_SEWAYOJAN", default="sevamitra.employment.sewayojan.SewayojanAdapter"
    ),
    "rojgar_sangam": env.str(
        "EMPLOYMENT_ADAPTER_ROJGAR_SANGAM", default="sevamitra.jobs.feed.JsonFeedAdapter"
    ),
}

# --- Public outcome figures (/figures/): cached this long; the periodic refresh runs every
# 10 minutes, so keep this above 600 s.
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=900)

# --- Employment exchange (Sewayojan) adapter, linked profiles, shared work history (issue 8) --
# Empty SEWAYOJAN_API_URL: the demo file of invented job seekers (employment/sewayojan.py).
SEWAYOJAN_API_URL = env.str("SEWAYOJAN_API_URL", default="")
SEWAYOJAN_API_TOKEN = env.str("SEWAYOJAN_API_TOKEN", default="")
SEWAYOJAN_API_TIMEOUT_SECONDS = env.float("SEWAYOJAN_API_TIMEOUT_SECONDS", default=10.0)
SEWAYOJAN_DEMO_FILE = env.str("SEWAYOJAN_DEMO_FILE", default="")
# Look-ups of registration numbers per person ("count/seconds").
EMPLOYMENT_LOOKUP_RATE = env.str("EMPLOYMENT_LOOKUP_RATE", default="20/3600")
EMPLOYMENT_RECORD_VALID_DAYS = env.int("EMPLOYMENT_RECORD_VALID_DAYS", default=180)
EMPLOYMENT_RECORD_REFRESH_DAYS = env.int("EMPLOYMENT_RECORD_REFRESH_DAYS", default=7)
# The issuer of ID tokens and signed records: the site's public root URL (OAUTH2_PROVIDER above).
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
