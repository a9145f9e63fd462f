// Sending a rendered message: HTTP POST for robots and webhooks, SMTP for
// email. The dispatcher sees only this interface; tests replace it.
#pragma once

#include <memory>
#include <string>

#include "outbox/format.h"

namespace kefu::outbox {

// What became of one attempt. `error` is for the delivery log: it names the
// receiver by scheme and host only and never holds a secret.
struct Outcome {
  bool ok = false;
  bool permanent = false;    // retrying cannot help (HTTP 4xx, SMTP 5xx, bad address)
  bool interrupted = false;  // stopped by Cancel(): the receiver may or may not have it
  std::string error;
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual Outcome Post(const HttpPost& request) = 0;
  virtual Outcome Send(const Email& mail) = 0;
  // Makes attempts in progress return soon (shutdown). Thread-safe.
  virtual void Cancel() {}
};

struct SmtpOptions {
  std::string url;       // smtp://host:port (STARTTLS optional) or smtps://host:port
  std::string from;      // sender address
  std::string username;  // empty: no authentication
  std::string password;
  bool starttls = false;  // require STARTTLS on smtp://
};

struct TransportOptions {
  SmtpOptions smtp;
  int connect_timeout_ms = 5000;
  int timeout_ms = 15000;  // whole attempt
  // Robots and webhooks may be on internal addresses (see outbox/address.h).
  bool private_targets = false;
};

// libcurl. Redirects are not followed; HTTP(S) only for posts; an HTTP answer
// outside 2xx is a failure, permanent for 4xx other than 408 and 429; a post
// to an internal address is refused, permanently, unless private_targets.
std::unique_ptr<Transport> MakeCurlTransport(TransportOptions options);

}  // namespace kefu::outbox
