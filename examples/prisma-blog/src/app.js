// A blog backend on Prisma 7, reduced to its request handlers: the traffic it
// sends is pgadvisor's ground truth (expected.toml names what each handler
// plants or guards against). examples/prisma-blog/run drives it against a
// throwaway PostgreSQL 15 and captures the server log.
//
//   DATABASE_URL=postgresql://... node src/app.js [--requests N] [--seed S]
//                                                [--concurrency C] [--pool P]
//
// Requests are simulated as a web server would serve them: C requests in
// flight at once (Promise.all over a batch) on one pg.Pool of P connections,
// half of them tagged with sqlcommenter (route, request_id) through
// @prisma/sqlcommenter-query-tags, the other half untagged.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { queryTags, withQueryTags } from "@prisma/sqlcommenter-query-tags";

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const REQUESTS = option("requests", 400);
const SEED = option("seed", 14);
const CONCURRENCY = option("concurrency", 8);
const POOL = option("pool", 5);
const TODAY = new Date("2026-12-02T00:00:00Z");

// A small seeded generator (mulberry32): the same seed sends the same requests.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: POOL });
const prisma = new PrismaClient({ adapter: new PrismaPg(pool), comments: [queryTags()] });

// ---- planted problems ----------------------------------------------------

// GET /feed: the latest published posts, then each post's author one at a
// time (a loop of findUnique: N+1 on "User"."id").
async function feed() {
  const posts = await prisma.post.findMany({
    where: { status: "published" },
    orderBy: { publishedAt: "desc" },
    skip: between(0, 200),
    take: 20,
  });
  const authors = [];
  for (const post of posts) {
    authors.push(await prisma.user.findUnique({ where: { id: post.authorId } }));
  }
  return authors.length;
}

// GET /categories/:slug/posts: a page of posts, then a comment count per post
// (a loop of count: N+1 on "Comment"."postId").
async function categoryPosts() {
  const posts = await prisma.post.findMany({
    where: { categoryId: between(1, 12), status: "published" },
    orderBy: { publishedAt: "desc" },
    take: 10,
  });
  for (const post of posts) {
    post.commentCount = await prisma.comment.count({ where: { postId: post.id } });
  }
  return posts.length;
}

// POST /users/:id/follow: findFirst, then create when absent. "Follow" has no
// unique constraint on (followerId, followeeId): a race makes duplicates.
async function follow() {
  // A small circle of users follow each other again and again, most others once.
  const circle = random() < 0.3;
  const followerId = circle ? between(1, 8) : between(1, 100000);
  const followeeId = circle ? between(9, 16) : between(1, 100000);
  const existing = await prisma.follow.findFirst({ where: { followerId, followeeId } });
  if (existing) return existing.id;
  const created = await prisma.follow.create({ data: { followerId, followeeId } });
  return created.id;
}

// POST /posts/:id/view: today's counter row, found and then updated or
// created inside an interactive transaction, which does not stop two requests
// from both creating it: (postId, day) is indexed but not unique.
async function recordView() {
  const postId = between(1, 60);
  return prisma.$transaction(async (tx) => {
    const row = await tx.postDailyView.findFirst({ where: { postId, day: TODAY } });
    if (row) {
      return tx.postDailyView.update({ where: { id: row.id }, data: { views: { increment: 1 } } });
    }
    return tx.postDailyView.create({ data: { postId, day: TODAY, views: 1 } });
  });
}

// GET /admin/users/:id/logins: an actor's recent logins. Nothing indexes
// "AuditEvent" beyond its primary key: needs (actorId, action, createdAt).
async function logins() {
  return prisma.auditEvent.findMany({
    where: { actorId: between(1, 100000), action: "login" },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
}

// GET /admin/moderation: the oldest comments waiting for moderation. 'pending'
// is 300 rows of 600,000: a partial index on ("createdAt") WHERE status = 'pending'.
async function moderationQueue() {
  return prisma.comment.findMany({
    where: { status: "pending" },
    orderBy: { createdAt: "asc" },
    take: 50,
    select: { id: true, postId: true, body: true, createdAt: true },
  });
}

// POST /login: addresses are stored as typed, logins compare case-blind. Prisma
// has no lower() filter, so the app uses a raw query: an expression index on
// lower("email") would serve it; the unique index on "email" does not.
async function login() {
  const email = `reader${between(1, 100000)}@example.org`;
  const rows = await prisma.$queryRaw`SELECT "id", "email", "name" FROM "User" WHERE lower("email") = lower(${email}) LIMIT 1`;
  return rows.length;
}

// ---- negative controls -----------------------------------------------------

// GET /posts?expand=author: eager loading with include; the page size varies,
// so the authors come in IN lists of varying length, one statement per request.
async function postsWithAuthors() {
  return prisma.post.findMany({
    where: { status: "published" },
    orderBy: { publishedAt: "desc" },
    skip: between(0, 500),
    take: between(5, 30),
    include: { author: true },
  });
}

// GET /posts/:id: one post by primary key. Fired in bursts (burstOfPostReads):
// separate requests in flight on the shared pool, not a loop.
async function postById() {
  return prisma.post.findUnique({ where: { id: between(1, 300000) } });
}

// GET /users/by-email: a unique lookup, exact address.
async function userByEmail() {
  return prisma.user.findUnique({ where: { email: `Reader${between(1, 100000)}@Example.org` } });
}

// GET /categories: the whole 12-row lookup table; a sequential scan is right.
async function categories() {
  return prisma.category.findMany({ orderBy: { name: "asc" } });
}

// GET /posts/:id/neighbours: the previous and the next post, a two-iteration loop.
async function neighbours() {
  const id = between(2, 299999);
  const found = [];
  for (const other of [id - 1, id + 1]) found.push(await prisma.post.findUnique({ where: { id: other } }));
  return found.length;
}

// POST /posts/:id/tags: count a tag's use, creating it the first time. Prisma
// issues this upsert natively (INSERT ... ON CONFLICT ("name") DO UPDATE).
async function tagUse() {
  const name = `tag-${between(1, 240)}`;
  return prisma.tag.upsert({ where: { name }, create: { name, uses: 1 }, update: { uses: { increment: 1 } } });
}

// ---- the request simulator -------------------------------------------------

const ROUTES = [
  ["/feed", feed, 6],
  ["/categories/:slug/posts", categoryPosts, 5],
  ["/users/:id/follow", follow, 8],
  ["/posts/:id/view", recordView, 8],
  ["/admin/users/:id/logins", logins, 4],
  ["/admin/moderation", moderationQueue, 4],
  ["/login", login, 6],
  ["/posts?expand=author", postsWithAuthors, 6],
  ["/posts/:id", postById, 10],
  ["/users/by-email", userByEmail, 8],
  ["/categories", categories, 6],
  ["/posts/:id/neighbours", neighbours, 6],
  ["/posts/:id/tags", tagUse, 8],
];
const TOTAL_WEIGHT = ROUTES.reduce((sum, [, , w]) => sum + w, 0);

function pickRoute() {
  let r = random() * TOTAL_WEIGHT;
  for (const route of ROUTES) if ((r -= route[2]) < 0) return route;
  return ROUTES[ROUTES.length - 1];
}

const served = new Map();
let tagged = 0;
let nextRequestId = 1;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// One request, arriving 0-4 ms after its batch starts (requests of one batch
// do not arrive in the same tick, where Prisma would merge their findUnique
// calls into one IN list); tagged with its route and id half of the time.
async function serve([path, handler]) {
  served.set(path, (served.get(path) ?? 0) + 1);
  const requestId = `req-${SEED}-${nextRequestId++}`;
  const tag = random() < 0.5;
  await sleep(Math.floor(random() * 5));
  if (!tag) return handler();
  tagged++;
  return withQueryTags({ route: path, request_id: requestId }, handler);
}

// Every fifth batch is a burst of single-post reads: many clients opening
// posts at once, each its own request on the shared pool.
function nextBatch(batchNo, size) {
  if (batchNo % 5 === 4) return Array.from({ length: size }, () => ROUTES.find(([p]) => p === "/posts/:id"));
  return Array.from({ length: size }, pickRoute);
}

async function main() {
  const started = Date.now();
  let sent = 0;
  for (let batchNo = 0; sent < REQUESTS; batchNo++) {
    const batch = nextBatch(batchNo, Math.min(CONCURRENCY, REQUESTS - sent));
    await Promise.all(batch.map(serve));
    sent += batch.length;
  }
  const ms = Date.now() - started;
  // The end marker the run script cuts the log at.
  await pool.query("SELECT 'prisma-blog-done'");
  await prisma.$disconnect();
  await pool.end();
  console.log(`prisma-blog: seed ${SEED}, ${sent} requests (${tagged} tagged), ` +
              `${CONCURRENCY} in flight on a pool of ${POOL}, ${ms} ms`);
  for (const [path] of ROUTES) console.log(`  ${path}: ${served.get(path) ?? 0} requests`);
}

main().catch(async (err) => {
  console.error(err);
  process.exitCode = 1;
  await pool.end().catch(() => {});
});
