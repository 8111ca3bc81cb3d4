"""sqlcommenter for Django, the way google-cloud-sqlcommenter's middleware does it:
a connection.execute_wrapper that appends /*controller=...,framework=...,route=...*/
to every statement a request runs. Only /api/ requests are tagged here."""
from urllib.parse import quote

import django
from django.db import connection
from django.urls import resolve


def _comment(tags):
    pairs = ",".join(f"{k}='{quote(v, safe='')}'" for k, v in sorted(tags.items()))
    return f"/*{pairs}*/"


class SqlCommenterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        match = resolve(request.path_info)
        comment = _comment({
            "controller": match.url_name,
            "db_driver": "psycopg2",
            "framework": f"django:{django.get_version()}",
            "route": match.route,
        })

        def tag(execute, sql, params, many, context):
            # psycopg2 reads % as a placeholder whenever parameters are passed.
            suffix = comment.replace("%", "%%") if params is not None else comment
            return execute(f"{sql} {suffix}", params, many, context)

        with connection.execute_wrapper(tag):
            return self.get_response(request)
