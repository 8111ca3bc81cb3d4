# The library's models: plain ActiveRecord, associations lazy by default.
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

class Genre < ApplicationRecord; end
class Publisher < ApplicationRecord; end
class DailyCheckout < ApplicationRecord; end
class BookRating < ApplicationRecord; end

class Author < ApplicationRecord
  has_many :books
end

class Book < ApplicationRecord
  belongs_to :author
  belongs_to :genre
  belongs_to :publisher, optional: true
  has_many :reviews
end

class Member < ApplicationRecord
  has_many :loans
end

class Loan < ApplicationRecord
  belongs_to :book
  belongs_to :member
end

class Review < ApplicationRecord
  belongs_to :book
  belongs_to :member
end

class Hold < ApplicationRecord
  belongs_to :member
  belongs_to :book
end
