// What decoding costs on text that holds nothing encoded (project issue 7:
// "stays fast on plain text"). One thread, ~50 MiB per input shape, three
// ways: the matcher alone, Scanner::scan with decoding and archives off
// (--max-decode-depth 0 --max-archive-depth 0), and with the defaults.
// bytes_per_second is per CPU second of the one thread, i.e. per core.
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DSENTRYSCAN_BUILD_BENCH=ON
//   ninja -C build-bench sentryscan_decode_bench
//   build-bench/bench/sentryscan_decode_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "corpus.h"
#include "scan/scanner.h"
#include "match/matcher.h"
#include "rules/rule_loader.h"

namespace {

using sentryscan::Matcher;
using sentryscan::Scanner;
using sentryscan::ScanLimits;

// SENTRYSCAN_BENCH_MIB makes the inputs smaller, e.g. 4 for instruction
// counts under `valgrind --tool=callgrind --toggle-collect='*::run(*'`.
std::size_t corpus_bytes() {
  const char* mib = std::getenv("SENTRYSCAN_BENCH_MIB");
  return (mib ? std::strtoull(mib, nullptr, 10) : 50u) << 20;
}

enum class Mode { matcher_only, decoding_off, decoding_on };

ScanLimits settings_for(Mode mode) {
  ScanLimits settings;
  settings.threads = 1;
  settings.max_file_size = 1ull << 40;
  if (mode == Mode::decoding_off) settings.max_decode_depth = 0, settings.max_archive_depth = 0;
  return settings;
}

// Scans `text` in pieces of `piece` bytes (0: one buffer), as files of that size.
void run(benchmark::State& state, const Matcher& matcher, const std::string& text, const std::string& path,
         std::size_t piece, Mode mode) {
  const Scanner context(matcher, settings_for(mode));
  Matcher::Scratch scratch = matcher.make_scratch();
  sentryscan::Chunk chunk;
  chunk.provenance.path = path;
  const std::size_t step = piece ? piece : text.size();
  std::size_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (std::size_t offset = 0; offset < text.size(); offset += step) {
      const std::string_view part = std::string_view(text).substr(offset, step);
      if (mode == Mode::matcher_only) {
        const auto matches = matcher.find(part, sentryscan::MatchContext{path}, scratch);
        found += matches.size();
      } else {
        chunk.data = part;
        found += context.scan(0, chunk).findings.size();
      }
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["findings"] = static_cast<double>(found);
}

// Issue 12's layers on content that holds nothing to find. Source text as
// UTF-16LE without a byte order mark (a PowerShell/.NET dump): scanned as
// bytes, then as the transcoded text.
std::string utf16le_without_bom(const std::string& text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (char c : text) out += {c, '\0'};
  return out;
}

// Kubernetes Secrets and ConfigMaps: base64 values of hex digests and of
// short texts under names that are not Sentry's (each is decoded and matched
// in place), OpenSSH keys (zero groups, then a key: not decoded).
std::string k8s_manifests(std::size_t bytes) {
  std::mt19937_64 random(12);
  auto hex = [&random](std::size_t n) {
    std::string out;
    while (out.size() < n) out += fmt::format("{:016x}", random());
    return out.substr(0, n);
  };
  auto base64 = [](const std::string& in) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < in.size(); i += 3) {
      const std::uint32_t v = (static_cast<unsigned char>(in[i]) << 16) |
                              (i + 1 < in.size() ? static_cast<unsigned char>(in[i + 1]) << 8 : 0) |
                              (i + 2 < in.size() ? static_cast<unsigned char>(in[i + 2]) : 0);
      out += kAlphabet[v >> 18];
      out += kAlphabet[(v >> 12) & 63];
      out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
      out += i + 2 < in.size() ? kAlphabet[v & 63] : '=';
    }
    return out;
  };
  std::string out;
  for (std::size_t n = 0; out.size() < bytes; ++n) {
    std::string key(std::string("\0\0\0\x07ssh-rsa\0\0\0\x03\x01\0\x01\0\0\x01\x01\0", 23));
    key += hex(256);
    out += fmt::format(
        "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: service-{}\ntype: Opaque\ndata:\n"
        "  API_TOKEN: {}\n  DIGEST: {}\n  DATABASE_URL: {}\n  id_rsa.pub: {}\n",
        n, base64(hex(64)), base64(hex(40) + "\n"), base64(fmt::format("postgres://app@db-{}.internal:5432/app", n)),
        base64(key));
  }
  out.resize(bytes);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  static const Matcher matcher(sentryscan::default_rules());
  using namespace sentryscan::bench;
  const std::size_t kCorpusBytes = corpus_bytes();
  struct Input {
    std::string name, path, text;
  };
  static std::vector<Input> inputs;
  inputs.push_back({"typical_source", "src/app/handler.py", typical_source(kCorpusBytes)});
  inputs.push_back({"minified_js_line", "public/app.min.js", minified_js(kCorpusBytes)});
  // Sentry named every few lines: the joined-literals layer (issue 12) lexes all of it.
  inputs.push_back({"keyword_dense", "src/app/sentry_setup.py", keyword_dense(kCorpusBytes)});
  inputs.push_back({"dense_hex", "vendor/checksums.txt", dense_hex(kCorpusBytes)});
  inputs.push_back({"binary", "assets/blob.bin", binary_data(kCorpusBytes)});
  inputs.push_back({"utf16le_source", "dumps/env.txt", utf16le_without_bom(typical_source(kCorpusBytes / 2))});
  inputs.push_back({"k8s_manifests", "deploy/secrets.yaml", k8s_manifests(kCorpusBytes)});

  const std::pair<Mode, const char*> modes[] = {
      {Mode::matcher_only, "matcher_only"}, {Mode::decoding_off, "decoding_off"}, {Mode::decoding_on, "decoding_on"}};
  for (const Input& input : inputs) {
    for (std::size_t piece : {std::size_t{0}, std::size_t{16} << 10}) {
      for (const auto& [mode, mode_name] : modes) {
        const std::string name =
            fmt::format("decode/{}/{}/{}", input.name, piece ? "16KiB_files" : "50MiB_buffer", mode_name);
        benchmark::RegisterBenchmark(name.c_str(), [&input, piece, mode = mode](benchmark::State& state) {
          run(state, matcher, input.text, input.path, piece, mode);
        })->Unit(benchmark::kMillisecond);
      }
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
