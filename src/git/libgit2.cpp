#include "git/libgit2.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

#ifndef ECOLINT_LIBGIT2_SONAME
#error "ECOLINT_LIBGIT2_SONAME must name libgit2's shared library (set by CMake)"
#endif

namespace ecolint::git {

namespace {

Api load() {
  void* handle = ::dlopen(ECOLINT_LIBGIT2_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    throw std::runtime_error(std::string("cannot load libgit2 (" ECOLINT_LIBGIT2_SONAME "; Debian package libgit2-1.5): ") +
                             (why ? why : "unknown error"));
  }
  Api a;
#define ECOLINT_LIBGIT2_RESOLVE(name)                                                            \
  a.name = reinterpret_cast<decltype(a.name)>(::dlsym(handle, #name));                           \
  if (!a.name) throw std::runtime_error("libgit2 (" ECOLINT_LIBGIT2_SONAME ") has no " #name);
  ECOLINT_LIBGIT2_FUNCTIONS(ECOLINT_LIBGIT2_RESOLVE)
#undef ECOLINT_LIBGIT2_RESOLVE
  // Initialised once for the process; never shut down (the process ends first).
  if (a.git_libgit2_init() < 0) throw std::runtime_error("libgit2 failed to initialise");
  return a;
}

}  // namespace

const Api& api() {
  static const Api loaded = load();  // a throw leaves it unset: the next call tries again
  return loaded;
}

}  // namespace ecolint::git
