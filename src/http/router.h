// Maps (method, path pattern) to handlers. Patterns are literal segments and
// {name} parameters: "/api/v1/tickets/{id}/messages". Thread-safe for
// lookups once built.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/message.h"

namespace kefu::http {

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  std::vector<std::string> segments;  // of the pattern
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);
  // Finds the route; fills request.params. Returns nullptr when none matches;
  // `path_exists` tells whether another method would have matched (405).
  const Route* Match(Request& request, bool* path_exists) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace kefu::http
