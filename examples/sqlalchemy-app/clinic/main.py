"""The clinic's FastAPI service. Each comment names what pgadvisor should see:
PLANTED problems (expected.toml [[planted]]) and CONTROLS that are fine
(expected.toml [[control]])."""
from datetime import date

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, joinedload, selectinload

from .db import SessionLocal, request_tags
from .models import Appointment, Doctor, DoctorRating, Drug, Invoice, Patient, Specialty, VisitCounter


def get_db():
    # One session per request: BEGIN at its first statement, COMMIT or ROLLBACK at the end.
    with SessionLocal() as session:
        yield session


async def tag_request(request: Request):
    # async: runs in the request's context, which the endpoint's worker thread inherits.
    request_tags.set({"controller": request.scope["endpoint"].__name__, "route": request.scope["route"].path})


app = FastAPI()
api = APIRouter(prefix="/api", dependencies=[Depends(tag_request)])  # tagged requests


@api.get("/doctors/{doctor_id}/upcoming")
def upcoming(doctor_id: int, db: Session = Depends(get_db)):
    # PLANTED n-plus-one: a.patient is a lazy many-to-one: one SELECT ... FROM patient
    # WHERE patient.id = %(pk_1)s per appointment (joinedload would join it).
    rows = db.execute(select(Appointment).where(Appointment.doctor_id == doctor_id, Appointment.status == "booked")
                      .order_by(Appointment.day).limit(20)).scalars()
    return [{"id": a.id, "day": a.day.isoformat(), "patient": a.patient.name} for a in rows]


@api.get("/appointments/{appointment_id}")
def appointment(appointment_id: int, db: Session = Depends(get_db)):
    # CONTROL: one primary-key lookup per request (Session.get); a.doctor and
    # a.prescriptions are lazy but loaded once per request.
    a = db.get(Appointment, appointment_id)
    if a is None:
        raise HTTPException(404)
    # CONTROL: a lazy loop of at most two iterations (the first two prescriptions' drugs).
    drugs = [rx.drug.name for rx in a.prescriptions[:2]]
    return {"day": a.day.isoformat(), "doctor": a.doctor.name, "drugs": drugs}


@api.put("/patients/{patient_id}/ratings/{doctor_id}")
def rate(patient_id: int, doctor_id: int, stars: int, db: Session = Depends(get_db)):
    # CONTROL: the native upsert, INSERT ... ON CONFLICT (patient_id, doctor_id) DO UPDATE.
    stmt = insert(DoctorRating).values(patient_id=patient_id, doctor_id=doctor_id, stars=stars, updated_at=func.now())
    db.execute(stmt.on_conflict_do_update(
        index_elements=[DoctorRating.patient_id, DoctorRating.doctor_id],
        set_={"stars": stmt.excluded.stars, "updated_at": stmt.excluded.updated_at}))
    db.commit()
    return {"ok": True}


app.include_router(api)


@app.get("/patients/{patient_id}/appointments")
def patient_appointments(patient_id: int, db: Session = Depends(get_db)):
    # CONTROL: eager loading. joinedload joins the doctor; selectinload loads all
    # prescriptions in one SELECT ... WHERE appointment_id IN (...) whose length varies.
    rows = db.execute(select(Appointment).where(Appointment.patient_id == patient_id)
                      .options(joinedload(Appointment.doctor), selectinload(Appointment.prescriptions))).scalars()
    return [{"day": a.day.isoformat(), "doctor": a.doctor.name, "prescriptions": len(a.prescriptions)} for a in rows]


@app.get("/patients/lookup")
def patient_by_email(email: str, db: Session = Depends(get_db)):
    # PLANTED seq-scan: lower(email) = %s needs an expression index on lower(email).
    p = db.execute(select(Patient).where(func.lower(Patient.email) == email.lower())).scalar_one_or_none()
    if p is None:
        raise HTTPException(404)
    return {"id": p.id, "name": p.name}


@app.get("/doctors/by-license/{license}")
def doctor_by_license(license: str, db: Session = Depends(get_db)):
    # CONTROL: one unique-key lookup per request, untagged.
    d = db.execute(select(Doctor).where(Doctor.license == license)).scalar_one_or_none()
    if d is None:
        raise HTTPException(404)
    return {"id": d.id, "name": d.name}


@app.get("/specialties/{name}")
def specialty(name: str, db: Session = Depends(get_db)):
    # CONTROL: an eight-row lookup table, scanned: no index needed.
    s = db.execute(select(Specialty).where(Specialty.name == name)).scalar_one_or_none()
    if s is None:
        raise HTTPException(404)
    return {"id": s.id}


@app.get("/rooms/{room}/days/{day}")
def room_day(room: str, day: date, db: Session = Depends(get_db)):
    # PLANTED seq-scan: room and day together select ~0.007 % of the appointments:
    # a composite index (room, day).
    rows = db.execute(select(Appointment.id, Appointment.status)
                      .where(Appointment.room == room, Appointment.day == day)).all()
    return [{"id": i, "status": s} for i, s in rows]


@app.get("/no-shows")
def no_shows(db: Session = Depends(get_db)):
    # PLANTED seq-scan: status = 'no_show' is 0.5 % of the appointments, always the
    # same constant: a partial index ... WHERE status = 'no_show'.
    rows = db.execute(select(Appointment).where(Appointment.status == "no_show")
                      .order_by(Appointment.day.desc()).limit(50)).scalars()
    return [a.id for a in rows]


@app.get("/invoices")
def invoices(ids: str, db: Session = Depends(get_db)):
    # PLANTED n-plus-one: a loop of Session.get, one SELECT per invoice
    # (select(Invoice).where(Invoice.id.in_(ids)) would be one).
    found = [db.get(Invoice, int(i)) for i in ids.split(",")]
    return [{"id": inv.id, "amount": str(inv.amount)} for inv in found if inv is not None]


@app.post("/drugs")
def add_drug(name: str, db: Session = Depends(get_db)):
    # PLANTED check-then-insert: query, then add when missing (drug.name is unique,
    # so a concurrent request gets an IntegrityError).
    drug = db.execute(select(Drug).where(Drug.name == name)).scalar_one_or_none()
    if drug is None:
        drug = Drug(name=name)
        db.add(drug)
        db.commit()
    return {"id": drug.id}


@app.post("/doctors/{doctor_id}/checkin")
def checkin(doctor_id: int, db: Session = Depends(get_db)):
    # PLANTED check-then-insert (find, then update or create) on (day, doctor_id),
    # both key values given as expressions: day = CURRENT_DATE in the SELECT and the INSERT.
    counter = db.execute(select(VisitCounter).where(VisitCounter.day == func.current_date(),
                                                    VisitCounter.doctor_id == doctor_id)).scalar_one_or_none()
    if counter is None:
        db.add(VisitCounter(day=func.current_date(), doctor_id=doctor_id, visits=1))
    else:
        counter.visits += 1  # UPDATE visit_counter SET visits=... WHERE visit_counter.id = ...
    db.commit()
    return {"ok": True}
