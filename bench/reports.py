"""Figures for the demo school's progress report (run after `make run` has seeded the demo).

    .venv/bin/python bench/reports.py [--quick]

Prints: pages; the median of 5 whole renders (data + template + WeasyPrint, in process) and
of WeasyPrint alone on our HTML; peak memory; WeasyPrint alone on a bare HTML page of the
same text, and the ratio between the two (what our template costs); throughput of 20
renders shared by two worker processes; and one real round trip through Celery (request ->
worker -> ready).

The bare page is compared like with like: the same text (pdftotext of our PDF, one <p> per
line), the same fonts, size and line height, A4 with the same margins, and the same tagging
(both PDF/UA-1, then both untagged). What it lacks is our template: cover, tables, chart,
running header and footer. Reads the development database and
writes report files under a temporary MEDIA_ROOT; changes no demo data except for adding
one report request (the round trip), which it deletes afterwards.
"""

import html
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "artsmark.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
MEDIA = tempfile.mkdtemp(prefix="bench-reports-")
os.environ["MEDIA_ROOT"] = MEDIA

RUNS = 5
THROUGHPUT_REPORTS = 20
WORKERS = 2
DEMO_LEAD = "lead@example.org"


def setup():
    import django

    django.setup()


def demo_journey():
    from journeys.models import Journey

    journey = (
        Journey.objects.filter(
            school__memberships__user__email=DEMO_LEAD, school__memberships__role="lead"
        )
        .order_by("-created_at")
        .first()
    )
    if journey is None:
        sys.exit("No demo journey: run `make run` (or manage.py seed_demo) first.")
    return journey


class BenchRequest:
    """What the print template sees of a request row."""

    kind = "progress"
    pk = 0


def render_progress(journey):
    from artsmark.common.pdf import render_pdf
    from artsmark.common.reports.services import build_html

    return render_pdf(build_html(BenchRequest(), journey))


# The print stylesheet's fonts, type size, line height and page box, and nothing else.
BARE_STYLE = (
    "@page { size: A4; margin: 22mm 18mm 20mm 18mm }"
    ' html { font-family: "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 10.5pt;'
    " line-height: 1.45 } body { margin: 0 } p { margin: 0 0 2.5mm }"
)


def bare_page(pdf_bytes):
    """A plain HTML page carrying the same text as the report (one <p> per line)."""
    path = Path(MEDIA) / "for-text.pdf"
    path.write_bytes(pdf_bytes)
    text = subprocess.run(
        ["/usr/bin/pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Bare</title>'
        f"<style>{BARE_STYLE}</style></head><body>{paragraphs}</body></html>"
    )


class Timing(float):
    """A median wall-clock time in seconds, carrying the median CPU time (`.cpu`) too.

    The machine is shared: CPU time is what other people's work disturbs least.
    """

    def __new__(cls, wall, cpu):
        timing = super().__new__(cls, wall)
        timing.cpu = cpu
        return timing

    def __str__(self):
        return f"{self:.3f} s (CPU {self.cpu:.3f} s)"


def timed(function, runs=RUNS):
    seconds, cpu = [], []
    result = None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return Timing(statistics.median(seconds), statistics.median(cpu)), result


def _worker(journey_pk, count, queue):
    setup()
    from artsmark.common.reports.services import write_atomically
    from journeys.models import Journey

    journey = Journey.objects.get(pk=journey_pk)
    render_progress(journey)  # warm up fonts, as a long-running worker is
    queue.put("ready")
    queue.get()  # wait for the start signal
    for index in range(count):
        write_atomically(
            f"reports/bench/{os.getpid()}-{index}.pdf", render_progress(journey).content
        )
    queue.put("done")


def throughput(journey_pk):
    """Reports per second with WORKERS processes sharing THROUGHPUT_REPORTS renders."""
    context = multiprocessing.get_context("spawn")
    queues = [context.Queue() for _ in range(WORKERS)]
    processes = [
        context.Process(target=_worker, args=(journey_pk, THROUGHPUT_REPORTS // WORKERS, q))
        for q in queues
    ]
    for process in processes:
        process.start()
    for queue in queues:
        queue.get()
    started = time.perf_counter()
    for queue in queues:
        queue.put("go")
    for queue in queues:
        queue.get()
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    return elapsed


def celery_round_trip(journey):
    """One request through a real `celery worker --concurrency=2`: seconds until ready."""
    from artsmark.common.models import ReportRequest
    from artsmark.common.reports.services import request_report

    command = [str(ROOT / ".venv/bin/celery"), "-A", "artsmark", "worker", "--concurrency=2"]
    command += ["--without-gossip", "--without-mingle", "-n", "bench-reports@%h", "-l", "WARNING"]
    worker = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), start_new_session=True)
    try:
        time.sleep(4)  # let the worker connect and its pool start
        started = time.perf_counter()
        report = request_report(kind="progress", subject=journey, user=None)
        while time.perf_counter() - started < 60:
            report.refresh_from_db()
            if report.is_finished:
                break
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        status = report.status
        ReportRequest.objects.filter(pk=report.pk).delete()
        return elapsed, status
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)


def main():
    setup()
    from artsmark.common.pdf import render_pdf

    journey = demo_journey()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from artsmark.common.reports.services import build_html

    render_progress(journey)  # warm-up: font loading happens once per process
    whole, rendered = timed(lambda: render_progress(journey))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    data_median, ours = timed(lambda: build_html(BenchRequest(), journey))
    median, _ = timed(lambda: render_pdf(ours))
    ours_untagged, _ = timed(lambda: render_pdf(ours, tagged=False))
    bare = bare_page(rendered.content)
    bare_median, bare_rendered = timed(lambda: render_pdf(bare, stylesheets=()))
    bare_untagged, _ = timed(lambda: render_pdf(bare, tagged=False, stylesheets=()))
    quick = "--quick" in sys.argv  # the render figures only
    if not quick:
        elapsed = throughput(journey.pk)
        round_trip, status = celery_round_trip(journey)

    print(f"Demo progress report: {journey.school.name}, {journey.goals.count()} goals")
    print(f"  pages:                                {rendered.pages}")
    print(f"  median of {RUNS} whole renders (data, template, PDF/UA-1): {whole}")
    print(f"  of which data and template (median):  {data_median}")
    print(f"  WeasyPrint alone, PDF/UA-1 (median):  {median}")
    print(f"  WeasyPrint alone, untagged (median):  {ours_untagged}")
    print(
        f"  peak memory (this process):           {peak_mb:.0f} MB"
        f" (before: {rss_before / 1024:.0f} MB)"
    )
    print(f"Bare HTML page of the same text, fonts and page box ({bare_rendered.pages} pages)")
    print(f"  median of {RUNS} renders (PDF/UA-1):      {bare_median}")
    print(f"  median of {RUNS} renders (untagged):      {bare_untagged}")
    cpu_ratios = (median.cpu / bare_median.cpu, ours_untagged.cpu / bare_untagged.cpu)
    print(f"  our template / bare text:             {median / bare_median:.2f}x tagged, "
          f"{ours_untagged / bare_untagged:.2f}x untagged "
          "(CPU: {:.2f}x, {:.2f}x)".format(*cpu_ratios))  # fmt: skip
    if quick:
        return
    print(f"Throughput: {THROUGHPUT_REPORTS} reports, {WORKERS} worker processes")
    print(f"  {elapsed:.2f} s, {THROUGHPUT_REPORTS / elapsed:.1f} reports/s")
    print(
        "Celery round trip (request -> ready, worker --concurrency=2): "
        f"{round_trip:.2f} s, {status}"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(MEDIA, ignore_errors=True)
