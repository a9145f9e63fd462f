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

TEST(Request, ReadsOneCookieAmongMany) {
  Request req;
  req.headers["cookie"] = "theme=dark; kefu_session=abc123; other=1";
  EXPECT_EQ(req.Cookie("kefu_session"), "abc123");
  EXPECT_EQ(req.Cookie("missing"), "");
}

}  // namespace
}  // namespace kefu::http
