"""What other apps show above a section's list of stories (its curated front), so that
the articles app's section page leaves those stories out of its list without importing
them.

An app declares it on its AppConfig: ``above_section_list(request, section)`` returns
what it shows there (with ``articles``, the stories shown, and ``published_at``, when
it last changed, for the page's Last-Modified) or None, and notes on
`request` the cache keys of what it read (newsroom.cachekeys.shows). It is asked on
every page of the list, not only the first that shows it: the stories it shows are left
out of every page, so that pages follow on from each other, and every page changes
with it.
"""

from django.apps import apps


def above_section_list(request, section):
    """What the first app declaring it shows above `section`'s list, or None."""
    for app_config in apps.get_app_configs():
        declared = getattr(app_config, "above_section_list", None)
        if declared is not None and (shown := declared(request, section)) is not None:
            return shown
    return None
