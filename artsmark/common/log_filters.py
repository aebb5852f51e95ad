"""Logging filters used by settings.LOGGING."""

import logging


class OneLineClientErrors(logging.Filter):
    """Log a 4xx answer (a 403 from an access helper, say) as one line, without a traceback.

    Django logs "Forbidden (Permission denied)" with the exception attached; the refusal is
    expected behaviour, not a fault, and the traceback only buries real errors.
    """

    def filter(self, record):
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
