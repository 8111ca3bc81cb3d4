"""The helpdesk's models, as a first version of such an app declares them:
Django indexes every foreign key and every unique field by itself; nothing else
is indexed (email, status, team/opened_on, watcher and daily-stat keys)."""
from django.db import models


class Priority(models.Model):
    name = models.CharField(max_length=20)  # four rows: no index needed
    sla_hours = models.IntegerField()


class Agent(models.Model):
    name = models.CharField(max_length=100)
    team = models.CharField(max_length=40)


class Customer(models.Model):
    email = models.CharField(max_length=200)  # looked up case-insensitively
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField()


class Article(models.Model):
    title = models.CharField(max_length=200)
    views = models.IntegerField(default=0)


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)


class Ticket(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    agent = models.ForeignKey(Agent, null=True, on_delete=models.SET_NULL)
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT)
    status = models.CharField(max_length=20)  # closed 90 %, open 9.5 %, escalated 0.5 %
    team = models.CharField(max_length=40)
    opened_on = models.DateField()
    subject = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    tags = models.ManyToManyField(Tag, through="TicketTag")


class Comment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    author = models.ForeignKey(Agent, null=True, on_delete=models.SET_NULL)  # NULL: the customer wrote it
    body = models.TextField()
    created_at = models.DateTimeField()


class TicketTag(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "tag"], name="helpdesk_tickettag_ticket_tag_uniq")]


class Watcher(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)


class DailyStat(models.Model):
    day = models.DateField()
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE)
    last_resolved_ticket = models.BigIntegerField()
    updated_at = models.DateTimeField()
