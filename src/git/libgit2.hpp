#pragma once
// libgit2, loaded when first needed (dlopen) instead of linked: linking it costs every run about
// 9 ms of start-up (it brings a dozen libraries: TLS, Kerberos, SSH), and only --diff-base and a
// configuration that sets core.excludesFile use it. The soname is the one found at build time.
#include <git2.h>

#define ECOLINT_LIBGIT2_FUNCTIONS(X)                                                                    \
  X(git_libgit2_init) X(git_buf_dispose) X(git_commit_free) X(git_commit_lookup) X(git_commit_tree)     \
  X(git_config_add_file_ondisk) X(git_config_free) X(git_config_get_path) X(git_config_open_default)    \
  X(git_diff_foreach) X(git_diff_free) X(git_diff_tree_to_workdir_with_index) X(git_error_last)         \
  X(git_merge_base) X(git_object_free) X(git_object_id) X(git_object_peel) X(git_reference_name_to_id)  \
  X(git_repository_config) X(git_repository_free) X(git_repository_is_bare) X(git_repository_open_ext) \
  X(git_repository_workdir) X(git_revparse_single) X(git_tree_free) X(git_tree_entry_bypath)               \
  X(git_tree_entry_free) X(git_tree_entry_id) X(git_tree_entry_type) X(git_blob_lookup) X(git_blob_free)  \
  X(git_blob_rawcontent) X(git_blob_rawsize)

namespace ecolint::git {

struct Api {
#define ECOLINT_LIBGIT2_POINTER(name) decltype(&::name) name = nullptr;
  ECOLINT_LIBGIT2_FUNCTIONS(ECOLINT_LIBGIT2_POINTER)
#undef ECOLINT_LIBGIT2_POINTER
};

// The library, loaded and initialised on the first call (thread-safe); throws std::runtime_error
// naming the library if it cannot be loaded.
const Api& api();

}  // namespace ecolint::git
