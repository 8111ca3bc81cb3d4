# Marginalia-style query tags: ActiveRecord 6.1 has no ActiveRecord::QueryLogs
# (Rails 7), so this does what the marginalia gem does: it wraps the PostgreSQL
# adapter's execute and execute_and_clear and appends
# /*application:Library,controller:desk,action:recent_loans*/ to every statement
# run while a tagged request is served (thread-local, one request per thread).
module QueryTags
  def self.with(controller, action)
    Thread.current[:query_tags] = "application:Library,controller:#{controller},action:#{action}"
    yield
  ensure
    Thread.current[:query_tags] = nil
  end

  def self.annotate(sql)
    tags = Thread.current[:query_tags]
    tags ? "#{sql} /*#{tags}*/" : sql
  end

  module Instrumentation
    def execute(sql, *args, **kwargs)
      super(QueryTags.annotate(sql), *args, **kwargs)
    end

    def execute_and_clear(sql, *args, **kwargs, &block)
      super(QueryTags.annotate(sql), *args, **kwargs, &block)
    end
  end
end

ActiveRecord::ConnectionAdapters::PostgreSQLAdapter.prepend(QueryTags::Instrumentation)
