# Simulated web traffic for the library: REQUESTS requests drawn from a fixed
# mix (seeded), served by CLIENTS threads. Each request checks a connection out
# of the pool of 4 for its duration (connection_pool.with_connection, as a Rails
# request does), so each server session serves a stream of unrelated requests.
#
#   ruby traffic.rb [--requests N] [--clients C] [--seed S]
require "optparse"
require_relative "config"

opts = { requests: 700, clients: 6, seed: 42 }
OptionParser.new do |o|
  o.on("--requests N", Integer) { |v| opts[:requests] = v }
  o.on("--clients N", Integer) { |v| opts[:clients] = v }
  o.on("--seed N", Integer) { |v| opts[:seed] = v }
end.parse!

BRANCHES = (0...30).map { |i| "branch-#{i}" }
# [weight, controller class, action, tagged, parameter builder]
MIX = [
  [22, Api::BooksController, :show, true, ->(r) { { id: r.rand(2..299_999) } }],
  [14, BooksController, :by_isbn, false, ->(r) { { isbn: format("978-%09d", r.rand(1..300_000)) } }],
  [12, MembersController, :loans, false, ->(r) { { member_id: r.rand(1..200_000) } }],
  [7, Api::DeskController, :recent_loans, true, ->(r) { { before: r.rand(1000..700_000) } }],
  [5, AuthorsController, :featured, false, ->(r) { { ids: Array.new(10) { r.rand(1..50_000) } } }],
  [8, PublishersController, :create, false, ->(r) { { name: "publisher-#{r.rand(1..6500)}" } }],
  [8, HoldsController, :create, false, ->(r) { { member_id: r.rand(1..200_000), book_id: r.rand(1..300_000) } }],
  [8, Api::RatingsController, :update, true,
   ->(r) { { member_id: r.rand(1..200_000), book_id: r.rand(1..300_000), stars: r.rand(1..5) } }],
  [3, ReportsController, :branch_due, false,
   ->(r) { { branch: BRANCHES.sample(random: r), day: Date.new(2025, r.rand(1..12), r.rand(1..28)) } }],
  [3, ReportsController, :lost, false, ->(_r) { {} }],
  [4, MembersController, :lookup, false, ->(r) { { email: "MEMBER#{r.rand(1..200_000)}@example.net" } }],
  [6, GenresController, :show, false, ->(r) { { name: %w[fiction history science poetry].sample(random: r) } }],
  [8, CheckoutsController, :create, false, ->(r) { { branch: BRANCHES.sample(random: r) } }],
]

rng = Random.new(opts[:seed])
total = MIX.sum(&:first)
jobs = Queue.new
opts[:requests].times do
  pick = rng.rand(total)
  entry = MIX.find { |w, *| (pick -= w) < 0 }
  jobs << [entry, entry[4].call(rng)]
end

statuses = Hash.new(0)
lock = Mutex.new
started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
threads = Array.new(opts[:clients]) do
  Thread.new do
    loop do
      (_weight, klass, action, tagged, _build), params = jobs.pop(true)
      status = ActiveRecord::Base.connection_pool.with_connection do
        controller = klass.name.sub(/Controller\z/, "").gsub("::", "/").downcase
        if tagged
          QueryTags.with(controller, action) { klass.new.public_send(action, **params) }
        else
          klass.new.public_send(action, **params)
        end
        200
      rescue ActiveRecord::RecordNotFound
        404
      end
      lock.synchronize { statuses[["#{klass.name}##{action}", status]] += 1 }
    rescue ThreadError # queue empty
      break
    end
  end
end
threads.each(&:join)
elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
# The capture ends before this marker.
ActiveRecord::Base.connection_pool.with_connection { |c| c.execute("SELECT 'library-traffic-done'") }
puts format("traffic.rb: %d requests, %d client threads, pool of 4, seed %d, %.1f s",
            opts[:requests], opts[:clients], opts[:seed], elapsed)
statuses.sort.each { |(name, status), n| puts format("  %-38s HTTP %d  x%d", name, status, n) }
