// Runs the Knex migrations of a folder as `knex migrate:latest` does (up), or rolls all of
// them back (down): node tests/knex/migrate.js DIR up|down. Connection from libpq's
// PGHOST/PGPORT/PGUSER and KNEX_DB.
const knex = require("knex")({
  client: "pg",
  connection: {
    host: process.env.PGHOST, port: process.env.PGPORT, user: process.env.PGUSER || "postgres",
    database: process.env.KNEX_DB,
  },
});
const [directory, direction] = process.argv.slice(2);
const run = direction === "down" ? knex.migrate.rollback({ directory }, true) : knex.migrate.latest({ directory });
run.then(([, done]) => { console.log(`${direction}: ${done.join(", ")}`); return knex.destroy(); })
  .catch((e) => { console.error(e); process.exitCode = 1; return knex.destroy(); });
