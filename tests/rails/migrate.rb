# Runs the ActiveRecord migrations of a folder as `rails db:migrate` does (up), or all
# the way back (down): ruby tests/rails/migrate.rb DIR up|down. Connection from LIBRARY_DB
# and libpq's PGHOST/PGPORT/PGUSER.
require "active_record"
require "pg"

ActiveRecord::Base.establish_connection(
  adapter: "postgresql", database: ENV.fetch("LIBRARY_DB"),
  host: ENV["PGHOST"], port: ENV["PGPORT"], username: ENV.fetch("PGUSER", "postgres")
)
context = ActiveRecord::MigrationContext.new(ARGV.fetch(0), ActiveRecord::SchemaMigration)
ARGV.fetch(1) == "down" ? context.migrate(0) : context.migrate
