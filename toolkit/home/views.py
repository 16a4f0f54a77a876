from django.shortcuts import render

from toolkit.org import selectors as org


def company_home(request):
    context = {}
    if request.user.is_authenticated:
        context["member"] = org.member_for_user(request.user)
        context["units"] = org.units_with_member_counts()
    return render(request, "home/company_home.html", context)
