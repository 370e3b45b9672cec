from django_tasks import task

from stockline.notifications.services import low_stock_alert_send


@task(queue_name="email")
def send_low_stock_alert(alert_id: str) -> str:
    return low_stock_alert_send(alert_id)
