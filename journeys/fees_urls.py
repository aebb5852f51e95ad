"""URLs of the fee pages and of renewal (included by journeys/urls.py)."""

from django.urls import path

from journeys import fees_views, renewal_views

urlpatterns = [
    path("invoices/", fees_views.invoice_list, name="invoices"),
    path("invoices/<int:invoice_pk>/", fees_views.invoice_detail, name="invoice"),
    path(
        "invoices/<int:invoice_pk>/payment/",
        fees_views.invoice_payment,
        name="invoice_payment",
    ),
    # The deadlines' renewal invitation links here: keep the name and the `pk` argument.
    path("journeys/<int:pk>/renew/", renewal_views.renew, name="renew"),
]
