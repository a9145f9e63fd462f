// Versioned schema migrations of the SQLite store, applied in order at open.
// A migration is never edited once released: add a new one.
#pragma once

#include <span>

namespace kefu::sqlite {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

std::span<const Migration> Migrations();

}  // namespace kefu::sqlite
