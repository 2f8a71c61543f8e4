from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is fine on a developer's machine only; prod refuses to start without one.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
# Template edits show at once in development; set PAGE_CACHE_SECONDS to try the page cache.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
