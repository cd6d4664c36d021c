"""Running one forecast in a child process under a memory and a time limit.

The task worker (``analysis.tasks.simulate``) must outlive a forecast that asks for more
than the machine has: the run happens in ``python -m toevlucht.analysis.sandbox``, with its
address space capped (``RLIMIT_AS``) and its CPU time capped (``RLIMIT_CPU``), and is killed
when it runs past the wall-clock limit. The child imports the simulator only (no Django, no
database); it reads its job as JSON on stdin, writes the CSV series and plots to the run's
folder and answers one JSON line on stdout: ``{"summary": ...}`` or ``{"error": ...}``.

A reason is kept as JSON with its key and parameters (:func:`kept`; a simulator error as
:func:`toevlucht.sim.text.dump_error` gives it), so that the run's page says it in the
reader's language (:mod:`toevlucht.analysis.run_errors`), not the worker's.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# numpy's BLAS threads reserve address space per core; one thread is what the engine uses
_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Outcome:
    summary: str = ""
    error: str = ""  # kept as :func:`kept` gives it


def kept(key: str, english: str, **params: Any) -> str:
    """A reason to keep with the run: its key in ``analysis.run_errors.MESSAGES``, its
    parameters and its English text."""
    return json.dumps({"key": key, "params": params, "text": english}, ensure_ascii=False)


def _timeout(seconds: int) -> str:
    return kept(
        "timeout",
        f"the run took longer than the worker's limit of {seconds:,} s",
        seconds=seconds,
    )


def run_limited(job: dict[str, Any], *, memory_mb: int, seconds: int) -> Outcome:
    """Run ``job`` in a child process; the reason in ``error`` if it did not finish."""

    def limits() -> None:  # in the child, before it runs Python
        cap = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    try:
        done = subprocess.run(
            [sys.executable, "-m", "toevlucht.analysis.sandbox"],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            timeout=seconds,
            preexec_fn=limits,
            env={**os.environ, **_ENV},
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(error=_timeout(seconds))
    last = done.stdout.strip().splitlines()[-1:] if done.stdout else []
    try:
        answer = json.loads(last[0]) if last else {}
    except ValueError:
        answer = {}
    if done.returncode == 0 and "summary" in answer:
        return Outcome(summary=str(answer["summary"]))
    if "error" in answer:
        return Outcome(error=str(answer["error"]))
    if done.returncode == -signal.SIGXCPU:  # RLIMIT_CPU
        return Outcome(error=_timeout(seconds))
    if done.returncode == -signal.SIGKILL:  # the kernel, out of memory
        return Outcome(
            error=kept(
                "killed",
                f"the run was killed; most likely it needed more than {memory_mb:,} MB",
                mb=memory_mb,
            )
        )
    if "MemoryError" in done.stderr:
        return Outcome(error=_memory(memory_mb))
    return Outcome(
        error=kept(
            "stopped",
            f"the run stopped unexpectedly (exit {done.returncode}); "
            f"it may have exceeded the worker's memory limit of {memory_mb:,} MB",
            code=done.returncode,
            mb=memory_mb,
        )
    )


def _memory(memory_mb: int) -> str:
    return kept(
        "memory",
        f"the run needed more memory than the worker's limit of {memory_mb:,} MB",
        mb=memory_mb,
    )


def _child(job: dict[str, Any], memory_mb: int) -> dict[str, str]:
    from toevlucht.sim import SimError, load_scenario, load_uploaded, run_many
    from toevlucht.sim.report import summary_text, write_csv
    from toevlucht.sim.text import dump_error

    out = Path(job["out"])
    try:
        if job["uploaded"]:
            scenarios = [load_uploaded(job["scenario"], job["uploaded"])]
        else:
            scenarios = [load_scenario(job["scenario"])]
        scenarios += [load_scenario(c) for c in job["compare"]]
        runs = run_many(scenarios, int(job["replications"]), int(job["seed"]), workers=1)
        write_csv(runs, out)
        from toevlucht.sim.plots import write_plots

        write_plots(runs, out)
        return {"summary": summary_text(runs)}
    except MemoryError:
        return {"error": _memory(memory_mb)}
    except SimError as exc:
        return {"error": json.dumps({"sim": dump_error(exc), "text": str(exc)}, ensure_ascii=False)}
    except OSError as exc:
        return {"error": kept("os_error", f"the run failed: {exc}", detail=str(exc))}


if __name__ == "__main__":
    job = json.loads(sys.stdin.read())
    print(json.dumps(_child(job, int(job.get("memory_mb", 0)))))
