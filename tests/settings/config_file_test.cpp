// .sentryscan.toml: every key read, every mistake rejected naming the file,
// the line and the key.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "settings/config_file.h"
#include "core/input_error.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"

namespace sentryscan {
namespace {

using testing::TempDir;

InputError config_error(std::string_view text) {
  try {
    parse_config(text, "repo/.sentryscan.toml");
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError for:\n" << text;
  return InputError("", 0, "");
}

// Expects `text` to be rejected at `line` with a message containing each of `says`.
void expect_rejected(std::string_view text, std::size_t line, std::initializer_list<std::string_view> says) {
  const InputError e = config_error(text);
  EXPECT_EQ(e.file(), "repo/.sentryscan.toml");
  EXPECT_EQ(e.line(), line) << e.what() << "\n--- for:\n" << text;
  const std::string what = e.what();
  EXPECT_EQ(what.rfind(fmt::format("repo/.sentryscan.toml:{}: ", line), 0), 0u) << what;
  for (const auto s : says) EXPECT_NE(what.find(s), std::string::npos) << "'" << s << "' not in: " << what;
}

TEST(Config, FullFile) {
  const Config c = parse_config(R"(# CI gate settings
fail_on = "high"
exclude = ["vendor/**", "*.min.js"]
max_file_size = "10MiB"

[validate]
sentry_urls = ["https://sentry.example.com", "https://errors.example.org:8443/sentry/"]
timeout_seconds = 2.5
concurrency = 8
max_requests = 500
ca_cert = "/etc/ssl/corp-ca.pem"
cache_file = ".cache/sentryscan.json"
cache_ttl_hours = 24
)",
                                "cfg");
  EXPECT_EQ(c.fail_on, Severity::high);
  EXPECT_EQ(c.exclude, (std::vector<std::string>{"vendor/**", "*.min.js"}));
  EXPECT_EQ(c.max_file_size, 10u << 20);
  EXPECT_EQ(c.validate.sentry_urls,
            (std::vector<std::string>{"https://sentry.example.com", "https://errors.example.org:8443/sentry/"}));
  EXPECT_EQ(c.validate.timeout_seconds, 2.5);
  EXPECT_EQ(c.validate.concurrency, 8u);
  EXPECT_EQ(c.validate.max_requests, 500u);
  EXPECT_EQ(c.validate.ca_cert, "/etc/ssl/corp-ca.pem");
  EXPECT_EQ(c.validate.cache_file, ".cache/sentryscan.json");
  EXPECT_EQ(c.validate.cache_ttl_hours, 24.0);
}

TEST(Config, EmptyFileMeansDefaults) {
  const Config c = parse_config("# nothing yet\n", "cfg");
  EXPECT_FALSE(c.fail_on);
  EXPECT_TRUE(c.exclude.empty());
  EXPECT_FALSE(c.max_file_size);
  EXPECT_TRUE(c.validate.sentry_urls.empty());
  EXPECT_FALSE(c.validate.timeout_seconds);
  EXPECT_FALSE(c.validate.concurrency);
}

TEST(Config, AlternativeSpellingsTomlAllows) {
  const Config c = parse_config("max_file_size = 1048576\nvalidate.timeout_seconds = 3\nvalidate.concurrency = 1\n", "cfg");
  EXPECT_EQ(c.max_file_size, 1048576u);
  EXPECT_EQ(c.validate.timeout_seconds, 3.0);
  EXPECT_EQ(c.validate.concurrency, 1u);
  const Config inline_table = parse_config("validate = { max_requests = 1, cache_ttl_hours = 0.5 }\n", "cfg");
  EXPECT_EQ(inline_table.validate.max_requests, 1u);
  EXPECT_EQ(inline_table.validate.cache_ttl_hours, 0.5);
  EXPECT_EQ(parse_config("\xEF\xBB\xBF" "fail_on = \"low\"\r\n", "cfg").fail_on, Severity::low);
}

TEST(Config, UnknownKeysAreNamedWithTheirLine) {
  expect_rejected("fail_on = \"high\"\n\nfailon = \"low\"\n", 3, {"unknown key 'failon'", "known keys: fail_on"});
  expect_rejected("fail-on = \"high\"\n", 1, {"unknown key 'fail-on'", "did you mean 'fail_on'?"});
  expect_rejected("[validate]\nconcurrency = 2\ntimeout = 5\n", 3, {"unknown key 'timeout' in [validate]", "timeout_seconds"});
  expect_rejected("[validate]\nSentry_URLs = []\n", 2, {"'Sentry_URLs'", "did you mean 'sentry_urls'?"});
  expect_rejected("fail_on = \"high\"\n[rules]\nextra = 1\n", 2, {"unknown key 'rules'"});
  expect_rejected("[validate.proxy]\nurl = \"x\"\n", 1, {"unknown key 'proxy' in [validate]"});
  expect_rejected("validate.retries = 3\n", 1, {"unknown key 'retries' in [validate]"});
}

TEST(Config, UnknownKeyDoesNotEchoAPastedToken) {
  const std::string token = testing::fake_user_token("as-key");  // a valid bare TOML key
  const std::string what = config_error(token + " = true\n").what();
  EXPECT_NE(what.find("unknown key 'sntryu_"), std::string::npos) << what;
  EXPECT_EQ(what.find(token.substr(0, 20)), std::string::npos) << what;
}

TEST(Config, WrongTypesAndValues) {
  expect_rejected("fail_on = 3\n", 1, {"'fail_on' must be a string"});
  expect_rejected("\nfail_on = \"severe\"\n", 2, {"'fail_on' must be one of low, medium, high, critical"});
  expect_rejected("fail_on = \"HIGH\"\n", 1, {"'fail_on'"});
  expect_rejected("exclude = \"vendor/**\"\n", 1, {"'exclude' must be an array of strings"});
  expect_rejected("exclude = [\n  \"vendor/**\",\n  42,\n]\n", 3, {"'exclude[1]' must be a string"});
  expect_rejected("exclude = [\"a\", \"\"]\n", 1, {"'exclude[1]' must not be empty"});
  expect_rejected("max_file_size = \"50 megs\"\n", 1, {"'max_file_size' must be a positive size"});
  expect_rejected("max_file_size = 0\n", 1, {"'max_file_size'"});
  expect_rejected("max_file_size = \"0\"\n", 1, {"'max_file_size'"});
  expect_rejected("max_file_size = -5\n", 1, {"'max_file_size'"});
  expect_rejected("max_file_size = 1.5\n", 1, {"'max_file_size'"});
  expect_rejected("validate = 1\n", 1, {"'validate' must be a table"});
  expect_rejected("[[validate]]\nconcurrency = 1\n", 1, {"'validate' must be a table"});
}

TEST(Config, ValidateNumbers) {
  expect_rejected("[validate]\ntimeout_seconds = 0\n", 2, {"'validate.timeout_seconds' must be a number greater than 0"});
  expect_rejected("[validate]\ntimeout_seconds = -1.5\n", 2, {"greater than 0"});
  expect_rejected("[validate]\ntimeout_seconds = nan\n", 2, {"greater than 0"});
  expect_rejected("[validate]\ntimeout_seconds = inf\n", 2, {"greater than 0"});
  expect_rejected("[validate]\ntimeout_seconds = \"10\"\n", 2, {"'validate.timeout_seconds' must be a number"});
  expect_rejected("[validate]\nconcurrency = 0\n", 2, {"'validate.concurrency' must be between 1 and 64"});
  expect_rejected("[validate]\nconcurrency = 65\n", 2, {"between 1 and 64"});
  expect_rejected("[validate]\nconcurrency = 4.0\n", 2, {"'validate.concurrency' must be an integer"});
  expect_rejected("[validate]\nmax_requests = 0\n", 2, {"'validate.max_requests' must be between 1 and"});
  expect_rejected("[validate]\nmax_requests = 99999999999\n", 2, {"'validate.max_requests'"});
  expect_rejected("[validate]\ncache_ttl_hours = 0\n", 2, {"'validate.cache_ttl_hours' must be a number greater than 0"});
  expect_rejected("[validate]\nca_cert = 1\n", 2, {"'validate.ca_cert' must be a string"});
  expect_rejected("[validate]\ncache_file = \"\"\n", 2, {"'validate.cache_file' must not be empty"});
  EXPECT_EQ(parse_config("[validate]\nconcurrency = 64\n", "c").validate.concurrency, 64u);
}

TEST(Config, SentryUrlsAreChecked) {
  const auto bad_url = [](std::string_view url, std::string_view says) {
    expect_rejected(fmt::format("[validate]\nsentry_urls = [\n  \"https://ok.example.com\",\n  \"{}\",\n]\n", url), 4,
                    {"'validate.sentry_urls[1]'", says});
  };
  bad_url("sentry.example.com", "absolute URL");
  bad_url("ftp://sentry.example.com", "scheme must be https or http");
  bad_url("https://", "no host");
  bad_url("https:///api", "no host");
  bad_url("https://sentry.example.com/?x=1", "query");
  bad_url("https://sentry.example.com#frag", "fragment");
  bad_url("https://user:pw@sentry.example.com", "user name or password");
  bad_url("https://sentry.example.com:0", "port");
  bad_url("https://sentry.example.com:99999", "port");
  bad_url("https://sentry.example.com:http", "port");
  bad_url("https://sentry example.com", "spaces");
  bad_url("https://sentry.exa$mple.com", "host contains");
  bad_url("https://[::1", "IPv6");
  expect_rejected("[validate]\nsentry_urls = \"https://sentry.example.com\"\n", 2, {"must be an array of strings"});

  const Config ok = parse_config(
      "[validate]\nsentry_urls = [\"http://127.0.0.1:9000\", \"HTTPS://Sentry.Example.com/\", \"https://[::1]:8443/x\"]\n", "c");
  EXPECT_EQ(ok.validate.sentry_urls.size(), 3u);
}

TEST(Config, UrlMessagesDoNotQuoteTheUrl) {
  const std::string key = testing::fake_hex("dsn-key", 32);
  const std::string what = config_error(fmt::format("[validate]\nsentry_urls = [\"https://{}@o1.ingest.sentry.io/1\"]\n", key)).what();
  EXPECT_EQ(what.find(key), std::string::npos) << what;
}

TEST(Config, TomlSyntaxErrorsNameTheLine) {
  expect_rejected("fail_on = \"high\"\nexclude = [\"a\",\n", 2, {"invalid TOML", "end-of-file"});
  expect_rejected("fail_on = \"high\"\n\n[validate\nconcurrency = 1\n", 3, {"invalid TOML"});
  expect_rejected("fail_on = \"high\"\nfail_on = \"low\"\n", 2, {"invalid TOML"});
  expect_rejected("exclude = [\"unterminated]\n", 1, {"invalid TOML"});
  expect_rejected("\n\n\nfail_on = high\n", 4, {"invalid TOML", "missing its quotes"});
}

TEST(Config, LoadMissingFileIsAnError) {
  TempDir dir;
  try {
    load_config(dir.path() / "absent.toml");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), (dir.path() / "absent.toml").string());
    EXPECT_NE(std::string(e.what()).find("cannot read config file"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load_config(dir.path()), InputError);  // a directory
}

TEST(Config, LoadNamesTheRealPathInErrors) {
  TempDir dir;
  const auto path = dir.write("ci/.sentryscan.toml", "fail_on = \"high\"\n[validate]\nconcurency = 2\n");
  try {
    load_config(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path.string() + ":3: unknown key 'concurency'", 0), 0u) << e.what();
  }
}

TEST(Config, LoadResolvesPathsAgainstTheConfigFile) {
  TempDir dir;
  const auto path = dir.write("repo/.sentryscan.toml",
                              "[validate]\nca_cert = \"certs/ca.pem\"\ncache_file = \"/var/cache/sentryscan.json\"\n");
  const Config c = load_config(path);
  EXPECT_EQ(c.validate.ca_cert, (dir.path() / "repo" / "certs/ca.pem").string());
  EXPECT_EQ(c.validate.cache_file, "/var/cache/sentryscan.json");
  EXPECT_EQ(parse_config("[validate]\nca_cert = \"certs/ca.pem\"\n", "x").validate.ca_cert, "certs/ca.pem");
}

}  // namespace
}  // namespace sentryscan
