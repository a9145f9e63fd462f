#include <gtest/gtest.h>

#include "http/router.h"

namespace kefu::http {
namespace {

TEST(Router, MatchesParametersAndTellsMethodFromPathMisses) {
  Router r;
  r.Add("GET", "/api/v1/tickets/{id}", [](Request&) { return Response{}; });
  r.Add("DELETE", "/api/v1/tickets/{id}/links/{link_id}", [](Request&) { return Response{}; });
  Request req;
  req.method = "GET";
  req.path = "/api/v1/tickets/42";
  bool exists = false;
  ASSERT_TRUE(r.Match(req, &exists));
  EXPECT_EQ(req.params["id"], "42");
  req.method = "POST";
  EXPECT_FALSE(r.Match(req, &exists));
  EXPECT_TRUE(exists) << "405, not 404";
  req.method = "DELETE";
  req.path = "/api/v1/tickets/1/links/9";
  ASSERT_TRUE(r.Match(req, &exists));
  EXPECT_EQ(req.params["link_id"], "9");
  req.path = "/api/v1/nothing";
  EXPECT_FALSE(r.Match(req, &exists));
  EXPECT_FALSE(exists);
}

Response Body(std::string text) {
  Response res;
  res.body = std::move(text);
  return res;
}

TEST(Router, ALiteralSegmentBeatsAParameterWhateverTheOrderOfAdding) {
  Router r;
  r.Add("GET", "/api/v1/customers/{id}", [](Request&) { return Body("param"); });
  r.Add("GET", "/api/v1/customers/at-risk", [](Request&) { return Body("literal"); });
  Request req;
  req.method = "GET";
  req.path = "/api/v1/customers/at-risk";
  bool exists = false;
  const Route* route = r.Match(req, &exists);
  ASSERT_TRUE(route);
  EXPECT_EQ(route->handler(req).body, "literal");
  EXPECT_TRUE(req.params.empty()) << "no parameter is read from a literal match";
  req.path = "/api/v1/customers/7";
  route = r.Match(req, &exists);
  ASSERT_TRUE(route);
  EXPECT_EQ(route->handler(req).body, "param");
  EXPECT_EQ(req.params["id"], "7");
}

TEST(Request, ReadsOneCookieAmongMany) {
  Request req;
  req.headers["cookie"] = "theme=dark; kefu_session=abc123; other=1";
  EXPECT_EQ(req.Cookie("kefu_session"), "abc123");
  EXPECT_EQ(req.Cookie("missing"), "");
}

}  // namespace
}  // namespace kefu::http
