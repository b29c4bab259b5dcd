"""Django's ``makemessages``, also reading ``N_("…")``: how ``metrics.kpi_groups``, which holds
the KPI registry's texts as plain data without importing Django, marks them for translation."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
