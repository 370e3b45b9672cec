"""The storefront of one company, under /store/<slug>/ (the slug reaches every view)."""

from django.urls import path

from stockline.storefront.views import account, auth, cart, catalog, orders, password

app_name = "storefront"

urlpatterns = [
    path("", auth.landing, name="landing"),
    path("register", auth.register, name="register"),
    path("login", auth.login, name="login"),
    path("logout", auth.logout, name="logout"),
    path("password-reset", password.password_reset, name="password_reset"),
    path("password-reset/done", password.password_reset_done, name="password_reset_done"),
    path("password-reset/complete", password.password_reset_complete, name="password_reset_complete"),
    path(
        "password-reset/<uidb64>/<token>",
        password.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("catalog", catalog.catalog, name="catalog"),
    path("products/<uuid:product_id>", catalog.product_detail, name="product"),
    path("cart", cart.cart, name="cart"),
    path("cart/add", cart.add, name="cart_add"),
    path("checkout", cart.checkout, name="checkout"),
    path("account", account.account, name="account"),
    path("orders", orders.order_list, name="orders"),
    path("orders/<uuid:order_id>", orders.order_detail, name="order"),
]
