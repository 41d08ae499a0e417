"""Background work of the exchange domain: delivering webhooks (queued after the commit of the change)."""

from django.utils import timezone
from django_tasks import default_task_backend, task


@task()
def webhook_deliver(delivery_id: int) -> str:
    """Try a delivery; if it is to be tried again, queue the retry at its time (where the backend can defer)."""
    from .choices import DeliveryStatus
    from .models import WebhookDelivery
    from .webhooks import attempt

    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING or not delivery.endpoint.is_active:
        return "skipped"
    delivery = attempt(delivery)
    if delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at and default_task_backend.supports_defer:
        webhook_deliver.using(run_after=max(delivery.next_attempt_at, timezone.now())).enqueue(delivery.pk)
    return delivery.status
