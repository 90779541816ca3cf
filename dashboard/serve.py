"""`gvb serve`: the Flask development server for one process, gunicorn for several workers.

It lives with the dashboard: the pipeline does not depend on the app, the CLI calls this lazily.
"""

from __future__ import annotations

import os
import shutil
import sys

from pipeline.kernel.config import Settings
from pipeline.kernel.errors import GvbError


def serve(settings: Settings, host: str, port: int, workers: int) -> None:
    # the dashboard reads the same settings (GVB_HOME, GVB_GEO) itself: nothing to hand over
    print(f"Dashboard op http://{host}:{port} (stoppen met Ctrl+C)", flush=True)
    if workers > 1:
        if shutil.which("gunicorn", path=os.path.dirname(sys.executable)) is None:
            raise GvbError("gunicorn is niet geïnstalleerd; installeer het of gebruik --workers 1")
        arguments = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"{host}:{port}",
                     "--access-logfile", "-", "--log-level", "warning", "dashboard.wsgi:server"]  # fmt: skip
        os.execv(sys.executable, arguments)
    from dashboard.app import create_app

    try:
        create_app(settings).run(host=host, port=port, debug=False)
    except OSError as exc:
        raise GvbError(f"kan niet luisteren op {host}:{port}: {exc.strerror or exc}") from None
