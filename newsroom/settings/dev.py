from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is fine on a developer's machine only; prod refuses to start without one.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
# Template edits show at once in development; set PAGE_CACHE_SECONDS (and
# FRAGMENT_CACHE_SECONDS) to try the page cache (and the fragment cache).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=0)
# `make run` needs no worker: tasks run in the request, after its commit, and their
# mail goes to the console (EMAIL_URL's default).
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend")
    }
}
# The demo's accounts sign in with a password alone (`make run`); production requires a
# second factor of superusers and editors (MFA_REQUIRED_ROLES). Passkeys need a host
# name: try them at http://localhost:8000/admin/.
MFA_REQUIRED_ROLES = env.list("MFA_REQUIRED_ROLES", default=[])
