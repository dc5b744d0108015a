// Linked into the sentryscan executable of the sanitizer build only
// (SENTRYSCAN_SANITIZE). By default AddressSanitizer and UBSan end a process
// they catch with exit status 1, which is also sentryscan's "findings" status:
// a test that expects findings (or a script that maps 1 to success, as the
// Kubernetes shard Job does) would pass over a memory error. 86 is none of
// sentryscan's statuses (0-3), so every such test fails and prints the report.
extern "C" const char* __asan_default_options() { return "exitcode=86"; }
extern "C" const char* __ubsan_default_options() { return "exitcode=86:print_stacktrace=1"; }
