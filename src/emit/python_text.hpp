#pragma once
// Source text for the migration files of Python, Ruby and JavaScript tools (Django, Alembic,
// Rails, Knex): string
// literals no content can end, and comments no content can leave.

#include <string>
#include <string_view>

namespace pgadvisor::emit {

// A double-quoted literal; backslash, quote and every control character escaped.
std::string python_string(std::string_view text);

// A JavaScript string literal: JavaScript reads every escape python_string writes
// (\\, \", \n, \r, \t, \xNN) the same way.
inline std::string js_string(std::string_view text) { return python_string(text); }

// Multi-line text as parenthesized adjacent literals, one line each, under indent.
std::string python_text(std::string_view text, std::string_view indent);

// "-- text" lines (emit's SQL comments) as "# text" lines.
std::string python_comment(std::string_view sql_comment);

// One line for a """docstring""": no quotes, backslashes or line breaks left in it.
std::string python_docstring_line(std::string_view text);

// SQL for SQLAlchemy's text() (what Alembic's op.execute makes of a string): a colon that
// text() would read as a :name bind parameter is escaped (\:), which text() turns back
// into a plain colon; a cast's "::" stays as it is.
std::string sqlalchemy_text_escaped(std::string_view sql);

}  // namespace pgadvisor::emit
