from uuid import UUID

from stockline.audit.actors import Actor
from stockline.audit.models import AuditEntry
from stockline.core.ids import uuid7


def audit_entry_values(
    *,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id,
    metadata: dict | None = None,
    channel: str = "",
    entry_id: UUID | None = None,
) -> dict:
    """An entry as {attname: value}, its id already chosen (`entry_id`, else a new one):
    what an order's writer inserts, and what audit_entry_build makes an instance of."""
    return {
        "id": entry_id or uuid7(),
        "company_id": actor.company_id,
        **actor.stamp(),
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id),
        "channel": channel,
        "metadata": metadata or {},
    }


def audit_entry_build(**kwargs) -> AuditEntry:
    """An unsaved entry (arguments as audit_entry_values), for callers that bulk-insert it
    with their other rows."""
    return AuditEntry(**audit_entry_values(**kwargs))


def audit_record(**kwargs) -> AuditEntry:
    """Write one audit entry in the caller's transaction."""
    entry = audit_entry_build(**kwargs)
    entry.save()
    return entry
