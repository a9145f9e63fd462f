// Reading validated fields out of JSON objects (request bodies, import
// lines). Every failure is a validation Error naming the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/fwd.hpp>

#include "core/error.h"

namespace kefu::json {

// Parses a whole document; the parser rejects invalid UTF-8 and trailing text.
Result<boost::json::value> ParseDocument(std::string_view text);
// The body as an object, or a validation error.
Result<const boost::json::object*> AsObject(const boost::json::value& v, std::string_view what = "body");

// Absent or null -> nullopt; wrong type -> error. `prefix` names nested
// fields ("customer.phone").
Result<std::optional<std::string>> OptString(const boost::json::object& o, std::string_view key,
                                             std::string_view field_name = {});
Result<std::optional<std::int64_t>> OptInt(const boost::json::object& o, std::string_view key,
                                           std::string_view field_name = {});
Result<std::optional<bool>> OptBool(const boost::json::object& o, std::string_view key);
Result<std::optional<std::vector<std::string>>> OptStringArray(const boost::json::object& o, std::string_view key);
Result<std::optional<std::vector<std::int64_t>>> OptIntArray(const boost::json::object& o, std::string_view key);
Result<const boost::json::object*> OptObject(const boost::json::object& o, std::string_view key);
// A partial edit applied to a stored body: the object `stored` (JSON the
// program wrote; an empty object if it is not one) with each member of
// `changes` put over it, a null one included.
boost::json::object Overlay(std::string_view stored, const boost::json::object& changes);
// Present and explicitly null.
bool IsNull(const boost::json::object& o, std::string_view key);
bool Has(const boost::json::object& o, std::string_view key);

}  // namespace kefu::json
