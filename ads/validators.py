"""The rules of ads.txt, as validators of the model field.

On the field rather than in the admin's form, so the rules hold for every save that
validates: the admin, a shell, a data import.
"""

import re

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
