// The compiled-rules cache (src/match/database_cache.h) must only ever make
// start-up faster: a missing, corrupt or unwritable cache changes nothing a
// user sees.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <hs/hs.h>
#include <stdlib.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>

#include "core/c_handle.h"
#include "match/database_cache.h"
#include "match/database_check.h"
#include "match/matcher.h"
#include "rules/rule_loader.h"
#include "support/fake_tokens.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> cache_files(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  return files;
}

class DatabaseCache : public ::testing::Test {
 protected:
  void SetUp() override {
    work_.write("app/settings.py", "SENTRY_TOKEN = \"" + fake_user_token("cache") + "\"\n");
  }
  CliResult scan(const fs::path& cache_dir) {
    CliOptions options;
    options.env["SENTRYSCAN_CACHE_DIR"] = cache_dir.string();
    return run_sentryscan({"scan", "--format", "jsonl", (work_.path() / "app").string()}, options);
  }
  TempDir work_;
  TempDir cache_;
};

TEST_F(DatabaseCache, FirstRunStoresTheCompiledRulesAndLaterRunsFindTheSame) {
  const CliResult first = scan(cache_.path());
  ASSERT_EQ(first.exit_code, 1) << first.err;
  // One entry per database: all the prefilters, those without the ones
  // that need 64 hex digits in a row, those without any that needs hex
  // digits (Matcher::find's HexRun).
  const auto files = cache_files(cache_.path());
  ASSERT_EQ(files.size(), 3u);
  std::vector<fs::file_time_type> written;
  for (const fs::path& file : files) {
    EXPECT_TRUE(file.filename().string().starts_with("hs-"));
    written.push_back(fs::last_write_time(file));
  }

  const CliResult second = scan(cache_.path());
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_EQ(second.out, first.out);
  for (std::size_t i = 0; i < files.size(); ++i)
    EXPECT_EQ(fs::last_write_time(files[i]), written[i]) << files[i] << ": a valid cache entry is reused, not rewritten";
}

TEST_F(DatabaseCache, CorruptEntryIsReplacedAndTheScanStillFindsTheToken) {
  ASSERT_EQ(scan(cache_.path()).exit_code, 1);
  for (const fs::path& entry : cache_files(cache_.path())) {
    const auto good_size = fs::file_size(entry);
    for (const std::string& garbage : {std::string(), std::string("not a database"), std::string(4096, '\xff')}) {
      std::ofstream(entry, std::ios::binary | std::ios::trunc) << garbage;
      const CliResult result = scan(cache_.path());
      EXPECT_EQ(result.exit_code, 1) << result.err;
      EXPECT_NE(result.out.find("sentry-user-token"), std::string::npos);
      EXPECT_EQ(fs::file_size(entry), good_size) << entry;
    }
  }
}

TEST_F(DatabaseCache, UnusableCacheDirectoryIsNotAnError) {
  const fs::path blocked = work_.write("not-a-directory", "x");  // a file where the directory should be
  const CliResult result = scan(blocked / "sub");
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("sentry-user-token"), std::string::npos);
  EXPECT_EQ(result.err.find("cache"), std::string::npos);
}


// ---- A loaded database is checked against the rules' examples (match/database_check.h).

using DatabasePtr = CHandle<hs_database_t, hs_free_database>;
using ScratchPtr = CHandle<hs_scratch_t, hs_free_scratch>;

struct Compiled {
  DatabasePtr database;
  ScratchPtr scratch;
};

Compiled compile(const std::vector<std::string>& expressions, const std::vector<unsigned>& ids) {
  std::vector<const char*> pointers;
  for (const auto& e : expressions) pointers.push_back(e.c_str());
  const std::vector<unsigned> flags(expressions.size(), 0);
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(pointers.data(), flags.data(), ids.data(), static_cast<unsigned>(pointers.size()), HS_MODE_BLOCK,
                       nullptr, &database, &error) != HS_SUCCESS) {
    ADD_FAILURE() << (error ? error->message : "compile failed");
    hs_free_compile_error(error);
    return {};
  }
  hs_scratch_t* scratch = nullptr;
  EXPECT_EQ(hs_alloc_scratch(database, &scratch), HS_SUCCESS);
  return {DatabasePtr(database), ScratchPtr(scratch)};
}

// The rules' prefilters with the ids Matcher gives them (rule order, then pattern order).
struct RuleSet {
  std::vector<Rule> rules = default_rules();
  std::vector<std::string> expressions;
  std::vector<unsigned> ids;
  std::vector<std::size_t> rule_of_pattern;
  RuleSet() {
    for (std::size_t r = 0; r < rules.size(); ++r)
      for (const auto& pattern : rules[r].patterns) {
        ids.push_back(static_cast<unsigned>(expressions.size()));
        expressions.push_back(pattern.prefilter);
        rule_of_pattern.push_back(r);
      }
  }
  bool recognised_by(const Compiled& c, std::uint64_t seed) const {
    return database_recognises_rules(c.database.get(), c.scratch.get(), rules, rule_of_pattern, seed);
  }
};

std::string regex_literal(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += c;
    else out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
  }
  return out;
}

// Whether `database` reports anything at all in `text`.
bool matches_anything(const Compiled& c, const std::string& text) {
  bool any = false;
  hs_scan(c.database.get(), text.data(), static_cast<unsigned>(text.size()), 0, c.scratch.get(),
          [](unsigned, unsigned long long, unsigned long long, unsigned, void* flag) {
            *static_cast<bool*>(flag) = true;
            return 0;
          },
          &any);
  return any;
}

TEST(DatabaseCheck, TheRealDatabasePassesWhateverTheVariation) {
  const RuleSet set;
  const Compiled real = compile(set.expressions, set.ids);
  for (std::uint64_t seed = 0; seed < 500; ++seed) ASSERT_TRUE(set.recognised_by(real, seed)) << "seed " << seed;
}

TEST(DatabaseCheck, VariationChangesTheKeyMaterialAndKeepsItsShape) {
  const std::string token = fake_user_token("vary");
  const RuleExample example{"T=\"" + token + "\";", token, "", 0};
  std::mt19937_64 random(7);
  const std::string varied = vary_example(example, random);
  ASSERT_EQ(varied.size(), example.text.size());
  EXPECT_NE(varied, example.text);
  EXPECT_EQ(varied.substr(0, 2 + 7 + 32), example.text.substr(0, 2 + 7 + 32));  // T=" sntryu_ and the first 32 hex
  EXPECT_EQ(varied.find_first_not_of("0123456789abcdef", 2 + 7 + 32), varied.size() - 2);
  const RuleExample elsewhere{"no secret in here", token, "", 0};
  EXPECT_EQ(vary_example(elsewhere, random), elsewhere.text);
}

// The poisoning of the issue: a valid, serialized database of some other,
// harmless pattern set stored under the rules' file name.
TEST(DatabaseCheck, ADatabaseOfOtherPatternsIsRejected) {
  const RuleSet set;
  const Compiled other = compile({"zzzz-never"}, {0});
  EXPECT_FALSE(matches_anything(other, "SENTRY_AUTH_TOKEN=" + fake_user_token("poison")));  // the bypass
  EXPECT_FALSE(set.recognised_by(other, 1));
}

// A database made to match exactly the published example texts would pass a
// check with the examples as they are; the random variation defeats it.
TEST(DatabaseCheck, ADatabaseOfTheLiteralExamplesIsRejected) {
  const RuleSet set;
  std::vector<std::string> expressions;
  std::vector<unsigned> ids;
  for (std::size_t p = 0; p < set.expressions.size(); ++p) {
    if (p > 0 && set.rule_of_pattern[p] == set.rule_of_pattern[p - 1]) continue;  // the rule's first pattern id
    for (const auto& example : set.rules[set.rule_of_pattern[p]].examples) {
      expressions.push_back(regex_literal(example.text));
      ids.push_back(static_cast<unsigned>(p));
    }
  }
  const Compiled literal = compile(expressions, ids);
  for (const auto& rule : set.rules)
    for (const auto& example : rule.examples) ASSERT_TRUE(matches_anything(literal, example.text));
  for (std::uint64_t seed = 0; seed < 20; ++seed) EXPECT_FALSE(set.recognised_by(literal, seed)) << "seed " << seed;
}

// The real database minus any one pattern (say the percent-encoded DSN form)
// would still find most examples; it must not pass.
TEST(DatabaseCheck, ADatabaseMissingAnyOnePatternIsRejected) {
  const RuleSet set;
  for (std::size_t dropped = 0; dropped < set.expressions.size(); ++dropped) {
    auto expressions = set.expressions;
    auto ids = set.ids;
    expressions.erase(expressions.begin() + static_cast<std::ptrdiff_t>(dropped));
    ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(dropped));
    EXPECT_FALSE(set.recognised_by(compile(expressions, ids), 1)) << set.expressions[dropped];
  }
}

TEST(DatabaseCheck, ADatabaseThatMatchesEverythingOrForeignIdsIsRejected) {
  const RuleSet set;
  auto expressions = set.expressions;
  auto ids = set.ids;
  expressions.push_back("[a-z]");  // every example passes, and so would every byte of every file
  ids.push_back(0);
  EXPECT_FALSE(set.recognised_by(compile(expressions, ids), 1));

  auto shifted = set.ids;
  for (auto& id : shifted) id += 1000;  // the right patterns under ids that are not the rules'
  EXPECT_FALSE(set.recognised_by(compile(set.expressions, shifted), 1));
}

// SENTRYSCAN_CACHE_DIR pointed at a temporary directory for one test.
class ScopedCacheDir {
 public:
  explicit ScopedCacheDir(const fs::path& dir) {
    if (const char* old = std::getenv("SENTRYSCAN_CACHE_DIR")) old_ = old;
    setenv("SENTRYSCAN_CACHE_DIR", dir.c_str(), 1);
  }
  ~ScopedCacheDir() {
    if (old_) setenv("SENTRYSCAN_CACHE_DIR", old_->c_str(), 1);
    else unsetenv("SENTRYSCAN_CACHE_DIR");
  }

 private:
  std::optional<std::string> old_;
};

std::string serialize(const Compiled& c) {
  char* bytes = nullptr;
  std::size_t length = 0;
  EXPECT_EQ(hs_serialize_database(c.database.get(), &bytes, &length), HS_SUCCESS);
  std::string out(bytes, length);
  std::free(bytes);
  return out;
}

TEST(DatabaseCheck, APoisonedCacheEntryIsRebuiltAndReplaced) {
  TempDir cache;
  const ScopedCacheDir scoped(cache.path());
  const std::string text = "SENTRY_AUTH_TOKEN=" + fake_user_token("poisoned-cache") + "\n";
  (void)Matcher(default_rules());  // fills the cache
  // The entry of the database of every prefilter (the other two are checked
  // against it: tests/match/hex_run_test.cpp, and the CLI poisoning test).
  const RuleSet set;
  std::vector<const char*> expressions;
  for (const std::string& expression : set.expressions) expressions.push_back(expression.c_str());
  const DatabaseRequest request{expressions, std::vector<unsigned>(expressions.size(), 0), set.ids};
  const std::vector<fs::path> files{database_cache_file(cache.path(), request)};
  ASSERT_TRUE(fs::exists(files[0]));
  const std::string poison = serialize(compile({"zzzz-never"}, {0}));
  std::ofstream(files[0], std::ios::binary | std::ios::trunc) << poison;

  // Without the check the entry would be used as it is: Hyperscan accepts it
  // (same version and CPU, intact CRC) and it finds nothing.
  Compiled as_loaded{DatabasePtr(load_cached_database(files[0])), nullptr};
  ASSERT_NE(as_loaded.database, nullptr);
  hs_scratch_t* scratch = nullptr;
  ASSERT_EQ(hs_alloc_scratch(as_loaded.database.get(), &scratch), HS_SUCCESS);
  as_loaded.scratch.reset(scratch);
  EXPECT_FALSE(matches_anything(as_loaded, text));

  const Matcher matcher(default_rules());
  auto matcher_scratch = matcher.make_scratch();
  const auto matches = matcher.find(text, MatchContext{}, matcher_scratch);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matcher.rules()[matches[0].rule_index].id, "sentry-user-token");
  EXPECT_NE(read_file(files[0]), poison) << "the entry was replaced by the rebuilt database";
  Compiled rebuilt{DatabasePtr(load_cached_database(files[0])), nullptr};
  ASSERT_NE(rebuilt.database, nullptr);
  ASSERT_EQ(hs_alloc_scratch(rebuilt.database.get(), &scratch), HS_SUCCESS);
  rebuilt.scratch.reset(scratch);
  EXPECT_TRUE(set.recognised_by(rebuilt, 3));
}

}  // namespace
}  // namespace sentryscan::testing
