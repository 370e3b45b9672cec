from django_tasks import task

from stockline.webhooks.notify import webhook_paused_email_send


@task(queue_name="email")
def send_webhook_paused_email(endpoint_id: str) -> str:
    return webhook_paused_email_send(endpoint_id)
