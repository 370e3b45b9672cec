from django.urls import path

from stockline.api.api import api

urlpatterns = [path("", api.urls)]
