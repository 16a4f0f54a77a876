"""PDF benchmark: the toolkit handbook of a 500-member company, rendered as one document the
way anyone would (the baseline), by the product on its first render (issue), and again after
one member moves branch; the product's one-page certificate (its template with certificate.css
and the QR code, through core.pdf as certificate_issue makes it); the render's peak memory, of
the render's process and the renderers it forks, summed (TreeMemory).

    python bench/pdf.py        # DATABASE_URL's server, or `make bench` (embedded)

BENCH_PDF_OUT=/tmp/handbook.pdf keeps the product's handbook for a look.
Last line: `pdf: handbook <pages> pages, single pass <s> s, issue <s> s, after one change <s> s
(<r>x), certificate p50 <ms> ms, peak <mb> MB`.
"""

import multiprocessing
import os
import re
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchdb import setup

MEMBERS = 500
BRANCHES = 12
CERTIFICATES = 21
ROUNDS = int(os.environ.get("BENCH_PDF_ROUNDS", "3"))


def company_of_500():
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from demo.names import chinese_names
    from tenants import services
    from tenants.models import CompanyStatus
    from toolkit.life.models import Meeting, MeetingKind
    from toolkit.mall.models import Reward
    from toolkit.org.models import Gender, Member, MemberStatus, OrgUnit, Position, UnitKind

    services.spare_pool_refill(size=1)
    company = services.company_create(name="华光智能制造有限公司", slug="pdfbench")
    services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
    company = services.company_provision(company_id=company.pk)  # the fast path: the pool
    password = make_password("bench-2026!")
    with schema_context(company.schema_name):
        committee = OrgUnit.objects.create(name="华光智能制造有限公司党委",
                                           kind=UnitKind.COMMITTEE)
        names = ["研发", "生产一", "生产二", "质量", "销售", "市场", "财务", "人力资源",
                 "采购", "物流", "信息技术", "行政"]
        units = [OrgUnit.objects.create(name=f"{names[i]}党支部", kind=UnitKind.BRANCH,
                                        parent=committee, order=i) for i in range(BRANCHES)]
        users = User.objects.bulk_create([
            User(username=f"138{n:08d}", mobile=f"138{n:08d}", full_name=name,
                 role=Role.MEMBER, password=password)
            for n, name in enumerate(chinese_names(MEMBERS, seed=11))])
        statuses = [MemberStatus.FULL] * 8 + [MemberStatus.PROBATIONARY, MemberStatus.ACTIVIST]
        members = Member.objects.bulk_create([
            Member(user=user, unit=units[n % BRANCHES],
                   gender=Gender.MALE if n % 3 else Gender.FEMALE, status=statuses[n % 10],
                   position=Position.SECRETARY if n < BRANCHES else Position.MEMBER,
                   joined_on=datetime.date(1995 + n % 30, 1 + n % 12, 1 + n % 28))
            for n, user in enumerate(users)])
        for unit, secretary in zip(units, members, strict=False):
            unit.secretary = secretary
            unit.save(update_fields=["secretary"])
        admin = User.objects.create(username="admin", full_name="管理员", password=password,
                                    role=Role.COMPANY_ADMIN)
        year = timezone.localdate().year
        for i, unit in enumerate(units):
            for month in (3, 6, 9):
                start = timezone.make_aware(datetime.datetime(year, month, 10 + i, 14))
                Meeting.objects.create(unit=unit, kind=MeetingKind.BRANCH_ASSEMBLY,
                                       title="学习贯彻党的创新理论", starts_at=start,
                                       ends_at=start + datetime.timedelta(hours=2),
                                       created_by=admin)
        Reward.objects.bulk_create([Reward(name="党建主题笔记本", cost=30, stock=20),
                                    Reward(name="保温杯", cost=80, stock=8)])
    return company


def single_pass(schema: str, collector_paused: bool = False) -> float:
    """The whole handbook as one HTML document, one WeasyPrint write_pdf: the baseline, with
    the project's fonts and stylesheets and Python's defaults (the cyclic collector on).
    collector_paused: the same through pdf_render, which pauses it as the product's renders
    do (docs/decisions/0032): printed beside, to show what the structure itself gains."""
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from core.pdf.fetcher import fetch_scope
    from core.pdf.render import render_document
    from tenants.selectors import current_company
    from toolkit.documents.handbook import HandbookFacts, cover_html, handbook_sections
    from toolkit.documents.renderer import pdf_render, pdf_warm

    pdf_warm()  # fonts and stylesheets loaded before the clock starts, as for the product
    with schema_context(schema):
        facts = HandbookFacts(company=current_company(), batch="2026年春季孵化批次",
                              issuer="党建孵化器", year=timezone.localdate().year)
        documents = [cover_html(facts=facts, edition="full", dated=timezone.now())]
        documents += [section.html for section in handbook_sections(facts=facts, edition="full")]
    head = re.search(r"<head>.*?</head>", documents[0], flags=re.S).group(0)
    bodies = [re.search(r"<body[^>]*>(.*)</body>", html, flags=re.S).group(1)
              for html in documents]
    html = (f"<!doctype html><html lang='zh-CN'>{head}<body>"
            + "".join(f"<div class='chapter'>{body}</div>" for body in bodies)
            + "<style>.chapter { break-before: page }</style></body></html>")
    started, cpu = time.perf_counter(), time.process_time()
    if collector_paused:
        pdf_render(html=html)
    else:  # one WeasyPrint write_pdf, with the project's fonts
        render_document(html=html, scope=fetch_scope(base_url=None))
    elapsed = time.perf_counter() - started
    (PAUSED_CPU if collector_paused else SINGLE_CPU).append(time.process_time() - cpu)
    return elapsed


def _product_render(schema: str, out: str, pipe) -> None:
    """In a process of its own, so the memory of its tree is the render's alone (and not a pool's
    daemonic worker, which the renderer may not fork its own workers from)."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from toolkit.documents import services

    connection.close()
    services.documents_warm()  # what a Celery worker process does when it starts
    with schema_context(schema):
        render = services.handbook_request(issuer="党建孵化器", batch_name="2026年春季孵化批次")
        started, cpu = time.perf_counter(), _cpu_seconds()
        render = services.handbook_render(render_id=render.pk)
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu
        assert render.status == "done", render.error
        if out:
            with open(out, "wb") as handle:
                handle.write(render.file.read())
    connection.close()
    pipe.send((elapsed, render.pages, render.sections_rendered, render.content_sha256, cpu))


class TreeMemory:
    """The peak memory of a process and all its descendants (the render's process and the
    renderers it forks in parallel, core/pdf/sections.py _render_all): a thread sums their
    Pss (/proc/<pid>/smaps_rollup; VmRSS where the kernel has none) every INTERVAL and keeps
    the largest sum. Pss counts a page shared by n processes 1/n in each, so the forked
    renderers' copy-on-write pages are counted once, not once a process (the pages the
    render's process still shares with this one count half)."""

    INTERVAL = 0.02

    def __init__(self, pid: int):
        import threading

        self.pid, self.peak_kib, self.processes, self.samples = pid, 0, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            started = time.perf_counter()
            pids = self._tree()
            total = sum(self._memory_kib(pid) for pid in pids)
            if total > self.peak_kib:
                self.peak_kib, self.processes = total, len(pids)
            self.samples += 1
            if self._stop.wait(max(0.0, self.INTERVAL - (time.perf_counter() - started))):
                return

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:  # ended meanwhile
                continue
            parent = int(stat[stat.rindex(b")") + 2:].split()[1])  # after "pid (comm) state"
            children.setdefault(parent, []).append(int(name))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        return tree

    @staticmethod
    def _memory_kib(pid: int) -> int:
        for path, field in ((f"/proc/{pid}/smaps_rollup", "Pss:"),
                            (f"/proc/{pid}/status", "VmRSS:")):
            try:
                with open(path) as handle:
                    for line in handle:
                        if line.startswith(field):
                            return int(line.split()[1])
            except OSError:  # no such file, or the process ended
                continue
        return 0


SINGLE_CPU: list[float] = []
PAUSED_CPU: list[float] = []


def _cpu_seconds() -> float:
    """This process's and its finished children's (the forked renderers') CPU time."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                           resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def product_render(schema: str, out: str = "",
                   measure_memory: bool = False) -> tuple[float, int, int, int, str, float]:
    """The product's render in a process of its own: its seconds, pages, sections rendered,
    peak memory in KiB (measure_memory: the process tree's, TreeMemory; 0 otherwise, since
    the sampling thread's reads of /proc cost CPU the timed renders should not share), content
    hash and CPU seconds."""
    import contextlib
    import gc

    from django.db import connections

    connections.close_all()
    gc.collect()  # the single pass's garbage (pdf_render pauses the collector) is not inherited
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_product_render, args=(schema, out, sender))
    process.start()  # before the sampler's thread starts: the fork copies this one thread only
    memory = TreeMemory(process.pid) if measure_memory else None
    with memory or contextlib.nullcontext():
        elapsed, pages, sections, content_hash, cpu = receiver.recv()
        process.join()
    if memory:
        print(f"peak: {memory.peak_kib / 1024:.0f} MB Pss over {memory.processes} processes "
              f"(the render's and its renderers), {memory.samples} samples")
    return elapsed, pages, sections, memory.peak_kib if memory else 0, content_hash, cpu


def member_moves(schema: str, nth: int = 0) -> None:
    """The nth member (a different one each round) moves to another branch."""
    from django_tenants.utils import schema_context

    from toolkit.org.models import Member, OrgUnit, Position

    with schema_context(schema):
        mover = Member.objects.filter(position=Position.MEMBER).order_by("id")[nth]
        mover.unit = OrgUnit.objects.exclude(pk=mover.unit_id).filter(kind="branch").last()
        mover.save(update_fields=["unit"])


def certificate_p50_ms(schema: str) -> float:
    """The product's own certificate, as certificate_issue makes it in the company's schema:
    the template (learning/certificates/certificate.html with certificate.css) and its QR code
    of the verify address, through core.pdf with the company's storage (certificate_pdf)."""
    from decimal import Decimal

    from django.utils import timezone
    from django_tenants.utils import schema_context

    from toolkit.learning.certificates_pdf import certificate_html, certificate_pdf
    from training.certificates import certificate_number_new, certificate_verify_url

    times = []
    with schema_context(schema):
        for n in range(CERTIFICATES):
            number = certificate_number_new()
            started = time.perf_counter()
            html = certificate_html(
                number=number, holder_name=f"林喆{n}",
                course_title="学习贯彻党的二十届三中全会精神", hours=Decimal("12.0"),
                issued_on=timezone.localdate(), issuer="党建孵化器培训中心",
                verify_url=certificate_verify_url(number=number))
            pdf = certificate_pdf(html=html)
            times.append((time.perf_counter() - started) * 1000)
            assert pdf.startswith(b"%PDF")
            assert "certificate.css" in html and "data:image/svg" in html  # the real one
    return statistics.median(times[1:])  # the first warms the fonts


def main() -> None:
    os.environ.setdefault("PDF_CACHE_DIR", tempfile.mkdtemp(prefix="pdf-bench-"))
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="pdf-bench-media-"))
    setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # a line per step otherwise
    logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
    company = company_of_500()
    schema = company.schema_name
    # The machine is shared: each figure is the median of ROUNDS, the product's render and the
    # single pass taken in turn so that both see the same load.
    issues, singles, afters, hashes, paused = [], [], [], set(), []
    for round_ in range(ROUNDS):
        shutil.rmtree(Path(os.environ["PDF_CACHE_DIR"]) / schema, ignore_errors=True)
        issue, pages, sections, _peak, content_hash, issue_cpu = product_render(
            schema, os.environ.get("BENCH_PDF_OUT", "") if round_ == 0 else "")
        issues.append(issue)
        hashes.add(content_hash)
        singles.append(single_pass(schema))
        paused.append(single_pass(schema, collector_paused=True))
        print(f"issue: {pages} pages, {sections} sections rendered in {issue:.2f} s, "
              f"{issue_cpu:.2f} CPU s (single pass {singles[-1]:.2f} s, "
              f"{SINGLE_CPU[-1]:.2f} CPU s; with the collector paused {paused[-1]:.2f} s, "
              f"{PAUSED_CPU[-1]:.2f} CPU s), load {os.getloadavg()[0]:.1f}")
    again, _pages, cached, _peak, same_hash, _cpu = product_render(schema)
    print(f"unchanged data: {cached} sections rendered in {again:.2f} s, "
          f"same hash: {hashes == {same_hash}}")
    for round_ in range(ROUNDS):
        member_moves(schema, round_)
        after, _pages, changed, _peak, _hash, _cpu = product_render(schema)
        afters.append(after)
        print(f"after one change: {changed} sections rendered in {after:.2f} s")
    single, issue, after = (statistics.median(values) for values in (singles, issues, afters))
    cert = certificate_p50_ms(schema)
    print(f"single pass with the collector paused {statistics.median(paused):.2f} s: "
          f"issue {issue / statistics.median(paused):.2f} of it")
    # The peak: an issue's render (every section laid out, the most renderers at once) and an
    # after-one-change render, each measured apart from the timed ones.
    shutil.rmtree(Path(os.environ["PDF_CACHE_DIR"]) / schema, ignore_errors=True)
    peaks = [product_render(schema, measure_memory=True)[3]]
    member_moves(schema, ROUNDS)
    peaks.append(product_render(schema, measure_memory=True)[3])
    peak_mb = max(peaks) / 1024
    print(f"pdf: handbook {pages} pages, single pass {single:.2f} s, issue {issue:.2f} s, "
          f"after one change {after:.2f} s ({single / after:.1f}x), certificate p50 "
          f"{cert:.0f} ms, peak {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
