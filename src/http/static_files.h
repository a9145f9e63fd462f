// Serves the built web app from memory: files loaded once at start, long
// cache lifetimes for hashed assets, index.html for client-side routes (SPA
// fallback), and a strict Content-Security-Policy on the page.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "http/message.h"

namespace kefu::http {

class StaticFiles {
 public:
  // Loads every file under `dir`; returns the number of files, or an error message.
  std::string Load(const std::string& dir, size_t* count);
  // The response for a GET/HEAD of `path`, or nullopt when it is not ours.
  std::optional<Response> Serve(const Request& r) const;
  bool empty() const { return files_.empty(); }
  // Whether Serve would answer this request (cheap; for inline dispatch).
  bool Claims(const Request& r) const {
    return !files_.empty() && (r.method == "GET" || r.method == "HEAD") && !r.path.starts_with("/api/") &&
           r.path != "/healthz" && r.path != "/readyz" && r.path != "/metrics";
  }

 private:
  struct File {
    std::string body;
    std::string content_type;
  };
  std::unordered_map<std::string, File> files_;
};

}  // namespace kefu::http
