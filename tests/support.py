"""Types shared by the settings and infrastructure tests."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

# run_django(*args, env=..., code=None): `python -c CODE` or `python ARGS...` in the project root.
RunDjango = Callable[..., subprocess.CompletedProcess[str]]
