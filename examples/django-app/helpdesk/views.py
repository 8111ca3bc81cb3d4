"""The helpdesk's views. Each comment names what pgadvisor should see:
PLANTED problems (expected.toml [[planted]]) and CONTROLS that are fine
(expected.toml [[control]])."""
from datetime import date

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Article, Customer, DailyStat, Priority, Tag, Ticket, TicketTag, Watcher


def agent_queue(request, agent_id):
    # PLANTED n-plus-one: t.customer is a lazy foreign key, one
    # SELECT ... FROM helpdesk_customer WHERE id = %s per ticket (select_related would join it).
    tickets = Ticket.objects.filter(agent_id=agent_id, status="open").order_by("-created_at")[:20]
    return JsonResponse({"tickets": [{"ref": t.reference, "customer": t.customer.email} for t in tickets]})


def ticket_detail(request, ticket_id):
    # CONTROL: one primary-key lookup per request (many requests share a pooled connection).
    ticket = get_object_or_404(Ticket, pk=ticket_id)
    # CONTROL: a loop of at most two iterations over lazy foreign keys (the first two comments' authors).
    comments = list(ticket.comment_set.order_by("id")[:2])
    authors = [c.author.name if c.author_id else "customer" for c in comments]
    return JsonResponse({"ref": ticket.reference, "status": ticket.status, "authors": authors})


def add_tag(request, ticket_id):
    # PLANTED check-then-insert: get_or_create is SELECT, then INSERT when missing
    # (helpdesk_tag.name is unique, so a race ends in an IntegrityError and a second SELECT).
    tag, _ = Tag.objects.get_or_create(name=request.POST["name"])
    # CONTROL: the ORM's native upsert, INSERT ... ON CONFLICT DO NOTHING on a unique constraint.
    TicketTag.objects.bulk_create([TicketTag(ticket_id=ticket_id, tag=tag)], ignore_conflicts=True)
    return JsonResponse({"tag": tag.id})


def ticket_by_reference(request, reference):
    # CONTROL: one unique-key lookup per request, untagged.
    ticket = get_object_or_404(Ticket, reference=reference)
    return JsonResponse({"id": ticket.id, "status": ticket.status})


def customer_tickets(request, customer_id):
    # CONTROL: eager loading. select_related joins the priority; prefetch_related loads
    # all comments in one SELECT ... WHERE ticket_id IN (...) whose length varies per customer.
    tickets = (Ticket.objects.filter(customer_id=customer_id)
               .select_related("priority").prefetch_related("comment_set"))
    return JsonResponse({"tickets": [
        {"ref": t.reference, "priority": t.priority.name, "comments": len(t.comment_set.all())}
        for t in tickets]})


def customer_lookup(request):
    # PLANTED seq-scan: email__iexact is UPPER(email::text) = UPPER(%s): only an
    # expression index on upper(email) serves it.
    customer = get_object_or_404(Customer, email__iexact=request.GET["email"])
    return JsonResponse({"id": customer.id, "name": customer.name})


def suggestions(request, ticket_id):
    # PLANTED n-plus-one: a loop of Article.objects.get, one statement per article
    # (Article.objects.in_bulk(ids) would be one).
    ids = [(ticket_id * 7 + k * 131) % 50000 + 1 for k in range(10)]
    titles = [Article.objects.get(pk=i).title for i in ids]
    return JsonResponse({"articles": titles})


def watch(request, ticket_id):
    # PLANTED check-then-insert: get_or_create on (ticket, agent), which has no unique constraint.
    Watcher.objects.get_or_create(ticket_id=ticket_id, agent_id=int(request.POST["agent"]))
    return JsonResponse({"ok": True})


def resolve(request, agent_id, ticket_id):
    Ticket.objects.filter(pk=ticket_id).update(status="closed")
    # PLANTED check-then-insert: update_or_create is, in one transaction,
    # SELECT ... FOR UPDATE on (day, agent), then UPDATE by primary key or INSERT; no unique constraint.
    DailyStat.objects.update_or_create(
        day=date.today(), agent_id=agent_id,
        defaults={"last_resolved_ticket": ticket_id, "updated_at": timezone.now()})
    return JsonResponse({"ok": True})


def team_day_report(request):
    # PLANTED seq-scan: team and opened_on together select ~0.02 % of the tickets:
    # a composite index (team, opened_on).
    rows = Ticket.objects.filter(team=request.GET["team"], opened_on=request.GET["day"])
    return JsonResponse({"tickets": list(rows.values_list("reference", "status"))})


def escalations(request):
    # PLANTED seq-scan: status = 'escalated' is 0.5 % of the tickets, always the same
    # constant: a partial index ... WHERE status = 'escalated'.
    rows = Ticket.objects.filter(status="escalated").order_by("created_at")[:50]
    return JsonResponse({"tickets": [t.reference for t in rows]})


def priority(request, name):
    # CONTROL: a four-row lookup table, scanned: no index needed.
    p = get_object_or_404(Priority, name=name)
    return JsonResponse({"sla_hours": p.sla_hours})
