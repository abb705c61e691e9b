// Estimates that hold up (issue 18): the worked examples, linted, estimated and printed as users
// see them, and a check that every percentage a finding prints traces to evidence rows.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "catalog/docs.hpp"
#include "catalog/rule_info.hpp"
#include "energy/gpus.hpp"
#include "energy/impact.hpp"
#include "energy/workload.hpp"
#include "pipeline/lint.hpp"
#include "report/report.hpp"

using namespace ecolint;

namespace {

const char* const kMistralInt8 =
    "from transformers import AutoModelForCausalLM, BitsAndBytesConfig\n"
    "config = BitsAndBytesConfig(load_in_8bit=True)\n"
    "model = AutoModelForCausalLM.from_pretrained(\"mistralai/Mistral-7B-v0.1\", quantization_config=config)\n";

struct Output {
  std::vector<Diagnostic> diagnostics;
  std::string text;
  nlohmann::json json;
};

// `ecolint --gpu GPU --tokens-per-day TOKENS` on one Python file, in process.
Output lint_and_estimate(const std::string& gpu, const std::string& code, double tokens_per_day) {
  LintOptions options = LintOptions::all_rules();
  if (!gpu.empty()) options.gpu = energy::find_gpu(gpu)->name;
  FileResult r = lint_text("load.py", code, FileKind::Python, options);
  Output out;
  out.diagnostics = r.diagnostics;
  report::RunSummary summary;
  summary.files_considered = 1;
  summary.workload = energy::apply_workload(out.diagnostics, {tokens_per_day, std::nullopt, std::nullopt});
  std::ostringstream text, json;
  report::write_text(text, out.diagnostics, r.notes, summary);
  report::write_json(json, out.diagnostics, r.notes, summary);
  out.text = text.str();
  out.json = nlohmann::json::parse(json.str());
  return out;
}

std::vector<double> deltas(const nlohmann::json& rows) {
  std::vector<double> out;
  for (const auto& r : rows) out.push_back(r["delta_pct"].get<double>());
  return out;
}

}  // namespace

TEST_CASE("worked example: A800, Mistral-7B LLM.int8(), 10M tokens/day", "[estimates]") {
  Output out = lint_and_estimate("A800", kMistralInt8, 1e7);
  REQUIRE(out.diagnostics.size() == 1);
  const auto& d = out.json["diagnostics"][0];
  CHECK(d["rule"] == "ECO001");
  const auto& e = d["estimate"];
  // The A800 batch-1 rows: +107.4 (Qwen2.5-14B), +117.2 (Yi-1.5-9B), +121.7 and +130.8 (Mistral-7B).
  CHECK(e["delta_pct"].get<double>() == Approx(119.45));
  CHECK(e["delta_pct_range"][0].get<double>() == Approx(107.4));
  CHECK(e["delta_pct_range"][1].get<double>() == Approx(130.8));
  // Baseline: the A800 row nearest the model's 7B, Mistral-7B FP16 batch 1, 4,334 J/1k tokens:
  // 1e7 / 1000 * 4334 J * 1.1945 * 30 / 3.6e6 = 431.41 kWh/month.
  CHECK(e["baseline_j_per_1k_tokens"].get<double>() == Approx(4334));
  CHECK(e["avoidable_kwh_per_month"].get<double>() == Approx(431.41).epsilon(1e-4));
  CHECK(e["avoidable_kwh_per_month_range"][0].get<double>() == Approx(387.89).epsilon(1e-4));
  CHECK(e["avoidable_kwh_per_month_range"][1].get<double>() == Approx(472.41).epsilon(1e-4));
  CHECK(e["extrapolated"] == false);
  CHECK(e["rows_from"] == "A800");
  REQUIRE(e["basis"].size() == 4);
  for (const auto& row : e["basis"]) {
    CHECK(row["gpu"] == "A800");
    CHECK(row["batch"] == 1);
    CHECK(row["method"] == "int8-default");
    CHECK(row.contains("model"));
    CHECK(row.contains("n"));
    CHECK(!row["source"].get<std::string>().empty());
  }
  CHECK(out.json["summary"]["avoidable_kwh_per_month"].get<double>() == Approx(431.41).epsilon(1e-4));
  CHECK(out.json["summary"]["avoidable_kwh_per_month_range"][0].get<double>() == Approx(387.89).epsilon(1e-4));
  CHECK(out.text.find("= workload: ~431.4 kWh/month avoidable (range 387.9 to 472.4); median +119.5% (rows +107.4% "
                      "to +130.8%, 4 rows from A800) of 4334 J/1k tokens") != std::string::npos);
  CHECK(out.text.find("Estimated avoidable energy: 431.4 kWh/month (low 387.9, high 472.4)") != std::string::npos);
}

TEST_CASE("worked example: T4 has no INT8 measurements and no borrow, so no estimate", "[estimates]") {
  Output out = lint_and_estimate("T4", kMistralInt8, 1e7);
  REQUIRE(out.diagnostics.size() == 1);
  const auto& d = out.json["diagnostics"][0];
  CHECK_FALSE(d.contains("estimate"));
  CHECK(d["impact"].get<std::string>().find("no estimate for T4 (Turing)") == 0);
  CHECK(d["impact"].get<std::string>().find("the sources borrow no other architecture's figures for Turing") !=
        std::string::npos);
  CHECK(out.json["summary"]["findings_not_estimated"] == 1);
  CHECK(out.text.find("workload:") == std::string::npos);
}

TEST_CASE("worked example: H100 is extrapolated from the architecture the sources borrow", "[estimates]") {
  Output out = lint_and_estimate("H100", kMistralInt8, 1e7);
  const auto& e = out.json["diagnostics"][0]["estimate"];
  CHECK(e["extrapolated"] == true);
  CHECK(e["rows_from"] == "Ampere (A800)");
  CHECK(e["extrapolation"].get<std::string>().find("borrowed from Ampere (A800)") != std::string::npos);
  CHECK(e["delta_pct"].get<double>() == Approx(119.45));
  CHECK(out.text.find("extrapolated: no measurements on H100 SXM5 (Hopper)") != std::string::npos);
}

TEST_CASE("worked example: RTX 4090 shows each session, spans both, pools none", "[estimates]") {
  Output out = lint_and_estimate("RTX 4090", kMistralInt8, 1e7);
  REQUIRE(out.diagnostics.size() == 1);
  const auto& d = out.json["diagnostics"][0];
  std::string impact = d["impact"].get<std::string>();
  CHECK(impact.find("RTX 4090 (July 2026) +49.5–242% median +146%") != std::string::npos);
  CHECK(impact.find("RTX 4090 (August 2026) +106–595% median +304%") != std::string::npos);
  CHECK(impact.find("RTX 4090 (Aug 6 2026, second instance) +138%") != std::string::npos);
  CHECK(impact.find("not pooled: median of the 3 sessions' medians +146%") != std::string::npos);
  const auto& e = d["estimate"];
  // The range runs from July's lowest row to August's highest.
  CHECK(e["delta_pct_range"][0].get<double>() == Approx(49.5));
  CHECK(e["delta_pct_range"][1].get<double>() == Approx(594.6));
  std::set<std::string> sessions;
  for (const auto& row : e["basis"]) sessions.insert(row["session"].get<std::string>());
  CHECK(sessions == std::set<std::string>{"July 2026", "August 2026", "Aug 6 2026, second instance"});
  // The central figure is the median of the three sessions' medians (+146.1, +137.9, +304.35), not
  // the median of the 16 rows pooled (+256.55).
  CHECK(e["delta_pct"].get<double>() == Approx(146.1));
  CHECK(energy::median_of(deltas(e["basis"])) == Approx(256.55));
  // Baseline: the RTX 4090 row nearest 7B, the July Qwen2-7B FP16 run.
  CHECK(e["baseline_j_per_1k_tokens"].get<double>() == Approx(5467.88));
}

TEST_CASE("a model's size reaches the estimate for every rule", "[estimates]") {
  // ECO001 from the file's model (a BitsAndBytesConfig(...) names none itself).
  Output int8 = lint_and_estimate("A800", kMistralInt8, 1e6);
  REQUIRE(int8.diagnostics.size() == 1);
  REQUIRE(int8.diagnostics[0].params_b);
  CHECK(*int8.diagnostics[0].params_b == Approx(7.0));
  // ECO003 from the file's model for a per-prompt loop: a 1.1B model on H100 gets the 1.1B baseline.
  Output loop = lint_and_estimate("H100",
                                  "from transformers import AutoModelForCausalLM, AutoTokenizer\n"
                                  "tok = AutoTokenizer.from_pretrained('TinyLlama/TinyLlama-1.1B-Chat-v1.0')\n"
                                  "model = AutoModelForCausalLM.from_pretrained('TinyLlama/TinyLlama-1.1B-Chat-v1.0')\n"
                                  "for p in prompts:\n"
                                  "    ids = tok(p, return_tensors='pt')\n"
                                  "    out = model.generate(**ids)\n",
                                  1e6);
  REQUIRE(loop.diagnostics.size() == 1);
  CHECK(loop.diagnostics[0].rule == "ECO003");
  CHECK(loop.json["diagnostics"][0]["estimate"]["baseline_j_per_1k_tokens"].get<double>() == Approx(2278));
  // ECO003 from the launch: vLLM with max_num_seqs=1 for a 7B model on H100 gets the 7B baseline.
  Output vllm = lint_and_estimate("H100",
                                  "from vllm import LLM\n"
                                  "llm = LLM(model='meta-llama/Llama-2-7b-hf', max_num_seqs=1)\n",
                                  1e6);
  REQUIRE(vllm.diagnostics.size() == 1);
  CHECK(vllm.json["diagnostics"][0]["estimate"]["baseline_j_per_1k_tokens"].get<double>() == Approx(4751));
}

TEST_CASE("the summary totals low, median and high", "[estimates]") {
  Output out = lint_and_estimate("A800",
                                 std::string(kMistralInt8) +
                                     "for p in prompts:\n"
                                     "    ids = tokenizer(p, return_tensors='pt')\n"
                                     "    out = model.generate(**ids)\n",
                                 1e6);
  REQUIRE(out.diagnostics.size() == 2);
  double low = 0, median = 0, high = 0;
  for (const auto& d : out.json["diagnostics"]) {
    REQUIRE(d.contains("estimate"));
    median += d["estimate"]["avoidable_kwh_per_month"].get<double>();
    low += d["estimate"]["avoidable_kwh_per_month_range"][0].get<double>();
    high += d["estimate"]["avoidable_kwh_per_month_range"][1].get<double>();
  }
  const auto& s = out.json["summary"];
  CHECK(s["avoidable_kwh_per_month"].get<double>() == Approx(median));
  CHECK(s["avoidable_kwh_per_month_range"][0].get<double>() == Approx(low));
  CHECK(s["avoidable_kwh_per_month_range"][1].get<double>() == Approx(high));
  CHECK(s["findings_estimated"] == 2);
}

TEST_CASE("money and CO2 come with ranges when asked for", "[estimates]") {
  std::vector<Diagnostic> ds(1);
  ds[0].rule = "ECO001";
  ds[0].gpu = "A800";
  ds[0].params_b = 7.0;
  auto totals = energy::apply_workload(ds, {1e7, 0.25, 500});
  REQUIRE(ds[0].estimate);
  const auto& e = *ds[0].estimate;
  CHECK(*e.money == Approx(e.kwh * 0.25));
  CHECK(e.money_range->low == Approx(e.kwh_range.low * 0.25));
  CHECK(e.money_range->high == Approx(e.kwh_range.high * 0.25));
  CHECK(*e.kg_co2e == Approx(e.kwh * 0.5));
  CHECK(e.kg_co2e_range->high == Approx(e.kwh_range.high * 0.5));
  CHECK(totals.money->high == Approx(e.money_range->high));
  std::ostringstream json;
  report::RunSummary summary;
  summary.workload = totals;
  report::write_json(json, ds, {}, summary);
  auto doc = nlohmann::json::parse(json.str());
  CHECK(doc["diagnostics"][0]["estimate"].contains("avoidable_cost_per_month_range"));
  CHECK(doc["diagnostics"][0]["estimate"].contains("avoidable_kg_co2e_per_month_range"));
  CHECK(doc["summary"]["avoidable_cost_per_month_range"][1].get<double>() == Approx(e.money_range->high));
}

namespace {

// Every "12.3%" or "12.3–" in `text`, with the precision it was printed at.
std::vector<std::pair<double, double>> printed_percentages(const std::string& text) {
  static const std::regex number(R"(([+-]?\d+(?:\.\d+)?)(?:%|–))");
  std::vector<std::pair<double, double>> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it) {
    std::string n = (*it)[1];
    out.emplace_back(std::stod(n), n.find('.') == std::string::npos ? 0.5 : 0.05);
  }
  return out;
}

// What a printed percentage may be: a row of the rule on a GPU the figures name, a median of
// one (GPU, session) group of the counted rows, or the median of those medians, recomputed here
// from the rows themselves.
std::vector<double> traceable_values(const catalog::RuleInfo& info, const energy::Selection& s) {
  std::vector<double> values;
  std::set<std::string> gpus;
  for (const auto& g : s.groups) gpus.insert(g.gpu);
  for (const auto& r : info.evidence())
    if (gpus.count(r.gpu)) values.push_back(r.delta_pct);
  std::map<std::pair<std::string, std::string>, std::vector<double>> groups;
  for (auto* r : s.counted()) groups[{r->gpu, r->session}].push_back(r->delta_pct);
  std::vector<double> medians;
  for (const auto& [key, d] : groups) medians.push_back(energy::median_of(d));
  values.insert(values.end(), medians.begin(), medians.end());
  if (!medians.empty()) values.push_back(energy::median_of(medians));
  return values;
}

}  // namespace

TEST_CASE("every percentage printed in an impact or estimate traces to rows", "[estimates]") {
  std::vector<std::string> gpus = {""};
  for (const auto& g : energy::gpu_catalogue().gpus) gpus.push_back(g.name);
  std::size_t checked = 0;
  for (const auto& info : catalog::rule_infos())
    for (const auto& gpu : gpus)
      for (std::optional<double> size : {std::optional<double>(), std::optional<double>(0.5), std::optional<double>(1.1),
                                         std::optional<double>(3.0), std::optional<double>(7.0), std::optional<double>(14.0)}) {
        INFO(info.id << " on '" << gpu << "', size " << (size ? *size : -1));
        std::vector<Diagnostic> ds(1);
        ds[0].rule = info.id;
        ds[0].gpu = gpu;
        ds[0].params_b = size;
        ds[0].range = {{1, 1}, {1, 2}};  // the text reporter underlines a 1-based span
        ds[0].impact = energy::impact_text({info.id, size, gpu, ""});
        REQUIRE(!ds[0].impact.empty());
        report::RunSummary summary;
        summary.workload = energy::apply_workload(ds, {1e6, std::nullopt, std::nullopt});
        std::ostringstream out;
        report::write_text(out, ds, {}, summary);
        std::string text = out.str();
        // Only the finding's lines: the summary prints no percentages.
        text = text.substr(0, text.find("\nFound "));
        energy::Selection s = energy::select_rows({info.id, size, gpu, ""});
        std::vector<double> allowed = traceable_values(info, s);
        for (auto [value, precision] : printed_percentages(text)) {
          INFO(value << " in " << text);
          bool traced = std::any_of(allowed.begin(), allowed.end(),
                                    [&](double v) { return std::fabs(v - value) <= precision + 1e-9; });
          CHECK(traced);
          ++checked;
        }
        if (ds[0].estimate) {
          // The JSON figures are the rows' values exactly.
          const auto& e = *ds[0].estimate;
          auto exact = [&](double v) {
            return std::any_of(allowed.begin(), allowed.end(), [&](double a) { return std::fabs(a - v) < 1e-9; });
          };
          CHECK(exact(e.delta_pct));
          CHECK(exact(e.delta_range.low));
          CHECK(exact(e.delta_range.high));
          for (const auto& row : e.basis) {
            bool real = std::any_of(info.evidence().begin(), info.evidence().end(), [&](const catalog::EvidenceRow& r) {
              return r.gpu == row.gpu && r.model == row.model && r.delta_pct == row.delta_pct && r.source == row.source;
            });
            CHECK(real);
          }
        }
      }
  CHECK(checked > 500);
}

TEST_CASE("the rule docs describe the borrow table the estimates use", "[estimates]") {
  for (const auto& info : catalog::rule_infos()) {
    std::string doc = catalog::rule_markdown(info);
    INFO(info.id);
    CHECK(doc.find("## How the estimate is computed") != std::string::npos);
    for (const auto& b : energy::gpu_catalogue().borrows) CHECK(doc.find(b.arch + " from " + b.from) != std::string::npos);
  }
}
