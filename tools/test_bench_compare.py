#!/usr/bin/python3
"""Tests of tools/bench-compare: a real slow-down is flagged, noise and changes below the floor are not.

Run: /usr/bin/python3 tools/test_bench_compare.py   (stdlib only; prints nothing on success, unittest's
report and exit status 1 on failure)
"""
import importlib.machinery
import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "bench-compare")
_loader = importlib.machinery.SourceFileLoader("bench_compare", SCRIPT)
_spec = importlib.util.spec_from_loader("bench_compare", _loader)
bc = importlib.util.module_from_spec(_spec)
_loader.exec_module(bc)


def jmh_result(name, params, score, error, metric="gflop", mode="thrpt", unit="ops/s"):
    """One result in JMH's JSON layout (the fields bench-compare reads, as JMH 1.37 writes them)."""
    error_json = "NaN" if error is None else error
    r = {"jmhVersion": "1.37", "benchmark": "org.nnstm.bench." + name, "mode": mode, "params": params,
         "primaryMetric": {"score": 1.0, "scoreError": "NaN", "scoreUnit": unit}, "secondaryMetrics": {}}
    if metric is None:
        r["primaryMetric"] = {"score": score, "scoreError": error_json, "scoreUnit": unit}
    else:
        r["secondaryMetrics"][metric] = {"score": score, "scoreError": error_json, "scoreUnit": "ops/s"}
    return r


def record(date, results, mode="quick"):
    return {"format": "nnstm-bench-1", "date": date, "commit": "0" * 40, "dirty": False, "mode": mode,
            "jmh_args": [], "machine": {"host": "h", "cpu_model": "cpu", "cores": 2, "load_before": [0.1],
                                        "load_after": [0.2]}, "jmh": results}


OLD = [
    jmh_result("GemmBenchmark.forwardNT", {"models": "1", "threads": "1"}, 80.0, 2.0),
    jmh_result("GemmBenchmark.forwardNT", {"models": "8", "threads": "1"}, 80.0, 10.0),
    jmh_result("NetworkOpsBenchmark.tanhBackward", {"models": "1", "threads": "1"}, 1.0e9, 0.01e9,
               metric="elements"),
    jmh_result("TrainingStepBenchmark.step", {"depth": "10", "models": "1", "threads": "1"}, 50.0, 1.0),
    jmh_result("Legacy.avgTime", {}, 1000.0, 10.0, metric=None, mode="avgt", unit="us/op"),
]
NEW = [
    # A real slow-down: 80 +- 2 -> 60 +- 3, intervals disjoint, -25%.
    jmh_result("GemmBenchmark.forwardNT", {"models": "1", "threads": "1"}, 60.0, 3.0),
    # Noise: -10%, but 72 + 8 >= 80 - 10, the intervals overlap.
    jmh_result("GemmBenchmark.forwardNT", {"models": "8", "threads": "1"}, 72.0, 8.0),
    # Below the 5% floor: -2.5%, intervals disjoint.
    jmh_result("NetworkOpsBenchmark.tanhBackward", {"models": "1", "threads": "1"}, 0.975e9, 0.005e9,
               metric="elements"),
    # A speed-up: reported, not counted.
    jmh_result("TrainingStepBenchmark.step", {"depth": "10", "models": "1", "threads": "1"}, 60.0, 1.0),
    # Time mode, lower is better: 1000 -> 1300 us/op is a slow-down.
    jmh_result("Legacy.avgTime", {}, 1300.0, 10.0, metric=None, mode="avgt", unit="us/op"),
]


def row(lines, name, params):
    hits = [line for line in lines if line.startswith(name + " ") and (" " + params + " ") in line + " "]
    if len(hits) != 1:
        raise AssertionError("expected one row for %s %s in:\n%s" % (name, params, "\n".join(lines)))
    return hits[0]


class VerdictTest(unittest.TestCase):
    def m(self, value, error, higher=True):
        return (value, error, "GFLOP/s", higher)

    def test_disjoint_intervals_beyond_floor_is_slower(self):
        self.assertEqual(bc.verdict(self.m(80, 2), self.m(60, 3), 0.05), "SLOWER")

    def test_overlapping_intervals_are_noise(self):
        self.assertEqual(bc.verdict(self.m(80, 10), self.m(72, 8), 0.05), "")

    def test_intervals_just_touching_are_noise(self):
        # 70 + 5 == 80 - 5: not strictly below, so not flagged.
        self.assertEqual(bc.verdict(self.m(80, 5), self.m(70, 5), 0.05), "")

    def test_change_below_floor_is_not_flagged(self):
        self.assertEqual(bc.verdict(self.m(100, 0.1), self.m(97, 0.1), 0.05), "")
        self.assertEqual(bc.verdict(self.m(100, 0.1), self.m(97, 0.1), 0.02), "SLOWER")

    def test_speed_up(self):
        self.assertEqual(bc.verdict(self.m(50, 1), self.m(60, 1), 0.05), "faster")

    def test_time_mode_lower_is_better(self):
        self.assertEqual(bc.verdict(self.m(1000, 10, False), self.m(1300, 10, False), 0.05), "SLOWER")
        self.assertEqual(bc.verdict(self.m(1000, 10, False), self.m(700, 10, False), 0.05), "faster")

    def test_missing_error_leaves_only_the_floor(self):
        nan = float("nan")
        self.assertEqual(bc.verdict(self.m(100, nan), self.m(80, nan), 0.05), "SLOWER")
        self.assertEqual(bc.verdict(self.m(100, nan), self.m(97, nan), 0.05), "")


class CompareTest(unittest.TestCase):
    def test_table_flags_only_the_real_slow_downs(self):
        lines, slower = bc.compare(dict(record("2026-12-01T10:00:00Z", OLD), path="old.json"),
                                   dict(record("2026-12-02T10:00:00Z", NEW), path="new.json"), 0.05)
        self.assertEqual(slower, 2)
        self.assertTrue(row(lines, "GemmBenchmark.forwardNT", "models=1,threads=1").endswith("SLOWER"))
        self.assertIn("-25.0%", row(lines, "GemmBenchmark.forwardNT", "models=1,threads=1"))
        self.assertTrue(row(lines, "GemmBenchmark.forwardNT", "models=8,threads=1").endswith("-10.0%"))
        self.assertTrue(row(lines, "NetworkOpsBenchmark.tanhBackward", "models=1,threads=1").endswith("-2.5%"))
        self.assertTrue(row(lines, "TrainingStepBenchmark.step", "depth=10,models=1,threads=1").endswith("faster"))
        self.assertIn("elements/s", row(lines, "NetworkOpsBenchmark.tanhBackward", "models=1,threads=1"))
        self.assertTrue(row(lines, "Legacy.avgTime", "").endswith("SLOWER"))

    def test_unmatched_and_changed_metrics_are_listed_not_compared(self):
        old = [jmh_result("A.gone", {}, 1.0, 0.1), jmh_result("B.metric", {}, 5.0, 0.1)]
        new = [jmh_result("C.added", {}, 1.0, 0.1), jmh_result("B.metric", {}, 1.0, 0.1, metric="elements")]
        lines, slower = bc.compare({"jmh": old, "path": "a"}, {"jmh": new, "path": "b"}, 0.05)
        self.assertEqual(slower, 0)
        self.assertTrue(row(lines, "A.gone", "").endswith("only in old"))
        self.assertTrue(row(lines, "C.added", "").endswith("only in new"))
        self.assertTrue(row(lines, "B.metric", "").endswith("metric changed"))


class LoadTest(unittest.TestCase):
    def test_a_run_started_on_a_busy_machine_is_noted(self):
        busy = record("2026-12-02T10:00:00Z", NEW)
        busy["machine"]["load_before"] = [3.5, 2.0, 1.0]
        lines, _ = bc.compare(dict(record("2026-12-01T10:00:00Z", OLD), path="old.json"),
                              dict(busy, path="new.json"), 0.05)
        notes = [line for line in lines if line.startswith("note:")]
        self.assertEqual(len(notes), 1, lines)
        self.assertIn("new run started at load average 3.5 on 2 cores", notes[0])

    def test_show_lists_every_rate(self):
        lines = bc.show(dict(record("2026-12-01T10:00:00Z", OLD), path="old.json"))
        self.assertIn("80 ± 2", row(lines, "GemmBenchmark.forwardNT", "models=1,threads=1"))
        self.assertTrue(row(lines, "NetworkOpsBenchmark.tanhBackward", "models=1,threads=1").endswith("elements/s"))
        self.assertEqual(len(lines), 2 + len(OLD))


class CommandLineTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name, data):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            json.dump(data, f)
        return path

    def run_script(self, *args):
        return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)

    def test_two_fixture_files_with_check(self):
        old = self.write("old.json", record("2026-12-01T10:00:00Z", OLD))
        new = self.write("new.json", record("2026-12-02T10:00:00Z", NEW))
        slow = self.run_script("--check", old, new)
        self.assertEqual(slow.returncode, 1, slow.stderr)
        self.assertIn("2 slower beyond noise", slow.stdout)
        # Only the noisy and below-floor rows: nothing flagged, exit 0 under --check.
        noise = self.write("noise.json", record("2026-12-03T10:00:00Z", [NEW[1], NEW[2]]))
        quiet = self.run_script("--check", self.write("base.json", record("2026-12-01T10:00:00Z", OLD[1:3])), noise)
        self.assertEqual(quiet.returncode, 0, quiet.stdout + quiet.stderr)
        self.assertIn("0 slower beyond noise", quiet.stdout)
        # Plain JMH JSON (a list) is accepted too.
        plain = self.run_script(self.write("plain-old.json", OLD), self.write("plain-new.json", NEW))
        self.assertEqual(plain.returncode, 0, plain.stderr)
        self.assertIn("SLOWER", plain.stdout)

    def test_errors_are_one_line_with_status_2(self):
        bad = self.write("bad.json", {"not": "jmh"})
        r = self.run_script(bad, bad)
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith("bench-compare: error: "), r.stderr)
        self.assertEqual(r.stderr.count("\n"), 1, r.stderr)

    def test_default_is_newest_stored_run_against_the_one_before(self):
        results = os.path.join(self.tmp.name, "results")
        os.makedirs(results)
        for date, data in (("2026-11-30T10:00:00Z", NEW), ("2026-12-01T10:00:00Z", OLD),
                           ("2026-12-02T10:00:00Z", NEW)):
            with open(os.path.join(results, date.replace(":", "") + ".json"), "w") as f:
                json.dump(record(date, data), f)
        saved = bc.RESULTS
        bc.RESULTS = results
        try:
            out = io.StringIO()
            with redirect_stdout(out):
                self.assertEqual(bc.main(["--check"]), 1)
            text = out.getvalue().splitlines()
            self.assertIn("2026-12-01T10:00:00Z", text[0])
            self.assertIn("2026-12-02T10:00:00Z", text[1])
            # One file: compared against the newest stored run dated before it.
            out = io.StringIO()
            with redirect_stdout(out):
                bc.main([os.path.join(results, "2026-12-01T100000Z.json")])
            self.assertIn("2026-11-30T10:00:00Z", out.getvalue().splitlines()[0])
        finally:
            bc.RESULTS = saved


if __name__ == "__main__":
    report = io.StringIO()
    result = unittest.main(testRunner=unittest.TextTestRunner(stream=report), exit=False).result
    if not result.wasSuccessful():
        sys.stderr.write(report.getvalue())
        sys.exit(1)
