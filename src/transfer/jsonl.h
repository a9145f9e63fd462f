// Import and export of complaints as JSON Lines: one complaint per line,
// with its customer, messages, events, hand-offs and links, referring to
// users, teams, categories and departments by username / name / key.
// The format is documented in docs/import-format.md. Exporting a store and
// importing the file into an empty store with the same users, teams,
// categories, departments and states gives a store that exports to the same
// bytes.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "storage/store.h"

namespace kefu {

struct ImportReport {
  int imported = 0, skipped_existing = 0, failed = 0;
  // "line 7: field: message"; also links that could not be applied.
  std::vector<std::string> errors;
};

// Reads JSONL from `in`: one complaint per line. Each line is its own
// transaction: a bad line is reported with its line number and nothing of it
// is stored; import goes on with the next line. Idempotent: a line whose
// source_ref (or, without one, number) already exists is skipped. Links to
// complaints later in the file are applied after all lines.
Result<ImportReport> ImportJsonl(Store& store, std::istream& in);

// Writes every complaint, ordered by id, one JSON object per line. Reads in
// pages of 500 complaints, one read transaction each.
Status ExportJsonl(Store& store, std::ostream& out);

}  // namespace kefu
