// RAII for the handles of C libraries (Hyperscan, libgit2, libarchive,
// libcurl): a unique_ptr whose deleter calls the library's free function,
// whatever that function returns.
#pragma once

#include <memory>

namespace sentryscan {

template <auto Free>
struct CFree {
  template <typename T>
  void operator()(T* handle) const {
    Free(handle);
  }
};

template <typename T, auto Free>
using CHandle = std::unique_ptr<T, CFree<Free>>;

}  // namespace sentryscan
