# Creates the library's tables from db/schema.rb, as `rails db:schema:load` does.
require_relative "config"
ActiveRecord::Migration.verbose = false
load File.join(__dir__, "db/schema.rb")
