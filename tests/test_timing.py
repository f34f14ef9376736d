"""Stage timing: exclusive times, child processes' CPU and memory counted."""

from __future__ import annotations

import subprocess
import sys
import time

from generator.timing import MemorySampler, Stages, total_pss_mb


def test_an_inner_stage_counts_for_itself_and_repeated_stages_add_up() -> None:
    stages = Stages()
    with stages.stage("outer"):
        time.sleep(0.05)
        with stages.stage("inner"):
            time.sleep(0.2)
    with stages.stage("inner"):
        time.sleep(0.2)
    assert list(stages.times) == ["outer", "inner"]
    assert stages.times["inner"].wall >= 0.4
    assert 0.05 <= stages.times["outer"].wall < 0.2


def test_the_cpu_of_a_finished_child_process_is_counted() -> None:
    stages = Stages()
    with stages.stage("child"):
        subprocess.run([sys.executable, "-c", "sum(range(20_000_000))"], check=True)
    assert stages.times["child"].cpu > 0.1


def test_the_memory_of_a_running_child_process_is_sampled() -> None:
    own = total_pss_mb()
    with MemorySampler(interval=0.01) as sampler:
        code = "import time; block = b'x' * 200_000_000; time.sleep(0.5)"
        subprocess.run([sys.executable, "-c", code], check=True)
    assert sampler.overall_mb >= own + 150
