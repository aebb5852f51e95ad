"""Real Celery worker processes (and a throwaway Redis) for the report pipeline's tests."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

from artsmark.common.models import ReportRequest

ROOT = Path(settings.BASE_DIR)


def test_database_url():
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class WorkerProcess:
    """`celery -A artsmark worker` against the test database, in its own process group."""

    def __init__(self, *, media_root, redis_url, log_path, beat=False, env=None):
        command = [
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "artsmark",
            "worker",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-n",
            f"reports-test-{uuid.uuid4().hex[:8]}@%h",
        ]
        if beat:
            command += ["--beat", "-s", str(Path(log_path).with_suffix(".beat"))]
        environment = {
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(media_root),
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        environment.pop("TEST_DATABASE_NAME", None)
        self.log_path = log_path
        self._log = Path(log_path).open("ab")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(  # noqa: S603 (our own virtualenv's celery)
            command,
            cwd=ROOT,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, sig=signal.SIGKILL):
        """Signal the worker and its pool children (the process group it leads)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process.poll() is None:
            self.kill(signal.SIGTERM)
        self._log.close()

    def log(self):
        return Path(self.log_path).read_text(errors="replace")


def wait_for(report_id, *, statuses, timeout=60, interval=0.05):
    """Poll the row until its status is one of `statuses`; returns the row."""
    deadline = time.monotonic() + timeout
    while True:
        report = ReportRequest.objects.get(pk=report_id)
        if report.status in statuses or time.monotonic() > deadline:
            return report
        time.sleep(interval)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """A private redis-server on its own port, which a test may stop and start at will."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = [shutil.which("redis-server"), "--port", str(self.port), "--save", ""]
        self.process = subprocess.Popen(  # noqa: S603 (Debian's redis-server, our arguments)
            [*command, "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextlib.contextmanager
def portal_broker(url):
    """Point this (test) process's Celery producer at `url` for the duration."""
    from artsmark.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = url
    app._after_fork()  # drop the cached connection and producer pools
    try:
        yield
    finally:
        app.conf.broker_url = old
        app._after_fork()


def pdf_tool(tool, path):
    """Run poppler's `pdftotext` or `pdfinfo` on a PDF and return what it prints."""
    args = [shutil.which(tool), str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603
