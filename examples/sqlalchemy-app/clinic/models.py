"""The clinic's tables, declared as a first version of a SQLAlchemy app does:
every foreign key gets index=True, unique columns are unique; nothing else is
indexed (patient email, appointment room/day/status, visit counters)."""
from sqlalchemy import (BigInteger, Boolean, Column, Date, DateTime, ForeignKey, Integer, Numeric, String,
                        UniqueConstraint)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Specialty(Base):
    __tablename__ = "specialty"
    id = Column(Integer, primary_key=True)
    name = Column(String(40), nullable=False)  # eight rows: no index needed


class Doctor(Base):
    __tablename__ = "doctor"
    id = Column(Integer, primary_key=True)
    license = Column(String(20), nullable=False, unique=True)
    name = Column(String(100), nullable=False)
    specialty_id = Column(ForeignKey("specialty.id"), nullable=False, index=True)


class Patient(Base):
    __tablename__ = "patient"
    id = Column(BigInteger, primary_key=True)
    email = Column(String(200), nullable=False)  # looked up with lower()
    name = Column(String(100), nullable=False)


class Appointment(Base):
    __tablename__ = "appointment"
    id = Column(BigInteger, primary_key=True)
    patient_id = Column(ForeignKey("patient.id"), nullable=False, index=True)
    doctor_id = Column(ForeignKey("doctor.id"), nullable=False, index=True)
    room = Column(String(10), nullable=False)
    day = Column(Date, nullable=False)
    status = Column(String(20), nullable=False)  # done 92 %, booked 7.5 %, no_show 0.5 %
    created_at = Column(DateTime(timezone=True), nullable=False)
    # lazy="select", SQLAlchemy's default: loaded on first access, one SELECT each.
    patient = relationship("Patient")
    doctor = relationship("Doctor")
    prescriptions = relationship("Prescription", back_populates="appointment")


class Drug(Base):
    __tablename__ = "drug"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True)


class Prescription(Base):
    __tablename__ = "prescription"
    id = Column(BigInteger, primary_key=True)
    appointment_id = Column(ForeignKey("appointment.id"), nullable=False, index=True)
    drug_id = Column(ForeignKey("drug.id"), nullable=False, index=True)
    dose = Column(String(40), nullable=False)
    appointment = relationship("Appointment", back_populates="prescriptions")
    drug = relationship("Drug")


class Invoice(Base):
    __tablename__ = "invoice"
    id = Column(BigInteger, primary_key=True)
    appointment_id = Column(ForeignKey("appointment.id"), nullable=False, index=True)
    amount = Column(Numeric(10, 2), nullable=False)
    paid = Column(Boolean, nullable=False)


class VisitCounter(Base):
    __tablename__ = "visit_counter"  # one row per (day, doctor), but nothing says so
    id = Column(BigInteger, primary_key=True)
    day = Column(Date, nullable=False)
    doctor_id = Column(ForeignKey("doctor.id"), nullable=False, index=True)
    visits = Column(Integer, nullable=False)


class DoctorRating(Base):
    __tablename__ = "doctor_rating"
    __table_args__ = (UniqueConstraint("patient_id", "doctor_id"),)
    id = Column(BigInteger, primary_key=True)
    patient_id = Column(ForeignKey("patient.id"), nullable=False)  # the unique constraint leads with it
    doctor_id = Column(ForeignKey("doctor.id"), nullable=False, index=True)
    stars = Column(Integer, nullable=False)
    updated_at = Column(DateTime(timezone=True), nullable=False)
