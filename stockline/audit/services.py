from stockline.audit.actors import Actor
from stockline.audit.models import AuditEntry


def audit_entry_build(
    *,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id,
    metadata: dict | None = None,
    channel: str = "",
) -> AuditEntry:
    """An unsaved entry, for callers that bulk-insert with their other rows."""
    return AuditEntry(
        company_id=actor.company_id,
        **actor.stamp(),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        channel=channel,
        metadata=metadata or {},
    )


def audit_record(**kwargs) -> AuditEntry:
    """Write one audit entry in the caller's transaction."""
    entry = audit_entry_build(**kwargs)
    entry.save()
    return entry
