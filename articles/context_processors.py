from django.utils.functional import SimpleLazyObject

from newsroom.prepared import PreparedRead

from .models import Section

SECTIONS = PreparedRead(lambda: Section.objects.all())


def navigation(request):
    """The sections for the navigation, queried only if a template shows them."""
    return {"nav_sections": SimpleLazyObject(SECTIONS)}
