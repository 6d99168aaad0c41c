"""The build benchmark (make bench) works: its synthetic site is valid content and both builds run.

Not a timed test: the figures live in BENCHMARKS.md.
"""

from __future__ import annotations

from pathlib import Path

from halsolots.commands import bench
from halsolots.content.source import read_header


def test_synthetic_site_uses_the_real_content_format(tmp_path):
    written = bench.generate_site(tmp_path, 60)
    activities = tmp_path / "content" / "aktiviteter"
    generated = sorted(activities.glob("bench-aktivitet-*.md"))
    originals = [p for p in generated if p.name.count(".") == 1]
    translations = [p for p in generated if p.name.endswith(".en.md")]
    assert written["activities"] == 60
    assert translations and len(translations) < len(originals)
    headers = [read_header(str(p))[0] for p in originals]
    assert any(h.text("repeat") == "weekly" and h.text("except") for h in headers)
    assert any(not h.text("repeat") for h in headers)
    for path in translations:
        original = activities / path.name.replace(".en.md", ".md")
        assert read_header(str(path))[0].text("slug") == read_header(str(original))[0].text("slug")
    assert (tmp_path / "content" / "data" / "districts.yaml").exists()


def test_tiny_benchmark_builds_both_sites_and_rebuilds(tmp_path):
    result = bench.measure(20, tmp_path)
    project, plain = result["project"], result["plain"]
    assert project["pages"] > plain["pages"] > 20
    for key in ("build", "build_cpu", "warm", "edit_build", "rebuild", "rebuild_cpu", "search_refresh", "peak_mb"):
        assert project[key] > 0
    assert plain["build"] > 0 and plain["warm"] > 0 and plain["peak_mb"] > 0
    assert result["ratio"] == project["build"] / plain["build"]
    assert result["ratio_warm"] == project["warm"] / plain["warm"]
    assert "| 20 |" in bench.table([result])


def test_the_figures_say_which_file_system_the_sites_were_built_on(tmp_path):
    mounts = ("/dev/vda / ext4 rw,relatime 0 0\n"
              "tmpfs /dev/shm tmpfs rw 0 0\n"
              "/dev/vdb /srv/my\\040disk xfs rw 0 0\n")
    assert bench.filesystem(Path("/dev/shm/halsolots-bench-1"), mounts) == "tmpfs"
    assert bench.filesystem(Path("/dev/shmother"), mounts) == "ext4"  # a longer name is not inside /dev/shm
    assert bench.filesystem(Path("/srv/my disk/site"), mounts) == "xfs"
    assert bench.filesystem(Path("/tmp/site"), mounts) == "ext4"
    assert bench.filesystem(Path("/tmp/site"), "") == "unknown"
    assert bench.filesystem(tmp_path) not in ("", None)  # this machine's own table
