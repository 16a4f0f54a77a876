"""Signing in with a password (every host): Django's LoginView, and on a company's site the
hint of its company for the incubator's public check-in page (accounts.company_hint)."""

from django.contrib.auth import views as auth_views

from accounts.company_hint import company_hint_set
from accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        company_hint_set(request=self.request, response=response)
        return response
