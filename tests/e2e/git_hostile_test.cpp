// SPEC 4 and 8 / issue 6: damaged repositories. A truncated pack, a pack with
// one corrupt entry, a loose object full of garbage and a HEAD that points
// nowhere must each be named, never crash or hang the scan, and never hide
// findings in the objects that are still readable.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/git_cli.h"
#include "support/fake_tokens.h"
#include "support/git_repo.h"
#include "support/looping_tree.h"

namespace sentryscan::testing {
namespace {

std::filesystem::path only_pack(const GitRepo& repo, const std::string& extension) {
  for (const auto& entry : std::filesystem::directory_iterator(repo.path() / ".git" / "objects" / "pack"))
    if (entry.path().extension() == extension) return entry.path();
  throw std::runtime_error("no " + extension + " file");
}

void make_writable(const std::filesystem::path& path) {
  std::filesystem::permissions(path, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
}

void overwrite(const std::filesystem::path& path, std::uint64_t offset, const std::string& bytes) {
  make_writable(path);
  const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset)), static_cast<ssize_t>(bytes.size()));
  close(fd);
}

// Offset of `oid` in the only pack, from `git verify-pack -v`.
std::uint64_t pack_offset(GitRepo& repo, const std::string& oid) {
  std::istringstream lines(repo.git({"verify-pack", "-v", only_pack(repo, ".idx").string()}));
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string id, type, size, packed, offset;
    fields >> id >> type >> size >> packed >> offset;
    if (id == oid) return std::stoull(offset);
  }
  throw std::runtime_error("object not in the pack");
}

std::string filler(int i) { return fake_hex("filler" + std::to_string(i), 4000) + "\n"; }

// The walks of an audit used to recurse into such a tree until the stack
// overflowed. Now they stop at git's own depth limit (core.maxTreeDepth,
// 4096) and say so, the secret beside the loop is found with its commit, and
// the grouped report (ref tips) finishes too, whether the objects are loose
// (libgit2) or packed (the tree store).
TEST(GitHostile, TreeThatHoldsItselfIsAnIncompleteScanNotACrash) {
  for (const bool packed : {false, true}) {
    SCOPED_TRACE(packed ? "packed" : "loose");
    GitRepo repo;
    const LoopingHistory history = add_looping_commit(repo);
    if (packed) repo.git({"repack", "-adq"});

    for (const std::string group : {"location", "secret"}) {
      const GitScan scan = git_scan({"git", "--group-by", group, repo.path().string()});
      ASSERT_NE(scan.process.exit_code, -1) << "killed by a signal: " << scan.process.err.substr(0, 2000);
      EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err.substr(0, 2000);
      EXPECT_NE(scan.process.err.find("core.maxTreeDepth"), std::string::npos) << scan.process.err.substr(0, 2000);
      ASSERT_EQ(scan.findings.size(), 1u) << scan.process.err.substr(0, 2000);
      if (group == "location") {
        EXPECT_EQ(scan.findings[0]["location"]["path"], "leak.env");
        EXPECT_EQ(scan.findings[0]["source"]["commit"], history.commit);
      }
    }
    const GitScan gate = git_scan({"git", "--fail-on", "critical", repo.path().string()});
    EXPECT_EQ(gate.process.exit_code, 3) << gate.process.err.substr(0, 2000);
  }
}

// libgit2's diff expands every directory that differs: on the looping tree a
// range scan grew to 24 GB and `staged` to 11 GB in 20 s before they were
// killed. Both now check the depth of what the diff would expand first and
// stop with an incomplete scan (exit 3) in milliseconds.
TEST(GitHostile, RangeAndStagedDoNotDiffATreeThatHoldsItself) {
  GitRepo repo;
  const LoopingHistory history = add_looping_commit(repo);
  const GitScan range = git_scan({"git", "--range", history.before + ".." + history.commit, repo.path().string()});
  ASSERT_NE(range.process.exit_code, -1) << range.process.err.substr(0, 2000);
  EXPECT_EQ(range.process.exit_code, 3) << range.process.err.substr(0, 2000);
  EXPECT_NE(range.process.err.find("core.maxTreeDepth"), std::string::npos) << range.process.err.substr(0, 2000);
  EXPECT_NE(range.process.err.find(history.commit), std::string::npos) << range.process.err.substr(0, 2000);

  // HEAD moved onto the looping commit (the index keeps the old tree), and a file staged.
  repo.git({"update-ref", "HEAD", history.commit});
  repo.write("new.txt", "new\n");
  repo.git({"add", "new.txt"});
  const GitScan staged = git_scan({"staged", repo.path().string()});
  ASSERT_NE(staged.process.exit_code, -1) << staged.process.err.substr(0, 2000);
  EXPECT_EQ(staged.process.exit_code, 3) << staged.process.err.substr(0, 2000);
  EXPECT_NE(staged.process.err.find("core.maxTreeDepth"), std::string::npos) << staged.process.err.substr(0, 2000);
}

TEST(GitHostile, TruncatedPackFile) {
  GitRepo repo;
  repo.write("packed.env", user_token_line("packed"));
  for (int i = 0; i < 20; ++i) repo.write("f" + std::to_string(i) + ".txt", filler(i));
  repo.commit("packed history");
  repo.git({"repack", "-a", "-d", "-q"});
  repo.commit_file("loose.env", user_token_line("loose"), "after the repack");
  const auto pack = only_pack(repo, ".pack");
  make_writable(pack);
  std::filesystem::resize_file(pack, std::filesystem::file_size(pack) * 6 / 10);

  const GitScan scan = git_scan({"git", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(findings_of(scan.findings, user_token("loose")).size(), 1u) << scan.process.err;
  // What the pack held is named as not scanned, blob by blob.
  EXPECT_NE(scan.process.err.find(repo.blob_id(user_token_line("packed"))), std::string::npos) << scan.process.err;

  const GitScan gate = git_scan({"git", "--fail-on", "critical", repo.path().string()});
  EXPECT_EQ(gate.process.exit_code, 3) << gate.process.err;
}

TEST(GitHostile, CorruptEntryInsideAPack) {
  GitRepo repo;
  repo.write("packed.env", user_token_line("still readable"));
  for (int i = 0; i < 5; ++i) repo.write("f" + std::to_string(i) + ".txt", filler(i));
  repo.commit("one");
  repo.git({"repack", "-a", "-d", "-q"});
  const std::string damaged = repo.blob_id(filler(3));
  overwrite(only_pack(repo, ".pack"), pack_offset(repo, damaged) + 20, std::string("\xde\xad\xbe\xef\xde\xad\xbe\xef", 8));

  const GitScan scan = git_scan({"git", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(findings_of(scan.findings, user_token("still readable")).size(), 1u) << scan.process.err;
  EXPECT_NE(scan.process.err.find(damaged), std::string::npos) << scan.process.err;
}

TEST(GitHostile, LooseObjectFullOfGarbage) {
  GitRepo repo;
  repo.commit_file("leak.env", user_token_line("beside garbage"), "one");
  repo.commit_file("garbage.txt", "will be overwritten\n", "two");
  const std::string damaged = repo.blob_id("will be overwritten\n");
  const auto object = repo.loose_object_path(damaged);
  const std::string garbage = fake_hex("garbage", 400);  // not zlib
  overwrite(object, 0, garbage);

  const GitScan scan = git_scan({"git", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(findings_of(scan.findings, user_token("beside garbage")).size(), 1u);
  EXPECT_NE(scan.process.err.find(damaged), std::string::npos) << scan.process.err;
  const GitScan gate = git_scan({"git", "--fail-on", "critical", repo.path().string()});
  EXPECT_EQ(gate.process.exit_code, 3) << gate.process.err;
}

TEST(GitHostile, HeadPointingNowhere) {
  GitRepo repo;
  repo.commit_file("leak.env", user_token_line("on a branch"), "one");
  repo.git({"branch", "-q", "keep"});
  const std::string missing = fake_hex("no such commit", 40);
  for (const std::string& head : {missing, std::string("ref: refs/heads/nowhere"), std::string("garbage"),
                                  std::string("ref: refs/heads/../../../outside")}) {
    std::ofstream(repo.path() / ".git" / "HEAD", std::ios::trunc) << head << "\n";
    SCOPED_TRACE("HEAD: '" + head + "'");

    // The audit still reads every branch.
    const GitScan audit = git_scan({"git", repo.path().string()});
    EXPECT_EQ(audit.process.exit_code, 1) << audit.process.err;
    EXPECT_EQ(findings_of(audit.findings, user_token("on a branch")).size(), 1u) << audit.process.err;
    if (head == missing) {
      EXPECT_NE(audit.process.err.find(missing), std::string::npos) << audit.process.err;
    }

    // staged: an unborn HEAD means everything staged is new (the token is
    // found); a HEAD that cannot be read leaves the scan incomplete. Never a pass.
    const GitScan staged = git_scan({"staged", repo.path().string()});
    if (head == "ref: refs/heads/nowhere") {
      EXPECT_EQ(staged.process.exit_code, 1) << staged.process.err;
    } else {
      EXPECT_EQ(staged.process.exit_code, 3) << staged.process.err;
      EXPECT_NE(staged.process.err.find("HEAD"), std::string::npos) << staged.process.err;
    }

    // A range ending at HEAD cannot be planned: a usage error, not a pass.
    const GitScan range = git_scan({"git", "--range", "keep..HEAD", repo.path().string()});
    EXPECT_TRUE(range.process.exit_code == 2 || range.process.exit_code == 3)
        << range.process.exit_code << " " << range.process.err;
  }
}

}  // namespace
}  // namespace sentryscan::testing
