from django.urls import path

from stockline.imports import views

app_name = "imports"

urlpatterns = [
    path("import", views.upload, name="import"),
    path("import/<uuid:batch_id>", views.batch_detail, name="batch"),
    path("import/<uuid:batch_id>/apply", views.batch_apply, name="apply"),
    path("export", views.export, name="export"),
]
