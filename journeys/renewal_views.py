"""The renewal page: what the new journey will start from, then start it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from journeys import fees_selectors
from journeys.fees_access import get_journey_to_renew
from journeys.fees_forms import RenewalForm
from journeys.services.renewal import renew_journey


@login_required
def renew(request, pk):
    journey = get_journey_to_renew(request.user, pk)
    form = RenewalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                new = renew_journey(journey=journey, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    "Your new Artsmark journey has started on the current framework, with what "
                    "you chose to carry over. Registration raised a new invoice.",
                )
                return redirect("journeys:detail", pk=new.pk)
    data = fees_selectors.renewal_page_data(journey=journey)
    data["form"] = form
    return render(request, "journeys/renewal/renew.html", data, status=status)
