"""The company's check-in page for an offline session (the trainee arrives from the public
site's check-in page with a hand-off token and logs in here if needed)."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from core.errors import Refused
from core.ratelimits import configured_rate
from toolkit.learning import offline
from toolkit.org.access import member_required


@require_http_methods(["GET", "POST"])
@ratelimit(group="checkin-ip", key="ip", rate=configured_rate)
@member_required
@ratelimit(group="checkin-user", key="user", rate=configured_rate)
@never_cache
def checkin(request, token):
    """Opening the link shows the session and a button; only the POST checks in."""
    try:
        if request.method == "POST":
            session = offline.offline_checkin(token=token, member=request.member)
            return render(request, "learning/offline/checkin.html",
                          {"session": session, "done": True})
        session = offline.offline_session_for(token=token)
    except Refused as refusal:
        return render(request, "learning/offline/checkin.html", {"refused": str(refusal)},
                      status=400)
    return render(request, "learning/offline/checkin.html", {"session": session})
