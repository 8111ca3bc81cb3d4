--
-- PostgreSQL database dump
--

\restrict LypUcCjQs2yjF1NBDbfmhaMr5BQogujmAHK4NjI9hgKmbAKPv11QfM73wdhRdKu

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: appointment; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.appointment (
    id bigint NOT NULL,
    patient_id bigint NOT NULL,
    doctor_id integer NOT NULL,
    room character varying(10) NOT NULL,
    day date NOT NULL,
    status character varying(20) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: appointment_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.appointment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: appointment_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.appointment_id_seq OWNED BY public.appointment.id;


--
-- Name: doctor; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.doctor (
    id integer NOT NULL,
    license character varying(20) NOT NULL,
    name character varying(100) NOT NULL,
    specialty_id integer NOT NULL
);


--
-- Name: doctor_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.doctor_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: doctor_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.doctor_id_seq OWNED BY public.doctor.id;


--
-- Name: doctor_rating; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.doctor_rating (
    id bigint NOT NULL,
    patient_id bigint NOT NULL,
    doctor_id integer NOT NULL,
    stars integer NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: doctor_rating_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.doctor_rating_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: doctor_rating_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.doctor_rating_id_seq OWNED BY public.doctor_rating.id;


--
-- Name: drug; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.drug (
    id integer NOT NULL,
    name character varying(100) NOT NULL
);


--
-- Name: drug_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.drug_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: drug_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.drug_id_seq OWNED BY public.drug.id;


--
-- Name: invoice; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.invoice (
    id bigint NOT NULL,
    appointment_id bigint NOT NULL,
    amount numeric(10,2) NOT NULL,
    paid boolean NOT NULL
);


--
-- Name: invoice_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.invoice_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: invoice_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.invoice_id_seq OWNED BY public.invoice.id;


--
-- Name: patient; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.patient (
    id bigint NOT NULL,
    email character varying(200) NOT NULL,
    name character varying(100) NOT NULL
);


--
-- Name: patient_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.patient_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: patient_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.patient_id_seq OWNED BY public.patient.id;


--
-- Name: prescription; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.prescription (
    id bigint NOT NULL,
    appointment_id bigint NOT NULL,
    drug_id integer NOT NULL,
    dose character varying(40) NOT NULL
);


--
-- Name: prescription_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.prescription_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: prescription_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.prescription_id_seq OWNED BY public.prescription.id;


--
-- Name: specialty; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.specialty (
    id integer NOT NULL,
    name character varying(40) NOT NULL
);


--
-- Name: specialty_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.specialty_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: specialty_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.specialty_id_seq OWNED BY public.specialty.id;


--
-- Name: visit_counter; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.visit_counter (
    id bigint NOT NULL,
    day date NOT NULL,
    doctor_id integer NOT NULL,
    visits integer NOT NULL
);


--
-- Name: visit_counter_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.visit_counter_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: visit_counter_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.visit_counter_id_seq OWNED BY public.visit_counter.id;


--
-- Name: appointment id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.appointment ALTER COLUMN id SET DEFAULT nextval('public.appointment_id_seq'::regclass);


--
-- Name: doctor id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.doctor ALTER COLUMN id SET DEFAULT nextval('public.doctor_id_seq'::regclass);


--
-- Name: doctor_rating id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.doctor_rating ALTER COLUMN id SET DEFAULT nextval('public.doctor_rating_id_seq'::regclass);


--
-- Name: drug id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drug ALTER COLUMN id SET DEFAULT nextval('public.drug_id_seq'::regclass);


--
-- Name: invoice id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invoice ALTER COLUMN id SET DEFAULT nextval('public.invoice_id_seq'::regclass);


--
-- Name: patient id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.patient ALTER COLUMN id SET DEFAULT nextval('public.patient_id_seq'::regclass);


--
-- Name: prescription id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.prescription ALTER COLUMN id SET DEFAULT nextval('public.prescription_id_seq'::regclass);


--
-- Name: specialty id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.specialty ALTER COLUMN id SET DEFAULT nextval('public.specialty_id_seq'::regclass);


--
-- Name: visit_counter id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.visit_counter ALTER COLUMN id SET DEFAULT nextval('public.visit_counter_id_seq'::regclass);


--
-- Name: appointment appointment_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.appointment
    ADD CONSTRAINT appointment_pkey PRIMARY KEY (id);


--
-- Name: doctor doctor_license_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.doctor
    ADD CONSTRAINT doctor_license_key UNIQUE (license);


--
-- Name: doctor doctor_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.doctor
    ADD CONSTRAINT doctor_pkey PRIMARY KEY (id);


--
-- Name: doctor_rating doctor_rating_patient_id_doctor_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.doctor_rating
    ADD CONSTRAINT doctor_rating_patient_id_doctor_id_key UNIQUE (patient_id, doctor_id);


--
-- Name: doctor_rating doctor_rating_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.doctor_rating
    ADD CONSTRAINT doctor_rating_pkey PRIMARY KEY (id);


--
-- Name: drug drug_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drug
    ADD CONSTRAINT drug_name_key UNIQUE (name);


--
-- Name: drug drug_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drug
    ADD CONSTRAINT drug_pkey PRIMARY KEY (id);


--
-- Name: invoice invoice_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invoice
    ADD CONSTRAINT invoice_pkey PRIMARY KEY (id);


--
-- Name: patient patient_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.patient
    ADD CONSTRAINT patient_pkey PRIMARY KEY (id);


--
-- Name: prescription prescription_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.prescription
    ADD CONSTRAINT prescription_pkey PRIMARY KEY (id);


--
-- Name: specialty specialty_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.specialty
    ADD CONSTRAINT specialty_pkey PRIMARY KEY (id);


--
-- Name: visit_counter visit_counter_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.visit_counter
    ADD CONSTRAINT visit_counter_pkey PRIMARY KEY (id);


--
-- Name: ix_appointment_doctor_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_appointment_doctor_id ON public.appointment USING btree (doctor_id);


--
-- Name: ix_appointment_patient_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_appointment_patient_id ON public.appointment USING btree (patient_id);


--
-- Name: ix_doctor_rating_doctor_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_doctor_rating_doctor_id ON public.doctor_rating USING btree (doctor_id);


--
-- Name: ix_doctor_specialty_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_doctor_specialty_id ON public.doctor USING btree (specialty_id);


--
-- Name: ix_invoice_appointment_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_invoice_appointment_id ON public.invoice USING btree (appointment_id);


--
-- Name: ix_prescription_appointment_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_prescription_appointment_id ON public.prescription USING btree (appointment_id);


--
-- Name: ix_prescription_drug_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_prescription_drug_id ON public.prescription USING btree (drug_id);


--
-- Name: ix_visit_counter_doctor_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_visit_counter_doctor_id ON public.visit_counter USING btree (doctor_id);


--
-- Name: appointment appointment_doctor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.appointment
    ADD CONSTRAINT appointment_doctor_id_fkey FOREIGN KEY (doctor_id) REFERENCES public.doctor(id);


--
-- Name: appointment appointment_patient_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.appointment
    ADD CONSTRAINT appointment_patient_id_fkey FOREIGN KEY (patient_id) REFERENCES public.patient(id);


--
-- Name: doctor_rating doctor_rating_doctor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.doctor_rating
    ADD CONSTRAINT doctor_rating_doctor_id_fkey FOREIGN KEY (doctor_id) REFERENCES public.doctor(id);


--
-- Name: doctor_rating doctor_rating_patient_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.doctor_rating
    ADD CONSTRAINT doctor_rating_patient_id_fkey FOREIGN KEY (patient_id) REFERENCES public.patient(id);


--
-- Name: doctor doctor_specialty_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.doctor
    ADD CONSTRAINT doctor_specialty_id_fkey FOREIGN KEY (specialty_id) REFERENCES public.specialty(id);


--
-- Name: invoice invoice_appointment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invoice
    ADD CONSTRAINT invoice_appointment_id_fkey FOREIGN KEY (appointment_id) REFERENCES public.appointment(id);


--
-- Name: prescription prescription_appointment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.prescription
    ADD CONSTRAINT prescription_appointment_id_fkey FOREIGN KEY (appointment_id) REFERENCES public.appointment(id);


--
-- Name: prescription prescription_drug_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.prescription
    ADD CONSTRAINT prescription_drug_id_fkey FOREIGN KEY (drug_id) REFERENCES public.drug(id);


--
-- Name: visit_counter visit_counter_doctor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.visit_counter
    ADD CONSTRAINT visit_counter_doctor_id_fkey FOREIGN KEY (doctor_id) REFERENCES public.doctor(id);


--
-- PostgreSQL database dump complete
--

\unrestrict LypUcCjQs2yjF1NBDbfmhaMr5BQogujmAHK4NjI9hgKmbAKPv11QfM73wdhRdKu

