"""The HTTP caches in front of the app (Varnish, a CDN), told which keys to purge.

Each is configured from the environment (see the README): Varnish servers by their
address (deploy/varnish.vcl answers PURGE with xkey), Fastly by service and token,
Cloudflare by zone and token. The CDNs' APIs are documented at
https://www.fastly.com/documentation/reference/api/purging/ (bulk purge by surrogate key,
up to 256 keys a request, soft with ``Fastly-Soft-Purge: 1``) and
https://developers.cloudflare.com/cache/how-to/purge-cache/purge-by-tags/ (up to 100
tags a request, no soft purge). A purge that fails is logged by the caller; the page
then expires by its s-maxage.
"""

import json
import urllib.request
from functools import cache as memoize

from django.conf import settings
from django.utils.module_loading import import_string


class FrontCache:
    timeout = 2  # seconds: a purge runs after a commit, inside the request that made it
    max_keys = 256

    def purge(self, keys):
        for hard, batch in [(True, keys.hard), (False, keys.soft - keys.hard)]:
            batch = sorted(batch)
            for start in range(0, len(batch), self.max_keys):
                self.send(batch[start : start + self.max_keys], hard=hard)

    def send(self, keys, *, hard):
        raise NotImplementedError

    def request(self, url, *, method="POST", headers, data=None):
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"A front cache is reached over HTTP(S), not at {url!r}")
        request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
            return response.read()


class Varnish(FrontCache):
    """Varnish with deploy/varnish.vcl: ``PURGE /`` with the keys in ``xkey-purge``
    (dropped) or ``xkey-softpurge`` (served stale while fetched again)."""

    def __init__(self, url):
        self.url = url.rstrip("/") + "/"

    def send(self, keys, *, hard):
        header = "xkey-purge" if hard else "xkey-softpurge"
        self.request(self.url, method="PURGE", headers={header: " ".join(keys)})

    def __str__(self):
        return f"Varnish at {self.url}"


class Fastly(FrontCache):
    def __init__(self, *, service_id, api_token, api_url="https://api.fastly.com"):
        self.url = f"{api_url.rstrip('/')}/service/{service_id}/purge"
        self.api_token = api_token

    def send(self, keys, *, hard):
        headers = {"Fastly-Key": self.api_token, "Surrogate-Key": " ".join(keys)}
        if not hard:
            headers["Fastly-Soft-Purge"] = "1"
        self.request(self.url, headers=headers)

    def __str__(self):
        return f"Fastly ({self.url})"


class Cloudflare(FrontCache):
    max_keys = 100

    def __init__(self, *, zone_id, api_token, api_url="https://api.cloudflare.com/client/v4"):
        self.url = f"{api_url.rstrip('/')}/zones/{zone_id}/purge_cache"
        self.api_token = api_token

    def send(self, keys, *, hard):
        # Cloudflare has no soft purge: a soft purge is a purge there.
        self.request(
            self.url,
            headers={
                "Authorization": f"Bearer {self.api_token}",
                "Content-Type": "application/json",
            },
            data=json.dumps({"tags": keys}).encode(),
        )

    def __str__(self):
        return f"Cloudflare ({self.url})"


@memoize
def _build(config):
    backend, options = config
    return import_string(backend)(**dict(options))


def front_caches():
    """The configured front caches, from settings.FRONT_CACHES: a list of
    ``{"BACKEND": "newsroom.frontcache.Varnish", "OPTIONS": {...}}``."""
    return [
        _build((entry["BACKEND"], tuple(sorted(entry.get("OPTIONS", {}).items()))))
        for entry in settings.FRONT_CACHES
    ]
