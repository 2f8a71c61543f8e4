"""Who is asking: the reader's address behind trusted proxies, and a private hash of it."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.crypto import salted_hmac

# "0.0.0.0" stands for "no address" in keys and records; nothing binds to it.
NO_ADDRESS = str(ipaddress.IPv4Address(0))


def _trusted_networks():
    return [ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES]


def _is_trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    """The reader's IP address.

    REMOTE_ADDR is believed unless it is one of settings.TRUSTED_PROXIES; then the
    X-Forwarded-For hops are read from the right, skipping trusted proxies, and the
    first other address is the reader's. A reader cannot choose their address by
    sending the header themselves: only what a trusted proxy appended is read.
    """
    remote = request.META.get("REMOTE_ADDR", "") or NO_ADDRESS
    networks = _trusted_networks()
    if not _is_trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_trusted(hop, networks):
            try:
                address = ipaddress.ip_address(hop)
            except ValueError:
                return remote
            # Without an IPv6 zone ("fe80::1%eth0"): it names an interface on the proxy's
            # own host, and PostgreSQL's inet columns refuse it.
            return str(ipaddress.ip_address(address.packed))
    return remote


def client_network(request) -> str:
    """The reader as rate limits and reports count them: the address, or for IPv6 its /64,
    since one IPv6 subscriber is given a whole /64 to pick addresses from."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_hash(request) -> str:
    """A stable, private stand-in for the reader (never shown, never reversible)."""
    return salted_hmac("newsroom.client", client_network(request)).hexdigest()


def is_own_origin(request, url: str) -> bool:
    """Whether `url` (an Origin, or a Referer's page) is on this site: its own scheme and
    host, or one of settings.CSRF_TRUSTED_ORIGINS. "null" and other junk are not."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return f"{parts.scheme}://{parts.netloc}" in {
        f"{request.scheme}://{request.get_host()}",
        *settings.CSRF_TRUSTED_ORIGINS,
    }


def from_other_site(request) -> bool:
    """Whether the browser says another site's page sent this request: Sec-Fetch-Site
    (every current browser), Origin (sent with POSTs) or the Referer. When it says
    nothing (privacy settings drop the Referer), the request is taken as our own."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    source = request.headers.get("Origin") or request.headers.get("Referer")
    return source is not None and not is_own_origin(request, source)


def login_username(request, credentials=None):
    """The username django-axes records for a failed admin login, cut to its column's
    255 characters: the admin's login form passes longer ones on to authenticate()."""
    username = (credentials or request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return username[:255] if isinstance(username, str) else username
