from django.urls import path

from helpdesk import views

urlpatterns = [
    # Tagged by the sqlcommenter middleware (under /api/).
    path("api/agents/<int:agent_id>/queue/", views.agent_queue, name="agent_queue"),
    path("api/tickets/<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
    path("api/tickets/<int:ticket_id>/tags/", views.add_tag, name="add_tag"),
    # Untagged.
    path("t/<str:reference>/", views.ticket_by_reference, name="ticket_by_reference"),
    path("customers/<int:customer_id>/tickets/", views.customer_tickets, name="customer_tickets"),
    path("customers/lookup/", views.customer_lookup, name="customer_lookup"),
    path("tickets/<int:ticket_id>/suggestions/", views.suggestions, name="suggestions"),
    path("tickets/<int:ticket_id>/watch/", views.watch, name="watch"),
    path("agents/<int:agent_id>/resolve/<int:ticket_id>/", views.resolve, name="resolve"),
    path("reports/team-day/", views.team_day_report, name="team_day_report"),
    path("escalations/", views.escalations, name="escalations"),
    path("priorities/<str:name>/", views.priority, name="priority"),
]
