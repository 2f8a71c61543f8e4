"""Settings shared by every environment; dev, test and prod only override them.

The environment is read here and nowhere else.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env("SITE_NAME", default="Newsroom")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_DESCRIPTION = env(
    "SITE_DESCRIPTION", default="Independent news from the newsroom, updated through the day."
)
SITE_ID = 1
# Password of the demo accounts that `manage.py load_demo` creates (`make run`).
DEMO_PASSWORD = env("DEMO_PASSWORD", default="newsroom-demo")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_prose_editor",
    "reversion",
    "csp",
    "axes",
    "newsroom",
    "articles",
    "django_comments_xtd",
    "django_comments",
    "comments",
    "ads",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.middleware.PublicGZipMiddleware",
    "newsroom.middleware.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "newsroom.pagecache.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "newsroom.context_processors.site",
                "articles.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env("REDIS_URL", default=""):
    CACHES = {"default": env.cache("REDIS_URL")}
    # Redis down or hanging must not take pages down: give up fast and carry on without
    # the cache (django-redis then answers as if every key were missing), and after a
    # failure leave Redis alone for a few seconds (newsroom/cache.py).
    CACHES["default"]["BACKEND"] = "newsroom.cache.CircuitBreakerRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
            "SOCKET_TIMEOUT": env.float("REDIS_TIMEOUT", default=0.25),
            "IGNORE_EXCEPTIONS": True,
            "CIRCUIT_OPEN_SECONDS": env.float("REDIS_CIRCUIT_OPEN_SECONDS", default=5),
        }
    )
    # The breaker logs one warning each time it opens, rather than a traceback per call.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    # Without Redis each process keeps its own cache and flood-control counters: right
    # for one process (development, the demo); production sets REDIS_URL.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads go to an S3-compatible store (AWS, MinIO, Scaleway, R2...) when a bucket is set.
if env("MEDIA_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_S3_REGION", default=None),
            "access_key": env("MEDIA_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("MEDIA_S3_SECRET_ACCESS_KEY", default=None),
            "custom_domain": env("MEDIA_S3_CUSTOM_DOMAIN", default=None),
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The HTTP caches in front of the site, told after each commit which surrogate keys to
# purge (newsroom/frontcache.py): Varnish servers with deploy/varnish.vcl, Fastly,
# Cloudflare. Each response names what it shows in the headers these read.
FRONT_CACHES = [
    {"BACKEND": "newsroom.frontcache.Varnish", "OPTIONS": {"url": url}}
    for url in env.list("VARNISH_PURGE_URLS", default=[])
]
SURROGATE_KEY_HEADERS = [("xkey", " ")] if FRONT_CACHES else []
if env.str("FASTLY_SERVICE_ID", default=""):
    FRONT_CACHES.append(
        {
            "BACKEND": "newsroom.frontcache.Fastly",
            "OPTIONS": {
                "service_id": env.str("FASTLY_SERVICE_ID"),
                "api_token": env.str("FASTLY_API_TOKEN"),
                "api_url": env.str("FASTLY_API_URL", default="https://api.fastly.com"),
            },
        }
    )
    SURROGATE_KEY_HEADERS.append(("Surrogate-Key", " "))
if env.str("CLOUDFLARE_ZONE_ID", default=""):
    FRONT_CACHES.append(
        {
            "BACKEND": "newsroom.frontcache.Cloudflare",
            "OPTIONS": {
                "zone_id": env.str("CLOUDFLARE_ZONE_ID"),
                "api_token": env.str("CLOUDFLARE_API_TOKEN"),
                "api_url": env.str(
                    "CLOUDFLARE_API_URL", default="https://api.cloudflare.com/client/v4"
                ),
            },
        }
    )
    SURROGATE_KEY_HEADERS.append(("Cache-Tag", ","))
# Anonymous pages are cacheable by a shared cache in front of the site for this long at
# most; a front cache that is purged (above) may keep them longer, as a change purges
# them at once.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=600 if FRONT_CACHES else 60)
# Whole anonymous pages are kept in the site's cache this long at most (0 turns it off);
# a change to what they show purges them sooner (newsroom/pagecache.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# How far apart the app servers' clocks may be: a page rendered this close to a purge of
# what it shows is not kept, as it may show the rows from before the change.
PURGE_CLOCK_SKEW_SECONDS = env.float("PURGE_CLOCK_SKEW_SECONDS", default=0.05)

# Photos: limits enforced on upload, and the widths of the responsive renditions.
PHOTO_MAX_UPLOAD_BYTES = env.int("PHOTO_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)
PHOTO_MIN_WIDTH = 320
PHOTO_RENDITION_WIDTHS = (480, 800, 1200, 1600)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Share links for drafts stay valid this long.
PREVIEW_LINK_MAX_AGE = 7 * 24 * 3600

LOGIN_URL = "admin:login"
# The admin's address, e.g. "newsroom-desk/" to keep it off the usual scanners' paths.
ADMIN_URL = env("ADMIN_URL", default="admin/")

# Admin logins: after 5 failures, that username and that client are each locked out for
# 15 minutes; the answer is the same whether the username exists or not.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.client_ip"
AXES_USERNAME_CALLABLE = "newsroom.clients.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# Security headers for every response (the prod settings add HTTPS-only ones).
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
# Hosts an ad network's HTML creatives load from (space-separated); none by default, so
# the default pages make no request to any other host.
AD_NETWORK_HOSTS = env.list("AD_NETWORK_HOSTS", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        # Nothing is allowed unless a directive below names it.
        "default-src": ["'none'"],
        "script-src": ["'self'", *AD_NETWORK_HOSTS],
        "style-src": ["'self'"],
        # Ad slots and the admin set sizes in style attributes; no style elements inline.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", *AD_NETWORK_HOSTS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *AD_NETWORK_HOSTS],
        "manifest-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Reader comments (comments/): django-comments-xtd stores them, comments/ owns the rules.
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "comments.models.ReaderComment"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2  # a comment, a reply, and a reply to that
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_SALT = env("COMMENTS_XTD_SALT", default="newsroom-comments").encode()
COMMENT_MAX_LENGTH = 3000
# A cached article page may carry an old form: its signed timestamp stays good this long.
COMMENTS_TIMEOUT = 3 * 24 * 3600
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=30)
# Publish a commenter's comment at once if their email already has an approved one.
COMMENTS_TRUST_PREVIOUSLY_APPROVED = env.bool("COMMENTS_TRUST_PREVIOUSLY_APPROVED", default=False)
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
COMMENTS_MODERATION_WORDS = env.list("COMMENTS_MODERATION_WORDS", default=[])
COMMENTS_BLOCK_WORDS = env.list("COMMENTS_BLOCK_WORDS", default=["viagra", "casino bonus"])
COMMENTS_SPAM_CHECK = env("COMMENTS_SPAM_CHECK", default="comments.moderation.rules_spam_check")
COMMENTS_RATE_PER_CLIENT = env("COMMENTS_RATE_PER_CLIENT", default="1/15s")
COMMENTS_RATE_PER_CLIENT_DAY = env("COMMENTS_RATE_PER_CLIENT_DAY", default="40/d")
COMMENTS_RATE_PER_EMAIL = env("COMMENTS_RATE_PER_EMAIL", default="1/15s")
COMMENTS_RATE_PER_EMAIL_DAY = env("COMMENTS_RATE_PER_EMAIL_DAY", default="30/d")
COMMENTS_REPORT_RATE = env("COMMENTS_REPORT_RATE", default="10/h")
COMMENTS_REPORTS_TO_HOLD = env.int("COMMENTS_REPORTS_TO_HOLD", default=3)
COMMENTS_NOTIFY_EVERY_SECONDS = env.int("COMMENTS_NOTIFY_EVERY_SECONDS", default=600)
COMMENTS_MODERATOR_EMAILS = env.list("COMMENTS_MODERATOR_EMAILS", default=[])

# Addresses of the reverse proxies in front of the site: only their X-Forwarded-For
# is believed when finding a reader's address (rate limits, the moderation queue).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# One line per record on stderr, laid out like gunicorn's own error log beside it:
# time, process, level, then the logger's name, which says where the record came from.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": "[{asctime}] [{process}] [{levelname}] {name}: {message}",
            "datefmt": "%Y-%m-%d %H:%M:%S %z",
            "style": "{",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
