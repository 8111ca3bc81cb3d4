# The library's schema as a Rails app keeps it (db/schema.rb): t.references
# indexes every foreign key, the unique columns are unique, nothing else is
# indexed (member email, loan branch/due_on/status, holds, daily checkouts).
ActiveRecord::Schema.define(version: 2026_12_01_000000) do
  create_table :genres do |t|
    t.string :name, null: false  # ten rows: no index needed
  end

  create_table :authors do |t|
    t.string :name, null: false
  end

  create_table :publishers do |t|
    t.string :name, null: false
    t.index :name, unique: true
  end

  create_table :books do |t|
    t.string :isbn, null: false
    t.string :title, null: false
    t.references :author, null: false, foreign_key: true
    t.references :genre, null: false, foreign_key: true
    t.references :publisher, foreign_key: true
    t.index :isbn, unique: true
  end

  create_table :members do |t|
    t.string :email, null: false  # looked up with lower(email)
    t.string :name, null: false
    t.timestamps
  end

  create_table :loans do |t|
    t.references :book, null: false, foreign_key: true
    t.references :member, null: false, foreign_key: true
    t.string :branch, null: false
    t.date :due_on, null: false
    t.string :status, null: false  # returned 93 %, active 6.5 %, lost 0.5 %
    t.timestamps
  end

  create_table :reviews do |t|
    t.references :book, null: false, foreign_key: true
    t.references :member, null: false, foreign_key: true
    t.integer :stars, null: false
    t.timestamps
  end

  create_table :holds do |t|  # one row per (member, book), but nothing says so
    t.references :member, null: false, foreign_key: true
    t.references :book, null: false, foreign_key: true
    t.timestamps
  end

  create_table :daily_checkouts do |t|  # one row per (day, branch), but nothing says so
    t.date :day, null: false
    t.string :branch, null: false
    t.integer :checkouts, null: false, default: 0
    t.timestamps
  end

  create_table :book_ratings do |t|
    t.references :member, null: false, foreign_key: true, index: false  # the unique index leads with it
    t.references :book, null: false, foreign_key: true
    t.integer :stars, null: false
    t.timestamps
    t.index [:member_id, :book_id], unique: true
  end
end
