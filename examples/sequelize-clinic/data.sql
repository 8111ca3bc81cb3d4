-- The clinic's data, generated on the server (examples/sequelize-clinic/run
-- loads it after `sequelize.sync()` has created the tables). Not logged: the
-- capture is the application's traffic only.
SET log_min_duration_statement = -1;
SELECT setseed(0.14);

INSERT INTO specialties (name) SELECT 'Specialty ' || i FROM generate_series(1, 12) AS i;

INSERT INTO doctors (name, specialty_id, created_at, updated_at)
SELECT 'Doctor ' || i, 1 + i % 12, now(), now() FROM generate_series(1, 200) AS i;

-- 200,000 patients; addresses stored as typed (mixed case).
INSERT INTO patients (email, name, created_at, updated_at)
SELECT 'Patient' || i || '@Example.org', 'Patient ' || i, now(), now() FROM generate_series(1, 200000) AS i;

-- 500,000 past appointments: 250 days, 10 per doctor and day; 90% done.
INSERT INTO appointments (day, slot, status, doctor_id, patient_id, created_at, updated_at)
SELECT date '2026-12-02' - 1 - i / 2000, (i / 200) % 10, CASE WHEN i % 10 = 9 THEN 'cancelled' ELSE 'done' END,
       1 + i % 200, 1 + (random() * 199999)::int, now(), now()
FROM generate_series(0, 499999) AS i;

-- Invoices for two thirds of the done appointments.
INSERT INTO invoices (appointment_id, amount, created_at, updated_at)
SELECT id, 40 + id % 60, now(), now() FROM appointments WHERE id % 10 BETWEEN 1 AND 6;

INSERT INTO daily_slots (day, capacity, booked, doctor_id, created_at, updated_at)
SELECT date '2026-12-02' - 1 - d, 16, 10, doc, now(), now()
FROM generate_series(0, 249) AS d, generate_series(1, 200) AS doc;

INSERT INTO doctor_daily_stats (day, visits, doctor_id, created_at, updated_at)
SELECT date '2026-12-02' - 1 - d, 9, doc, now(), now()
FROM generate_series(0, 249) AS d, generate_series(1, 200) AS doc;

INSERT INTO patient_preferences (patient_id, channel, created_at, updated_at)
SELECT i * 4, CASE WHEN i % 3 = 0 THEN 'sms' ELSE 'email' END, now(), now() FROM generate_series(1, 50000) AS i;

-- 400,000 jobs, all done but 400 still queued.
INSERT INTO jobs (kind, status, run_at, attempts, created_at, updated_at)
SELECT (ARRAY['reminder', 'invoice', 'report', 'sync'])[1 + i % 4],
       CASE WHEN i % 1000 = 0 THEN 'queued' ELSE 'done' END,
       timestamptz '2026-01-01' + i * interval '1 minute', 1, now(), now()
FROM generate_series(1, 400000) AS i;
