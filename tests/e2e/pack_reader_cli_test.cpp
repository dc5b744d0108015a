// `sentryscan git` reads blobs with its own pack reader; `--object-reader
// libgit2` (hidden) forces the libgit2 reader of before. On every repository
// shape the suite builds, intact or damaged, the two give the same exit
// status, the same findings and the same unreadable objects.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "support/git_cli.h"
#include "support/pack_shapes.h"

namespace sentryscan::testing {
namespace {

// The 40-hex ids stderr names (issues), as a set.
std::set<std::string> named_objects(const std::string& err) {
  static const std::regex id("[0-9a-f]{40}");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(err.begin(), err.end(), id); it != std::sregex_iterator(); ++it)
    out.insert(it->str());
  return out;
}

// Built once for the tests of this file (tens of git commands each).
const std::vector<PackShape>& shapes() {
  static const std::vector<PackShape> built = build_pack_shapes();
  return built;
}

// "N more objects could not be read", or empty.
std::string more_line(const std::string& err) {
  static const std::regex more("[0-9]+ more objects could not be read");
  std::smatch m;
  return std::regex_search(err, m, more) ? m.str() : std::string();
}

TEST(PackReaderCli, FindingsAndOutcomeEqualTheLibgit2ReaderOnEveryRepositoryShape) {
  std::size_t with_findings = 0;
  for (const PackShape& shape : shapes()) {
    SCOPED_TRACE(shape.name);
    for (const bool all_objects : {false, true}) {
      std::vector<std::string> args{"git", shape.path.string(), "--threads", "2"};
      if (all_objects) args.push_back("--all-objects");
      const GitScan pack = git_scan(args);
      args.insert(args.end(), {"--object-reader", "libgit2"});
      const GitScan libgit2 = git_scan(args);
      ASSERT_NE(libgit2.process.exit_code, 2) << libgit2.process.err;
      EXPECT_EQ(pack.process.exit_code, libgit2.process.exit_code) << pack.process.err << libgit2.process.err;
      EXPECT_EQ(pack.findings, libgit2.findings);
      // Past 50 unreadable objects only the first 50 are named, and which come
      // first depends on the threads: then the counts must agree.
      const std::size_t named = named_objects(pack.process.err).size();
      if (named < 50) {
        EXPECT_EQ(named_objects(pack.process.err), named_objects(libgit2.process.err))
            << pack.process.err << "\n---\n" << libgit2.process.err;
      } else {
        EXPECT_EQ(named, named_objects(libgit2.process.err).size());
        EXPECT_EQ(more_line(pack.process.err), more_line(libgit2.process.err));
      }
      if (shape.damaged) {
        EXPECT_EQ(pack.process.exit_code == 3 || pack.process.exit_code == 1, true) << pack.process.err;
      }
      if (!pack.findings.empty()) ++with_findings;
    }
  }
  EXPECT_GE(with_findings, 16u);  // the comparison is not between two empty reports
}

TEST(PackReaderCli, CorruptPackEntryIsAnIncompleteScanNamingTheObject) {
  for (const PackShape& shape : shapes()) {
    if (shape.name != "corrupt blob entry" && shape.name != "corrupt delta") continue;
    SCOPED_TRACE(shape.name);
    const GitScan scan = git_scan({"git", shape.path.string(), "--fail-on", "critical"});
    EXPECT_EQ(scan.process.exit_code, 3) << scan.process.err;
    EXPECT_FALSE(named_objects(scan.process.err).empty()) << scan.process.err;
  }
}

TEST(PackReaderCli, ObjectReaderOptionIsCheckedAndHidden) {
  GitRepo repo;
  repo.commit_file("a.txt", "a\n", "one");
  EXPECT_EQ(git_scan({"git", repo.path().string(), "--object-reader", "mmap"}).process.exit_code, 2);
  EXPECT_EQ(git_scan({"git", repo.path().string(), "--object-reader", "pack"}).process.exit_code, 0);
  const CliResult help = run_sentryscan({"git", "--help"});
  EXPECT_EQ(help.out.find("--object-reader"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace sentryscan::testing
