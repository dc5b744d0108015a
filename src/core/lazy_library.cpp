#include "core/lazy_library.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace sentryscan {

namespace {

struct Opened {
  void* library = nullptr;
  const char* soname = nullptr;
};

// The first of `sonames` that loads; `why` gets the loader's last error.
// Never closed: the library stays loaded for the rest of the process, as if
// it had been linked.
Opened open_first(std::initializer_list<const char*> sonames, std::string* why) {
  for (const char* soname : sonames) {
    if (void* library = dlopen(soname, RTLD_LAZY | RTLD_LOCAL)) return {library, soname};
    if (const char* error = dlerror(); error && why) *why = error;
  }
  return {};
}

}  // namespace

void* lazy_symbol(std::initializer_list<const char*> sonames, const char* symbol) {
  std::string why;
  const Opened opened = open_first(sonames, &why);
  if (!opened.library) throw std::runtime_error(fmt::format("cannot load {}: {}", *sonames.begin(), why));
  if (void* address = dlsym(opened.library, symbol)) return address;
  throw std::runtime_error(fmt::format("{} has no function {}", opened.soname, symbol));
}

void* lazy_symbol_or_null(std::initializer_list<const char*> sonames, const char* symbol) noexcept {
  const Opened opened = open_first(sonames, nullptr);
  return opened.library ? dlsym(opened.library, symbol) : nullptr;
}

}  // namespace sentryscan
