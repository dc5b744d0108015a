// The glob syntax users write in `--exclude`, config `exclude` and
// `.sentryscanignore` `path:` lines (core/glob.h).
#include "core/glob.h"

#include <gtest/gtest.h>

namespace sentryscan {
namespace {

TEST(Glob, BasenamePatternMatchesAtAnyDepth) {
  EXPECT_TRUE(glob_match("*.min.js", "app.min.js"));
  EXPECT_TRUE(glob_match("*.min.js", "static/js/vendor/app.min.js"));
  EXPECT_FALSE(glob_match("*.min.js", "static/js/app.js"));
  EXPECT_FALSE(glob_match("*.min.js", "app.min.js.map"));
  EXPECT_FALSE(glob_match("*.min.js", "app.min.jsx"));
}

TEST(Glob, DirectoryNameExcludesEverythingBelowIt) {
  EXPECT_TRUE(glob_match("node_modules", "node_modules"));
  EXPECT_TRUE(glob_match("node_modules", "node_modules/left-pad/index.js"));
  EXPECT_TRUE(glob_match("node_modules", "web/node_modules/@sentry/cli/bin"));
  EXPECT_TRUE(glob_match("node_modules/", "web/node_modules/x.js"));
  // A directory name is a whole segment, not a prefix of one.
  EXPECT_FALSE(glob_match("node_modules", "node_modules_backup/x.js"));
  EXPECT_FALSE(glob_match("node_modules", "my_node_modules/x.js"));
  EXPECT_FALSE(glob_match("node_modules", "src/node_modules.txt"));
}

TEST(Glob, GlobstarBothSides) {
  EXPECT_TRUE(glob_match("**/fixtures/**", "fixtures/token.txt"));
  EXPECT_TRUE(glob_match("**/fixtures/**", "tests/fixtures/token.txt"));
  EXPECT_TRUE(glob_match("**/fixtures/**", "a/b/c/fixtures/d/e/token.txt"));
  EXPECT_FALSE(glob_match("**/fixtures/**", "tests/fixtures2/token.txt"));
  EXPECT_FALSE(glob_match("**/fixtures/**", "tests/myfixtures/token.txt"));
  EXPECT_FALSE(glob_match("**/fixtures/**", "fixtures.txt"));
}

TEST(Glob, GlobstarPrefixAndSuffix) {
  EXPECT_TRUE(glob_match("**/secrets.env", "secrets.env"));
  EXPECT_TRUE(glob_match("**/secrets.env", "deploy/prod/secrets.env"));
  EXPECT_FALSE(glob_match("**/secrets.env", "deploy/prod/not-secrets.env"));
  EXPECT_TRUE(glob_match("docs/**", "docs/a/b/c.md"));
  EXPECT_FALSE(glob_match("docs/**", "src/docs/a.md"));
  EXPECT_TRUE(glob_match("a/**/b.txt", "a/b.txt"));
  EXPECT_TRUE(glob_match("a/**/b.txt", "a/x/y/b.txt"));
  EXPECT_FALSE(glob_match("a/**/b.txt", "a/x/yb.txt"));
  EXPECT_TRUE(glob_match("**", "anything/at/all"));
}

TEST(Glob, SingleStarDoesNotCrossSlash) {
  EXPECT_TRUE(glob_match("src/*.cpp", "src/main.cpp"));
  EXPECT_FALSE(glob_match("src/*.cpp", "src/cli/main.cpp"));
  EXPECT_FALSE(glob_match("src/*.cpp", "lib/src/main.cpp"));  // contains '/', so anchored
  EXPECT_TRUE(glob_match("src/*/main.cpp", "src/cli/main.cpp"));
  EXPECT_FALSE(glob_match("src/*/main.cpp", "src/cli/sub/main.cpp"));
  EXPECT_TRUE(glob_match("src/*", "src/cli/main.cpp"));  // matches the directory src/cli
}

TEST(Glob, QuestionMarkIsOneCharacterButNotSlash) {
  EXPECT_TRUE(glob_match("file?.txt", "file1.txt"));
  EXPECT_TRUE(glob_match("file?.txt", "dir/fileA.txt"));
  EXPECT_FALSE(glob_match("file?.txt", "file.txt"));
  EXPECT_FALSE(glob_match("file?.txt", "file12.txt"));
  EXPECT_FALSE(glob_match("a?b", "a/b"));
}

TEST(Glob, CharacterClasses) {
  EXPECT_TRUE(glob_match("log[a-c].txt", "loga.txt"));
  EXPECT_TRUE(glob_match("log[a-c].txt", "logc.txt"));
  EXPECT_FALSE(glob_match("log[a-c].txt", "logd.txt"));
  EXPECT_TRUE(glob_match("log[xyz].txt", "logy.txt"));
  EXPECT_FALSE(glob_match("log[xyz].txt", "logw.txt"));
  EXPECT_TRUE(glob_match("log[!x].txt", "loga.txt"));
  EXPECT_FALSE(glob_match("log[!x].txt", "logx.txt"));
  EXPECT_TRUE(glob_match("log[^x].txt", "loga.txt"));
  EXPECT_FALSE(glob_match("log[^x].txt", "logx.txt"));
  EXPECT_FALSE(glob_match("a[!x]b", "a/b"));  // a class never matches '/'
  EXPECT_TRUE(glob_match("[]]x", "]x"));      // ']' first in a class is literal
  EXPECT_TRUE(glob_match("[a-]x", "-x"));     // '-' last in a class is literal
  EXPECT_FALSE(glob_match("log[a-c].txt", "log[a-c].txt"));
}

TEST(Glob, UnclosedBracketIsLiteral) {
  EXPECT_TRUE(glob_match("weird[name", "weird[name"));
  EXPECT_TRUE(glob_match("dir/weird[name", "dir/weird[name"));
  EXPECT_FALSE(glob_match("weird[name", "weirdname"));
  EXPECT_FALSE(glob_match("weird[name", "weirdn"));
  EXPECT_FALSE(glob_match("[", "a"));
  EXPECT_TRUE(glob_match("[", "["));
}

TEST(Glob, LeadingSlashAnchorsAtTheRoot) {
  EXPECT_TRUE(glob_match("/build", "build/out.js"));
  EXPECT_TRUE(glob_match("/build", "build"));
  EXPECT_FALSE(glob_match("/build", "src/build/out.js"));
  EXPECT_TRUE(glob_match("/*.env", ".env"));
  EXPECT_TRUE(glob_match("/*.env", "prod.env"));
  EXPECT_FALSE(glob_match("/*.env", "config/prod.env"));
  EXPECT_TRUE(glob_match("build", "src/build/out.js"));  // without '/', any depth
}

TEST(Glob, DotSlashPrefixesAreIgnored) {
  EXPECT_TRUE(glob_match("./src/*.cpp", "src/main.cpp"));
  EXPECT_TRUE(glob_match("src/*.cpp", "./src/main.cpp"));
  EXPECT_TRUE(glob_match("./src/*.cpp", "./src/main.cpp"));
  EXPECT_TRUE(glob_match("*.min.js", "./a/b.min.js"));
  EXPECT_TRUE(glob_match("./vendor", "vendor/lib.js"));
  EXPECT_FALSE(glob_match("./vendor", "src/vendor/lib.js"));  // './' anchors like '/'
}

TEST(Glob, LiteralPathsAndCase) {
  EXPECT_TRUE(glob_match("config/settings.py", "config/settings.py"));
  EXPECT_FALSE(glob_match("config/settings.py", "config/settings.pyc"));
  EXPECT_FALSE(glob_match("config/settings.py", "app/config/settings.py"));
  EXPECT_FALSE(glob_match("README.md", "readme.md"));  // case-sensitive, like git
}

TEST(Glob, EmptyPatternMatchesNothingUseful) {
  EXPECT_FALSE(glob_match("", "src/main.cpp"));
  EXPECT_FALSE(glob_match("", "main.cpp"));
}

}  // namespace
}  // namespace sentryscan
