-- Data for the clinic example, loaded after create_schema.py with statement
-- logging off. Deterministic: fixed arithmetic plus random() after setseed.
SET log_min_duration_statement = -1;
SELECT setseed(0.42);

INSERT INTO specialty (id, name)
SELECT i, (ARRAY['general', 'cardiology', 'dermatology', 'neurology', 'oncology', 'pediatrics',
                 'psychiatry', 'radiology'])[i]
FROM generate_series(1, 8) i;

INSERT INTO doctor (id, license, name, specialty_id)
SELECT i, 'LIC-' || lpad(i::text, 5, '0'), 'Doctor ' || i, 1 + i % 8 FROM generate_series(1, 500) i;

-- Every third address is stored with capitals: the app looks them up with lower().
INSERT INTO patient (id, email, name)
SELECT i, CASE WHEN i % 3 = 0 THEN 'Patient' || i || '@Example.org' ELSE 'patient' || i || '@example.org' END,
       'Patient ' || i
FROM generate_series(1, 200000) i;

-- 600,000 appointments: 40 rooms x 365 days (~41 each); status done 92 %, booked 7.5 %, no_show 0.5 %.
INSERT INTO appointment (id, patient_id, doctor_id, room, day, status, created_at)
SELECT i, 1 + floor(random() * 200000)::int, 1 + floor(random() * 500)::int,
       'R' || (i % 40), date '2025-01-01' + (i / 40) % 365,
       CASE WHEN r < 0.005 THEN 'no_show' WHEN r < 0.08 THEN 'booked' ELSE 'done' END,
       timestamptz '2025-01-01' + i * interval '50 seconds'
FROM (SELECT i, random() AS r FROM generate_series(1, 600000) i) s;

INSERT INTO drug (id, name) SELECT i, 'drug-' || i FROM generate_series(1, 2000) i;

INSERT INTO prescription (id, appointment_id, drug_id, dose)
SELECT i, 1 + floor(random() * 600000)::int, 1 + floor(random() * 2000)::int, (1 + i % 4) || ' x daily'
FROM generate_series(1, 900000) i;

INSERT INTO invoice (id, appointment_id, amount, paid)
SELECT i, i, 20 + (i * 37) % 300, i % 10 <> 0 FROM generate_series(1, 400000) i;

-- 60 past days of visit counters; today's rows come from the app.
INSERT INTO visit_counter (id, day, doctor_id, visits)
SELECT row_number() OVER (), current_date - d, doc, 1 + (d * doc) % 20
FROM generate_series(1, 60) d, generate_series(1, 500) doc;

INSERT INTO doctor_rating (id, patient_id, doctor_id, stars, updated_at)
SELECT i, i * 4, 1 + i % 500, 1 + i % 5, timestamptz '2025-06-01' + i * interval '10 minutes'
FROM generate_series(1, 50000) i;

-- The serial columns go on after the explicit ids.
SELECT setval('specialty_id_seq', (SELECT max(id) FROM specialty));
SELECT setval('doctor_id_seq', (SELECT max(id) FROM doctor));
SELECT setval('patient_id_seq', (SELECT max(id) FROM patient));
SELECT setval('appointment_id_seq', (SELECT max(id) FROM appointment));
SELECT setval('drug_id_seq', (SELECT max(id) FROM drug));
SELECT setval('prescription_id_seq', (SELECT max(id) FROM prescription));
SELECT setval('invoice_id_seq', (SELECT max(id) FROM invoice));
SELECT setval('visit_counter_id_seq', (SELECT max(id) FROM visit_counter));
SELECT setval('doctor_rating_id_seq', (SELECT max(id) FROM doctor_rating));
