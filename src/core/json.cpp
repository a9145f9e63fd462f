#include "core/json.h"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace kefu::json {

namespace {
std::string FieldName(std::string_view key, std::string_view field_name) {
  return std::string(field_name.empty() ? key : field_name);
}
}  // namespace

Result<boost::json::value> ParseDocument(std::string_view text) {
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 32;
  auto v = boost::json::parse(text, ec, {}, opts);
  if (ec) return Fail(Error::Validation("body", fmt::format("malformed JSON: {}", ec.message())));
  return v;
}

boost::json::object Overlay(std::string_view stored, const boost::json::object& changes) {
  auto doc = ParseDocument(stored);
  boost::json::object out = doc && doc->is_object() ? std::move(doc->as_object()) : boost::json::object{};
  for (const auto& [key, value] : changes) out[key] = value;
  return out;
}

Result<const boost::json::object*> AsObject(const boost::json::value& v, std::string_view what) {
  if (!v.is_object()) return Fail(Error::Validation(std::string(what), fmt::format("{} must be a JSON object", what)));
  return &v.get_object();
}

bool IsNull(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_null();
}

bool Has(const boost::json::object& o, std::string_view key) { return o.find(key) != o.end(); }

Result<std::optional<std::string>> OptString(const boost::json::object& o, std::string_view key,
                                             std::string_view field_name) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<std::string>();
  if (!it->value().is_string())
    return Fail(Error::Validation(FieldName(key, field_name), fmt::format("{} must be a string", FieldName(key, field_name))));
  return std::optional<std::string>(std::string(it->value().get_string()));
}

Result<std::optional<std::int64_t>> OptInt(const boost::json::object& o, std::string_view key,
                                           std::string_view field_name) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<std::int64_t>();
  const auto& v = it->value();
  if (v.is_int64()) return std::optional<std::int64_t>(v.get_int64());
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return std::optional<std::int64_t>(static_cast<std::int64_t>(v.get_uint64()));
  return Fail(Error::Validation(FieldName(key, field_name), fmt::format("{} must be an integer", FieldName(key, field_name))));
}

Result<std::optional<bool>> OptBool(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<bool>();
  if (!it->value().is_bool()) return Fail(Error::Validation(std::string(key), fmt::format("{} must be true or false", key)));
  return std::optional<bool>(it->value().get_bool());
}

Result<std::optional<std::vector<std::string>>> OptStringArray(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<std::vector<std::string>>();
  if (!it->value().is_array())
    return Fail(Error::Validation(std::string(key), fmt::format("{} must be an array of strings", key)));
  std::vector<std::string> out;
  for (const auto& v : it->value().get_array()) {
    if (!v.is_string()) return Fail(Error::Validation(std::string(key), fmt::format("{} must be an array of strings", key)));
    out.emplace_back(v.get_string());
  }
  return std::optional(std::move(out));
}

Result<std::optional<std::vector<std::int64_t>>> OptIntArray(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<std::vector<std::int64_t>>();
  if (!it->value().is_array())
    return Fail(Error::Validation(std::string(key), fmt::format("{} must be an array of integers", key)));
  std::vector<std::int64_t> out;
  for (const auto& v : it->value().get_array()) {
    if (!v.is_int64()) return Fail(Error::Validation(std::string(key), fmt::format("{} must be an array of integers", key)));
    out.push_back(v.get_int64());
  }
  return std::optional(std::move(out));
}

Result<const boost::json::object*> OptObject(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return static_cast<const boost::json::object*>(nullptr);
  if (!it->value().is_object()) return Fail(Error::Validation(std::string(key), fmt::format("{} must be an object", key)));
  return &it->value().get_object();
}

}  // namespace kefu::json
