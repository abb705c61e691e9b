#include "server/server.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include "base/file_kind.hpp"
#include "base/text.hpp"
#include "base/utf8.hpp"
#include "catalog/docs.hpp"
#include "catalog/rule_info.hpp"
#include "energy/gpus.hpp"
#include "pipeline/lint.hpp"
#include "report/report.hpp"
#include "rules/rule.hpp"
#include "server/text_position.hpp"
#include "server/uri.hpp"
#include "settings/settings.hpp"

namespace fs = std::filesystem;

namespace ecolint::server {

namespace {

// JSON-RPC and LSP error codes.
namespace code {
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kServerNotInitialized = -32002;
}  // namespace code

struct RpcError : std::runtime_error {
  int code;
  RpcError(int c, const std::string& m) : std::runtime_error(m), code(c) {}
};

// A member of a JSON object, or an Invalid params error naming it.
const json& member(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) throw RpcError(code::kInvalidParams, std::string("missing `") + key + "`");
  return j.at(key);
}
std::string string_member(const json& j, const char* key) {
  const json& v = member(j, key);
  if (!v.is_string()) throw RpcError(code::kInvalidParams, std::string("`") + key + "` is not a string");
  return v.get<std::string>();
}
int int_member(const json& j, const char* key, int fallback) {
  if (!j.is_object() || !j.contains(key) || !j.at(key).is_number_integer()) return fallback;
  return j.at(key).get<int>();
}

// ---- documents -------------------------------------------------------------------------------

struct Document {
  std::string uri, path, language;
  int version = 0;
  std::string text;
  std::string notebook;  // the notebook document this is a cell of, if any
};

struct Notebook {
  std::string uri, path;
  int version = 0;
  json metadata = json::object();
  struct Cell {
    int kind = 2;  // 1 markup, 2 code
    std::string document;
  };
  std::vector<Cell> cells;
};

// What the last lint of a document (or a notebook) found.
struct Linted {
  std::vector<Diagnostic> diagnostics;
  std::vector<UnusedSuppression> unused;
  std::string text;  // the text that was linted (a notebook's synthesized .ipynb)
  std::vector<std::string> published;  // document uris diagnostics were published to
};

FileKind kind_of_document(const Document& d) {
  FileKind k = kind_of_path(d.path.empty() ? d.uri : d.path);
  if (k != FileKind::Unknown) return k;
  if (d.language == "python") return FileKind::Python;
  if (d.language == "yaml") return FileKind::Yaml;
  return FileKind::Unknown;
}

// ---- configuration ---------------------------------------------------------------------------

// Settings from the editor (workspace/didChangeConfiguration, workspace/configuration, or
// initializationOptions), which override the configuration file as the command line does.
struct ClientSettings {
  std::optional<std::vector<std::string>> select, ignore;
  std::string gpu;
  std::string config;  // a configuration file to use instead of discovering one
  bool isolated = false;

  static ClientSettings from(const json& j) {
    ClientSettings s;
    const json& o = j.is_object() && j.contains("ecolint") ? j.at("ecolint") : j;
    if (!o.is_object()) return s;
    auto list = [&](const char* key) -> std::optional<std::vector<std::string>> {
      if (!o.contains(key)) return std::nullopt;
      std::vector<std::string> out;
      if (o.at(key).is_array())
        for (const auto& v : o.at(key))
          if (v.is_string()) out.push_back(v.get<std::string>());
      if (o.at(key).is_string()) out.push_back(o.at(key).get<std::string>());
      return out;
    };
    s.select = list("select");
    s.ignore = list("ignore");
    if (o.contains("gpu") && o.at("gpu").is_string()) s.gpu = o.at("gpu").get<std::string>();
    if (o.contains("config") && o.at("config").is_string()) s.config = o.at("config").get<std::string>();
    if (o.contains("isolated") && o.at("isolated").is_boolean()) s.isolated = o.at("isolated").get<bool>();
    return s;
  }
};

bool is_config_file(const std::string& path) {
  std::string base = text::basename(path);
  return base == ".ecolint.yaml" || base == "pyproject.toml";
}

// The options a file is linted with, and what the configuration says about it.
struct FileOptions {
  LintOptions lint;
  bool excluded = false;
  std::vector<std::string> ignored_rules;  // per-file-ignores that match it
  bool report_unused = false;
  std::vector<std::pair<std::string, Severity>> severity;  // the configuration's `severity`
};

std::string diagnostic_message(const Diagnostic& d) {
  std::string m = d.message;
  if (!d.fix.empty()) m += "\nfix: " + d.fix;
  if (!d.impact.empty()) m += "\nimpact: " + impact_with_origin(d);
  return m;
}

int lsp_severity(Severity s) {
  switch (s) {
    case Severity::Error: return 1;
    case Severity::Warning: return 2;
    case Severity::Note: break;
  }
  return 3;
}

// The sections of a rule's documentation a hover shows.
std::string hover_sections(const catalog::RuleInfo& info) {
  std::string doc = catalog::rule_markdown(info);
  std::string out;
  static const char* const kWanted[] = {"## Why it wastes energy", "## How to fix it",
                                        "## Size threshold by GPU architecture", "## Evidence"};
  for (const char* heading : kWanted) {
    std::size_t at = doc.find(std::string(heading) + "\n");
    if (at == std::string::npos) continue;
    std::size_t end = doc.find("\n## ", at + 1);
    out += doc.substr(at, end == std::string::npos ? std::string::npos : end + 1 - at);
    if (out.back() != '\n') out += '\n';
    out += '\n';
  }
  return out;
}

// Decodes JSON string content (the bytes between a string's quotes, escapes included) and counts
// where it ends relative to its start: lines and code points on the last line.
void advance_over_json(std::string_view raw, Position& p) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      char e = raw[++i];
      if (e == 'n') {
        ++p.line;
        p.column = 1;
        continue;
      }
      if (e == 'u') i += 4;
      ++p.column;
      continue;
    }
    if (c == '"') break;  // the string ended
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++p.column;
  }
}

}  // namespace

// ---- the server ------------------------------------------------------------------------------

struct Server::Impl {
  Sink send;
  ServerOptions options;
  bool initialized = false, shutdown = false, exited = false;
  Encoding encoding = Encoding::Utf16;
  bool document_changes = false;      // the client takes versioned workspace edits
  bool watch_registration = false;    // the client registers file watchers dynamically
  bool pull_configuration = false;    // the client answers workspace/configuration
  std::vector<std::string> roots;     // workspace folders
  ClientSettings client;
  int next_request_id = 1;
  std::map<int, std::string> pending;  // our requests to the client, by id: their method

  std::map<std::string, Document> documents;   // by uri: open text documents and notebook cells
  std::map<std::string, Notebook> notebooks;   // by uri
  std::map<std::string, Linted> linted;        // by document or notebook uri
  std::map<std::string, Clock::time_point> due;  // document or notebook uris to lint

  // Configuration files found for directories, and loaded (or failed) by file.
  std::map<std::string, std::optional<std::string>> config_of_dir;
  struct Loaded {
    settings::Settings settings;
    std::string error;
  };
  std::map<std::string, Loaded> loaded_config;
  std::set<std::string> reported_config_errors;

  Impl(Sink s, ServerOptions o) : send(std::move(s)), options(o) {}

  // ---- output ----------------------------------------------------------------------------------

  void respond(const json& id, json result) { send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}); }
  void respond_error(const json& id, int c, const std::string& message) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", c}, {"message", sanitize_utf8(message)}}}});
  }
  void notify(const std::string& method, json params) {
    send({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  }
  void request(const std::string& method, json params) {
    int id = next_request_id++;
    pending[id] = method;
    send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
  }
  void log(int type, const std::string& message) {
    notify("window/logMessage", {{"type", type}, {"message", sanitize_utf8("ecolint: " + message)}});
  }
  void show(int type, const std::string& message) {
    notify("window/showMessage", {{"type", type}, {"message", sanitize_utf8("ecolint: " + message)}});
  }

  // ---- dispatch --------------------------------------------------------------------------------

  void receive(const std::string& body, Clock::time_point now) {
    json msg;
    try {
      msg = json::parse(body);
    } catch (const std::exception& e) {
      respond_error(nullptr, code::kParseError, std::string("parse error: ") + e.what());
      return;
    }
    if (msg.is_array()) {  // JSON-RPC batches are not part of LSP
      respond_error(nullptr, code::kInvalidRequest, "batches are not supported");
      return;
    }
    if (!msg.is_object()) {
      respond_error(nullptr, code::kInvalidRequest, "a message must be a JSON object");
      return;
    }
    bool has_id = msg.contains("id") && (msg["id"].is_number_integer() || msg["id"].is_string());
    json id = has_id ? msg["id"] : json(nullptr);
    if (!msg.contains("method")) {
      if (has_id && (msg.contains("result") || msg.contains("error"))) {
        response(msg, now);
        return;
      }
      respond_error(id, code::kInvalidRequest, "a message needs a method, or an id with a result");
      return;
    }
    if (!msg["method"].is_string() || (msg.contains("id") && !has_id)) {
      respond_error(id, code::kInvalidRequest, "invalid request: method must be a string, id a number or string");
      return;
    }
    std::string method = msg["method"].get<std::string>();
    json params = msg.contains("params") ? msg["params"] : json::object();
    try {
      if (has_id) handle_request(id, method, params);
      else handle_notification(method, params, now);
    } catch (const RpcError& e) {
      if (has_id) respond_error(id, e.code, e.what());
      else log(1, method + ": " + e.what());
    } catch (const std::exception& e) {
      if (has_id) respond_error(id, code::kInternalError, std::string("internal error: ") + e.what());
      else log(1, method + ": internal error: " + e.what());
    }
  }

  void handle_request(const json& id, const std::string& method, const json& params) {
    if (method == "initialize") {
      if (initialized) throw RpcError(code::kInvalidRequest, "initialize was already received");
      respond(id, initialize(params));
      initialized = true;
      return;
    }
    if (!initialized) throw RpcError(code::kServerNotInitialized, "the server is not initialized yet");
    if (shutdown) throw RpcError(code::kInvalidRequest, "the server is shutting down");
    if (method == "shutdown") {
      shutdown = true;
      respond(id, nullptr);
    } else if (method == "textDocument/hover") {
      respond(id, hover(params));
    } else if (method == "textDocument/codeAction") {
      respond(id, code_actions(params));
    } else {
      throw RpcError(code::kMethodNotFound, "method not found: " + method);
    }
  }

  void handle_notification(const std::string& method, const json& params, Clock::time_point now) {
    if (method == "exit") {
      exited = true;
      return;
    }
    if (!initialized || shutdown) return;  // dropped, as the protocol says
    if (method == "initialized") return on_initialized();
    if (method == "textDocument/didOpen") return did_open(params, now);
    if (method == "textDocument/didChange") return did_change(params, now);
    if (method == "textDocument/didSave") return did_save(params, now);
    if (method == "textDocument/didClose") return did_close(params);
    if (method == "notebookDocument/didOpen") return notebook_open(params, now);
    if (method == "notebookDocument/didChange") return notebook_change(params, now);
    if (method == "notebookDocument/didSave") return schedule(string_member(member(params, "notebookDocument"), "uri"), now);
    if (method == "notebookDocument/didClose") return notebook_close(params);
    if (method == "workspace/didChangeConfiguration") return configuration_changed(params, now);
    if (method == "workspace/didChangeWatchedFiles") return watched_files_changed(params, now);
    if (method == "workspace/didChangeWorkspaceFolders") return folders_changed(params);
    // $/cancelRequest, $/setTrace, and anything else: nothing to do.
  }

  // A response to one of our requests.
  void response(const json& msg, Clock::time_point now) {
    if (!msg["id"].is_number_integer()) return;
    auto it = pending.find(msg["id"].get<int>());
    if (it == pending.end()) return;
    std::string method = it->second;
    pending.erase(it);
    if (method == "workspace/configuration" && msg.contains("result") && msg["result"].is_array() &&
        !msg["result"].empty()) {
      client = ClientSettings::from(msg["result"][0]);
      forget_configuration();
      relint_all(now);
    }
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  json initialize(const json& params) {
    const json caps = params.is_object() && params.contains("capabilities") ? params["capabilities"] : json::object();
    auto cap = [&](std::initializer_list<const char*> path) -> json {
      const json* at = &caps;
      for (const char* k : path) {
        if (!at->is_object() || !at->contains(k)) return nullptr;
        at = &at->at(k);
      }
      return *at;
    };
    // Code points are what ecolint counts: take them, else UTF-8 bytes, else the default UTF-16.
    json offered = cap({"general", "positionEncodings"});
    encoding = Encoding::Utf16;
    if (offered.is_array()) {
      auto has = [&](const char* e) { return std::find(offered.begin(), offered.end(), json(e)) != offered.end(); };
      if (has("utf-32")) encoding = Encoding::Utf32;
      else if (has("utf-8")) encoding = Encoding::Utf8;
    }
    document_changes = cap({"workspace", "workspaceEdit", "documentChanges"}) == json(true);
    watch_registration = cap({"workspace", "didChangeWatchedFiles", "dynamicRegistration"}) == json(true);
    pull_configuration = cap({"workspace", "configuration"}) == json(true);
    if (params.contains("workspaceFolders") && params["workspaceFolders"].is_array()) {
      for (const auto& f : params["workspaceFolders"])
        if (f.is_object() && f.contains("uri") && f["uri"].is_string()) add_root(f["uri"].get<std::string>());
    } else if (params.contains("rootUri") && params["rootUri"].is_string()) {
      add_root(params["rootUri"].get<std::string>());
    }
    if (params.contains("initializationOptions") && !params["initializationOptions"].is_null())
      client = ClientSettings::from(params["initializationOptions"]);
    return {
        {"capabilities",
         {{"positionEncoding", encoding_name(encoding)},
          {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
          {"notebookDocumentSync",
           {{"notebookSelector", json::array({{{"notebook", {{"notebookType", "jupyter-notebook"}}},
                                               {"cells", json::array({{{"language", "python"}}})}}})},
            {"save", true}}},
          {"hoverProvider", true},
          {"codeActionProvider", {{"codeActionKinds", json::array({"quickfix"})}}},
          {"workspace", {{"workspaceFolders", {{"supported", true}, {"changeNotifications", true}}}}}}},
        {"serverInfo", {{"name", "ecolint"}, {"version", ECOLINT_VERSION}}}};
  }

  void add_root(const std::string& uri) {
    std::string path = path_of_uri(uri);
    if (!path.empty() && std::find(roots.begin(), roots.end(), path) == roots.end()) roots.push_back(path);
  }

  void on_initialized() {
    if (watch_registration)
      request("client/registerCapability",
              {{"registrations",
                json::array({{{"id", "ecolint-configuration-files"},
                              {"method", "workspace/didChangeWatchedFiles"},
                              {"registerOptions",
                               {{"watchers", json::array({{{"globPattern", "**/.ecolint.yaml"}},
                                                          {{"globPattern", "**/pyproject.toml"}}})}}}}})}});
    if (pull_configuration) request("workspace/configuration", {{"items", json::array({{{"section", "ecolint"}}})}});
  }

  void folders_changed(const json& params) {
    const json& event = member(params, "event");
    if (event.contains("removed") && event["removed"].is_array())
      for (const auto& f : event["removed"])
        if (f.is_object() && f.contains("uri") && f["uri"].is_string()) {
          std::string path = path_of_uri(f["uri"].get<std::string>());
          roots.erase(std::remove(roots.begin(), roots.end(), path), roots.end());
        }
    if (event.contains("added") && event["added"].is_array())
      for (const auto& f : event["added"])
        if (f.is_object() && f.contains("uri") && f["uri"].is_string()) add_root(f["uri"].get<std::string>());
  }

  // ---- configuration ---------------------------------------------------------------------------

  void forget_configuration() {
    config_of_dir.clear();
    loaded_config.clear();
    reported_config_errors.clear();
  }

  void configuration_changed(const json& params, Clock::time_point now) {
    json settings = params.is_object() && params.contains("settings") ? params["settings"] : json(nullptr);
    bool pushed = settings.is_object() && !settings.empty();
    if (pushed) client = ClientSettings::from(settings);
    else if (pull_configuration) request("workspace/configuration", {{"items", json::array({{{"section", "ecolint"}}})}});
    forget_configuration();
    relint_all(now);
  }

  void watched_files_changed(const json& params, Clock::time_point now) {
    bool config = false;
    if (params.contains("changes") && params["changes"].is_array())
      for (const auto& c : params["changes"])
        if (c.is_object() && c.contains("uri") && c["uri"].is_string() &&
            is_config_file(path_of_uri(c["uri"].get<std::string>())))
          config = true;
    if (!config) return;
    forget_configuration();
    relint_all(now);
  }

  const Loaded* config_for(const std::string& path) {
    std::string file;
    if (!client.config.empty()) {
      file = client.config;
    } else {
      std::string dir = path.empty() ? "" : fs::path(path).parent_path().string();
      if (dir.empty()) return nullptr;
      auto it = config_of_dir.find(dir);
      if (it == config_of_dir.end()) {
        std::optional<std::string> found;
        try {
          found = settings::discover(path);
        } catch (const std::exception&) {
        }
        it = config_of_dir.emplace(dir, found).first;
      }
      if (!it->second) return nullptr;
      file = *it->second;
    }
    auto loaded = loaded_config.find(file);
    if (loaded == loaded_config.end()) {
      Loaded l;
      try {
        l.settings = settings::load_file(file);
      } catch (const std::exception& e) {
        l.error = e.what();
      }
      loaded = loaded_config.emplace(file, std::move(l)).first;
    }
    if (!loaded->second.error.empty()) {
      if (reported_config_errors.insert(file).second)
        show(1, loaded->second.error + " (linting with the defaults until it is fixed)");
      return nullptr;
    }
    return &loaded->second;
  }

  FileOptions options_for(const std::string& path) {
    FileOptions o;
    const Loaded* config = client.isolated ? nullptr : config_for(path);
    // The editor's settings merge with the file's configuration as the command line's do.
    settings::RuleSelection from_config, from_client;
    if (config) from_config = config->settings.rule_selection();
    from_client.select = client.select;
    if (client.ignore) from_client.ignore = *client.ignore;
    std::vector<std::string> ids;
    for (const auto& r : all_rules()) ids.emplace_back(r->id());
    o.lint.enabled_rules = settings::resolve_rules(ids, {&from_config, &from_client});
    std::string gpu = !client.gpu.empty() ? client.gpu : config && config->settings.gpu ? *config->settings.gpu : "";
    if (!gpu.empty()) {
      if (const energy::Gpu* g = energy::find_gpu(gpu)) o.lint.gpu = g->name;
      else if (reported_config_errors.insert("gpu:" + gpu).second) show(2, "unknown GPU '" + gpu + "'; estimates are for all measured GPUs");
    }
    if (config && !path.empty()) {
      const auto& s = config->settings;
      std::string rel = fs::path(path).lexically_relative(s.root).generic_string();
      if (!rel.empty() && rel != "." && rel.rfind("..", 0) != 0) {
        o.excluded = !s.exclude.empty() && settings::any_glob_matches(s.exclude, rel);
        for (const auto& [glob, ids] : s.per_file_ignores)
          if (settings::any_glob_matches({glob}, rel)) o.ignored_rules.insert(o.ignored_rules.end(), ids.begin(), ids.end());
      }
      o.report_unused = s.report_unused_suppressions.value_or(false);
      o.severity = s.severity;
    }
    return o;
  }

  // ---- text documents --------------------------------------------------------------------------

  // A change moves the lint to `debounce` after it; an open or save lints at once.
  void schedule(const std::string& uri, Clock::time_point when) { due[uri] = when; }

  void relint_all(Clock::time_point now) {
    for (const auto& [uri, d] : documents)
      if (d.notebook.empty()) schedule(uri, now);
    for (const auto& [uri, n] : notebooks) schedule(uri, now);
  }

  void did_open(const json& params, Clock::time_point now) {
    const json& item = member(params, "textDocument");
    Document d;
    d.uri = string_member(item, "uri");
    d.path = path_of_uri(d.uri);
    d.language = item.contains("languageId") && item["languageId"].is_string() ? item["languageId"].get<std::string>() : "";
    d.version = int_member(item, "version", 0);
    d.text = string_member(item, "text");
    documents[d.uri] = d;
    schedule(d.uri, now);
  }

  Document& document(const json& id) {
    std::string uri = string_member(id, "uri");
    auto it = documents.find(uri);
    if (it == documents.end()) throw RpcError(code::kInvalidParams, "document not open: " + uri);
    return it->second;
  }

  void apply_changes(Document& d, const json& changes) {
    if (!changes.is_array()) throw RpcError(code::kInvalidParams, "`contentChanges` is not an array");
    for (const auto& c : changes) {
      std::string text = string_member(c, "text");
      if (!c.contains("range")) {
        d.text = std::move(text);
        continue;
      }
      SourceText src(d.text);
      auto pos = [&](const json& p) {
        return LspPosition{static_cast<uint32_t>(std::max(0, int_member(p, "line", 0))),
                           static_cast<uint32_t>(std::max(0, int_member(p, "character", 0)))};
      };
      const json& range = c["range"];
      std::size_t a = offset_of(src, pos(member(range, "start")), encoding);
      std::size_t b = offset_of(src, pos(member(range, "end")), encoding);
      if (b < a) std::swap(a, b);
      d.text.replace(a, b - a, text);
    }
  }

  void did_change(const json& params, Clock::time_point now) {
    Document& d = document(member(params, "textDocument"));
    d.version = int_member(params["textDocument"], "version", d.version);
    apply_changes(d, member(params, "contentChanges"));
    schedule(d.notebook.empty() ? d.uri : d.notebook, now + options.debounce);
  }

  void did_save(const json& params, Clock::time_point now) {
    std::string uri = string_member(member(params, "textDocument"), "uri");
    if (is_config_file(path_of_uri(uri))) {
      forget_configuration();
      relint_all(now);
      return;
    }
    auto it = documents.find(uri);
    if (it != documents.end()) schedule(it->second.notebook.empty() ? uri : it->second.notebook, now);
  }

  void did_close(const json& params) {
    std::string uri = string_member(member(params, "textDocument"), "uri");
    documents.erase(uri);
    due.erase(uri);
    linted.erase(uri);
    publish(uri, json::array(), std::nullopt);
  }

  // ---- notebook documents ----------------------------------------------------------------------

  void open_cell(const json& item, const std::string& notebook) {
    Document d;
    d.uri = string_member(item, "uri");
    d.language = item.contains("languageId") && item["languageId"].is_string() ? item["languageId"].get<std::string>() : "";
    d.version = int_member(item, "version", 0);
    d.text = string_member(item, "text");
    d.notebook = notebook;
    documents[d.uri] = d;
  }

  static Notebook::Cell cell_of(const json& c) { return {int_member(c, "kind", 2), string_member(c, "document")}; }

  void notebook_open(const json& params, Clock::time_point now) {
    const json& nb = member(params, "notebookDocument");
    Notebook n;
    n.uri = string_member(nb, "uri");
    n.path = path_of_uri(n.uri);
    n.version = int_member(nb, "version", 0);
    if (nb.contains("metadata") && nb["metadata"].is_object()) n.metadata = nb["metadata"];
    for (const auto& c : member(nb, "cells")) n.cells.push_back(cell_of(c));
    if (params.contains("cellTextDocuments") && params["cellTextDocuments"].is_array())
      for (const auto& item : params["cellTextDocuments"]) open_cell(item, n.uri);
    notebooks[n.uri] = std::move(n);
    schedule(string_member(nb, "uri"), now);
  }

  void notebook_change(const json& params, Clock::time_point now) {
    const json& id = member(params, "notebookDocument");
    std::string uri = string_member(id, "uri");
    auto it = notebooks.find(uri);
    if (it == notebooks.end()) throw RpcError(code::kInvalidParams, "notebook not open: " + uri);
    Notebook& n = it->second;
    n.version = int_member(id, "version", n.version);
    const json& change = member(params, "change");
    if (change.contains("metadata") && change["metadata"].is_object()) n.metadata = change["metadata"];
    if (change.contains("cells") && change["cells"].is_object()) {
      const json& cells = change["cells"];
      if (cells.contains("structure") && cells["structure"].is_object()) {
        const json& s = cells["structure"];
        const json& array = member(s, "array");
        int start = int_member(array, "start", 0), count = int_member(array, "deleteCount", 0);
        if (start < 0 || count < 0 || static_cast<std::size_t>(start) > n.cells.size() ||
            static_cast<std::size_t>(start + count) > n.cells.size())
          throw RpcError(code::kInvalidParams, "cell structure change out of range");
        std::vector<Notebook::Cell> added;
        if (array.contains("cells") && array["cells"].is_array())
          for (const auto& c : array["cells"]) added.push_back(cell_of(c));
        n.cells.erase(n.cells.begin() + start, n.cells.begin() + start + count);
        n.cells.insert(n.cells.begin() + start, added.begin(), added.end());
        if (s.contains("didOpen") && s["didOpen"].is_array())
          for (const auto& item : s["didOpen"]) open_cell(item, uri);
        if (s.contains("didClose") && s["didClose"].is_array())
          for (const auto& item : s["didClose"]) {
            std::string cell = string_member(item, "uri");
            documents.erase(cell);
            publish(cell, json::array(), std::nullopt);
          }
      }
      if (cells.contains("data") && cells["data"].is_array())
        for (const auto& c : cells["data"]) {
          Notebook::Cell updated = cell_of(c);
          for (auto& existing : n.cells)
            if (existing.document == updated.document) existing.kind = updated.kind;
        }
      if (cells.contains("textContent") && cells["textContent"].is_array())
        for (const auto& tc : cells["textContent"]) {
          Document& d = document(member(tc, "document"));
          d.version = int_member(tc["document"], "version", d.version);
          apply_changes(d, member(tc, "changes"));
        }
    }
    schedule(uri, now + options.debounce);
  }

  void notebook_close(const json& params) {
    std::string uri = string_member(member(params, "notebookDocument"), "uri");
    auto it = notebooks.find(uri);
    if (it != notebooks.end()) {
      for (const auto& c : it->second.cells) {
        documents.erase(c.document);
        publish(c.document, json::array(), std::nullopt);
      }
      notebooks.erase(it);
    }
    due.erase(uri);
    linted.erase(uri);
  }

  // The notebook as an .ipynb text, for the notebook reader: its cells in order.
  std::string notebook_text(const Notebook& n) const {
    json cells = json::array();
    for (const auto& c : n.cells) {
      auto d = documents.find(c.document);
      std::string source = d == documents.end() ? "" : d->second.text;
      json cell = {{"cell_type", c.kind == 2 ? "code" : "markdown"}, {"metadata", json::object()}, {"source", source}};
      if (c.kind == 2) cell["outputs"] = json::array(), cell["execution_count"] = nullptr;
      cells.push_back(std::move(cell));
    }
    json doc = {{"cells", cells}, {"metadata", n.metadata}, {"nbformat", 4}, {"nbformat_minor", 5}};
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
  }

  // ---- linting and publishing ------------------------------------------------------------------

  void tick(Clock::time_point now) {
    std::vector<std::string> ready;
    for (const auto& [uri, when] : due)
      if (when <= now) ready.push_back(uri);
    for (const auto& uri : ready) {
      due.erase(uri);
      try {
        if (notebooks.count(uri)) lint_notebook(notebooks[uri]);
        else if (documents.count(uri)) lint_document(documents[uri]);
      } catch (const std::exception& e) {
        log(1, "could not lint " + uri + ": " + e.what());
      }
    }
  }

  std::optional<Clock::time_point> next_due() const {
    std::optional<Clock::time_point> first;
    for (const auto& [uri, when] : due)
      if (!first || when < *first) first = when;
    return first;
  }

  FileResult lint(const std::string& path, const std::string& text, FileKind kind, const FileOptions& o) {
    if (o.excluded || kind == FileKind::Unknown || o.lint.enabled_rules.empty()) return {};
    FileResult r = lint_text(path, text, kind, o.lint);
    auto ignored = [&](const std::string& rule) {
      return std::any_of(o.ignored_rules.begin(), o.ignored_rules.end(), [&](const std::string& s) { return rule.rfind(s, 0) == 0; });
    };
    r.diagnostics.erase(std::remove_if(r.diagnostics.begin(), r.diagnostics.end(), [&](const Diagnostic& d) { return ignored(d.rule); }),
                        r.diagnostics.end());
    r.unused_suppressions.erase(std::remove_if(r.unused_suppressions.begin(), r.unused_suppressions.end(),
                                               [&](const UnusedSuppression& u) { return ignored(u.rule); }),
                                r.unused_suppressions.end());
    if (!o.report_unused) r.unused_suppressions.clear();
    if (!o.severity.empty()) {
      settings::Settings levels;
      levels.severity = o.severity;
      for (auto& d : r.diagnostics)
        if (auto level = levels.severity_of(d.rule)) d.severity = *level;
    }
    return r;
  }

  json range_json(const SourceText& text, Range r) const {
    LspPosition a = to_lsp(text, r.start, encoding), b = to_lsp(text, r.end, encoding);
    if (b.line < a.line || (b.line == a.line && b.character < a.character)) b = a;
    return {{"start", {{"line", a.line}, {"character", a.character}}}, {"end", {{"line", b.line}, {"character", b.character}}}};
  }

  json lsp_diagnostic(const Diagnostic& d, json range) const {
    return {{"range", std::move(range)},
            {"severity", lsp_severity(d.severity)},
            {"code", d.rule},
            {"codeDescription", {{"href", report::rule_help_uri(d.rule)}}},
            {"source", "ecolint"},
            {"message", sanitize_utf8(diagnostic_message(d))},
            {"data", {{"fixable", !d.fixes.empty()}}}};
  }

  json unused_diagnostic(const UnusedSuppression& u, const SourceText& text) const {
    Range r{u.position, {u.position.line, u.position.column + 8}};
    return {{"range", range_json(text, r)},
            {"severity", 4},
            {"tags", json::array({1})},
            {"source", "ecolint"},
            {"message", "unused suppression: no " + u.rule + " finding here to silence"}};
  }

  void publish(const std::string& uri, json diagnostics, std::optional<int> version) {
    json params = {{"uri", uri}, {"diagnostics", std::move(diagnostics)}};
    if (version) params["version"] = *version;
    notify("textDocument/publishDiagnostics", std::move(params));
  }

  void lint_document(const Document& d) {
    FileOptions o = options_for(d.path);
    FileKind kind = kind_of_document(d);
    if (kind == FileKind::Unknown) return;
    Linted l;
    l.text = d.text;
    FileResult r = lint(d.path.empty() ? d.uri : d.path, d.text, kind, o);
    l.diagnostics = std::move(r.diagnostics);
    l.unused = std::move(r.unused_suppressions);
    SourceText text(d.text);
    json out = json::array();
    for (const auto& diag : l.diagnostics) out.push_back(lsp_diagnostic(diag, range_json(text, diag.range)));
    for (const auto& u : l.unused) out.push_back(unused_diagnostic(u, text));
    publish(d.uri, std::move(out), d.version);
    linted[d.uri] = std::move(l);
  }

  // Where a notebook finding is in its cell: the start from the reader, the end from the raw span.
  static Range cell_range(const Diagnostic& d, const SourceText& raw) {
    Range r{d.cell_position, d.cell_position};
    std::size_t a = raw.offset_from_position(d.range.start), b = raw.offset_from_position(d.range.end);
    if (b > a) advance_over_json(std::string_view(raw.text()).substr(a, b - a), r.end);
    return r;
  }

  void lint_notebook(const Notebook& n) {
    FileOptions o = options_for(n.path);
    Linted l;
    l.text = notebook_text(n);
    FileResult r = lint(n.path.empty() ? n.uri : n.path, l.text, FileKind::Notebook, o);
    l.diagnostics = std::move(r.diagnostics);
    SourceText raw(l.text);
    std::map<std::string, json> per_cell;
    for (const auto& c : n.cells)
      if (c.kind == 2) per_cell[c.document] = json::array();
    for (const auto& d : l.diagnostics) {
      if (d.cell < 1 || static_cast<std::size_t>(d.cell) > n.cells.size()) continue;
      const std::string& cell_uri = n.cells[static_cast<std::size_t>(d.cell - 1)].document;
      auto doc = documents.find(cell_uri);
      if (doc == documents.end()) continue;
      SourceText text(doc->second.text);
      per_cell[cell_uri].push_back(lsp_diagnostic(d, range_json(text, cell_range(d, raw))));
    }
    for (auto& [uri, diags] : per_cell) {
      auto doc = documents.find(uri);
      publish(uri, std::move(diags), doc == documents.end() ? std::nullopt : std::optional<int>(doc->second.version));
    }
    linted[n.uri] = std::move(l);
  }

  // ---- hover and code actions --------------------------------------------------------------------

  // A document's findings in its own coordinates: its text, and for each finding the range in it.
  struct Findings {
    const Document* document = nullptr;
    std::string text;
    std::vector<std::pair<const Diagnostic*, Range>> items;
    const Notebook* notebook = nullptr;
    int cell = 0;  // 1-based among all cells
  };

  Findings findings_of(const std::string& uri) {
    Findings f;
    auto doc = documents.find(uri);
    if (doc == documents.end()) throw RpcError(code::kInvalidParams, "document not open: " + uri);
    f.document = &doc->second;
    f.text = doc->second.text;
    std::string owner = doc->second.notebook.empty() ? uri : doc->second.notebook;
    if (due.count(owner)) {  // the findings must be those of the text the client shows
      due.erase(owner);
      if (notebooks.count(owner)) lint_notebook(notebooks[owner]);
      else lint_document(doc->second);
    }
    auto l = linted.find(owner);
    if (l == linted.end()) return f;
    if (doc->second.notebook.empty()) {
      for (const auto& d : l->second.diagnostics) f.items.push_back({&d, d.range});
      return f;
    }
    const Notebook& n = notebooks.at(owner);
    f.notebook = &n;
    for (std::size_t i = 0; i < n.cells.size(); ++i)
      if (n.cells[i].document == uri) f.cell = static_cast<int>(i + 1);
    SourceText raw(l->second.text);
    for (const auto& d : l->second.diagnostics)
      if (d.cell == f.cell) f.items.push_back({&d, cell_range(d, raw)});
    return f;
  }

  static Position position_in(const SourceText& text, const json& p, Encoding e) {
    LspPosition lp{static_cast<uint32_t>(std::max(0, int_member(p, "line", 0))),
                   static_cast<uint32_t>(std::max(0, int_member(p, "character", 0)))};
    return text.position_from_offset(offset_of(text, lp, e));
  }

  static bool before(Position a, Position b) { return a.line < b.line || (a.line == b.line && a.column < b.column); }

  json hover(const json& params) {
    Findings f = findings_of(string_member(member(params, "textDocument"), "uri"));
    SourceText text(f.text);
    Position at = position_in(text, member(params, "position"), encoding);
    std::string md;
    json range = nullptr;
    for (const auto& [d, r] : f.items) {
      if (before(at, r.start) || before(r.end, at)) continue;
      const catalog::RuleInfo* info = catalog::find_rule_info(d->rule);
      if (!md.empty()) md += "\n---\n\n";
      md += "**" + d->rule + (info ? " " + info->name + "**: " + info->title : "**") + "\n\n" + d->message + "\n\n";
      if (!d->fix.empty()) md += "**Fix:** " + d->fix + "\n\n";
      if (!d->impact.empty()) md += "**Estimated impact:** " + impact_with_origin(*d) + "\n\n";
      for (const auto& fix : d->fixes)
        md += "**Quick fix** (" + std::string(applicability_name(fix.applicability)) + "): " + fix.title + "\n\n";
      if (info) md += hover_sections(*info);
      md += "[" + d->rule + " documentation](" + report::rule_help_uri(d->rule) + ")\n";
      if (range.is_null()) range = range_json(text, r);
    }
    if (md.empty()) return nullptr;
    return {{"contents", {{"kind", "markdown"}, {"value", sanitize_utf8(md)}}}, {"range", range}};
  }

  json text_edit(const SourceText& text, Range r, const std::string& new_text) const {
    return {{"range", range_json(text, r)}, {"newText", sanitize_utf8(new_text)}};
  }

  json workspace_edit(const Document& d, json edits) const {
    return workspace_edit(std::vector<std::pair<const Document*, json>>{{&d, std::move(edits)}});
  }
  // Edits of several documents (a notebook fix can touch two cells: `import torch` goes first).
  json workspace_edit(std::vector<std::pair<const Document*, json>> per_document) const {
    if (document_changes) {
      json changes = json::array();
      for (auto& [d, edits] : per_document)
        changes.push_back({{"textDocument", {{"uri", d->uri}, {"version", d->version}}}, {"edits", std::move(edits)}});
      return {{"documentChanges", std::move(changes)}};
    }
    json changes = json::object();
    for (auto& [d, edits] : per_document) changes[d->uri] = std::move(edits);
    return {{"changes", std::move(changes)}};
  }

  // A fix's edits per document: the file's, or in a notebook each cell's (null when an edit is not
  // within one cell).
  std::optional<json> fix_edit(const Findings& f, const SourceText& text, const Fix& fix) const {
    if (!f.notebook) {
      json edits = json::array();
      for (const auto& e : fix.edits) edits.push_back(text_edit(text, e.range, e.text));
      return workspace_edit(*f.document, std::move(edits));
    }
    std::map<int, json> by_cell;
    for (const auto& e : fix.edits) {
      if (e.cell < 1 || static_cast<std::size_t>(e.cell) > f.notebook->cells.size()) return std::nullopt;
      auto doc = documents.find(f.notebook->cells[static_cast<std::size_t>(e.cell - 1)].document);
      if (doc == documents.end()) return std::nullopt;
      if (!by_cell.count(e.cell)) by_cell[e.cell] = json::array();
      by_cell[e.cell].push_back(text_edit(SourceText(doc->second.text), e.cell_range, e.cell_text));
    }
    std::vector<std::pair<const Document*, json>> per_document;
    for (auto& [cell, edits] : by_cell)
      per_document.push_back({&documents.at(f.notebook->cells[static_cast<std::size_t>(cell - 1)].document), std::move(edits)});
    return workspace_edit(std::move(per_document));
  }

  // "Ignore on this line": `# ecolint: ignore[RULE] <reason>` at the end of the finding's line (or
  // its rule added to an ignore comment there); in a YAML block scalar, where a comment would be
  // text, an ignore-file comment on the first line instead. Nothing for a notebook's shell line.
  std::optional<json> ignore_action(const Findings& f, const Diagnostic& d, Range r, const json& diag) const {
    SourceText text(f.text);
    FileKind kind = f.notebook ? FileKind::Python : kind_of_document(*f.document);
    bool raw_notebook = !f.notebook && kind == FileKind::Notebook;
    std::string_view line = text.line(r.start.line);
    if (f.notebook || raw_notebook) {
      std::string_view body = d.snippet;
      while (!body.empty() && (body.front() == ' ' || body.front() == '\t')) body.remove_prefix(1);
      if (!body.empty() && (body.front() == '!' || body.front() == '%')) return std::nullopt;
    }
    std::string comment = "# ecolint: ignore[" + d.rule + "] <reason>";
    std::string title = d.rule + ": ignore on this line";
    Range at;
    std::string insert;
    std::size_t existing = line.find("ecolint: ignore[");
    if (!raw_notebook && existing != std::string_view::npos) {
      uint32_t column = code_points(line.substr(0, existing + 16)) + 1;
      at = {{r.start.line, column}, {r.start.line, column}};
      insert = d.rule + ",";
    } else if (raw_notebook) {
      // The end of this code line inside its JSON string: before `\n` or the closing quote.
      std::size_t from = text.offset_from_position(d.range.start) - text.line_start(r.start.line);
      std::size_t i = from;
      while (i < line.size() && line[i] != '"' && !(line[i] == '\\' && i + 1 < line.size() && line[i + 1] == 'n')) {
        if (line[i] == '\\') ++i;
        ++i;
      }
      if (i >= line.size()) return std::nullopt;
      uint32_t column = code_points(line.substr(0, i)) + 1;
      at = {{r.start.line, column}, {r.start.line, column}};
      insert = "  # ecolint: ignore[" + d.rule + "] <reason>";
    } else {
      if (!line.empty() && line.back() == '\\') return std::nullopt;  // a continued line
      if (kind == FileKind::Yaml && in_block_scalar(text, r.start.line)) {
        at = {{1, 1}, {1, 1}};
        insert = "# ecolint: ignore-file[" + d.rule + "] <reason>\n";
        title = d.rule + ": ignore in this file";
      } else {
        uint32_t column = code_points(line) + 1;
        at = {{r.start.line, column}, {r.start.line, column}};
        insert = "  " + comment;
      }
    }
    json edit = workspace_edit(*f.document, json::array({text_edit(text, at, insert)}));
    return json{{"title", title}, {"kind", "quickfix"}, {"diagnostics", json::array({diag})}, {"edit", edit}};
  }

  // A line inside a YAML block scalar (`key: |` or `>`): a `#` there is text, not a comment.
  static bool in_block_scalar(const SourceText& text, uint32_t line) {
    auto indent = [](std::string_view l) {
      std::size_t n = 0;
      while (n < l.size() && l[n] == ' ') ++n;
      return n;
    };
    std::size_t current = indent(text.line(line));
    for (uint32_t l = line; l-- > 1;) {
      std::string_view t = text.line(l);
      std::size_t first = t.find_first_not_of(' ');
      if (first == std::string_view::npos || indent(t) >= current) continue;
      std::string_view s = t;
      if (auto hash = s.find(" #"); hash != std::string_view::npos) s = s.substr(0, hash);
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      while (!s.empty() && (s.back() == '-' || s.back() == '+' || std::isdigit(static_cast<unsigned char>(s.back())))) s.remove_suffix(1);
      if (!s.empty() && (s.back() == '|' || s.back() == '>')) return true;
      current = indent(t);
      if (current == 0) return false;
    }
    return false;
  }

  json code_actions(const json& params) {
    std::string uri = string_member(member(params, "textDocument"), "uri");
    Findings f = findings_of(uri);
    SourceText text(f.text);
    const json& range = member(params, "range");
    Position from = position_in(text, member(range, "start"), encoding);
    Position to = position_in(text, member(range, "end"), encoding);
    std::vector<std::string> only;
    if (params.contains("context") && params["context"].is_object() && params["context"].contains("only") &&
        params["context"]["only"].is_array())
      for (const auto& k : params["context"]["only"])
        if (k.is_string()) only.push_back(k.get<std::string>());
    bool wanted = only.empty() || std::any_of(only.begin(), only.end(), [](const std::string& k) {
                    return k == "quickfix" || k.rfind("quickfix.", 0) == 0;
                  });
    json actions = json::array();
    if (!wanted) return actions;
    for (const auto& [d, r] : f.items) {
      if (before(to, r.start) || before(r.end, from)) continue;
      json diag = lsp_diagnostic(*d, range_json(text, r));
      for (const auto& fix : d->fixes) {
        std::optional<json> edit = fix_edit(f, text, fix);
        if (!edit) continue;
        json action = {{"title", d->rule + ": " + fix.title + (fix.applicability == Applicability::Unsafe ? " [unsafe fix]" : "")},
                       {"kind", "quickfix"},
                       {"diagnostics", json::array({diag})},
                       {"isPreferred", fix.applicability == Applicability::Safe},
                       {"edit", std::move(*edit)}};
        actions.push_back(std::move(action));
      }
      if (auto ignore = ignore_action(f, *d, r, diag)) actions.push_back(std::move(*ignore));
    }
    return actions;
  }
};

Server::Server(Sink send, ServerOptions options) : impl_(std::make_unique<Impl>(std::move(send), options)) {}
Server::~Server() = default;

void Server::receive(const std::string& body, Clock::time_point now) {
  try {
    impl_->receive(body, now);
  } catch (const std::exception& e) {  // never: receive() answers errors itself; a last guard
    impl_->log(1, std::string("internal error: ") + e.what());
  }
}

void Server::tick(Clock::time_point now) {
  try {
    impl_->tick(now);
  } catch (const std::exception& e) {
    impl_->log(1, std::string("internal error: ") + e.what());
  }
}

void Server::reject(const std::string& message) {
  impl_->respond_error(nullptr, code::kParseError, message);
}

std::optional<Clock::time_point> Server::next_due() const { return impl_->next_due(); }
bool Server::exited() const { return impl_->exited; }
int Server::exit_code() const { return impl_->shutdown ? 0 : 1; }

}  // namespace ecolint::server
