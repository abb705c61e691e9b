#pragma once
// Baseline files: the findings a project has accepted for now, so CI fails only on new ones.
// Identity is the SARIF fingerprint (rule + path + whitespace-normalized source line), with a count
// per identity: moving code keeps findings baselined; a second copy of a line is a new finding.
//
//   {"version": 1, "tool": "ecolint",
//    "findings": [{"fingerprint": "…", "rule": "ECO001", "path": "a.py", "snippet": "…", "count": 1}]}
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"

namespace ecolint::baseline {

inline constexpr int kVersion = 1;
// A baseline is read only from a regular file of at most this size (never a FIFO or a device: a
// baseline in the tree may be a link to /dev/zero), with counts of at most kMaxCount.
inline constexpr std::size_t kMaxFileBytes = 32 * 1024 * 1024;
inline constexpr unsigned kMaxCount = 1000000000;

std::string to_json(const std::vector<Diagnostic>& diagnostics);

// fingerprint -> count. Throws std::runtime_error with a clear message on a bad file.
std::map<std::string, unsigned> parse(const std::string& text, const std::string& name);
std::map<std::string, unsigned> read_file(const std::string& path);

// Moves the diagnostics the baseline accounts for (up to the stored count per identity, in the
// order given) from `diagnostics` to `baselined`.
void filter(std::vector<Diagnostic>& diagnostics, std::map<std::string, unsigned> counts,
            const std::string& justification, std::vector<SuppressedDiagnostic>& baselined);

}  // namespace ecolint::baseline
