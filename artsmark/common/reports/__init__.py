"""Generated reports: a registry of kinds, the request row's life, and who may read them.

A kind is a data function and a print template (settings.REPORT_KINDS); everything else
(queueing, rendering with WeasyPrint in a Celery worker, retries, storage, downloads) is
shared by every kind.
"""
