from django.utils.functional import SimpleLazyObject

from .models import Section


def navigation(request):
    """The sections for the navigation, queried only if a template shows them."""
    return {"nav_sections": SimpleLazyObject(lambda: list(Section.objects.all()))}
