// Which targets are remote URLs, and the forms of a URL that may be shown.
#include <gtest/gtest.h>

#include "source/remote/materialize.h"
#include "source/remote/remote_url.h"

namespace sentryscan::remote {
namespace {

TEST(RemoteUrl, RecognisesTheSchemesAndTheScpForm) {
  for (const char* url : {"https://github.com/org/repo.git", "HTTP://host/x", "ssh://git@host:2222/org/repo",
                          "file:///srv/git/repo.git", "git@github.com:org/repo.git"})
    EXPECT_TRUE(is_remote_url(url)) << url;
  for (const char* path : {"", ".", "repo", "/srv/git/repo.git", "./a:b", "dir/a@b:c", "C:/repo", "a:b"})
    EXPECT_FALSE(is_remote_url(path)) << path;
}

TEST(RemoteUrl, CredentialsAreSplitOffAndNeverDisplayed) {
  const auto url = parse_remote_url("https://user:p%40ss@GitHub.com/Org/Repo.git?token=abc");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->user, "user");
  EXPECT_EQ(url->password, "p@ss");
  EXPECT_EQ(url->host, "github.com");
  EXPECT_EQ(url->display, "https://github.com/Org/Repo.git");
  EXPECT_EQ(url->fetch_url, "https://github.com/Org/Repo.git?token=abc");
  EXPECT_EQ(url->normalized, "https://github.com/Org/Repo");
  EXPECT_EQ(display_url("https://ghp_x@host/r.git"), "https://host/r.git");
  EXPECT_EQ(display_url("https://"), "<a remote URL that does not parse>");
  EXPECT_EQ(scrub_credentials("cannot reach user:p@ss at ?token=abc", *url), "cannot reach ***:*** at ***");
}

TEST(RemoteUrl, SshKeepsTheUserNameButNotAPassword) {
  const auto scp = parse_remote_url("git@GitHub.com:org/repo.git");
  ASSERT_TRUE(scp);
  EXPECT_EQ(scp->display, "git@github.com:org/repo.git");
  EXPECT_EQ(scp->normalized, "git@github.com:org/repo");
  const auto ssh = parse_remote_url("ssh://git:hunter2@host:22/org/repo.git/");
  ASSERT_TRUE(ssh);
  EXPECT_EQ(ssh->display, "ssh://git@host:22/org/repo.git/");
  EXPECT_EQ(ssh->normalized, "ssh://git@host/org/repo");
}

TEST(RemoteUrl, RejectsWhatCannotBeCloned) {
  for (const char* url : {"https://", "https:///path", "https://host", "https://host/", "https://ho st/x",
                          "https://host:port/x", "file://otherhost/srv/repo", "file://"})
    EXPECT_FALSE(parse_remote_url(url)) << url;
}

TEST(RemoteUrl, CacheFolderIsStableReadableAndDistinct) {
  const auto a = parse_remote_url("https://tok@github.com/org/repo.git");
  const auto b = parse_remote_url("https://github.com/org/repo");
  const auto c = parse_remote_url("https://github.com/org/repo2");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(cache_folder_name(*a), cache_folder_name(*b));
  EXPECT_NE(cache_folder_name(*a), cache_folder_name(*c));
  EXPECT_EQ(cache_folder_name(*a).substr(0, 20), "github.com-org-repo-");
  const auto scp = parse_remote_url("git@github.com:org/repo.git");
  ASSERT_TRUE(scp);
  EXPECT_EQ(cache_folder_name(*scp).substr(0, 20), "github.com-org-repo-");
  EXPECT_NE(cache_folder_name(*scp), cache_folder_name(*a));
  const auto hostile = parse_remote_url("https://host/../../etc/x");
  ASSERT_TRUE(hostile);
  EXPECT_EQ(cache_folder_name(*hostile).find('/'), std::string::npos);
  EXPECT_NE(cache_folder_name(*hostile).substr(0, 2), "..");
}

}  // namespace
}  // namespace sentryscan::remote
