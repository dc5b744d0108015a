// Linked into the sentryscan executable of the sanitizer build only
// (SENTRYSCAN_SANITIZE). By default AddressSanitizer and UBSan end a process
// they catch with exit status 1, which is also sentryscan's "findings" status:
// a test that expects findings (or a script that maps 1 to success, as the
// Kubernetes shard Job does) would pass over a memory error. 86 is none of
// sentryscan's statuses (0-3), so every such test fails and prints the report.
extern "C" const char* __asan_default_options() { return "exitcode=86"; }
extern "C" const char* __ubsan_default_options() { return "exitcode=86:print_stacktrace=1"; }

// Leaks inside Debian 12's libgit2 1.5 with no frame of ours, fixed upstream:
// git_regexp_match never frees its PCRE2 match data (every remote's
// url.insteadOf lookup, git_remote_create_anonymous). Only libgit2 uses PCRE2
// here (the rules use RE2 and Hyperscan), so the library's name is exact.
// The other one, two strings of each ssh connection (_git_ssh_setup_conn), has
// no frame a fast unwind reaches past libgit2's allocator; the one test that
// makes ssh connections suppresses it by name with whole stacks.
extern "C" const char* __lsan_default_suppressions() { return "leak:libpcre2-8.so\n"; }
