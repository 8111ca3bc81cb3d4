#!/usr/bin/env python3
"""Simulated web traffic for the clinic service: REQUESTS requests drawn from a
fixed mix (seeded), sent by CLIENTS threads at once through FastAPI's full stack
(fastapi.testclient: routing, dependencies, the sync endpoints in the server's
thread pool). All requests share the engine's pool of 4 connections.

    traffic.py [--requests N] [--clients C] [--seed S]
"""
import argparse
import queue
import random
import sys
import threading
import time
from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy import text

from clinic.db import engine
from clinic.main import app


def invoice_ids(r):
    return ",".join(str(r.randint(1, 400000)) for _ in range(10))


# (weight, name, request builder) — the builder returns (method, path, query parameters).
MIX = [
    (22, "appointment", lambda r: ("get", f"/api/appointments/{r.randint(1, 600000)}", None)),
    (14, "doctor_by_license", lambda r: ("get", f"/doctors/by-license/LIC-{r.randint(1, 500):05d}", None)),
    (12, "patient_appointments", lambda r: ("get", f"/patients/{r.randint(1, 200000)}/appointments", None)),
    (7, "upcoming", lambda r: ("get", f"/api/doctors/{r.randint(1, 500)}/upcoming", None)),
    (5, "invoices", lambda r: ("get", "/invoices", {"ids": invoice_ids(r)})),
    (8, "add_drug", lambda r: ("post", "/drugs", {"name": f"drug-{r.randint(1, 2600)}"})),
    (8, "checkin", lambda r: ("post", f"/doctors/{r.randint(1, 500)}/checkin", None)),
    (8, "rate", lambda r: ("put", f"/api/patients/{r.randint(1, 200000)}/ratings/{r.randint(1, 500)}",
                           {"stars": r.randint(1, 5)})),
    (3, "room_day", lambda r: ("get", f"/rooms/R{r.randint(0, 39)}/days/2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}", None)),
    (3, "no_shows", lambda r: ("get", "/no-shows", None)),
    (4, "patient_by_email", lambda r: ("get", "/patients/lookup", {"email": f"PATIENT{r.randint(1, 200000)}@example.org"})),
    (6, "specialty", lambda r: ("get", f"/specialties/{r.choice(['general', 'cardiology', 'oncology', 'radiology'])}", None)),
]


def plan(requests, seed):
    rng = random.Random(seed)
    picks = rng.choices(MIX, weights=[w for w, _, _ in MIX], k=requests)
    return [(name, *build(rng)) for _, name, build in picks]


def client_thread(jobs, statuses):
    client = TestClient(app)
    while True:
        try:
            name, method, path, params = jobs.get_nowait()
        except queue.Empty:
            return
        response = client.request(method, path, params=params)
        statuses[(name, response.status_code)] += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=700)
    ap.add_argument("--clients", type=int, default=6)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    jobs = queue.Queue()
    for job in plan(args.requests, args.seed):
        jobs.put(job)
    statuses = Counter()
    start = time.monotonic()
    threads = [threading.Thread(target=client_thread, args=(jobs, statuses)) for _ in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    with engine.connect() as conn:  # the capture ends before this marker
        conn.execute(text("SELECT 'clinic-traffic-done'"))
    engine.dispose()
    print(f"traffic.py: {args.requests} requests, {args.clients} client threads, pool of 4, seed {args.seed}, {elapsed:.1f} s")
    for (name, status), n in sorted(statuses.items()):
        print(f"  {name:22} HTTP {status}  x{n}")
    return 0 if all(status < 500 for _, status in statuses) else 1


if __name__ == "__main__":
    sys.exit(main())
