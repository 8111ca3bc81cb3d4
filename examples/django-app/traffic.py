#!/usr/bin/env python3
"""Simulated web traffic for the helpdesk: REQUESTS requests drawn from a fixed
mix (seeded), served by WORKERS threads through Django's full request handler
(django.test.Client: URL routing, middleware, views). Each thread keeps its own
database connection across requests, like a threaded app server, so every
server session serves a stream of unrelated requests.

    traffic.py [--requests N] [--workers W] [--seed S]
"""
import argparse
import os
import queue
import random
import sys
import threading
import time
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")
import django  # noqa: E402

django.setup()
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402

# (weight, name, request builder) — the builder returns (method, path, form data).
MIX = [
    (22, "ticket_detail", lambda r: ("get", f"/api/tickets/{r.randint(1, 500000)}/", None)),
    (14, "ticket_by_reference", lambda r: ("get", f"/t/T-{r.randint(1, 500000):07d}/", None)),
    (12, "customer_tickets", lambda r: ("get", f"/customers/{r.randint(1, 200000)}/tickets/", None)),
    (7, "agent_queue", lambda r: ("get", f"/api/agents/{r.randint(1, 200)}/queue/", None)),
    (5, "suggestions", lambda r: ("get", f"/tickets/{r.randint(1, 500000)}/suggestions/", None)),
    (8, "add_tag", lambda r: ("post", f"/api/tickets/{r.randint(1, 500000)}/tags/",
                              {"name": f"topic-{r.randint(1, 300)}"})),
    (8, "watch", lambda r: ("post", f"/tickets/{r.randint(1, 500000)}/watch/", {"agent": r.randint(1, 200)})),
    (8, "resolve", lambda r: ("post", f"/agents/{r.randint(1, 200)}/resolve/{r.randint(1, 500000)}/", None)),
    (3, "team_day_report", lambda r: ("get", "/reports/team-day/",
                                      {"team": f"team-{r.randint(0, 11)}", "day": f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"})),
    (3, "escalations", lambda r: ("get", "/escalations/", None)),
    (4, "customer_lookup", lambda r: ("get", "/customers/lookup/", {"email": f"USER{r.randint(1, 200000)}@example.com"})),
    (6, "priority", lambda r: ("get", f"/priorities/{r.choice(['low', 'normal', 'high', 'urgent'])}/", None)),
]


def plan(requests, seed):
    rng = random.Random(seed)
    weights = [w for w, _, _ in MIX]
    picks = rng.choices(MIX, weights=weights, k=requests)
    return [(name, *build(rng)) for _, name, build in picks]


def worker(jobs, statuses):
    client = Client()
    while True:
        try:
            name, method, path, data = jobs.get_nowait()
        except queue.Empty:
            break
        response = getattr(client, method)(path, data or {})
        statuses[(name, response.status_code)] += 1
    connections.close_all()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=700)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    jobs = queue.Queue()
    for job in plan(args.requests, args.seed):
        jobs.put(job)
    statuses = Counter()
    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(jobs, statuses)) for _ in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    with connection.cursor() as cur:  # the capture ends before this marker
        cur.execute("SELECT 'helpdesk-traffic-done'")
    print(f"traffic.py: {args.requests} requests, {args.workers} threads, seed {args.seed}, {elapsed:.1f} s")
    for (name, status), n in sorted(statuses.items()):
        print(f"  {name:22} HTTP {status}  x{n}")
    return 0 if all(status < 500 for _, status in statuses) else 1


if __name__ == "__main__":
    sys.exit(main())
