"""The rules of ads.txt and of click targets, as validators of model fields.

On the field rather than in the admin's form, so the rules hold for every save that
validates: the admin, a shell, a data import.
"""

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ADS_TXT_VARIABLES = {
    "contact",
    "subdomain",
    "inventorypartnerdomain",
    "ownerdomain",
    "managerdomain",
}
DOMAIN = re.compile(
    r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$", re.I
)
CERTIFICATION_ID = re.compile(r"^[a-z0-9]+$", re.I)
RECORD_FORMAT = _(
    "write “domain, publisher ID, DIRECT or RESELLER” with an optional certification ID, "
    "e.g. “example-exchange.com, pub-123, DIRECT, f08c47fec0942fa0”, or a variable such "
    "as “contact=ads@example.com”"
)


def ads_txt_line_error(line: str) -> str | None:
    """What is wrong with one ads.txt line (comment already removed), or None."""
    name, equals, value = line.partition("=")
    if equals and "," not in name:
        name, value = name.strip().lower(), value.strip()
        if name not in ADS_TXT_VARIABLES:
            return _("“%(name)s” is not an ads.txt variable; use one of %(names)s.") % {
                "name": name,
                "names": ", ".join(sorted(ADS_TXT_VARIABLES)),
            }
        if not value:
            return _("“%s=” needs a value.") % name
        domain = value.split(",")[0].strip() if name == "managerdomain" else value
        if name != "contact" and not DOMAIN.match(domain):
            return _("“%s” is not a domain name.") % domain
        return None
    record = line.split(";")[0]  # ";" starts extension fields, which are free-form
    fields = [field.strip() for field in record.split(",")]
    if len(fields) not in (3, 4):
        return _("“%(line)s” is not a seller record: %(format)s.") % {
            "line": line,
            "format": RECORD_FORMAT,
        }
    domain, publisher_id, relationship, *certification = fields
    if not DOMAIN.match(domain):
        return _("“%s” is not the domain name of an advertising system.") % domain
    if not publisher_id or re.search(r"\s", publisher_id):
        return _("“%s” is not a publisher ID (it cannot be empty or contain spaces).") % (
            publisher_id
        )
    if relationship.upper() not in ("DIRECT", "RESELLER"):
        return _("the third field must be DIRECT or RESELLER, not “%s”.") % relationship
    if certification and not CERTIFICATION_ID.match(certification[0]):
        return (
            _("“%s” is not a certification authority ID (letters and digits only).")
            % (certification[0])
        )
    return None


def validate_ads_txt(content: str) -> None:
    """Raise ValidationError naming each line that is not valid ads.txt."""
    errors = []
    for number, line in enumerate(content.splitlines(), start=1):
        line = line.split("#")[0].strip()
        if not line:
            continue
        error = ads_txt_line_error(line)
        if error:
            errors.append(
                ValidationError(
                    _("Line %(number)d: %(error)s"),
                    code="ads_txt",
                    params={"number": number, "error": error},
                )
            )
    if errors:
        raise ValidationError(errors)


# Names that never lead to a public site (RFC 6761, RFC 8375 and common intranet suffixes).
PRIVATE_SUFFIXES = ("localhost", "local", "localdomain", "internal", "home.arpa", "invalid")


def _numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """An IPv4 address however it is written: browsers read "2130706433", "0x7f.1" and
    "0177.0.0.1" as 127.0.0.1 (the WHATWG URL standard's IPv4 parser), so a host whose last
    label is a number is an address, not a name."""
    labels = host.split(".")
    if not re.fullmatch(r"(0x[0-9a-f]*|[0-9]+)", labels[-1]):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        raise ValidationError(
            _("“%(host)s” is neither a host name nor an IP address."),
            code="target_host",
            params={"host": host},
        ) from None


def _address_of(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return _numeric_ipv4(host)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def validate_public_url(url: str) -> None:
    """Refuse a click target that is not an http(s) address of a public host.

    A click redirects the reader's browser, from our site, to this address: a target on
    the reader's own machine or network (a router's admin page, 127.0.0.1) would use
    our redirect to reach what no public page could. Only the written address is judged;
    DNS is not asked at save time, since the answer can change the moment after (DNS
    rebinding) and a slow resolver would hang the admin, while our server never fetches
    the target: the reader's browser does.
    """
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1/": Django's URLValidator, run alongside, says why
        return
    if parts.scheme.lower() not in ("https", "http"):
        raise ValidationError(
            _("A click target must be an https:// address (or http://), not %(scheme)s:."),
            code="target_scheme",
            params={"scheme": parts.scheme or "a relative address"},
        )
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            _("Remove the user name and password from the address; readers would all see them."),
            code="target_credentials",
        )
    host = (parts.hostname or "").rstrip(".")
    address = _address_of(host)
    if address is not None:
        if not address.is_global:
            raise ValidationError(
                _("%(host)s is a private, local or reserved address, not a public site."),
                code="target_private",
                params={"host": host if host == str(address) else f"{host} ({address})"},
            )
        return
    if "." not in host or any(
        host == suffix or host.endswith(f".{suffix}") for suffix in PRIVATE_SUFFIXES
    ):
        raise ValidationError(
            _("“%(host)s” is a local name, not a public site: use its full domain name."),
            code="target_local",
            params={"host": host or url},
        )
