// release_free_memory(): hand the heap's free pages back to the kernel now.
//
//   pool.finish();
//   release_free_memory();  // the next phase's peak starts from less
//
// glibc keeps freed chunks in each thread's arena; malloc_trim(0) returns
// them. Under AddressSanitizer it does nothing, on purpose: ASan's allocator
// replaces glibc's, whose main arena is then initialised lazily by the first
// malloc_trim. glibc 2.36 marks the arena initialised before it has filled it
// in, so a second thread calling malloc_trim at that moment reads a null top
// chunk (SEGV in mtrim; 1 run in about 700 of a two-repository
// `git --repos` audit under ASan, where two lanes finish their walks at once).
#pragma once

#include <malloc.h>

namespace sentryscan {

#if defined(__SANITIZE_ADDRESS__)
#define SENTRYSCAN_ASAN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SENTRYSCAN_ASAN_ALLOCATOR 1
#endif
#endif

inline void release_free_memory() {
#ifndef SENTRYSCAN_ASAN_ALLOCATOR
  malloc_trim(0);
#endif
}

}  // namespace sentryscan
