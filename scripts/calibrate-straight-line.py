#!/usr/bin/env python3
"""Calibrate tournee's straight-line travel model against OSRM road times.

For each OSM extract in ../shared/data, takes the named places (villages,
towns, hamlets), asks OSRM (installed by ../shared/tools/osrm-peer.sh) for the
car duration and distance between every pair, and prints the median detour
factor (road metres / great-circle metres) and the median road speed (road
metres / road seconds). docs/travel-model.md records the output.

Usage: scripts/calibrate-straight-line.py [../shared]
"""
import csv, gzip, json, math, os, statistics, subprocess, sys, tempfile, time, urllib.request
import xml.etree.ElementTree as ET

SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared")
OSRM = os.path.expanduser(os.environ.get("OSRM_HOME", "~/.cache/osrm-peer")) + "/osrm"
KINDS = {"village", "town", "hamlet"}


def haversine(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def places_csv(path):
    with open(path, encoding="utf-8") as f:
        return [(float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f) if r["place"] in KINDS]


def places_osm_gz(path):
    out = []
    with gzip.open(path) as f:
        for _, el in ET.iterparse(f):
            if el.tag == "node" and any(t.get("k") == "place" and t.get("v") in KINDS for t in el.findall("tag")):
                out.append((float(el.get("lat")), float(el.get("lon"))))
            if el.tag in ("node", "way", "relation"):
                el.clear()
    return out


def osrm_table(osm_path, points):
    subprocess.run([f"{SHARED}/tools/osrm-peer.sh", "install"], check=True)
    work = tempfile.mkdtemp()
    ext = ".osm.pbf" if osm_path.endswith(".pbf") else ".osm"
    region = os.path.join(work, "region" + ext)
    if osm_path.endswith(".gz"):
        with gzip.open(osm_path) as src, open(region, "wb") as dst:
            dst.write(src.read())
    else:
        os.symlink(os.path.abspath(osm_path), region)
    run = lambda *a: subprocess.run(a, cwd=work, check=True, capture_output=True)
    run(f"{OSRM}/bin/osrm-extract", "-p", f"{OSRM}/share/profiles/car.lua", "-t", "2", region)
    run(f"{OSRM}/bin/osrm-contract", "-t", "2", "region.osrm")
    port = 23000 + os.getpid() % 10000
    server = subprocess.Popen([f"{OSRM}/bin/osrm-routed", "-i", "127.0.0.1", "-p", str(port),
                               "--max-table-size", "100000", os.path.join(work, "region.osrm")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        coords = ";".join(f"{lon},{lat}" for lat, lon in points)
        url = f"http://127.0.0.1:{port}/table/v1/driving/{coords}?annotations=duration,distance"
        for _ in range(100):
            try:
                return json.load(urllib.request.urlopen(url))
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("osrm-routed did not answer")
    finally:
        server.kill()


def main():
    sources = {
        "north-bayreuth (rural Franconia)": ("north-bayreuth.osm.gz", places_osm_gz),
        "andorra (mountains)": ("andorra.osm.pbf", lambda p: places_csv(f"{SHARED}/data/osm_places_andorra.csv")),
        "malta": ("malta.osm.pbf", lambda p: places_csv(f"{SHARED}/data/osm_places_malta.csv")),
    }
    all_detour, all_speed, all_ratio = [], [], []
    for label, (name, reader) in sources.items():
        path = f"{SHARED}/data/{name}"
        pts = reader(path)
        table = osrm_table(path, pts)
        detour, speed, ratio = [], [], []
        for i, a in enumerate(pts):
            for j, b in enumerate(pts):
                crow = haversine(a, b)
                d, s = table["distances"][i][j], table["durations"][i][j]
                if i == j or crow < 2000 or d is None or s is None or s == 0:
                    continue
                detour.append(d / crow)
                speed.append(d / s * 3.6)
                ratio.append(crow / s * 3.6)
        print(json.dumps({"extract": label, "places": len(pts), "pairs": len(detour),
                          "median_detour": round(statistics.median(detour), 3),
                          "median_speed_kmh": round(statistics.median(speed), 1),
                          "median_crow_kmh": round(statistics.median(ratio), 1)}))
        all_detour += detour; all_speed += speed; all_ratio += ratio
    print(json.dumps({"extract": "all", "pairs": len(all_detour),
                      "median_detour": round(statistics.median(all_detour), 3),
                      "median_speed_kmh": round(statistics.median(all_speed), 1),
                      "median_crow_kmh": round(statistics.median(all_ratio), 1)}))


if __name__ == "__main__":
    main()
