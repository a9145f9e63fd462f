#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kefu::http {

namespace {

std::string TypeOf(const std::filesystem::path& p) {
  auto ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".ttf") return "font/ttf";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'";

}  // namespace

std::string StaticFiles::Load(const std::string& dir, size_t* count) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return "web directory " + dir + " does not exist";
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != end(it); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    std::string rel = "/" + std::filesystem::relative(it->path(), dir).generic_string();
    files_[rel] = File{body.str(), TypeOf(it->path())};
  }
  if (ec) return "cannot read " + dir + ": " + ec.message();
  if (!files_.contains("/index.html")) return "web directory " + dir + " has no index.html";
  *count = files_.size();
  return {};
}

std::optional<Response> StaticFiles::Serve(const Request& r) const {
  if (!Claims(r)) return std::nullopt;
  auto it = files_.find(r.path == "/" ? "/index.html" : r.path);
  bool fallback = false;
  if (it == files_.end()) {
    // Client-side routes (no file extension) get the app; missing files 404.
    auto last = r.path.substr(r.path.rfind('/') + 1);
    if (last.find('.') != std::string::npos) return std::nullopt;
    it = files_.find("/index.html");
    fallback = true;
  }
  Response res;
  res.content_type = it->second.content_type;
  res.body = it->second.body;
  bool hashed = !fallback && r.path.starts_with("/assets/");
  res.AddHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  res.AddHeader("X-Content-Type-Options", "nosniff");
  if (it->second.content_type.starts_with("text/html")) {
    res.AddHeader("Content-Security-Policy", kCsp);
    res.AddHeader("X-Frame-Options", "DENY");
    res.AddHeader("Referrer-Policy", "same-origin");
  }
  return res;
}

}  // namespace kefu::http
