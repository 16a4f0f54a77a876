from django.shortcuts import render

from toolkit.blocks.selectors import block_counts
from toolkit.groups import selectors as groups
from toolkit.home.selectors import dashboard_charts, member_home
from toolkit.indices import selectors as indices
from toolkit.org import selectors as org
from toolkit.org.access import company_user_required
from toolkit.projects.selectors import company_totals


def company_home(request):
    if not request.user.is_authenticated:
        return render(request, "home/company_home.html", {})
    member = org.member_for_user(user=request.user)
    context = {"member": member, "units": org.units_with_member_counts(),
               "owed": indices.steps_owed(user=request.user)}
    if member is not None:
        context.update(vars(member_home(member=member)))
        context["star_quarters"] = indices.star_quarters_of(member=member)
    return render(request, "home/company_home.html", context)


@company_user_required
def dashboard(request):
    """可视化管理: points, rankings, rewards and meeting compliance, for everyone."""
    return render(request, "home/dashboard.html", {
        **dashboard_charts(),
        "stars": indices.stars()[:20],
        "fortress": indices.fortress_ranking()[:20],
        "blocks": block_counts(),  # 5S 区块链
        "groups": groups.groups()[:6], "works": groups.latest_works(limit=5),
        "project_totals": company_totals(),
    })
