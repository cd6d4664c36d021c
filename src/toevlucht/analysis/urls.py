from __future__ import annotations

from django.urls import URLPattern, path

from toevlucht.analysis import views

app_name = "analysis"
urlpatterns: list[URLPattern] = [
    path("", views.runs, name="runs"),
    path("exposure/", views.exposure, name="exposure"),
    path("backtest/", views.backtest, name="backtest"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/<str:name>", views.run_file, name="file"),
]
