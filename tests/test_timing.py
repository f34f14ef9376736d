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


def test_a_short_rise_is_caught_between_reads_of_pss() -> None:
    own = total_pss_mb()
    # no PSS read after the first but the one at the end: the peak comes from resident sizes
    with MemorySampler(interval=0.01, duty=1e-9, climb=1e-9) as sampler:
        block = bytearray(200_000_000)
        time.sleep(0.2)
        del block
        time.sleep(0.1)
    assert sampler.overall_mb >= own + 150
    assert sampler.reads == 2


def test_pss_is_read_seldom_while_memory_stays_level() -> None:
    block = bytearray(300_000_000)
    with MemorySampler(interval=0.01) as sampler:
        time.sleep(1.0)  # about 100 ticks
    assert sampler.reads < 30
    assert sampler.overall_mb >= len(block) / 2**20
