from django.urls import path

from stockline.dashboard.views import (
    api_keys,
    audit,
    auth,
    home,
    inventory,
    orders,
    password,
    settings,
    team,
    webhooks,
)

app_name = "dashboard"

urlpatterns = [
    path("signup", auth.signup, name="signup"),
    path("login", auth.LoginView.as_view(), name="login"),
    path("logout", auth.LogoutView.as_view(), name="logout"),
    path("password-reset", password.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/done", password.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/complete",
        password.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-reset/<uidb64>/<token>",
        password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("invite/<str:token>", auth.invitation_accept_page, name="invitation"),
    path("dashboard", home.home, name="home"),
    path("dashboard/account/password", password.password_change, name="password_change"),
    path("dashboard/switch-company", auth.switch_company, name="switch_company"),
    path("dashboard/inventory", inventory.inventory_list, name="inventory"),
    path("dashboard/inventory/bulk", inventory.inventory_bulk, name="inventory_bulk"),
    path("dashboard/inventory/new", inventory.product_new, name="product_new"),
    path("dashboard/inventory/<uuid:product_id>", inventory.product_detail, name="product_detail"),
    path("dashboard/inventory/<uuid:product_id>/edit", inventory.product_edit, name="product_edit"),
    path("dashboard/orders", orders.order_list, name="orders"),
    path("dashboard/orders/new", orders.order_new, name="order_new"),
    path("dashboard/orders/new/products", orders.order_picker, name="order_picker"),
    path("dashboard/orders/new/line/<uuid:product_id>", orders.order_cart_line, name="order_cart_line"),
    path("dashboard/orders/<uuid:order_id>", orders.order_detail, name="order_detail"),
    path("dashboard/orders/<uuid:order_id>/status", orders.order_status, name="order_status"),
    path("dashboard/settings", settings.company_settings, name="settings"),
    path("dashboard/settings/team", team.team, name="team"),
    path("dashboard/settings/team/invite", team.team_invite, name="team_invite"),
    path(
        "dashboard/settings/team/invitations/<uuid:invitation_id>/revoke",
        team.team_invitation_revoke,
        name="team_invitation_revoke",
    ),
    path("dashboard/settings/team/<uuid:membership_id>/role", team.team_change_role, name="team_role"),
    path("dashboard/settings/team/<uuid:membership_id>/remove", team.team_remove, name="team_remove"),
    path("dashboard/settings/api-keys", api_keys.api_keys, name="api_keys"),
    path(
        "dashboard/settings/api-keys/<uuid:key_id>/revoke",
        api_keys.api_key_revoke_view,
        name="api_key_revoke",
    ),
    path("dashboard/settings/webhooks", webhooks.webhooks, name="settings_webhooks"),
    path(
        "dashboard/settings/webhooks/deliveries/<uuid:delivery_id>/redeliver",
        webhooks.webhook_redeliver_view,
        name="settings_webhook_redeliver",
    ),
    path("dashboard/settings/webhooks/<uuid:endpoint_id>", webhooks.webhook_detail, name="settings_webhook"),
    path(
        "dashboard/settings/webhooks/<uuid:endpoint_id>/active",
        webhooks.webhook_active,
        name="settings_webhook_active",
    ),
    path(
        "dashboard/settings/webhooks/<uuid:endpoint_id>/rotate",
        webhooks.webhook_rotate,
        name="settings_webhook_rotate",
    ),
    path(
        "dashboard/settings/webhooks/<uuid:endpoint_id>/test",
        webhooks.webhook_test,
        name="settings_webhook_test",
    ),
    path(
        "dashboard/settings/webhooks/<uuid:endpoint_id>/delete",
        webhooks.webhook_delete,
        name="settings_webhook_delete",
    ),
    path("dashboard/settings/audit", audit.audit_log, name="audit"),
]
