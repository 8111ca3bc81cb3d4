#!/usr/bin/env python3
"""Create the clinic's tables with Base.metadata.create_all, as a SQLAlchemy app without Alembic does."""
from clinic.db import engine
from clinic.models import Base

Base.metadata.create_all(engine)
