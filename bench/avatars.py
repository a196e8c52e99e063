"""Benchmark avatar uploads: a 4 MB JPEG photo to two stored WebP squares.

    python bench/avatars.py [--uploads 20] [--megabytes 4] [--database-url postgres://...]

Builds a fresh database (SQLite in a temporary directory, or the given PostgreSQL URL whose
public schema is dropped first), starts `crm serve`, signs in, creates a contact, and uploads
a camera-like JPEG of about `--megabytes` MB (`POST /avatars/contacts/<id>`) `--uploads`
times: wall-time percentiles per upload (upload, decode, crop, two WebP encodings, store),
server CPU per upload, and the server's peak memory (its max RSS).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from list_contacts import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    bench_env,
    cpu_seconds,
    reset_postgres,
    run_crm,
    start_server,
    stop_server,
)


def camera_jpeg(megabytes: float) -> bytes:
    """A JPEG of about `megabytes` MB: noisy detail compresses like a photo."""
    rng = random.Random(7)
    side = 1000
    while True:
        noise = bytes(rng.getrandbits(8) for _ in range(64 * 64 * 3))
        tile = Image.frombytes("RGB", (64, 64), noise).resize((side // 4, side // 4))
        image = Image.new("RGB", (side, side * 3 // 4))
        for x in range(0, image.width, tile.width):
            for y in range(0, image.height, tile.height):
                image.paste(tile.rotate(90 * ((x + y) % 4)), (x, y))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=97)
        if out.tell() >= megabytes * 1_000_000 * 0.9 or side > 8000:
            return out.getvalue()
        side = int(side * 1.3)


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--megabytes", type=float, default=4.0)
    parser.add_argument("--database-url", help="postgres://... (its public schema is dropped!)")
    args = parser.parse_args()
    photo = camera_jpeg(args.megabytes)
    with Image.open(io.BytesIO(photo)) as probe:
        size = probe.size
    workdir = Path(tempfile.mkdtemp(prefix="crm-bench-avatars-"))
    database_url = args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    if database_url.startswith("postgres"):
        asyncio.run(reset_postgres(database_url))
    env = bench_env(database_url, workdir)
    run_crm(env, "migrate")
    run_crm(env, "create-admin", "--email", ADMIN_EMAIL)
    server, base_url = start_server(env, workdir)
    try:
        client = httpx.Client(base_url=base_url, timeout=120)
        client.post(
            "/graphql",
            json={
                "query": "mutation ($i: LoginInput!) { login(input: $i) { errors { code } } }",
                "variables": {"i": {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}},
            },
        ).raise_for_status()
        created = client.post(
            "/graphql",
            json={
                "query": 'mutation { createContact(input: {lastName: "Photo"}) { contact { id } } }'
            },
        ).json()
        contact_id = created["data"]["createContact"]["contact"]["id"]
        times = []
        cpu_start = cpu_seconds(server.pid) or 0.0
        for _ in range(args.uploads):
            started = time.perf_counter()
            response = client.post(
                f"/avatars/contacts/{contact_id}",
                files={"file": ("photo.jpg", photo, "image/jpeg")},
                headers={"x-crm-csrf": "1"},
            )
            times.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
        cpu = ((cpu_seconds(server.pid) or 0.0) - cpu_start) * 1000 / args.uploads
        quantiles = statistics.quantiles(times, n=20, method="inclusive")
        print(f"database: {database_url.split(':')[0]}")
        print(f"photo: {len(photo) / 1e6:.1f} MB JPEG, {size[0]}x{size[1]} px")
        print(f"uploads: {args.uploads}")
        print(
            f"upload to stored (ms): p50 {statistics.median(times):.0f}, "
            f"p95 {quantiles[18]:.0f}, max {max(times):.0f}"
        )
        print(f"server CPU per upload: {cpu:.0f} ms")
        print(f"server peak memory (max RSS): {peak_rss_mb(server.pid) or 0:.0f} MB")
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
