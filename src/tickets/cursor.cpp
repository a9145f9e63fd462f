#include "tickets/cursor.h"

#include <sodium.h>

#include <charconv>

namespace kefu {

namespace {
std::vector<std::int64_t> KeyOf(TicketSort sort, const Ticket& t) {
  switch (sort) {
    case TicketSort::kUpdatedDesc:
    case TicketSort::kUpdatedAsc: return {t.updated_at, t.id};
    case TicketSort::kCreatedDesc:
    case TicketSort::kCreatedAsc: return {t.created_at, t.id};
    case TicketSort::kPriority: return {static_cast<std::int64_t>(t.priority), t.created_at, t.id};
  }
  return {t.updated_at, t.id};
}
}  // namespace

std::string EncodeCursor(TicketSort sort, const Ticket& last) {
  std::string plain = std::to_string(static_cast<int>(sort));
  for (auto v : KeyOf(sort, last)) plain += "," + std::to_string(v);
  std::string out(sodium_base64_ENCODED_LEN(plain.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);
  return out;
}

std::optional<std::vector<std::int64_t>> DecodeCursor(TicketSort sort, const std::string& cursor) {
  if (cursor.size() > 200) return std::nullopt;
  std::string plain(cursor.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(plain.data()), plain.size(), cursor.data(), cursor.size(),
                        nullptr, &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  plain.resize(len);
  std::vector<std::int64_t> values;
  const char* p = plain.data();
  const char* end = p + plain.size();
  while (p < end) {
    std::int64_t v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc()) return std::nullopt;
    values.push_back(v);
    p = next;
    if (p < end) {
      if (*p != ',') return std::nullopt;
      ++p;
    }
  }
  if (values.empty() || values[0] != static_cast<int>(sort)) return std::nullopt;
  values.erase(values.begin());
  size_t expected = sort == TicketSort::kPriority ? 3 : 2;
  if (values.size() != expected) return std::nullopt;
  return values;
}

}  // namespace kefu
