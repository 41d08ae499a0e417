"""makemessages that also reads ``_l``, the project's alias for ``gettext_lazy``."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
