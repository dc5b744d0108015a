// Baseline loading (a previous json or jsonl report) over arbitrary bytes,
// through the real file path: the content goes into an in-memory file.
//
// Invariants: malformed input is an InputError naming the file and never
// quoting a secret-looking run; loaded fingerprints have the v1 shape.
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "core/input_error.h"
#include "fuzz_support.h"
#include "suppress/suppress.h"

namespace {

int memory_file() {
  static const int fd = memfd_create("baseline.json", MFD_CLOEXEC);
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace sentryscan;
  using namespace sentryscan::fuzz;
  const int fd = memory_file();
  FUZZ_CHECK(fd >= 0, "memfd_create works");
  FUZZ_CHECK(ftruncate(fd, 0) == 0, "truncate the in-memory file");
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    FUZZ_CHECK(n > 0, "write the in-memory file");
    done += static_cast<std::size_t>(n);
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  try {
    for (const auto& fp : load_baseline(path))
      FUZZ_CHECK(fp.size() == 14 + 32 && fp.starts_with("sentryscan:v1:"), "fingerprint shape");
  } catch (const InputError& e) {
    FUZZ_CHECK(e.file() == path, "the error names the baseline file");
    FUZZ_CHECK(!quotes_possible_secret(e.what(), as_text(data, size)), "baseline errors never quote a secret");
  }
  return 0;
}
