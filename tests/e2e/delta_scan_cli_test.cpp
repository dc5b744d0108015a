// Issue 14: `sentryscan git` scans only what each delta changed and moves
// its base's findings elsewhere (src/source/git/audit/delta_scan.h). Generated
// repositories with many versions of large files, packed with deep deltas,
// where generated credentials are inserted, moved, deleted, split across
// lines, wrapped in base64, written on the line after their key, in an
// [auth] section whose header comes and goes, near a "sentry" that edits move
// in and out of reach, allowed inline, under a path that turns into a
// lockfile and back, in UTF-16 and in binary files: the report with the delta
// path on is the report of full scans, finding for finding, and the verify
// mode, which scans every delta-path blob both ways, finds no difference
// while showing that the delta path was taken and moved findings.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <regex>
#include <set>

#include "core/base64.h"
#include "support/fake_tokens.h"
#include "support/git_cli.h"

namespace sentryscan::testing {
namespace {

using Lines = std::vector<std::string>;

std::string join(const Lines& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

// Ordinary lines of code or config, about 60 bytes each, varied enough that
// git's deltas copy most of a file and insert the rest.
std::string filler(std::mt19937& random, const std::string& style) {
  const unsigned n = random() % 100000;
  if (style == "yaml") return fmt::format("  option_{}: value-{}-{}", n, n * 7 % 1000, random() % 97);
  if (style == "ini") return fmt::format("key_{} = {}", n, n * 13 % 10007);
  return fmt::format("    result_{} = compute({}, factor={})  # step {}", n, n % 977, random() % 31, n % 13);
}

std::vector<std::string> wrapped_base64(const std::string& text) {
  const std::string encoded = base64_encode(text);
  std::vector<std::string> out;
  for (std::size_t at = 0; at < encoded.size(); at += 76) out.push_back(encoded.substr(at, 76));
  return out;
}

// Lines holding one generated credential in one of the forms the scanner
// reads, for `style` files (python, yaml, ini).
Lines secret_lines(std::mt19937& random, const std::string& style, int serial) {
  const std::string seed = fmt::format("delta-{}-{}", style, serial);
  const std::string hex64 = fake_hex(seed, 64);
  if (style == "yaml") {
    switch (random() % 3) {
      case 0: return {"sentry_auth_token:", "  " + hex64};                 // the value on the next line
      case 1: return {fmt::format("  auth_token: {}", hex64)};            // needs "sentry" within 2 KiB
      default: return {fmt::format("  dsn: {}", fake_dsn(seed))};
    }
  }
  if (style == "ini") {
    switch (random() % 3) {
      case 0: return {"[auth]", "token=" + hex64};
      case 1: return {"token = " + hex64};                                // counts only under an [auth] header
      default: return {"[defaults]", "url = https://sentry.example.org/"};
    }
  }
  const std::string user = fake_user_token(seed);
  switch (random() % 8) {
    case 0: return {fmt::format("SENTRY_AUTH_TOKEN = \"{}\"", user)};
    case 1: return {fmt::format("ORG_TOKEN = \"{}\"", fake_org_token(seed))};
    case 2: return {fmt::format("auth_token = \"{}\"", hex64)};           // needs "sentry" within 2 KiB
    case 3: return {"SENTRY_TOKEN = (", fmt::format("    \"{}\"", user.substr(0, 30)),
                    fmt::format("    \"{}\"", user.substr(30)), ")"};    // split literal
    case 4: return {fmt::format("TOKEN = \"{}\"  # sentryscan:allow", user)};
    case 5: {
      Lines block{"PAYLOAD = \"\"\""};
      for (auto& line : wrapped_base64(fmt::format("config:\n  SENTRY_AUTH_TOKEN={}\n  more text for the run\n", user)))
        block.push_back(line);
      block.push_back("\"\"\"");
      return block;
    }
    case 6: return {"import sentry_sdk  # a keyword that gives nearby hex its context"};
    default: return {fmt::format("DSN = \"{}\"", fake_dsn(seed))};
  }
}

struct File {
  std::string path;
  std::string style;
  Lines lines;
};

// One version of a file after 1-3 random edits.
void edit(std::mt19937& random, File& file, int& serial) {
  const unsigned edits = 1 + random() % 3;
  for (unsigned e = 0; e < edits; ++e) {
    Lines& lines = file.lines;
    const std::size_t at = random() % (lines.size() + 1);
    switch (random() % 7) {
      case 0:
      case 1: {  // a credential (or a keyword) appears
        const Lines added = secret_lines(random, file.style, serial++);
        lines.insert(lines.begin() + static_cast<long>(at), added.begin(), added.end());
        break;
      }
      case 2:  // a run of ordinary lines appears
        for (unsigned k = random() % 40; k-- > 0;) lines.insert(lines.begin() + static_cast<long>(at), filler(random, file.style));
        break;
      case 3:  // lines disappear (credentials, headers, parts of a base64 block)
        if (at < lines.size()) lines.erase(lines.begin() + static_cast<long>(at),
                                           lines.begin() + static_cast<long>(std::min(lines.size(), at + 1 + random() % 6)));
        break;
      case 4: {  // a block moves
        if (lines.size() < 20 || at + 10 > lines.size()) break;
        Lines block(lines.begin() + static_cast<long>(at), lines.begin() + static_cast<long>(at + 10));
        lines.erase(lines.begin() + static_cast<long>(at), lines.begin() + static_cast<long>(at + 10));
        const std::size_t to = random() % (lines.size() + 1);
        lines.insert(lines.begin() + static_cast<long>(to), block.begin(), block.end());
        break;
      }
      case 5:  // a line changes in place (inside a base64 block it spoils the run)
        if (at < lines.size()) lines[at] = lines[at].size() > 8 ? lines[at].substr(0, lines[at].size() - 4) + "Zz9q" : filler(random, file.style);
        break;
      default:  // a line gets or loses an allow marker
        if (at < lines.size()) {
          const std::string marker = "  # sentryscan:allow";
          if (lines[at].ends_with(marker)) lines[at].resize(lines[at].size() - marker.size());
          else lines[at] += marker;
        }
    }
  }
}

// Versions of three files where an edit changes a finding's context at a
// distance (the random edits above rarely do): a keyword 1.2 KiB above a
// hex value comes, goes and is pushed out of reach (2 KiB); an [auth] header
// 3.6 KiB above a key comes and goes; 16 lines of a wrapped base64 block, 4.5
// KiB after the credential it encodes, turn to base64 of binary bytes (the
// whole run then decodes to garbage) or change length (the run ends there).
std::vector<std::pair<std::string, std::string>> scripted_version(int version) {
  std::mt19937 random(1400);
  Lines code, ini, data;
  for (int i = 0; i < 1000; ++i) code.push_back(filler(random, "python"));
  for (int i = 0; i < 3000; ++i) ini.push_back(filler(random, "ini"));
  for (int i = 0; i < 800; ++i) data.push_back(filler(random, "python"));
  const int step = version % 8;
  // code: the value at line 520; the keyword 20 lines (1.2 KiB) above it, or 40 more lines between.
  code[520] = fmt::format("auth_token = \"{}\"", fake_hex("scripted-code", 64));
  if (step == 1 || step == 2 || step == 5) code.insert(code.begin() + 500, "import sentry_sdk");
  if (step == 2) code.insert(code.begin() + 505, 40, "    pass  # padding that pushes the keyword out of reach");
  if (step == 3) code[990] = "    changed = True";
  // ini: the key at line 2000 under [auth] 215 lines (3.6 KiB) above it, or not.
  ini[1780] = "# sentry-cli configuration";
  ini[2000] = "token=" + fake_hex("scripted-ini", 64);
  if (step == 1 || step == 3 || step == 6) ini[1785] = "[auth]";
  if (step == 4) ini[1950] = "[other]";
  // data: a wrapped base64 block of 105 lines, the credential in its first two.
  Lines block = wrapped_base64(fmt::format("SENTRY_AUTH_TOKEN={}\n{}", fake_user_token("scripted-data"),
                                           std::string(6000, 'q')));
  if (step == 2 || step == 5)
    for (int i = 60; i < 76; ++i) {
      std::string bytes;
      for (int k = 0; k < 57; ++k) bytes += static_cast<char>(random() % 256);
      block[static_cast<std::size_t>(i)] = base64_encode(bytes);
    }
  if (step == 3) block[60] = block[60].substr(0, 60);
  data.insert(data.begin() + 400, "PAYLOAD = \"\"\"");
  data.insert(data.begin() + 401, block.begin(), block.end());
  data.insert(data.begin() + 401 + static_cast<long>(block.size()), "\"\"\"");
  return {{"app/context.py", join(code)}, {"conf/tool.ini", join(ini)}, {"app/data.py", join(data)}};
}

std::string utf16le_with_bom(const std::string& ascii) {
  std::string out = "\xFF\xFE";
  for (const char c : ascii) out += {c, '\0'};
  return out;
}

// The repository: 60 commits over eleven files of 25-100 KiB, repacked with deep deltas.
std::unique_ptr<GitRepo> build_repository() {
  auto repo = std::make_unique<GitRepo>();
  std::mt19937 random(14);
  std::vector<File> files{{"app/main.py", "python", {}}, {"app/settings.py", "python", {}},
                          {"config/deploy.yaml", "yaml", {}}, {"conf/cli.ini", "ini", {}}};
  const std::size_t sizes[] = {1600, 900, 2500, 3500};
  int serial = 0;
  for (std::size_t f = 0; f < files.size(); ++f)
    for (std::size_t i = 0; i < sizes[f]; ++i) {
      files[f].lines.push_back(filler(random, files[f].style));
      if (i % 97 == 13) {
        const Lines added = secret_lines(random, files[f].style, serial++);
        files[f].lines.insert(files[f].lines.end(), added.begin(), added.end());
      }
    }
  Lines listing;  // a list of digests that is a lockfile under one of its names
  for (int i = 0; i < 400; ++i)
    listing.push_back(fmt::format("  \"sentry\": \"{}\",", fake_hex(fmt::format("listing-{}", i % 40 == 0 ? i : 0), 64)));
  std::string binary(64 << 10, 'x');  // binary (NULs), in lines: windows can stand in for it
  for (std::size_t i = 0; i < binary.size(); i += 97) binary[i] = '\0';
  for (std::size_t i = 50; i < binary.size(); i += 61) binary[i] = '\n';
  for (int commit = 0; commit < 60; ++commit) {
    for (File& file : files)
      if (commit == 0 || random() % 3 == 0) edit(random, file, serial);
    for (const File& file : files) repo->write(file.path, join(file.lines));
    for (const auto& [scripted, content] : scripted_version(commit)) repo->write(scripted, content);
    // Renamed between a lockfile name and an ordinary one: the delta's base
    // then was scanned under other path rules.
    if (commit % 10 == 0) {
      listing[random() % listing.size()] = fmt::format("  \"sentry\": \"{}\",", fake_hex(fmt::format("moved-{}", commit), 64));
      repo->remove(commit % 20 == 0 ? "deps/list.json" : "package-lock.json");
      repo->write(commit % 20 == 0 ? "package-lock.json" : "deps/list.json", join(listing));
    }
    if (commit % 3 == 0) {
      std::string text;
      for (int i = 0; i < 400; ++i) text += fmt::format("line {} {}\n", i, i == commit * 5 ? user_token_line("utf16-" + std::to_string(commit)) : "");
      repo->write("assets/notes.txt", utf16le_with_bom(text));
      const std::string token = fake_user_token("binary-" + std::to_string(commit));
      binary.insert(static_cast<std::size_t>(commit) * 1301 % (binary.size() - 200) + 1, " " + token + " ");
      repo->write("assets/blob.bin", binary);
    }
    repo->commit(fmt::format("version {}", commit));
  }
  repo->git({"repack", "-adf", "--depth=50", "--window=250"});
  return repo;
}

const GitRepo& repository() {
  static const std::unique_ptr<GitRepo> built = build_repository();
  return *built;
}

std::vector<std::string> sorted(const nlohmann::json& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.dump());
  std::sort(out.begin(), out.end());
  return out;
}

std::uint64_t counted(const std::string& err, const std::string& what) {
  std::smatch m;
  if (!std::regex_search(err, m, std::regex("([0-9]+) " + what))) return 0;
  return std::stoull(m[1].str());
}

TEST(DeltaScanCli, ReportEqualsFullScansAndTheDeltaPathIsTaken) {
  const std::string path = repository().path().string();
  for (const bool all_objects : {false, true})
    for (const std::string threads : {"1", "2"}) {
      SCOPED_TRACE(fmt::format("all_objects={} threads={}", all_objects, threads));
      std::vector<std::string> args{"git", path, "--threads", threads, "--fail-on", "low"};
      if (all_objects) args.push_back("--all-objects");
      auto with = [&](const std::string& mode) {
        std::vector<std::string> a = args;
        a.insert(a.end(), {"--delta-scan", mode});
        return git_scan(a);
      };
      const GitScan off = with("off"), on = with("on"), verify = with("verify"), fallback = git_scan(args);
      ASSERT_EQ(off.process.exit_code, 1) << off.process.err;
      EXPECT_EQ(on.process.exit_code, off.process.exit_code) << on.process.err;
      EXPECT_EQ(verify.process.exit_code, off.process.exit_code) << verify.process.err;
      EXPECT_GE(off.findings.size(), 40u);
      EXPECT_EQ(sorted(on.findings), sorted(off.findings));
      EXPECT_EQ(sorted(verify.findings), sorted(off.findings));
      EXPECT_EQ(sorted(fallback.findings), sorted(off.findings));  // on is the default
      // The verify mode says which path blobs took: many by windows, with
      // findings moved from their bases, and no difference from full scans.
      EXPECT_GE(counted(verify.process.err, "blobs scanned by windows"), 20u) << verify.process.err;
      EXPECT_GE(counted(verify.process.err, "findings moved from a base"), 20u) << verify.process.err;
      EXPECT_NE(verify.process.err.find(" 0 differed from a full scan"), std::string::npos) << verify.process.err;
      EXPECT_EQ(off.process.err.find("delta scan:"), std::string::npos);
    }
}

TEST(DeltaScanCli, OptionIsCheckedAndHidden) {
  const std::string path = repository().path().string();
  const GitScan bad = git_scan({"git", path, "--delta-scan", "sometimes"});
  EXPECT_EQ(bad.process.exit_code, 2) << bad.process.err;
  const CliResult help = run_sentryscan({"git", "--help"});
  EXPECT_EQ(help.out.find("--delta-scan"), std::string::npos);
}

}  // namespace
}  // namespace sentryscan::testing
