// libcurl and libarchive are opened on first use, not at start-up. Together
// they pull in about 30 other shared libraries (Kerberos, GnuTLS, LDAP, ICU
// through libxml2...) whose loading was half of the start-up of every run,
// although only --validate and archives need them: a pre-commit hook pays
// start-up on every commit. src/validate/libcurl_stubs.cpp and
// src/decode/libarchive_stubs.cpp define the functions sentryscan calls,
// each forwarding to the real one found here.
//
// Sonames are looked up the way the dynamic loader does for the executable
// (dlopen searches the caller's DT_RUNPATH): the portable release archive
// sets $ORIGIN/../lib on bin/sentryscan (scripts/make-release-archive.sh),
// so its bundled libcurl and libarchive are found before the host's, and
// nothing a scanned repository or the current directory holds is searched.
#pragma once

#include <initializer_list>

namespace sentryscan {

// The address of `symbol` in the first of `sonames` that loads. Throws
// std::runtime_error naming the library when none loads or it lacks the symbol.
void* lazy_symbol(std::initializer_list<const char*> sonames, const char* symbol);

// The function `symbol` of the library, as a pointer of type F.
template <class F>
F lazy_function(std::initializer_list<const char*> sonames, const char* symbol) {
  return reinterpret_cast<F>(lazy_symbol(sonames, symbol));
}

// The same, or null when no library loads or it lacks the symbol: for
// stubs whose callers are C (libgit2's transports), where nothing may be
// thrown and the stub returns the library's own failure value instead.
void* lazy_symbol_or_null(std::initializer_list<const char*> sonames, const char* symbol) noexcept;

template <class F>
F lazy_function_or_null(std::initializer_list<const char*> sonames, const char* symbol) noexcept {
  return reinterpret_cast<F>(lazy_symbol_or_null(sonames, symbol));
}

}  // namespace sentryscan
