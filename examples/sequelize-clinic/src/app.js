// A clinic's booking API and billing worker on Sequelize 6, reduced to their
// handlers: the traffic they send is pgadvisor's ground truth (expected.toml
// names what each handler plants or guards against).
// examples/sequelize-clinic/run drives it against a throwaway PostgreSQL 15.
//
//   DATABASE_URL=postgresql://... node src/app.js --sync      create the tables
//   DATABASE_URL=postgresql://... node src/app.js [--requests N] [--seed S]
//                                                [--concurrency C] [--pool P]
//
// Requests are simulated as a web server would serve them: C requests in
// flight at once (Promise.all over a batch) on Sequelize's pool of P
// connections, half of them tagged with sqlcommenter comments (route,
// request_id) by a beforeQuery hook, the other half untagged.
const { AsyncLocalStorage } = require("node:async_hooks");
const { Sequelize, Op } = require("sequelize");
const { defineModels } = require("./models");

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const REQUESTS = option("requests", 400);
const SEED = option("seed", 14);
const CONCURRENCY = option("concurrency", 8);
const POOL = option("pool", 5);
const TODAY = "2026-12-02";

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
function dayBefore(n) {
  const d = new Date(`${TODAY}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

const sequelize = new Sequelize(process.env.DATABASE_URL, {
  dialect: "postgres",
  logging: false,
  pool: { max: POOL, min: 0 },
});
const models = defineModels(sequelize);
const { Specialty, Doctor, Patient, Appointment, Invoice, DailySlot, DoctorDailyStat, PatientPreference, Job } =
  models;

// sqlcommenter tags: a request sets them in an AsyncLocalStorage; the
// beforeQuery hook appends them to every statement the request sends
// (/*request_id='...',route='%2F...'*/, keys sorted, values URL-encoded).
const requestTags = new AsyncLocalStorage();
function sqlComment(tags) {
  const pairs = Object.keys(tags)
    .sort()
    .map((k) => `${k}='${encodeURIComponent(tags[k]).replace(/'/g, "\\'")}'`);
  return `/*${pairs.join(",")}*/`;
}
sequelize.addHook("beforeQuery", (options, query) => {
  const tags = requestTags.getStore();
  if (!tags) return;
  const run = query.run.bind(query);
  // Before the trailing semicolon, as the sqlcommenter specification places it.
  query.run = (sql, parameters) => run(sql.replace(/;?\s*$/, ` ${sqlComment(tags)};`), parameters);
});

// ---- planted problems ----------------------------------------------------

// GET /doctors/:id/schedule?day=: a doctor's appointments of a day (no index
// on appointments (doctor_id, day)), then each appointment's patient through
// the lazy getter (N+1 on patients.id).
async function schedule() {
  const appointments = await Appointment.findAll({
    where: { doctorId: between(1, 200), day: dayBefore(between(1, 240)) },
    order: [["slot", "ASC"]],
  });
  const patients = [];
  for (const appointment of appointments) patients.push(await appointment.getPatient());
  return patients.length;
}

// Billing worker: a page of finished appointments, then each one's invoice
// (a loop of findOne: N+1 on invoices.appointment_id).
async function billingRun() {
  const done = await Appointment.findAll({
    where: { status: "done" },
    order: [["id", "DESC"]],
    limit: 25,
    offset: between(0, 5000),
  });
  let billed = 0;
  for (const appointment of done) {
    if (await Invoice.findOne({ where: { appointmentId: appointment.id } })) billed++;
  }
  return billed;
}

// POST /doctors/:id/slots: the day's slot row through findOrCreate (its INSERT
// runs inside a pg_temp.testfunc() PL/pgSQL body); (doctor_id, day) is not
// unique. Half of the calls book a place in the same managed transaction,
// where findOrCreate runs inside a SAVEPOINT.
async function openDay() {
  const where = { doctorId: between(1, 30), day: `2026-12-0${between(3, 9)}` };
  if (random() < 0.5) {
    const [slot] = await DailySlot.findOrCreate({ where, defaults: { capacity: 16 } });
    return slot.id;
  }
  return sequelize.transaction(async (transaction) => {
    const [slot] = await DailySlot.findOrCreate({ where, defaults: { capacity: 16 }, transaction });
    await slot.increment("booked", { transaction });
    return slot.id;
  });
}

// POST /visits: count today's visit: findOne, then increment or create. "Today"
// is the server's CURRENT_DATE in both statements: the key is an expression.
async function countVisit() {
  const doctorId = between(1, 40);
  const today = sequelize.literal("CURRENT_DATE");
  const stat = await DoctorDailyStat.findOne({ where: { doctorId, day: { [Op.eq]: today } } });
  if (stat) return stat.increment("visits");
  return DoctorDailyStat.create({ doctorId, day: today, visits: 1 });
}

// Worker poll: the next queued jobs. 'queued' is rare and unindexed: a
// partial index on (run_at) WHERE status = 'queued' serves it.
async function pollJobs() {
  return Job.findAll({ where: { status: "queued" }, order: [["runAt", "ASC"]], limit: 20 });
}

// POST /login: patients type their address in any case; lower(email) needs
// an expression index (the unique index on email cannot serve it).
async function login() {
  const email = `patient${between(1, 200000)}@example.org`;
  return Patient.findOne({ where: sequelize.where(sequelize.fn("lower", sequelize.col("email")), email) });
}

// ---- negative controls -----------------------------------------------------

// GET /patients?expand=appointments: a page of patients with their
// appointments loaded eagerly in one separate query (IN lists of varying length).
async function patientsWithAppointments() {
  return Patient.findAll({
    order: [["id", "ASC"]],
    limit: between(5, 30),
    offset: between(0, 199000),
    include: [{ model: Appointment, as: "appointments", separate: true }],
  });
}

// GET /appointments/:id: one appointment by primary key. Fired in bursts
// (nextBatch): separate requests in flight on the shared pool, not a loop.
async function appointmentById() {
  return Appointment.findByPk(between(1, 500000));
}

// GET /appointments/:id/details: one appointment with its doctor and patient (JOINs).
async function appointmentDetails() {
  return Appointment.findByPk(between(1, 500000), { include: [Doctor, Patient] });
}

// GET /patients/by-email: a unique lookup, exact address.
async function patientByEmail() {
  return Patient.findOne({ where: { email: `Patient${between(1, 200000)}@Example.org` } });
}

// GET /specialties: the whole 12-row lookup table; a sequential scan is right.
async function specialties() {
  return Specialty.findAll({ order: [["name", "ASC"]] });
}

// POST /appointments/:id/transfer: the two doctors involved, a two-iteration loop.
async function transfer() {
  const found = [];
  for (const id of [between(1, 200), between(1, 200)]) found.push(await Doctor.findByPk(id));
  return found.length;
}

// PUT /patients/:id/preferences: Sequelize's native upsert (INSERT ... ON CONFLICT).
async function savePreference() {
  const [row] = await PatientPreference.upsert({
    patientId: between(1, 200000),
    channel: random() < 0.5 ? "email" : "sms",
  });
  return row.patientId;
}

// ---- the request simulator -------------------------------------------------

const ROUTES = [
  ["/doctors/:id/schedule", schedule, 7],
  ["billing-run", billingRun, 4],
  ["/doctors/:id/slots", openDay, 8],
  ["/visits", countVisit, 8],
  ["poll-jobs", pollJobs, 4],
  ["/login", login, 6],
  ["/patients?expand=appointments", patientsWithAppointments, 6],
  ["/appointments/:id", appointmentById, 10],
  ["/appointments/:id/details", appointmentDetails, 6],
  ["/patients/by-email", patientByEmail, 8],
  ["/specialties", specialties, 6],
  ["/appointments/:id/transfer", transfer, 6],
  ["/patients/:id/preferences", savePreference, 8],
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

// One request, arriving 0-4 ms after its batch starts; tagged with its route
// and id half of the time.
async function serve([path, handler]) {
  served.set(path, (served.get(path) ?? 0) + 1);
  const requestId = `req-${SEED}-${nextRequestId++}`;
  const tag = random() < 0.5;
  await sleep(Math.floor(random() * 5));
  if (!tag) return handler();
  tagged++;
  return requestTags.run({ route: path, request_id: requestId }, handler);
}

// Every fifth batch is a burst of single-appointment reads: many clients
// opening appointments at once, each its own request on the shared pool.
function nextBatch(batchNo, size) {
  if (batchNo % 5 === 4) return Array.from({ length: size }, () => ROUTES.find(([p]) => p === "/appointments/:id"));
  return Array.from({ length: size }, pickRoute);
}

async function main() {
  if (process.argv.includes("--sync")) {
    await sequelize.sync();
    await sequelize.close();
    return;
  }
  const started = Date.now();
  let sent = 0;
  for (let batchNo = 0; sent < REQUESTS; batchNo++) {
    const batch = nextBatch(batchNo, Math.min(CONCURRENCY, REQUESTS - sent));
    await Promise.all(batch.map(serve));
    sent += batch.length;
  }
  const ms = Date.now() - started;
  // The end marker the run script cuts the log at.
  await sequelize.query("SELECT 'sequelize-clinic-done'");
  await sequelize.close();
  console.log(
    `sequelize-clinic: seed ${SEED}, ${sent} requests (${tagged} tagged), ` +
      `${CONCURRENCY} in flight on a pool of ${POOL}, ${ms} ms`,
  );
  for (const [path] of ROUTES) console.log(`  ${path}: ${served.get(path) ?? 0} requests`);
}

main().catch(async (err) => {
  console.error(err);
  process.exitCode = 1;
  await sequelize.close().catch(() => {});
});
