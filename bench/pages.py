"""How fast the portal's key pages are served, beside a bare Django "hello world".

    .venv/bin/python bench/pages.py [--seconds 4] [--rounds 3]

Needs the demo data (`make run` or `make seed` first) and `wrk` (`make bench-packages`).
Serves the portal as production would (gunicorn, 2 sync workers, DEBUG=0, static files
collected into a temporary folder and served by whitenoise) and the bare app the same way,
logs in the demo lead and reviewer by making their sessions directly, checks that every page
answers 200, then loads each with `wrk -t2 -c8` (keep-alive) for a few seconds, `--rounds`
times. Prints, per page, the median of the rounds: requests per second, p50 and p99 latency,
and the share of hello world's requests per second. Changes no demo data (the two sessions
it makes are deleted at the end).
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STATIC = tempfile.mkdtemp(prefix="bench-pages-static-")
SERVER_ENV = {
    **os.environ,
    "DEBUG": "0",
    "SECRET_KEY": "bench-pages-not-a-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_ROOT": STATIC,
    "LOG_LEVEL": "WARNING",
}
os.environ.update({k: v for k, v in SERVER_ENV.items() if k != "DEBUG"})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "artsmark.settings")
GUNICORN = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "2", "--worker-class", "sync"]
DEMO_LEAD, DEMO_REVIEWER = "lead@example.org", "reviewer@example.org"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app, port, env, log):
    process = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{app} did not start: see {log.name}")


def session_for(email):
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from artsmark.accounts.models import User

    user = User.objects.get(email=email)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store


def pages(lead_cookie, reviewer_cookie):
    """(name, path, cookie) of every page measured; the demo data names the objects."""
    from django.urls import reverse

    from artsmark.schools.models import BridgeOrganisation
    from journeys.models import Journey, Review

    rosewood = Journey.objects.filter(school__urn=990001).order_by("-created_at").first()
    organisation = BridgeOrganisation.objects.get(slug="a-new-direction")
    section = rosewood.framework.sections.order_by("order", "id").first()
    in_area = Review.objects.filter(
        decision="", journey__school__local_authority__bridge_organisations=organisation
    ).order_by("id")
    in_review = in_area.filter(kind="commitment").first()
    impact = in_area.filter(kind="impact").first()
    delivering = Journey.objects.filter(school__urn=990017).first()
    journey = {"pk": rosewood.pk}
    rows = [
        ("landing (anonymous)", reverse("landing"), ""),
        ("journey page (lead)", reverse("journeys:detail", kwargs=journey), lead_cookie),
        (
            "commitment task list (lead)",
            reverse("journeys:commitment", kwargs=journey),
            lead_cookie,
        ),
        (
            "commitment section (lead)",
            reverse("journeys:section", kwargs={**journey, "section_pk": section.pk}),
            lead_cookie,
        ),
        (
            "self-assessment (lead)",
            reverse("journeys:self_assessment", kwargs=journey),
            lead_cookie,
        ),
        (
            "reviewer's area (reviewer)",
            reverse("schools:bridge_area", kwargs={"pk": organisation.pk}),
            reviewer_cookie,
        ),
        (
            "review queue (reviewer)",
            reverse("journeys:review_queue", kwargs={"organisation_pk": organisation.pk}),
            reviewer_cookie,
        ),
        ("directory search (anonymous)", reverse("partners:directory") + "?q=theatre", ""),
        (
            "area dashboard (reviewer)",
            reverse("insight:dashboard", kwargs={"organisation_pk": organisation.pk}),
            reviewer_cookie,
        ),
        ("learning sessions (lead)", reverse("learning:sessions"), lead_cookie),
    ]
    if in_review:
        path = reverse("journeys:review", kwargs={"review_pk": in_review.pk})
        rows.append(("review page (reviewer)", path, reviewer_cookie))
    if impact:
        path = reverse("journeys:assess", kwargs={"review_pk": impact.pk})
        rows.append(("assessment page (reviewer)", path, reviewer_cookie))
    if delivering:
        for name, url in [("delivery", "journeys:delivery"), ("evidence", "journeys:evidence")]:
            path = reverse(url, kwargs={"pk": delivering.pk})
            rows.append((f"{name} page (reviewer)", path, reviewer_cookie))
    return rows


def check(base, path, cookie):
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, url = response.status, response.url
    except urllib.error.HTTPError as error:
        status, url = error.code, error.url
    if status != 200 or url != base + path:
        raise SystemExit(f"{path} answered {status} at {url}: is the demo data loaded?")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * UNITS[unit]


def load(url, cookie, seconds):
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} responses were not 2xx")
    return rate, p50, p99


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4, help="load per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the median is printed")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make bench-packages`.")
    import django

    django.setup()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=SERVER_ENV,
        check=True,
    )
    lead, reviewer = session_for(DEMO_LEAD), session_for(DEMO_REVIEWER)
    hello_port, portal_port = free_port(), free_port()
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (open while the servers run)
        "w", prefix="bench-pages-", suffix=".log", delete=False
    )
    print(f"Server errors, if any, go to {log.name}")
    hello = serve("bench.hello_wsgi:application", hello_port, SERVER_ENV, log)
    portal = serve("artsmark.wsgi:application", portal_port, SERVER_ENV, log)
    try:
        base = f"http://127.0.0.1:{portal_port}"
        rows = [("hello world (bare Django)", f"http://127.0.0.1:{hello_port}/", "")]
        for name, path, cookie in pages(
            f"sessionid={lead.session_key}", f"sessionid={reviewer.session_key}"
        ):
            check(base, path, cookie)
            rows.append((name, base + path, cookie))
        results = {name: [] for name, _, _ in rows}
        for _ in range(args.rounds):
            for name, url, cookie in rows:
                results[name].append(load(url, cookie, args.seconds))
    finally:
        for process in (hello, portal):
            process.terminate()
            process.wait()
        log.close()
        lead.delete()
        reviewer.delete()
        shutil.rmtree(STATIC, ignore_errors=True)
    report(results, args)


def report(results, args):
    print(
        f"gunicorn 2 sync workers, DEBUG=0; wrk -t2 -c8, {args.seconds} s a page; "
        f"median of {args.rounds} rounds"
    )
    print(f"{'page':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'share':>7}")
    medians = {
        name: tuple(statistics.median(run[i] for run in runs) for i in range(3))
        for name, runs in results.items()
    }
    hello_rate = next(iter(medians.values()))[0]
    for name, (rate, p50, p99) in medians.items():
        print(f"{name:34} {rate:8.0f} {p50:8.1f} {p99:8.1f} {rate / hello_rate:7.3f}")


if __name__ == "__main__":
    main()
