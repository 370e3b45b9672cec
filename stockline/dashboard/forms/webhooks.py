"""Settings → Webhooks forms. They only parse; stockline.webhooks.services decides what a
valid endpoint is (http(s), public host, length, at least one known event type)."""

from django import forms

from stockline.events.models import EventType


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(
        label="Endpoint URL",
        help_text="An http:// or https:// URL on a public host. Each event arrives as a signed POST.",
        widget=forms.TextInput(attrs={"placeholder": "https://erp.example.com/hooks/stockline"}),
    )
    # Not required here: the service says "Choose at least one event type."
    events = forms.MultipleChoiceField(
        label="Events",
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    @classmethod
    def for_endpoint(cls, endpoint, data=None):
        return cls(data, initial={"url": endpoint.url, "events": endpoint.events})


class WebhookActiveForm(forms.Form):
    """Pause ("0") or resume ("1") an endpoint."""

    is_active = forms.TypedChoiceField(choices=[("1", "Resume"), ("0", "Pause")], coerce=lambda v: v == "1")
