"""我的证书: the member's certificates, and each one's PDF."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from toolkit.learning.certificates_selectors import certificate_file_of, certificates_of
from toolkit.org.access import member_required


@member_required
def certificate_list(request):
    return render(request, "learning/certificates/list.html",
                  {"certificates": certificates_of(member=request.member)})


@member_required
def certificate_download(request, number):
    pdf = certificate_file_of(member=request.member, number=number)
    if pdf is None:
        raise Http404
    return FileResponse(pdf, content_type="application/pdf", as_attachment=True,
                        filename=f"certificate-{number}.pdf")
