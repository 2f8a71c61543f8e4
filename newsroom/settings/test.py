from .base import *  # noqa: F403

# The test suite's own key; production refuses to start without SECRET_KEY.
SECRET_KEY = "test-only-secret-key"  # noqa: S105  # nosec B105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SITE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Off unless a test turns it on: most tests count queries or change rows behind its back.
PAGE_CACHE_SECONDS = 0
# One process, one clock: a page rendered after a purge may be kept at once.
PURGE_CLOCK_SKEW_SECONDS = 0
AXES_VERBOSE = False
