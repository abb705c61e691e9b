// cli::run in process: option validation, --output, exit codes. The full CLI (argument parsing,
// configuration discovery, git) is exercised by tests/e2e/cli.sh.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/formats.hpp"
#include "cli/output.hpp"
#include "cli/run.hpp"

namespace fs = std::filesystem;
using namespace ecolint::cli;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("ecolint-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const char* kInt8 = "m = AutoModelForCausalLM.from_pretrained(\"meta-llama/Llama-2-7b-hf\", load_in_8bit=True)\n";

}  // namespace

TEST_CASE("write_output_file replaces a regular file atomically and leaves no temporary", "[cli]") {
  TempDir dir;
  fs::path target = dir.path / "out.sarif";
  std::ofstream(target) << "old";
  std::string error;
  REQUIRE(write_output_file(target.string(), "new content", error));
  CHECK(read(target) == "new content");
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
  CHECK_FALSE(write_output_file((dir.path / "missing/out").string(), "x", error));
  CHECK_THAT(error, Catch::Contains("cannot write"));
}

TEST_CASE("run: exit codes, fail level and --output", "[cli]") {
  TempDir dir;
  std::ofstream(dir.path / "bad.py") << kInt8;
  RunOptions o;
  o.isolated = true;
  o.paths = {(dir.path / "bad.py").string()};
  std::ostringstream out, err;
  CHECK(run(o, out, err) == kFindings);
  o.fail_level = "error";
  CHECK(run(o, out, err) == kClean);
  o.fail_level = "note";
  o.format = "sarif";
  o.output = (dir.path / "report.sarif.json").string();
  std::ostringstream quiet;
  CHECK(run(o, quiet, err) == kFindings);
  CHECK(quiet.str().empty());
  CHECK_THAT(read(o.output), Catch::Contains("\"ruleId\": \"ECO001\""));
}

TEST_CASE("run: usage and configuration errors exit 2 with a message", "[cli]") {
  TempDir dir;
  std::ofstream(dir.path / "bad.py") << kInt8;
  RunOptions o;
  o.paths = {(dir.path / "bad.py").string()};
  std::ostringstream out, err;
  o.format = "xml";
  CHECK(run(o, out, err) == kError);
  CHECK_THAT(err.str(), Catch::Contains("unknown --format"));
  o.format = "text";
  o.gpu.clear();
  std::ofstream(dir.path / "conf.yaml") << "select: [ECO001]\nunknown-key: 1\n";
  o.config = (dir.path / "conf.yaml").string();
  CHECK(run(o, out, err) == kError);
  CHECK_THAT(err.str(), Catch::Contains("'unknown-key': unknown setting"));
  o.config.clear();
  o.baseline = (dir.path / "missing.json").string();
  CHECK(run(o, out, err) == kError);
  CHECK_THAT(err.str(), Catch::Contains("cannot read the baseline"));
}

TEST_CASE("an unknown GPU is a warning: estimates for all GPUs, exit by the findings", "[cli][energy]") {
  TempDir dir;
  std::ofstream(dir.path / "bad.py") << kInt8;
  RunOptions o;
  o.paths = {(dir.path / "bad.py").string()};
  o.gpu = "no-such-gpu";
  std::ostringstream out, err;
  CHECK(run(o, out, err) == kFindings);
  CHECK_THAT(err.str(), Catch::Contains("warning: unknown GPU 'no-such-gpu'"));
  CHECK_THAT(err.str(), Catch::Contains("all measured GPUs"));
  CHECK_THAT(out.str(), Catch::Contains("ECO001"));
  std::ofstream(dir.path / "clean.py") << "x = 1\n";
  std::ofstream(dir.path / "conf.yaml") << "gpu: V99\n";
  o.gpu.clear();
  o.config = (dir.path / "conf.yaml").string();
  o.paths = {(dir.path / "clean.py").string()};
  std::ostringstream out2, err2;
  CHECK(run(o, out2, err2) == kClean);
  CHECK_THAT(err2.str(), Catch::Contains("unknown GPU 'V99' (from "));
}

TEST_CASE("run: report-unused-suppressions from the configuration", "[cli]") {
  TempDir dir;
  std::ofstream(dir.path / "s.py") << "x = 1  # ecolint: ignore[ECO001] stale\n";
  std::ofstream(dir.path / "conf.yaml") << "report-unused-suppressions: true\n";
  RunOptions o;
  o.paths = {(dir.path / "s.py").string()};
  o.config = (dir.path / "conf.yaml").string();
  std::ostringstream out, err;
  CHECK(run(o, out, err) == kClean);
  CHECK_THAT(out.str(), Catch::Contains("unused suppression: no ECO001 finding"));
  o.report_unused_suppressions = false;  // the command line wins
  std::ostringstream out2;
  CHECK(run(o, out2, err) == kClean);
  CHECK_THAT(out2.str(), !Catch::Contains("unused suppression"));
}

TEST_CASE("a workload turns findings into monthly energy, money and CO2 with a summary", "[cli][energy]") {
  TempDir dir;
  std::ofstream(dir.path / "serve.py") << kInt8
                                       << "from transformers import pipeline\n"
                                          "p = pipeline('text-generation', model='gpt2', batch_size=1)\n"
                                          "p(['a', 'b'])\n";
  RunOptions o;
  o.paths = {(dir.path / "serve.py").string()};
  o.format = "json";
  o.isolated = true;
  o.gpu = "A800";
  o.tokens_per_day = 2e6;
  o.price_per_kwh = 0.25;
  o.grid_gco2_per_kwh = 500;
  std::ostringstream out, err;
  CHECK(run(o, out, err) == kFindings);
  auto doc = nlohmann::json::parse(out.str());
  REQUIRE(doc.contains("summary"));
  double sum = 0;
  for (const auto& d : doc["diagnostics"]) {
    REQUIRE(d.contains("estimate"));
    sum += d["estimate"]["avoidable_kwh_per_month"].get<double>();
  }
  CHECK(doc["diagnostics"].size() == 2);
  CHECK(doc["summary"]["avoidable_kwh_per_month"].get<double>() == Approx(sum));
  // ECO001 on A800 for the 7B model: median +119.45% of the A800 batch-1 rows, applied to the
  // row nearest 7B (Mistral-7B FP16, 4,334 J/1k); 2e6 tokens/day: 2000 * 4334 * 1.1945 * 30 / 3.6e6 = 86.28 kWh.
  const auto& eco001 = doc["diagnostics"][0];
  CHECK(eco001["rule"] == "ECO001");
  CHECK(eco001["estimate"]["avoidable_kwh_per_month"].get<double>() == Approx(86.283).epsilon(1e-3));
  CHECK(eco001["estimate"]["avoidable_cost_per_month"].get<double>() == Approx(86.283 * 0.25).epsilon(1e-3));
  CHECK(doc["summary"]["avoidable_kg_co2e_per_month"].get<double>() == Approx(sum * 0.5).epsilon(1e-6));

  o.format = "text";
  std::ostringstream text, err2;
  run(o, text, err2);
  CHECK(text.str().find("Estimated avoidable energy:") != std::string::npos);
  CHECK(text.str().find("Assumptions: 2000000 generated tokens/day") != std::string::npos);
}

TEST_CASE("without a workload there is no estimate or summary", "[cli][energy]") {
  TempDir dir;
  std::ofstream(dir.path / "a.py") << kInt8;
  RunOptions o;
  o.paths = {(dir.path / "a.py").string()};
  o.format = "json";
  o.isolated = true;
  std::ostringstream out, err;
  CHECK(run(o, out, err) == kFindings);
  auto doc = nlohmann::json::parse(out.str());
  CHECK_FALSE(doc.contains("summary"));
  CHECK_FALSE(doc["diagnostics"][0].contains("estimate"));
}

TEST_CASE("the GPU picks the evidence: --gpu, or a GPU named in the deployment file", "[cli][energy]") {
  TempDir dir;
  std::ofstream(dir.path / "serve.py") << kInt8;
  std::ofstream(dir.path / "deploy.yaml")
      << "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: tgi}\nspec:\n  template:\n    spec:\n"
         "      nodeSelector: {nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB}\n      containers:\n"
         "        - name: tgi\n          image: ghcr.io/huggingface/text-generation-inference:2.4\n"
         "          args: [\"--model-id\", \"mistralai/Mistral-7B-Instruct-v0.3\", \"--quantize\", \"bitsandbytes\"]\n";
  auto impacts = [&](const std::string& gpu) {
    RunOptions o;
    o.paths = {dir.path.string()};
    o.format = "json";
    o.isolated = true;
    o.gpu = gpu;
    std::ostringstream out, err;
    run(o, out, err);
    REQUIRE(out.str().size() > 0);
    std::map<std::string, std::string> by_file;
    auto doc = nlohmann::json::parse(out.str());  // kept alive: the loop below reads into it
    for (const auto& d : doc["diagnostics"])
      by_file[fs::path(d["path"].get<std::string>()).filename().string()] = d["impact"].get<std::string>();
    return by_file;
  };
  auto a800 = impacts("a800");
  CHECK(a800["serve.py"].find("measured +107–131% energy per token vs FP16 on A800") != std::string::npos);
  CHECK(a800["serve.py"].find("RTX 4090D") == std::string::npos);
  auto d4090 = impacts("rtx4090d");
  // Board-level figures are counted; the idle-subtracted ones and the March session are shown apart.
  CHECK(d4090["serve.py"].find("measured +40.1–59.7%") != std::string::npos);
  CHECK(d4090["serve.py"].find("RTX 4090D (Feb 2026, idle subtracted) +17.4–32.7%") != std::string::npos);
  CHECK(d4090["serve.py"].find("RTX 4090D (Mar 2026) +142%") != std::string::npos);
  CHECK(d4090["serve.py"].find("A800") == std::string::npos);
  // No flag: the node selector's A100 is unmeasured; its architecture's A800 rows are used, and said.
  auto none = impacts("");
  CHECK(none["deploy.yaml"].find("no measurements on A100 80GB SXM4 (Ampere); same architecture: Ampere (A800)") !=
        std::string::npos);
  CHECK(none["deploy.yaml"].find("GPU A100 80GB SXM4 from line 7") != std::string::npos);
  CHECK(none["serve.py"].find("RTX 4090D") != std::string::npos);  // all measured GPUs
}

// Issue 15: `-o /dev/null`, `-o /dev/full`, `-o /dev/stdout` replaced the device node or link with
// a regular file, and /dev/full's ENOSPC went unreported. Links are made here in a temp dir, so a
// regression replaces a link, never a device.
TEST_CASE("regression: -o onto a device or a pipe writes in place and reports write errors", "[cli][regress]") {
  TempDir dir;
  std::string error;
  fs::create_symlink("/dev/null", dir.path / "null");
  CHECK(write_output_file((dir.path / "null").string(), "report", error));
  CHECK(fs::is_symlink(dir.path / "null"));
  CHECK(fs::is_character_file(dir.path / "null"));

  fs::create_symlink("/dev/full", dir.path / "full");
  CHECK_FALSE(write_output_file((dir.path / "full").string(), "report", error));
  CHECK_THAT(error, Catch::Contains("No space left on device"));
  CHECK(fs::is_symlink(dir.path / "full"));

  // A FIFO nobody reads is an error at once, not a hang; one with a reader gets the report.
  REQUIRE(::mkfifo((dir.path / "fifo").c_str(), 0600) == 0);
  CHECK_FALSE(write_output_file((dir.path / "fifo").string(), "report", error));
  CHECK_THAT(error, Catch::Contains("no process is reading from it"));
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string via_fd = "/dev/fd/" + std::to_string(fds[1]);
  CHECK(write_output_file(via_fd, "through the pipe", error));
  ::close(fds[1]);
  char buffer[64] = {};
  CHECK(::read(fds[0], buffer, sizeof buffer - 1) == 16);
  CHECK(std::string(buffer) == "through the pipe");
  ::close(fds[0]);
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 3);  // no temporaries
}

TEST_CASE("the report option (-o) refuses directories and links to files, which a hostile tree could plant", "[cli][hostile]") {
  TempDir dir;
  std::string error;
  fs::create_directories(dir.path / "d");
  CHECK_FALSE(write_output_file((dir.path / "d").string(), "x", error));
  CHECK_THAT(error, Catch::Contains("is a directory"));
  std::ofstream(dir.path / "precious") << "keep";
  fs::create_symlink(dir.path / "precious", dir.path / "report.sarif");
  CHECK_FALSE(write_output_file((dir.path / "report.sarif").string(), "x", error));
  CHECK_THAT(error, Catch::Contains("a symbolic link to a file"));
  CHECK(read(dir.path / "precious") == "keep");
  fs::create_symlink(dir.path / "nothing", dir.path / "dangling");
  CHECK_FALSE(write_output_file((dir.path / "dangling").string(), "x", error));
  CHECK_THAT(error, Catch::Contains("a symbolic link to nothing"));
  CHECK_FALSE(fs::exists(dir.path / "nothing"));
}

TEST_CASE("no_inline_suppressions reports what suppression comments would hide", "[cli]") {
  TempDir dir;
  std::ofstream(dir.path / "a.py") << "# ecolint: ignore-file[ECO001] the PR author says so\n" << kInt8;
  std::ofstream(dir.path / "b.py") << "m = AutoModelForCausalLM.from_pretrained(\"meta-llama/Llama-2-7b-hf\", "
                                      "load_in_8bit=True)  # ecolint: ignore[ECO001] fine\n";
  RunOptions o;
  o.isolated = true;
  o.format = "json";
  o.paths = {dir.path.string()};
  std::ostringstream out, err;
  CHECK(run(o, out, err) == kClean);
  o.no_inline_suppressions = true;
  std::ostringstream out2;
  CHECK(run(o, out2, err) == kFindings);
  auto doc = nlohmann::json::parse(out2.str());
  CHECK(doc["diagnostics"].size() == 2);
  // And nothing is called unused.
  o.report_unused_suppressions = true;
  std::ostringstream out3;
  run(o, out3, err);
  CHECK(nlohmann::json::parse(out3.str())["notes"].empty());
}

// Issue 15: `-j 100000` aborted ("terminate called without an active exception"): a thread that
// could not be created threw past the others' join.
TEST_CASE("regression: --jobs is capped at the CPUs available", "[cli][regress]") {
  CHECK(effective_jobs(0) >= 1);
  CHECK(effective_jobs(100000) == effective_jobs(0));
  CHECK(effective_jobs(1) == 1);
  TempDir dir;
  for (int i = 0; i < 20; ++i) std::ofstream(dir.path / ("f" + std::to_string(i) + ".py")) << kInt8;
  RunOptions o;
  o.isolated = true;
  o.jobs = 100000;
  o.format = "json";
  o.paths = {dir.path.string()};
  std::ostringstream out, err;
  CHECK(run(o, out, err) == kFindings);
  CHECK(nlohmann::json::parse(out.str())["diagnostics"].size() == 20);
}

TEST_CASE("output formats: one table for the CLI, --help and the writers", "[cli]") {
  CHECK(output_format_names() == std::vector<std::string>{"text", "concise", "json", "sarif", "github"});
  CHECK(output_format_list() == "text, concise, json, sarif or github");
  for (const auto& f : output_formats()) {
    CHECK(find_output_format(f.name) == &f);
    CHECK(std::string(f.description).size() > 5);
  }
  CHECK(find_output_format("xml") == nullptr);
  CHECK(severity_names() == std::vector<std::string>{"note", "warning", "error"});
}
