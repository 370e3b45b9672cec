"""The signed-in customer's account page: who they are, and changing their password."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from stockline.customers.services import customer_password_change
from stockline.storefront.access import customer_page, store_url
from stockline.storefront.forms import PasswordChangeForm
from stockline.storefront.session import customer_sign_in


@customer_page
def account(request):
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            customer_password_change(
                customer=request.customer,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("new_password1" if field == "new_password" else field, errors)
        else:
            # The new hash ends every session of the customer, this one included: sign it in again.
            customer_sign_in(request, slug=request.company.slug, customer=request.customer)
            messages.success(request, "Your password has been changed.")
            return redirect(store_url(request.company.slug, "account"))
    return render(request, "storefront/account.html", {"form": form}, status=422 if form.errors else 200)
