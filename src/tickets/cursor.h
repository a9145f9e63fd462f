// Opaque keyset cursors for ticket lists: the sort key values and id of the
// last row of a page, base64url-encoded together with the sort they belong to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/types.h"
#include "storage/store.h"

namespace kefu {

std::string EncodeCursor(TicketSort sort, const Ticket& last);
// nullopt when the text is not a cursor of this sort.
std::optional<std::vector<std::int64_t>> DecodeCursor(TicketSort sort, const std::string& cursor);

}  // namespace kefu
