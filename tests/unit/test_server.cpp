// The language server's pieces: positions in each encoding, message framing, URIs, and the
// server driven in-process (debounce, errors, incremental sync, notebooks). The protocol with real
// clients is tests/e2e/lsp_protocol.sh (a Python client) and tests/e2e/lsp_nvim.sh (Neovim).
#include <catch2/catch.hpp>

#include <vector>

#include "server/jsonrpc.hpp"
#include "server/server.hpp"
#include "server/text_position.hpp"
#include "server/uri.hpp"

using namespace ecolint;
using namespace ecolint::server;
using nlohmann::json;

TEST_CASE("LSP positions in UTF-8, UTF-16 and UTF-32", "[server]") {
  // a, é (2 bytes, 1 UTF-16 unit), 😀 (4 bytes, 2 UTF-16 units), b
  SourceText text("x\na\xC3\xA9\xF0\x9F\x98\x80" "b\n");
  Position b{2, 4};  // code-point column of `b`
  CHECK(to_lsp(text, b, Encoding::Utf32).character == 3);
  CHECK(to_lsp(text, b, Encoding::Utf16).character == 4);
  CHECK(to_lsp(text, b, Encoding::Utf8).character == 7);
  CHECK(to_lsp(text, b, Encoding::Utf16).line == 1);
  for (Encoding e : {Encoding::Utf8, Encoding::Utf16, Encoding::Utf32}) {
    LspPosition p = to_lsp(text, b, e);
    CHECK(offset_of(text, p, e) == 9);  // the byte offset of `b`
  }
  // Past the line's end: the line's end; past the last line: the text's end.
  CHECK(offset_of(text, {0, 99}, Encoding::Utf16) == 1);
  CHECK(offset_of(text, {9, 0}, Encoding::Utf16) == text.text().size());
  // Inside a surrogate pair: the pair's start.
  CHECK(offset_of(text, {1, 3}, Encoding::Utf16) == 5);
  CHECK(code_points("a\xC3\xA9\xF0\x9F\x98\x80") == 3);
}

TEST_CASE("frames are read whole, however the bytes arrive", "[server]") {
  FrameReader r;
  std::string two = frame("{\"a\":1}") + "content-length: 7\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{\"b\":2}";
  r.feed(two.substr(0, 5));
  CHECK(!r.next());
  r.feed(two.substr(5));
  auto a = r.next();
  REQUIRE(a);
  CHECK(a->body == "{\"a\":1}");
  auto b = r.next();
  REQUIRE(b);
  CHECK(b->body == "{\"b\":2}");
  CHECK(!r.next());
  // A header without a length: an error, and the next frame is still read.
  r.feed("X-Other: 1\r\n\r\n" + frame("{}"));
  auto bad = r.next();
  REQUIRE(bad);
  CHECK(!bad->error.empty());
  auto next = r.next();
  REQUIRE(next);
  CHECK(next->body == "{}");
  r.feed("Content-Length: x1\r\n\r\n");
  auto malformed = r.next();
  REQUIRE(malformed);
  CHECK(!malformed->error.empty());
}

TEST_CASE("file URIs and paths", "[server]") {
  CHECK(path_of_uri("file:///home/a/b%20c.py") == "/home/a/b c.py");
  CHECK(path_of_uri("file://localhost/x.py") == "/x.py");
  CHECK(path_of_uri("untitled:Untitled-1").empty());
  CHECK(path_of_uri("file://server/share/x.py").empty());
  CHECK(uri_of_path("/a/caf\xC3\xA9 100%.py") == "file:///a/caf%C3%A9%20100%25.py");
  CHECK(path_of_uri(uri_of_path("/a/caf\xC3\xA9 100%.py")) == "/a/caf\xC3\xA9 100%.py");
}

namespace {

struct Harness {
  std::vector<json> sent;
  Server server{[this](const json& m) { sent.push_back(m); }};
  int id = 0;

  json request(const std::string& method, json params, Clock::time_point now = Clock::now()) {
    json m = {{"jsonrpc", "2.0"}, {"id", ++id}, {"method", method}, {"params", params}};
    server.receive(m.dump(), now);
    for (const auto& s : sent)
      if (s.contains("id") && s["id"] == id && !s.contains("method")) return s;
    return nullptr;
  }
  void notify(const std::string& method, json params, Clock::time_point now = Clock::now()) {
    server.receive(json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}}.dump(), now);
  }
  std::vector<json> published(const std::string& uri) const {
    std::vector<json> out;
    for (const auto& s : sent)
      if (s.value("method", "") == "textDocument/publishDiagnostics" && s["params"]["uri"] == uri) out.push_back(s["params"]);
    return out;
  }
};

}  // namespace

TEST_CASE("the server lints a debounce after the last change", "[server]") {
  Harness h;
  auto t0 = Clock::now();
  h.request("initialize", {{"capabilities", json::object()}}, t0);
  h.notify("initialized", json::object(), t0);
  std::string uri = "file:///tmp/ecolint-unit/serve.py";
  h.notify("textDocument/didOpen",
           {{"textDocument", {{"uri", uri}, {"languageId", "python"}, {"version", 1}, {"text", "x = 1\n"}}}}, t0);
  CHECK(h.published(uri).empty());  // nothing before the tick
  h.server.tick(t0);
  REQUIRE(h.published(uri).size() == 1);
  json change = {{"textDocument", {{"uri", uri}, {"version", 2}}},
                 {"contentChanges",
                  json::array({{{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 5}}}}},
                                {"text", "q = BitsAndBytesConfig(load_in_8bit=True)"}}})}};
  h.notify("textDocument/didChange", change, t0);
  REQUIRE(h.server.next_due());
  CHECK(*h.server.next_due() == t0 + std::chrono::milliseconds(25));
  h.server.tick(t0 + std::chrono::milliseconds(10));
  CHECK(h.published(uri).size() == 1);
  h.server.tick(t0 + std::chrono::milliseconds(25));
  auto p = h.published(uri);
  REQUIRE(p.size() == 2);
  CHECK(p[1]["version"] == 2);
  REQUIRE(p[1]["diagnostics"].size() == 1);
  CHECK(p[1]["diagnostics"][0]["code"] == "ECO001");
  CHECK(!h.server.next_due());
}

TEST_CASE("the server answers bad input with JSON-RPC errors and keeps going", "[server]") {
  Harness h;
  auto error_code = [](const json& r) { return r.is_object() && r.contains("error") ? r["error"]["code"].get<int>() : 0; };
  CHECK(error_code(h.request("shutdown", nullptr)) == -32002);
  h.server.receive("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ");
  CHECK(error_code(h.sent.back()) == -32700);
  CHECK(h.sent.back()["id"].is_null());
  h.server.receive("42");
  CHECK(error_code(h.sent.back()) == -32600);
  h.server.reject("broken header");
  CHECK(error_code(h.sent.back()) == -32700);
  h.request("initialize", {{"capabilities", json::object()}});
  CHECK(error_code(h.request("textDocument/rename", json::object())) == -32601);
  CHECK(error_code(h.request("textDocument/codeAction", {{"textDocument", {{"uri", "file:///not/open.py"}}}})) == -32602);
  std::size_t before = h.sent.size();
  h.notify("textDocument/didChange", {{"textDocument", {{"uri", "file:///not/open.py"}}}, {"contentChanges", json::array()}});
  // A notification cannot be answered: the problem is logged.
  REQUIRE(h.sent.size() == before + 1);
  CHECK(h.sent.back()["method"] == "window/logMessage");
  CHECK(!h.server.exited());
  h.request("shutdown", nullptr);
  h.notify("exit", nullptr);
  CHECK(h.server.exited());
  CHECK(h.server.exit_code() == 0);
}

TEST_CASE("a notebook's findings are published on its cells, in cell coordinates", "[server][notebook]") {
  Harness h;
  h.request("initialize", {{"capabilities", json::object()}});
  std::string nb = "file:///tmp/ecolint-unit/n.ipynb";
  json cells = json::array({{{"kind", 1}, {"document", nb + "#0"}}, {{"kind", 2}, {"document", nb + "#1"}}});
  json texts = json::array({{{"uri", nb + "#0"}, {"languageId", "markdown"}, {"version", 1}, {"text", "load_in_8bit=True\n"}},
                            {{"uri", nb + "#1"}, {"languageId", "python"}, {"version", 1},
                             {"text", "# \"quotes\" and \\ in a comment\n  q = BitsAndBytesConfig(load_in_8bit=True)\n"}}});
  h.notify("notebookDocument/didOpen",
           {{"notebookDocument", {{"uri", nb}, {"notebookType", "jupyter-notebook"}, {"version", 1}, {"cells", cells}}},
            {"cellTextDocuments", texts}});
  h.server.flush();
  CHECK(h.published(nb + "#0").empty());  // markdown cells are not published to
  auto p = h.published(nb + "#1");
  REQUIRE(p.size() == 1);
  REQUIRE(p[0]["diagnostics"].size() == 1);
  // The cell's line 2 is indented (a syntax error the reader recovers from); the range is exact.
  CHECK(p[0]["diagnostics"][0]["range"] ==
        json({{"start", {{"line", 1}, {"character", 25}}}, {"end", {{"line", 1}, {"character", 37}}}}));
}
