from .base import *  # noqa: F403

# The test suite's own key; production refuses to start without SECRET_KEY.
SECRET_KEY = "test-only-secret-key"  # noqa: S105  # nosec B105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, so a test reads their mail in mail.outbox; the tests of the queue
# itself switch to the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SITE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Off unless a test turns it on: most tests count queries or change rows behind its back.
PAGE_CACHE_SECONDS = 0
FRAGMENT_CACHE_SECONDS = 0
# One process, one clock: a page rendered after a purge may be kept at once.
PURGE_CLOCK_SKEW_SECONDS = 0
AXES_VERBOSE = False
# Tests of other things sign staff in with force_login or a password alone; the tests of
# the second factor (tests/accounts/) turn production's rule on themselves.
MFA_REQUIRED_ROLES: list[str] = []
