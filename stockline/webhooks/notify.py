"""The one email sent when an endpoint has failed for PAUSE_AFTER and was paused."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from stockline.notifications.services import staff_alert_recipients
from stockline.webhooks.models import WebhookEndpoint


def webhook_paused_email_send(endpoint_id: str) -> str:
    endpoint = WebhookEndpoint.objects.filter(id=endpoint_id).first()
    if endpoint is None or endpoint.is_active:
        return "skipped: the endpoint is gone or active again"
    recipients = staff_alert_recipients(endpoint.company_id)
    link = settings.SITE_URL + reverse("dashboard:settings_webhooks")
    send_mail(
        subject="A webhook endpoint was paused after 3 days of failed deliveries",
        message=(
            f"Every delivery to {endpoint.url} has failed for 3 days, so Stockline paused it.\n\n"
            "Events keep being recorded; once the endpoint works again, resume it and redeliver "
            f"what it missed from its delivery log:\n{link}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )
    return f"sent to {len(recipients)}"
