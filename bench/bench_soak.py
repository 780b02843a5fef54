"""(g) Soak: 8 simulated hours of the always-on service; is its memory flat?

In a child process whose default ALSA device is an unclocked file pcm (the microphone plays a
looping recording of answers), the real service loop (`daemon.Service`) runs the real device
conversations (`device.DeviceActivities`: one loaded model, PortAudio, espeak-ng, the journal)
under an accelerated clock: every wait returns at once and moves the clock on. The schedule
holds a daytime prompt every 20 minutes and the evening reflection; a summary is triggered
every two hours. Current RSS (/proc/self/statm) is taken after every conversation.
Goal: RSS at the end within 10 % of RSS after the first hour.

Run: python bench/bench_soak.py [--hours 8]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import common


def rss_mb() -> float:
    with open("/proc/self/statm") as file:
        return int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def feed(home: Path) -> None:
    """The microphone: a value, a note, yes, a short answer, stop; the file pcm loops it."""
    words = ["용기", "좋아요", "네", "오늘 회사에서 동료가 도움을 요청했어요", "감사합니다", "인내"]
    parts = [common.pcm_of(common.answer_wav((w,), trailing=2.6)) for w in words]
    (home / "in.raw").write_bytes(b"".join(parts))


def child(hours: float) -> None:
    import zoneinfo

    from assistant.journal.tinyjournal import TinyJournal
    from assistant.parts import device_parts
    from assistant.schedule import ScheduleConfig
    from assistant.service.daemon import Service
    from assistant.service.device import DeviceActivities

    folder = Path(os.environ["HOME"])
    feed(folder)
    config = common.load_config(folder)
    zone = zoneinfo.ZoneInfo("Europe/Amsterdam")
    start = datetime(2026, 11, 23, 9, 0, tzinfo=zone)
    clock = {"now": start}
    samples: list[tuple[float, float]] = []
    schedule = ScheduleConfig(reflect_at="16:45", reflect_days=("mon",), summary_day="",
                              summary_at="19:30", prompts_per_day=int(hours * 3),
                              prompt_windows=(f"09:00-{9 + int(hours):02d}:00",), quiet_hours="",
                              snooze_minutes=15, max_snoozes=3)

    class Recording(DeviceActivities):
        def run(self, kind, script=""):
            result = super().run(kind, script)
            clock["now"] += timedelta(minutes=3)  # a conversation takes a few minutes
            samples.append(((clock["now"] - start).total_seconds() / 3600, rss_mb()))
            return result

        def good_moment(self, kind):
            return "yes"

    pack = common.load_pack()
    activities = Recording(config, pack, device_parts(config, pack, common.load_model()),
                           TinyJournal(config.data_dir))
    service: Service

    def wait(timeout: float):
        before = clock["now"]
        clock["now"] += timedelta(seconds=timeout)
        if clock["now"] >= start + timedelta(hours=hours):
            service.shutdown()
        elif int((clock["now"] - start).total_seconds()) // 7200 > int((before - start).total_seconds()) // 7200:
            return "summary"
        return None

    class Quiet:
        def ready(self): pass
        def watchdog(self): pass
        def stopping(self): pass

    service = Service(schedule, zone, activities, Quiet(), clock=lambda: clock["now"], wait=wait)
    service.run()
    activities.close()
    print(json.dumps(samples))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hours", type=float, default=8.0)
    parser.add_argument("--quick", action="store_true", help="2.5 simulated hours: does it run?")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.hours = 2.5  # past the first hour (the baseline) and one summary
    if args.child:
        return child(args.hours)
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as home:
        env = common.virtual_alsa_home(Path(home))
        done = subprocess.run([sys.executable, __file__, "--child", "--hours", str(args.hours)],
                              env=env, cwd=common.ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the soak run failed:\n{done.stderr[-3000:]}")
    samples = json.loads(done.stdout.strip().splitlines()[-1])
    first_hour = [mb for hour, mb in samples if hour >= 1.0][0]
    last, peak = samples[-1][1], max(mb for _, mb in samples)
    print(f"{args.hours:g} simulated hours, {len(samples)} conversations; RSS after each, MB")
    rows = [[f"{hour:5.2f} h", f"{mb:.1f}"] for hour, mb in samples[:: max(1, len(samples) // 8)]]
    common.print_table(["simulated time", "RSS"], rows)
    common.print_table(["measure", "value", "goal"], [
        ["RSS after the first hour", f"{first_hour:.1f} MB", ""],
        ["RSS at the end", f"{last:.1f} MB", ""],
        ["peak of the samples", f"{peak:.1f} MB", ""],
        ["end / first hour", f"{last / first_hour:.3f}x",
         f"<= 1.10x: {'met' if last / first_hour <= 1.10 else 'NOT met'}"],
    ])


if __name__ == "__main__":
    main()
