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
  // The most specific route wins: at the first segment where two matching
  // routes differ, a literal beats a parameter (/customers/at-risk before
  // /customers/{id}), whatever the order they were added in.
  const Route* best = nullptr;
  auto more_specific = [&](const Route& a, const Route& b) {
    for (size_t i = 0; i < xs.size(); ++i)
      if (IsParam(a.segments[i]) != IsParam(b.segments[i])) return !IsParam(a.segments[i]);
    return false;
  };
  for (const auto& r : routes_) {
    if (!MatchSegments(r, xs)) continue;
    *path_exists = true;
    if (r.method != request.method && !(request.method == "HEAD" && r.method == "GET")) continue;
    if (!best || more_specific(r, *best)) best = &r;
  }
  if (best)
    for (size_t i = 0; i < xs.size(); ++i)
      if (IsParam(best->segments[i]))
        request.params[best->segments[i].substr(1, best->segments[i].size() - 2)] = std::string(xs[i]);
  return best;
}

}  // namespace kefu::http
