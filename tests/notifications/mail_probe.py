"""An email backend that notes, on each message, whether its sender held a database transaction."""

from django.core.mail.backends.locmem import EmailBackend
from django.db import connection


def database_transaction_open() -> bool:
    if connection.in_atomic_block:
        return True
    raw = connection.connection
    if raw is None:
        return False
    if connection.vendor == "sqlite":
        return raw.in_transaction
    from psycopg.pq import TransactionStatus

    return raw.info.transaction_status != TransactionStatus.IDLE


class TransactionProbeBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            message.sent_inside_transaction = database_transaction_open()
        return super().send_messages(messages)
