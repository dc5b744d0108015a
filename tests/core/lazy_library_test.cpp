// Libraries opened on first use (core/lazy_library.h): the throwing form for
// stubs called from our own code, the null-returning one for stubs called
// from C (libgit2's transports).
#include "core/lazy_library.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace sentryscan {
namespace {

using ZlibVersion = const char* (*)();

std::string error_of(std::initializer_list<const char*> sonames, const char* symbol) {
  try {
    lazy_symbol(sonames, symbol);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(LazyLibrary, FindsAFunctionInTheFirstLibraryThatLoads) {
  const auto version = lazy_function<ZlibVersion>({"libsentryscan-absent.so.1", "libz.so.1"}, "zlibVersion");
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(std::string(version()).substr(0, 2), "1.");
  EXPECT_EQ(lazy_function_or_null<ZlibVersion>({"libsentryscan-absent.so.1", "libz.so.1"}, "zlibVersion"), version);
}

TEST(LazyLibrary, AMissingLibraryOrFunctionThrowsOrGivesNull) {
  EXPECT_TRUE(error_of({"libsentryscan-absent.so.1"}, "f").starts_with("cannot load libsentryscan-absent.so.1: "))
      << error_of({"libsentryscan-absent.so.1"}, "f");
  EXPECT_EQ(error_of({"libz.so.1"}, "sentryscan_absent"), "libz.so.1 has no function sentryscan_absent");
  EXPECT_EQ(lazy_symbol_or_null({"libsentryscan-absent.so.1"}, "f"), nullptr);
  EXPECT_EQ(lazy_symbol_or_null({"libz.so.1"}, "sentryscan_absent"), nullptr);
}

}  // namespace
}  // namespace sentryscan
