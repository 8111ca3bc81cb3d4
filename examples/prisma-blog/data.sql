-- The blog's data, generated on the server (examples/prisma-blog/run loads it
-- before the capture). Not logged: the capture is the application's traffic only.
SET log_min_duration_statement = -1;
SELECT setseed(0.14);

INSERT INTO "Category" ("slug", "name")
SELECT 'category-' || i, 'Category ' || i FROM generate_series(1, 12) AS i;

-- 100,000 users; addresses are stored as typed (mixed case), logins compare lower(email).
INSERT INTO "User" ("email", "name", "createdAt")
SELECT 'Reader' || i || '@Example.org', 'Reader ' || i, timestamp '2024-01-01' + i * interval '5 minutes'
FROM generate_series(1, 100000) AS i;

-- 300,000 posts: 85% published, 10% drafts, 5% archived.
INSERT INTO "Post" ("authorId", "categoryId", "title", "status", "publishedAt", "createdAt")
SELECT 1 + (random() * 99999)::int, 1 + (i % 12), 'Post number ' || i,
       s, CASE WHEN s = 'published' THEN t + interval '1 hour' END, t
FROM (SELECT i, timestamp '2024-01-01' + i * interval '3 minutes' AS t,
             CASE WHEN i % 20 < 17 THEN 'published' WHEN i % 20 < 19 THEN 'draft' ELSE 'archived' END AS s
      FROM generate_series(1, 300000) AS i) AS g;

-- 600,000 comments: all approved but for 300 pending moderation.
INSERT INTO "Comment" ("postId", "authorId", "body", "status", "createdAt")
SELECT 1 + (random() * 299999)::int, 1 + (random() * 99999)::int, 'Comment ' || i,
       CASE WHEN i % 2000 = 0 THEN 'pending' ELSE 'approved' END,
       timestamp '2024-01-01' + i * interval '90 seconds'
FROM generate_series(1, 600000) AS i;

INSERT INTO "Follow" ("followerId", "followeeId", "createdAt")
SELECT 1 + (random() * 99999)::int, 1 + (random() * 99999)::int, timestamp '2024-06-01' + i * interval '1 minute'
FROM generate_series(1, 200000) AS i;

INSERT INTO "Tag" ("name", "uses") SELECT 'tag-' || i, 0 FROM generate_series(1, 200) AS i;

INSERT INTO "PostTag" ("postId", "tagId")
SELECT p, 1 + (p * 7 + k) % 200 FROM generate_series(1, 300000) AS p, generate_series(0, 1) AS k;

INSERT INTO "PostDailyView" ("postId", "day", "views")
SELECT 1 + (i % 300000), date '2026-11-01' + (i / 300000), 1 + (random() * 50)::int
FROM generate_series(0, 99999) AS i;

-- 400,000 audit events: 30% logins, no index but the primary key.
INSERT INTO "AuditEvent" ("actorId", "action", "detail", "createdAt")
SELECT 1 + (random() * 99999)::int,
       (ARRAY['login', 'login', 'login', 'logout', 'post.create', 'comment.create', 'settings.update',
              'logout', 'post.update', 'password.change'])[1 + i % 10],
       'event ' || i, timestamp '2025-01-01' + i * interval '1 minute'
FROM generate_series(1, 400000) AS i;
