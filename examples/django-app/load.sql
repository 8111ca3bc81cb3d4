-- Data for the helpdesk example, loaded after `manage.py migrate` with statement
-- logging off. Deterministic: fixed arithmetic plus random() after setseed.
SET log_min_duration_statement = -1;
SELECT setseed(0.42);

INSERT INTO helpdesk_priority (id, name, sla_hours)
VALUES (1, 'low', 72), (2, 'normal', 24), (3, 'high', 8), (4, 'urgent', 2);

INSERT INTO helpdesk_agent (id, name, team)
SELECT i, 'Agent ' || i, 'team-' || (i % 12) FROM generate_series(1, 200) i;

-- Every third address is stored with capitals: the app looks them up with iexact.
INSERT INTO helpdesk_customer (id, email, name, created_at)
SELECT i,
       CASE WHEN i % 3 = 0 THEN 'User' || i || '@Example.com' ELSE 'user' || i || '@example.com' END,
       'Customer ' || i, timestamptz '2024-01-01' + i * interval '5 minutes'
FROM generate_series(1, 200000) i;

INSERT INTO helpdesk_article (id, title, views)
SELECT i, 'How to fix problem ' || i, (i * 37) % 1000 FROM generate_series(1, 50000) i;

INSERT INTO helpdesk_tag (id, name) SELECT i, 'topic-' || i FROM generate_series(1, 50) i;

-- 500,000 tickets: status closed 90 %, open 9.5 %, escalated 0.5 %; 12 teams x 365 days;
-- customers drawn at random (0 to ~10 tickets each).
INSERT INTO helpdesk_ticket (id, reference, customer_id, agent_id, priority_id, status, team, opened_on,
                             subject, created_at)
SELECT i, 'T-' || lpad(i::text, 7, '0'),
       1 + floor(random() * 200000)::int,
       CASE WHEN i % 10 = 0 THEN NULL ELSE 1 + (i * 13) % 200 END,
       1 + (i * 7) % 4,
       CASE WHEN (i * 7) % 1000 < 5 THEN 'escalated' WHEN (i * 7) % 1000 < 100 THEN 'open' ELSE 'closed' END,
       'team-' || (i % 12), date '2025-01-01' + (i % 365),
       'Subject ' || i, timestamptz '2025-01-01' + i * interval '1 minute'
FROM generate_series(1, 500000) i;

INSERT INTO helpdesk_comment (id, ticket_id, author_id, body, created_at)
SELECT i, 1 + floor(random() * 500000)::int,
       CASE WHEN random() < 0.5 THEN NULL ELSE 1 + floor(random() * 200)::int END,
       'Comment ' || i, timestamptz '2025-01-01' + i * interval '40 seconds'
FROM generate_series(1, 800000) i;

INSERT INTO helpdesk_tickettag (id, ticket_id, tag_id)
SELECT i, i * 5, 1 + i % 50 FROM generate_series(1, 100000) i;

INSERT INTO helpdesk_watcher (id, ticket_id, agent_id, created_at)
SELECT i, i * 25, 1 + (i * 17) % 200, timestamptz '2025-06-01' + i * interval '1 hour'
FROM generate_series(1, 20000) i;

-- 60 past days of per-agent statistics; today's rows come from the app.
INSERT INTO helpdesk_dailystat (id, day, agent_id, last_resolved_ticket, updated_at)
SELECT row_number() OVER (), current_date - d, a, a * 1000 + d, now() - d * interval '1 day'
FROM generate_series(1, 60) d, generate_series(1, 200) a;

-- Django's bigserial columns go on after the explicit ids.
SELECT setval('helpdesk_priority_id_seq', (SELECT max(id) FROM helpdesk_priority));
SELECT setval('helpdesk_agent_id_seq', (SELECT max(id) FROM helpdesk_agent));
SELECT setval('helpdesk_customer_id_seq', (SELECT max(id) FROM helpdesk_customer));
SELECT setval('helpdesk_article_id_seq', (SELECT max(id) FROM helpdesk_article));
SELECT setval('helpdesk_tag_id_seq', (SELECT max(id) FROM helpdesk_tag));
SELECT setval('helpdesk_ticket_id_seq', (SELECT max(id) FROM helpdesk_ticket));
SELECT setval('helpdesk_comment_id_seq', (SELECT max(id) FROM helpdesk_comment));
SELECT setval('helpdesk_tickettag_id_seq', (SELECT max(id) FROM helpdesk_tickettag));
SELECT setval('helpdesk_watcher_id_seq', (SELECT max(id) FROM helpdesk_watcher));
SELECT setval('helpdesk_dailystat_id_seq', (SELECT max(id) FROM helpdesk_dailystat));
