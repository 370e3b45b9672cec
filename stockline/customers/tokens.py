"""Password-reset tokens for storefront customers (Django's generator, customers' own salt).

The hash covers the customer's id, password hash, status and email: a token dies when the
password changes (so it works once), when the customer is blocked or their email changes,
and after PASSWORD_RESET_TIMEOUT.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class CustomerPasswordResetTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "stockline.customers.tokens.CustomerPasswordResetTokenGenerator"

    def _make_hash_value(self, customer, timestamp: int) -> str:
        return f"{customer.pk}{customer.password}{customer.status}{customer.email}{timestamp}"


customer_password_reset_token = CustomerPasswordResetTokenGenerator()
