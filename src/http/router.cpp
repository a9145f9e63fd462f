#include "http/router.h"

#include <string_view>

namespace kefu::http {

namespace {
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool IsParam(const std::string& seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

bool MatchSegments(const Route& r, const std::vector<std::string_view>& xs) {
  if (r.segments.size() != xs.size()) return false;
  for (size_t i = 0; i < xs.size(); ++i)
    if (!IsParam(r.segments[i]) && r.segments[i] != xs[i]) return false;
  return true;
}
}  // namespace

std::string Request::Cookie(const std::string& name) const {
  const std::string* h = Header("cookie");
  if (!h) return {};
  std::string_view s = *h;
  while (!s.empty()) {
    size_t end = s.find(';');
    std::string_view part = s.substr(0, end);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    if (end == std::string_view::npos) break;
    s.remove_prefix(end + 1);
  }
  return {};
}

void Router::Add(std::string method, std::string pattern, Handler handler) {
  Route r{std::move(method), std::move(pattern), std::move(handler), {}};
  for (auto seg : Segments(r.pattern)) r.segments.emplace_back(seg);
  routes_.push_back(std::move(r));
}

const Route* Router::Match(Request& request, bool* path_exists) const {
  *path_exists = false;
  auto xs = Segments(request.path);
  for (const auto& r : routes_) {
    if (!MatchSegments(r, xs)) continue;
    *path_exists = true;
    if (r.method != request.method && !(request.method == "HEAD" && r.method == "GET")) continue;
    for (size_t i = 0; i < xs.size(); ++i)
      if (IsParam(r.segments[i])) request.params[r.segments[i].substr(1, r.segments[i].size() - 2)] = std::string(xs[i]);
    return &r;
  }
  return nullptr;
}

}  // namespace kefu::http
