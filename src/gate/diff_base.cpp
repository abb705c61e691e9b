#include "gate/diff_base.hpp"

#include "git/libgit2.hpp"

#include <filesystem>
#include <stdexcept>

namespace fs = std::filesystem;

namespace ecolint::diffbase {

namespace {

std::string absolute_key(const std::string& path) {
  std::error_code ec;
  return fs::absolute(path, ec).lexically_normal().string();
}

// Owns libgit2 objects for one call; frees them in reverse order.
struct Git {
  Git() { git::api(); }
  ~Git() {
    if (diff) git::api().git_diff_free(diff);
    if (base_tree) git::api().git_tree_free(base_tree);
    if (base_commit) git::api().git_commit_free(base_commit);
    if (ref_obj) git::api().git_object_free(ref_obj);
    if (repo) git::api().git_repository_free(repo);
  }
  git_repository* repo = nullptr;
  git_object* ref_obj = nullptr;
  git_commit* base_commit = nullptr;
  git_tree* base_tree = nullptr;
  git_diff* diff = nullptr;

  [[noreturn]] static void fail(const std::string& what) {
    const git_error* e = git::api().git_error_last();
    throw std::runtime_error(what + (e && e->message ? std::string(": ") + e->message : std::string()));
  }
};

struct Collector {
  ChangedLines* out;
  std::string workdir;
};

int on_file(const git_diff_delta* delta, float, void* payload) {
  auto* c = static_cast<Collector*>(payload);
  if (delta->status == GIT_DELTA_UNTRACKED && delta->new_file.path)
    c->out->whole_files.insert(absolute_key(c->workdir + delta->new_file.path));
  return 0;
}

int on_hunk(const git_diff_delta* delta, const git_diff_hunk* hunk, void* payload) {
  auto* c = static_cast<Collector*>(payload);
  if (!delta->new_file.path || hunk->new_lines == 0) return 0;  // pure deletions change no line of ours
  uint32_t first = static_cast<uint32_t>(hunk->new_start);
  uint32_t last = first + static_cast<uint32_t>(hunk->new_lines) - 1;
  c->out->ranges[absolute_key(c->workdir + delta->new_file.path)].emplace_back(first, last);
  return 0;
}

}  // namespace

bool ChangedLines::touches(const std::string& path, uint32_t first, uint32_t last) const {
  std::string key = absolute_key(path);
  if (whole_files.count(key)) return true;
  auto it = ranges.find(key);
  if (it == ranges.end()) return false;
  if (last < first) last = first;
  for (const auto& [a, b] : it->second)
    if (a <= last && first <= b) return true;
  return false;
}

ChangedLines changed_since(const std::string& ref, const std::string& start_dir) {
  Git g;
  std::string abs = absolute_key(start_dir);
  std::error_code ec;
  if (!fs::is_directory(abs, ec)) abs = fs::path(abs).parent_path().string();
  if (git::api().git_repository_open_ext(&g.repo, abs.c_str(), 0, nullptr) != 0)
    Git::fail("--diff-base: " + start_dir + " is not inside a git repository");
  if (git::api().git_repository_is_bare(g.repo)) throw std::runtime_error("--diff-base: the repository has no work tree");
  if (git::api().git_revparse_single(&g.ref_obj, g.repo, ref.c_str()) != 0) Git::fail("--diff-base: unknown revision '" + ref + "'");
  git_object* peeled = nullptr;
  if (git::api().git_object_peel(&peeled, g.ref_obj, GIT_OBJECT_COMMIT) != 0) Git::fail("--diff-base: '" + ref + "' is not a commit");
  git_oid ref_oid = *git::api().git_object_id(peeled);
  git::api().git_object_free(peeled);

  // Compare against the merge base with HEAD, so changes on REF's side since the fork don't count.
  git_oid base_oid = ref_oid, head_oid;
  if (git::api().git_reference_name_to_id(&head_oid, g.repo, "HEAD") == 0) {
    git_oid mb;
    if (git::api().git_merge_base(&mb, g.repo, &head_oid, &ref_oid) == 0) base_oid = mb;
  }
  if (git::api().git_commit_lookup(&g.base_commit, g.repo, &base_oid) != 0) Git::fail("--diff-base: cannot read the base commit");
  if (git::api().git_commit_tree(&g.base_tree, g.base_commit) != 0) Git::fail("--diff-base: cannot read the base tree");

  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 0;
  opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
  if (git::api().git_diff_tree_to_workdir_with_index(&g.diff, g.repo, g.base_tree, &opts) != 0)
    Git::fail("--diff-base: cannot compute the diff");

  ChangedLines out;
  const char* wd = git::api().git_repository_workdir(g.repo);
  Collector c{&out, wd ? wd : ""};
  if (git::api().git_diff_foreach(g.diff, on_file, nullptr, on_hunk, nullptr, &c) != 0) Git::fail("--diff-base: cannot read the diff");
  return out;
}

}  // namespace ecolint::diffbase
