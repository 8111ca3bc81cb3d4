# The library's controllers, as plain Ruby classes (no ActionPack in Debian's
# ruby-activerecord): one action per request. Each comment names what pgadvisor
# should see: PLANTED problems (expected.toml [[planted]]) and CONTROLS that are
# fine (expected.toml [[control]]). Api:: controllers are tagged (QueryTags);
# the others are not.
module Api
  class DeskController
    # PLANTED n-plus-one: loan.member is a lazy belongs_to, one
    # SELECT "members".* FROM "members" WHERE "members"."id" = $1 LIMIT $2 per loan
    # (includes(:member) would be one IN (...)).
    def recent_loans(before:)
      Loan.where("id <= ?", before).order(id: :desc).limit(20).map { |l| [l.id, l.member.name] }
    end
  end

  class BooksController
    # CONTROL: one primary-key lookup per request (Book.find), and a loop of
    # exactly two iterations (the neighbouring books).
    def show(id:)
      book = Book.find(id)
      neighbours = [id - 1, id + 1].map { |i| Book.find_by(id: i)&.title }
      { title: book.title, neighbours: neighbours }
    end
  end

  class RatingsController
    # CONTROL: the native upsert, INSERT ... ON CONFLICT ("member_id","book_id") DO UPDATE
    # (ActiveRecord 6.1 sets no timestamps in upsert: the app passes them).
    def update(member_id:, book_id:, stars:)
      now = Time.now
      BookRating.upsert({ member_id: member_id, book_id: book_id, stars: stars, created_at: now, updated_at: now },
                        unique_by: %i[member_id book_id])
    end
  end
end

class BooksController
  # CONTROL: one unique-key lookup per request, untagged.
  def by_isbn(isbn:)
    Book.find_by!(isbn: isbn).title
  end

  # CONTROL: eager loading, includes(:reviews): one SELECT ... WHERE book_id IN (...)
  # per request, lists of varying length.
  def by_author(author_id:)
    Book.where(author_id: author_id).includes(:reviews).map { |b| [b.title, b.reviews.size] }
  end
end

class MembersController
  # CONTROL: eager loading, includes(:book): one SELECT ... WHERE id IN (...) per request.
  def loans(member_id:)
    Loan.where(member_id: member_id).includes(:book).map { |l| [l.due_on, l.book.title] }
  end

  # PLANTED seq-scan: lower(email) = ... needs an expression index on lower(email).
  def lookup(email:)
    Member.find_by!("lower(email) = ?", email.downcase).name
  end
end

class AuthorsController
  # PLANTED n-plus-one: a loop of Author.find, one statement per author
  # (Author.find(ids) would be one).
  def featured(ids:)
    ids.map { |i| Author.find(i).name }
  end
end

class PublishersController
  # PLANTED check-then-insert: find_or_create_by! is SELECT, then INSERT when missing
  # (publishers.name is unique, so a race ends in ActiveRecord::RecordNotUnique).
  def create(name:)
    Publisher.find_or_create_by!(name: name).id
  end
end

class HoldsController
  # PLANTED check-then-insert: find_or_create_by! on (member_id, book_id), no unique index.
  def create(member_id:, book_id:)
    Hold.find_or_create_by!(member_id: member_id, book_id: book_id).id
  end
end

class CheckoutsController
  # PLANTED check-then-insert (find, then update or create) on (day, branch), no unique index:
  # SELECT, then UPDATE ... WHERE id = $1 when found, INSERT when not.
  def create(branch:)
    counter = DailyCheckout.find_or_initialize_by(day: Date.today, branch: branch)
    counter.checkouts += 1
    counter.save!
  end
end

class ReportsController
  # PLANTED seq-scan: branch and due_on together select ~0.01 % of the loans:
  # a composite index (branch, due_on).
  def branch_due(branch:, day:)
    Loan.where(branch: branch, due_on: day).pluck(:id, :status)
  end

  # PLANTED seq-scan: status = 'lost' is 0.5 % of the loans, always the same
  # constant: a partial index ... WHERE status = 'lost'.
  def lost
    Loan.where(status: "lost").order(due_on: :desc).limit(50).pluck(:id)
  end
end

class GenresController
  # CONTROL: a ten-row lookup table, scanned: no index needed.
  def show(name:)
    Genre.find_by!(name: name).id
  end
end
