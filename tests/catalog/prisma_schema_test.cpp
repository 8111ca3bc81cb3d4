// The model and field names of a schema.prisma, through @@map and @map.
#include <catch2/catch.hpp>

#include "catalog/prisma_schema.hpp"

using namespace pgadvisor;

TEST_CASE("prisma schema: models and fields mapped to tables and columns", "[prisma-schema]") {
    const auto schema = catalog::parse_prisma_schema(R"(
datasource db {
  provider = "postgresql"
}
// model Ghost { in a comment }
model BlogPost {
  id        Int      @id @default(autoincrement())
  authorId  Int      @map("author_id") // the column's name
  createdAt DateTime @default(now()) @map(name: "created \"at\"")
  author    User     @relation(fields: [authorId], references: [id])

  @@index([authorId])
  @@map("blog_posts")
}

enum Status {
  DRAFT @map("draft")
}

model User {
  id Int @id
}
)");
    REQUIRE(schema.models.size() == 2);
    const auto* post = schema.model_for_table("blog_posts");
    REQUIRE(post);
    CHECK(post->name == "BlogPost");
    REQUIRE(post->field_for_column("author_id"));
    CHECK(post->field_for_column("author_id")->name == "authorId");
    REQUIRE(post->field_for_column("created \"at\""));
    CHECK(post->field_for_column("created \"at\"")->name == "createdAt");
    CHECK_FALSE(post->field_for_column("authorId"));  // mapped away
    CHECK_FALSE(schema.model_for_table("BlogPost"));
    REQUIRE(schema.model_for_table("User"));  // no @@map: the model's own name
    CHECK_FALSE(schema.model_for_table("Status"));
    CHECK_FALSE(schema.model_for_table("Ghost"));
}

TEST_CASE("prisma schema: an unreadable file is an error", "[prisma-schema]") {
    const auto schema = catalog::read_prisma_schema("/nonexistent/schema.prisma");
    REQUIRE(schema.errors.size() == 1);
    CHECK(schema.errors[0].file == "/nonexistent/schema.prisma");
}
