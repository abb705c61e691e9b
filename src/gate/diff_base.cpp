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
  ChangedFiles* out;
  std::string workdir;
  git_tree* base_tree;
  git_repository* repo;
};

// The file at `path` in the base tree, or nullopt (not a file there, or too large).
std::optional<std::string> base_text(git_repository* repo, git_tree* tree, const char* path) {
  const auto& g = git::api();
  git_tree_entry* entry = nullptr;
  if (g.git_tree_entry_bypath(&entry, tree, path) != 0) return std::nullopt;
  std::optional<std::string> text;
  git_blob* blob = nullptr;
  if (g.git_tree_entry_type(entry) == GIT_OBJECT_BLOB && g.git_blob_lookup(&blob, repo, g.git_tree_entry_id(entry)) == 0) {
    auto size = static_cast<std::size_t>(g.git_blob_rawsize(blob));
    if (size <= kMaxBaseBytes) text.emplace(static_cast<const char*>(g.git_blob_rawcontent(blob)), size);
    g.git_blob_free(blob);
  }
  g.git_tree_entry_free(entry);
  return text;
}

int on_file(const git_diff_delta* delta, float, void* payload) {
  auto* c = static_cast<Collector*>(payload);
  if (!delta->new_file.path || delta->status == GIT_DELTA_DELETED) return 0;
  std::string key = absolute_key(c->workdir + delta->new_file.path);
  if (delta->status == GIT_DELTA_UNTRACKED || delta->status == GIT_DELTA_ADDED || !delta->old_file.path) {
    c->out->base[key] = std::nullopt;
    return 0;
  }
  c->out->base[key] = base_text(c->repo, c->base_tree, delta->old_file.path);
  return 0;
}

}  // namespace

bool ChangedFiles::changed(const std::string& path) const { return base.count(absolute_key(path)) > 0; }

const std::optional<std::string>* ChangedFiles::base_of(const std::string& path) const {
  auto it = base.find(absolute_key(path));
  return it == base.end() ? nullptr : &it->second;
}

ChangedFiles changed_since(const std::string& ref, const std::string& start_dir) {
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
  opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
  if (git::api().git_diff_tree_to_workdir_with_index(&g.diff, g.repo, g.base_tree, &opts) != 0)
    Git::fail("--diff-base: cannot compute the diff");

  ChangedFiles out;
  const char* wd = git::api().git_repository_workdir(g.repo);
  Collector c{&out, wd ? wd : "", g.base_tree, g.repo};
  if (git::api().git_diff_foreach(g.diff, on_file, nullptr, nullptr, nullptr, &c) != 0) Git::fail("--diff-base: cannot read the diff");
  return out;
}

}  // namespace ecolint::diffbase
