class OrderError(Exception):
    """Base of order business-rule refusals (rendered as 422 by the API)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class InvalidTransition(OrderError):
    def __init__(self, current: str, target: str):
        self.current = current
        self.target = target
        super().__init__(f"Cannot change an order from {current} to {target}.")


class OrderNotFound(OrderError):
    def __init__(self):
        super().__init__("Order not found.")


class CustomerNotFound(OrderError):
    """The order's customer is not one of the company's (rendered as 404 by the API)."""

    def __init__(self):
        super().__init__("Customer not found.")
