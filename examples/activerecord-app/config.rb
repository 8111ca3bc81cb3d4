# Connects ActiveRecord to the library database (PG* variables) with a pool of
# 4 connections shared by all request threads, and loads the app.
require "active_record"
require "pg"

ActiveRecord::Base.establish_connection(
  adapter: "postgresql", database: ENV.fetch("LIBRARY_DB", "library"),
  host: ENV["PGHOST"], port: ENV["PGPORT"], username: ENV.fetch("PGUSER", "postgres"),
  application_name: "library", pool: 4
)
require_relative "app/models"
require_relative "app/query_tags"
require_relative "app/controllers"
