"""Engine, session factory and the sqlcommenter hook.

The engine has a QueuePool of 4 connections shared by all requests: a request
takes whichever connection is free and gives it back at the end, so each server
session serves a stream of unrelated requests. Requests under /api/ set
`request_tags`; a before_cursor_execute hook appends them to every statement
as a sqlcommenter comment, as google's sqlcommenter for SQLAlchemy does."""
import contextvars
import os
from urllib.parse import quote

import sqlalchemy
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

request_tags = contextvars.ContextVar("request_tags", default=None)

engine = create_engine(
    f"postgresql+psycopg2:///{os.environ.get('CLINIC_DB', 'clinic')}?application_name=clinic",
    pool_size=4, max_overflow=0, future=True)
SessionLocal = sessionmaker(engine, future=True)


def sqlcommenter_comment(tags):
    pairs = ",".join(f"{k}='{quote(str(v), safe='')}'" for k, v in sorted(tags.items()))
    return f"/*{pairs}*/"


@event.listens_for(engine, "before_cursor_execute", retval=True)
def add_sqlcommenter(conn, cursor, statement, parameters, context, executemany):
    tags = request_tags.get()
    if not tags:
        return statement, parameters
    comment = sqlcommenter_comment({**tags, "db_driver": "psycopg2",
                                    "framework": f"sqlalchemy:{sqlalchemy.__version__}"})
    # psycopg2 reads % as a placeholder whenever parameters are passed.
    if parameters:
        comment = comment.replace("%", "%%")
    return f"{statement} {comment}", parameters
