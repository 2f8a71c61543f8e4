"""Settings shared by every environment; dev, test and prod only override them.

The environment is read here and nowhere else.
"""

import copy
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

from articles.body import BODY_BLOCK_EXTENSIONS

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
    # django.contrib.admin, with a site that makes every ModelAdmin strict about lookups.
    "newsroom.apps.NewsroomAdminConfig",
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "newsroom",
    "accounts",
    "editing",
    "articles",
    "liveblog",
    "fronts",
    "django_comments_xtd",
    "django_comments",
    "comments",
    "ads",
    "django_tasks",
    "django_tasks_db",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Around the caches: a page read from a replica is kept only if no purge came near.
    "newsroom.middleware.ReplicaReadsMiddleware",
    "newsroom.middleware.PublicCompressionMiddleware",
    "newsroom.middleware.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "newsroom.pagecache.PageCacheMiddleware",
    "newsroom.fragments.KeptPartsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.browsers.KnownBrowserMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Nothing waits on PostgreSQL for ever: the server ends slow statements, lock waits
    # and forgotten transactions itself, and the client gives up one second after
    # statement_timeout, when a frozen server ran none of them (newsroom/postgres/base.py).
    # 0 turns the statement limit off (`make release` migrates without it).
    DATABASES["default"]["ENGINE"] = "newsroom.postgres"
    statement_timeout = env.float("DATABASE_STATEMENT_TIMEOUT", default=5)
    server_timeouts = {
        "statement_timeout": statement_timeout,
        "lock_timeout": env.float("DATABASE_LOCK_TIMEOUT", default=3),
        "idle_in_transaction_session_timeout": env.float(
            "DATABASE_IDLE_IN_TRANSACTION_TIMEOUT", default=60
        ),
    }
    # The site's queries are short reads of indexes: JIT compilation added 20-600 ms to
    # mid-size queries at a million stories, and parallel workers' start-up 23 ms to a
    # comment thread's 2 ms read (issue 10, make bench-scale), so the site's sessions
    # run with neither.
    session_settings = {
        "jit": env("DATABASE_JIT", default="off"),
        "max_parallel_workers_per_gather": env.int(
            "DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER", default=0
        ),
    }
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=3),
            "options": " ".join(
                [f"-c {name}={int(s * 1000)}" for name, s in server_timeouts.items()]
                + [f"-c {name}={value}" for name, value in session_settings.items()]
            ),
            "answer_timeout": statement_timeout + 1 if statement_timeout else None,
            "circuit_open_seconds": env.float("DATABASE_CIRCUIT_OPEN_SECONDS", default=5),
        }
    )
    # psycopg's pool, per process, off by default: gthread keeps one persistent
    # connection per thread (CONN_MAX_AGE), as many as a pool sized to the threads would
    # hold. A pool bounds them below the threads, keeps min_size open and drops idle
    # ones, when workers x threads x (1 + replicas) would pass max_connections. Django
    # refuses a pool with persistent connections; connections then go back to the pool
    # at the end of each request. A thread waits DATABASE_CONNECT_TIMEOUT at most for
    # one (newsroom/postgres/base.py opens the circuit when none came).
    if pool_max_size := env.int("DATABASE_POOL_MAX_SIZE", default=0):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": min(env.int("DATABASE_POOL_MIN_SIZE", default=1), pool_max_size),
            "max_size": pool_max_size,
            "timeout": DATABASES["default"]["OPTIONS"]["connect_timeout"],
        }

# Streaming replicas (newsroom/dbrouters.py): anonymous readers' GETs read from one of
# them, everything else from the primary; a replica that is down, or lags more than
# DATABASE_REPLICA_MAX_LAG_SECONDS as measured at most DATABASE_REPLICA_CHECK_SECONDS
# ago, is skipped. Each is an alias replica_1, replica_2... with the primary's settings.
DATABASE_REPLICA_MAX_LAG_SECONDS = env.float("DATABASE_REPLICA_MAX_LAG_SECONDS", default=5)
DATABASE_REPLICA_CHECK_SECONDS = env.float("DATABASE_REPLICA_CHECK_SECONDS", default=1)
DATABASE_REPLICAS = []
for number, url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    if DATABASES["default"]["ENGINE"] != "newsroom.postgres":
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL")
    replica = env.db_url_config(url)
    alias = f"replica_{number}"
    DATABASES[alias] = {
        **copy.deepcopy(DATABASES["default"]),
        **{key: replica.get(key, "") for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")},
        # A test run has one database: reads meant for a replica read it.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_REPLICAS.append(alias)
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["newsroom.dbrouters.ReplicaRouter"]
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
    # FileSystemStorage that never leaves a partial file behind (a full disk).
    "default": {"BACKEND": "newsroom.storage.MediaStorage"},
    # Django's, with each file's URL worked out once (newsroom.storage.RememberedURLs).
    "staticfiles": {"BACKEND": "newsroom.storage.StaticStorage"},
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
# No reader waits on a mail server: mail is sent by a task (the moderators' notice,
# comments/tasks.py) that `manage.py db_worker` runs from the database queue
# (django-tasks, the backport of Django 6.0's django.tasks). A server that accepts and
# never answers is given up on after EMAIL_TIMEOUT seconds, by the worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

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
# Parts of pages shared with other pages (cards, the Latest list, a comment thread) are
# kept rendered this long at most (0 turns it off), so a page rendered anew reuses them;
# a change to what they show purges them sooner (newsroom/fragments.py).
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=600)
# How far apart the app servers' clocks may be: a page rendered this close to a purge of
# what it shows is not kept, as it may show the rows from before the change.
PURGE_CLOCK_SKEW_SECONDS = env.float("PURGE_CLOCK_SKEW_SECONDS", default=0.05)

# Breaking news and Most read (articles/): a banner ends by itself after this many
# minutes unless the editor sets another end; Most read ranks stories by readers' views
# over this many hours, and a page reuses the list for up to MOST_READ_CACHE_SECONDS
# (it is never purged per view).
BREAKING_NEWS_MINUTES = env.int("BREAKING_NEWS_MINUTES", default=30)
MOST_READ_HOURS = env.int("MOST_READ_HOURS", default=24)
MOST_READ_CACHE_SECONDS = env.int("MOST_READ_CACHE_SECONDS", default=300)

# Photos: limits enforced on upload, and the widths of the responsive renditions.
PHOTO_MAX_UPLOAD_BYTES = env.int("PHOTO_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)
PHOTO_MIN_WIDTH = 320
PHOTO_RENDITION_WIDTHS = (480, 800, 1200, 1600)

# The story body's blocks (articles/body.py): their toolbar buttons and allow-list rules.
DJANGO_PROSE_EDITOR_EXTENSIONS = [BODY_BLOCK_EXTENSIONS]
# django-prose-editor's own toolbar groups, plus "blocks" for ours.
DJANGO_PROSE_EDITOR_MENU_GROUPS = [
    {"group": "blockType -lists", "type": "dropdown", "minItems": 2},
    {"group": "lists"},
    {"group": "nodes -blockType -lists"},
    {"group": "marks"},
    {"group": "link"},
    {"group": "table"},
    {"group": "blocks"},
    {"group": "history"},
    {"group": "utility"},
]

# Embeds in story bodies (articles/embeds.py). An editor pastes a post's address; on save
# the server asks the provider's own oEmbed endpoint about it (nothing else, never a
# redirect to another host) and keeps its title, author, size and thumbnail. Readers'
# browsers load nothing from the provider until they click, and then only a frame from
# `frame_hosts`, which the page's Content-Security-Policy admits for that page alone.
# `patterns` match the addresses editors paste (the first group is the post's id, for
# `frame`); `frame` builds the frame's address when the oEmbed answer has no <iframe>.
EMBED_FETCH_TIMEOUT = env.float("EMBED_FETCH_TIMEOUT", default=4.0)
EMBED_MAX_BYTES = env.int("EMBED_MAX_BYTES", default=256 * 1024)
# `manage.py refresh_embeds` asks again about embeds asked longer ago than this.
EMBED_REFRESH_DAYS = env.int("EMBED_REFRESH_DAYS", default=30)
EMBED_PROVIDERS = {
    "youtube": {
        "name": "YouTube",
        "patterns": [
            r"https://(?:www\.|m\.)?youtube\.com/watch\?v=([\w-]{6,20})",
            r"https://youtu\.be/([\w-]{6,20})",
        ],
        "endpoint": "https://www.youtube.com/oembed",
        "frame": "https://www.youtube-nocookie.com/embed/{id}?autoplay=1",
        "frame_hosts": ["www.youtube-nocookie.com"],
    },
    "vimeo": {
        "name": "Vimeo",
        "patterns": [r"https://(?:www\.)?vimeo\.com/(\d+)"],
        "endpoint": "https://vimeo.com/api/oembed.json",
        "frame": "https://player.vimeo.com/video/{id}?dnt=1&autoplay=1",
        "frame_hosts": ["player.vimeo.com"],
    },
    "x": {
        "name": "X",
        "patterns": [r"https://(?:www\.)?(?:twitter|x)\.com/\w{1,15}/status/(\d+)"],
        "endpoint": "https://publish.twitter.com/oembed",
        "frame": "https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true",
        "frame_hosts": ["platform.twitter.com"],
    },
    "bluesky": {
        "name": "Bluesky",
        "patterns": [r"https://bsky\.app/profile/[\w.:-]+/post/(\w+)"],
        "endpoint": "https://embed.bsky.app/oembed",
        "frame_hosts": ["embed.bsky.app"],
    },
    "instagram": {
        "name": "Instagram",
        "patterns": [r"https://(?:www\.)?instagram\.com/(?:p|reel)/([\w-]+)"],
        # Meta's endpoint wants an app token: set EMBED_INSTAGRAM_ENDPOINT with it.
        "endpoint": env(
            "EMBED_INSTAGRAM_ENDPOINT", default="https://graph.facebook.com/v19.0/instagram_oembed"
        ),
        "frame": "https://www.instagram.com/p/{id}/embed/",
        "frame_hosts": ["www.instagram.com"],
    },
    "tiktok": {
        "name": "TikTok",
        "patterns": [r"https://(?:www\.)?tiktok\.com/@[\w.]+/video/(\d+)"],
        "endpoint": "https://www.tiktok.com/oembed",
        "frame": "https://www.tiktok.com/embed/v2/{id}",
        "frame_hosts": ["www.tiktok.com"],
    },
    "datawrapper": {
        "name": "Datawrapper",
        "patterns": [r"https://datawrapper\.dwcdn\.net/(\w+)/?(?:\d+/?)?"],
        "endpoint": "https://api.datawrapper.de/v3/oembed",
        "frame_hosts": ["datawrapper.dwcdn.net"],
    },
    "flourish": {
        "name": "Flourish",
        "patterns": [r"https://public\.flourish\.studio/visualisation/(\d+)/?"],
        "endpoint": "https://app.flourish.studio/api/v1/oembed",
        "frame": "https://flo.uri.sh/visualisation/{id}/embed",
        "frame_hosts": ["flo.uri.sh"],
    },
    "soundcloud": {
        "name": "SoundCloud",
        "patterns": [r"https://soundcloud\.com/[\w-]+/[\w-]+"],
        "endpoint": "https://soundcloud.com/oembed",
        "frame_hosts": ["w.soundcloud.com"],
    },
}

# The crops made around each photo's focal point: name -> (ratio, widths). Cards show
# 16:9, thumbnails 1:1, social cards 1.91:1 (1200 wide, as Facebook and X ask); the
# NewsArticle JSON-LD lists 16:9, 4:3 and 1:1 at 1200 (Google's recommendation).
PHOTO_CROPS = {
    "16:9": ((16, 9), (480, 800, 1200, 1600)),
    "4:3": ((4, 3), (800, 1200)),
    "1:1": ((1, 1), (480, 1200)),
    "1.91:1": ((191, 100), (1200,)),
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Share links for drafts stay valid this long.
PREVIEW_LINK_MAX_AGE = 7 * 24 * 3600

LOGIN_URL = "admin:login"
# The admin's address, e.g. "newsroom-desk/" to keep it off the usual scanners' paths.
ADMIN_URL = env("ADMIN_URL", default="admin/")

# Admin logins (accounts/backends.py): after 5 failures, that username from that client,
# and that client whatever username it tries, are each locked out for 15 minutes; the
# answer is the same whether the username exists or not. A username alone is never
# locked by failures from other clients below LOGIN_USERNAME_FAILURE_LIMIT (counted over
# every client in the cool-off); above it the password alone no longer signs it in from
# a new browser, but a second factor or a browser it signed in from before still does,
# so does a browser that just set a new password from an e-mailed reset link, so no
# outsider can keep its owner out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.client_ip"
AXES_USERNAME_CALLABLE = "newsroom.clients.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
LOGIN_USERNAME_FAILURE_LIMIT = env.int("LOGIN_USERNAME_FAILURE_LIMIT", default=20)
# Password reset links by e-mail: at most this many requests per client and per address
# (links already sent stay valid), each link valid for an hour and used once.
PASSWORD_RESET_RATE = env("PASSWORD_RESET_RATE", default="3/h")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
# A browser that signed in as a user is known for this long (a signed cookie on the
# admin's path only).
LOGIN_KNOWN_BROWSER_DAYS = env.int("LOGIN_KNOWN_BROWSER_DAYS", default=90)

# Staff's second factor (accounts/): TOTP apps, passkeys and security keys, recovery
# codes. Users in these roles ("superuser" or a role's group name) enrol one before any
# other admin page; anyone who has one proves it after the password.
MFA_REQUIRED_ROLES = env.list("MFA_REQUIRED_ROLES", default=["superuser", "Editor"])
# Passkeys are bound to a host name (never an IP address) served over HTTPS, which
# browsers waive only for localhost: the site's own address in production, else
# http://localhost:8000 (development).
PASSKEY_ORIGIN = SITE_URL if SITE_URL.startswith("https://") else "http://localhost:8000"
OTP_WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", default=urlsplit(PASSKEY_ORIGIN).hostname)
OTP_WEBAUTHN_RP_NAME = SITE_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("WEBAUTHN_ORIGINS", default=[PASSKEY_ORIGIN])
# A passkey is a second factor only: the password (and its lockout) always comes first.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_TOTP_ISSUER = SITE_NAME

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
# A story page shows this many threads (a top-level comment and its replies) at most:
# ~55 comments, more than most readers read under a story, and the thread is then about
# half of the page's HTML rather than four fifths. 50 threads (~111 comments) put the
# 55,000-comment story's cold page at ~51 ms, 25 at ~45 ms (make bench-scale, issue 10).
COMMENTS_THREADS_PER_PAGE = env.int("COMMENTS_THREADS_PER_PAGE", default=25)
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_SALT = env("COMMENTS_XTD_SALT", default="newsroom-comments").encode()
COMMENT_MAX_LENGTH = 3000
# A cached article page may carry an old form: its signed timestamp stays good this long.
COMMENTS_TIMEOUT = 3 * 24 * 3600
# The moderation rules' first values: migrate stores them once (comments 0005), then
# moderators edit the rules in the admin ("Moderation rules"), and these are not read.
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=30)
# Publish a commenter's comment at once if their email already has an approved one.
COMMENTS_TRUST_PREVIOUSLY_APPROVED = env.bool("COMMENTS_TRUST_PREVIOUSLY_APPROVED", default=False)
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
COMMENTS_MODERATION_WORDS = env.list("COMMENTS_MODERATION_WORDS", default=[])
COMMENTS_BLOCK_WORDS = env.list("COMMENTS_BLOCK_WORDS", default=["viagra", "casino bonus"])
# A spam classifier beside the block words (e.g. one that asks Akismet); none by default.
COMMENTS_SPAM_CHECK = env("COMMENTS_SPAM_CHECK", default="")
COMMENTS_RATE_PER_CLIENT = env("COMMENTS_RATE_PER_CLIENT", default="1/15s")
COMMENTS_RATE_PER_CLIENT_DAY = env("COMMENTS_RATE_PER_CLIENT_DAY", default="40/d")
COMMENTS_RATE_PER_EMAIL = env("COMMENTS_RATE_PER_EMAIL", default="1/15s")
COMMENTS_RATE_PER_EMAIL_DAY = env("COMMENTS_RATE_PER_EMAIL_DAY", default="30/d")
COMMENTS_REPORT_RATE = env("COMMENTS_REPORT_RATE", default="10/h")
COMMENTS_REPORTS_TO_HOLD = env.int("COMMENTS_REPORTS_TO_HOLD", default=3)
COMMENTS_NOTIFY_EVERY_SECONDS = env.int("COMMENTS_NOTIFY_EVERY_SECONDS", default=600)
COMMENTS_MODERATOR_EMAILS = env.list("COMMENTS_MODERATOR_EMAILS", default=[])
# The moderators are mailed once when the oldest pending comment has waited this long
# (checked when a comment is held and when the queue is opened; 0: never).
COMMENTS_QUEUE_ALERT_MINUTES = env.int("COMMENTS_QUEUE_ALERT_MINUTES", default=120)
# A banned commenter is answered as if the comment awaited moderation (so a ban is not
# a signal to try another address); True answers "you can't comment here" instead.
COMMENTS_TELL_BANNED = env.bool("COMMENTS_TELL_BANNED", default=False)
# Commenters' e-mail links (comments/links.py): how long each kind works, in seconds.
COMMENTS_CONFIRM_LINK_MAX_AGE = env.int("COMMENTS_CONFIRM_LINK_MAX_AGE", default=3 * 24 * 3600)
COMMENTS_UNSUBSCRIBE_LINK_MAX_AGE = env.int(
    "COMMENTS_UNSUBSCRIBE_LINK_MAX_AGE", default=180 * 24 * 3600
)
COMMENTS_DATA_LINK_MAX_AGE = env.int("COMMENTS_DATA_LINK_MAX_AGE", default=24 * 3600)
# How often one address or one network may ask for a data link.
COMMENTS_DATA_REQUEST_RATE = env("COMMENTS_DATA_REQUEST_RATE", default="3/h")
# Commenters' IP addresses are cleared this many days after the comment
# (`manage.py prune_comment_ips`, scheduled by the operator).
COMMENTS_IP_RETENTION_DAYS = env.int("COMMENTS_IP_RETENTION_DAYS", default=90)

# Live coverage: how often readers' pages ask for new entries (a multiple of 5 seconds;
# raise it to slow every reader down under load: each answer tells the page the next).
LIVEBLOG_POLL_SECONDS = env.int("LIVEBLOG_POLL_SECONDS", default=15)
# An ad (the in-article placement) after every this many entries of a live page; 0: none.
LIVEBLOG_AD_EVERY_ENTRIES = env.int("LIVEBLOG_AD_EVERY_ENTRIES", default=5)

# The editing desk (editing/): an open form beats (and autosaves what changed) every
# EDITING_AUTOSAVE_SECONDS; a user not heard from for EDITING_PRESENCE_SECONDS has left.
# A draft larger than EDITING_DRAFT_MAX_BYTES is refused (the page says to save it).
EDITING_AUTOSAVE_SECONDS = env.int("EDITING_AUTOSAVE_SECONDS", default=5)
EDITING_PRESENCE_SECONDS = env.int("EDITING_PRESENCE_SECONDS", default=30)
EDITING_DRAFT_MAX_BYTES = env.int("EDITING_DRAFT_MAX_BYTES", default=1024 * 1024)
# An editing page's autosave token lasts this long (a form left open for days reloads).
EDITING_TOKEN_MAX_AGE_SECONDS = 3 * 24 * 3600
# Reading time: words read per minute, and the length from which readers are told it.
READING_WORDS_PER_MINUTE = env.int("READING_WORDS_PER_MINUTE", default=230)
READING_TIME_MIN_WORDS = env.int("READING_TIME_MIN_WORDS", default=600)

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
