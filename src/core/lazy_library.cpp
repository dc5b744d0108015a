#include "core/lazy_library.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace sentryscan {

void* lazy_symbol(std::initializer_list<const char*> sonames, const char* symbol) {
  std::string why;
  for (const char* soname : sonames) {
    // Never closed: the library stays loaded for the rest of the process, as
    // if it had been linked.
    void* library = dlopen(soname, RTLD_LAZY | RTLD_LOCAL);
    if (!library) {
      if (const char* error = dlerror()) why = error;
      continue;
    }
    if (void* address = dlsym(library, symbol)) return address;
    throw std::runtime_error(fmt::format("{} has no function {}", soname, symbol));
  }
  throw std::runtime_error(fmt::format("cannot load {}: {}", *sonames.begin(), why));
}

}  // namespace sentryscan
