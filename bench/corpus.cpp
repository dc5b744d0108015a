#include "corpus.h"

#include <array>
#include <cstdint>
#include <random>
#include <string_view>

namespace sentryscan::bench {
namespace {

// std::mt19937_64's output sequence is fixed by the standard (distributions
// are not), so every machine benchmarks the same bytes.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine_() % n); }
  template <typename Array>
  std::string_view pick(const Array& items) {
    return items[below(items.size())];
  }
  void hex(std::string& out, std::size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < n; ++i) out.push_back(kHex[below(16)]);
  }
  void base64(std::string& out, std::size_t n) {
    static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < n; ++i) out.push_back(kB64[below(64)]);
  }
  std::uint64_t next() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

constexpr std::array<std::string_view, 24> kIdentifiers{
    "request", "response", "config", "handler", "buffer", "options", "context", "result", "value", "index",
    "session", "user", "client", "logger", "items", "payload", "headers", "count", "state",
    "retry", "timeout", "cache", "stream", "enabled"};

// Ordinary lines: no word any rule keys on.
constexpr std::array<std::string_view, 22> kPlainLines{
    "    const auto {a} = {b}.get(\"{c}\");\n",
    "    if ({a} == nullptr || {b}.empty()) return std::nullopt;\n",
    "def {a}(self, {b}, {c}=None):\n",
    "        return self.{a}.{b}({c}, timeout=30)\n",
    "    for (let i = 0; i < {a}.length; i++) {{ {b}.push({a}[i]); }}\n",
    "# TODO({a}): refresh the {b} before the {c} expires\n",
    "import {{ {a}, {b} }} from './{c}';\n",
    "    logger.info(\"sending %d {a} to %s\", len({b}), {c})\n",
    "  \"{a}\": \"{b}\",\n",
    "      {a}: {b} ? {c} : undefined,\n",
    "    }}\n",
    "\n",
    "  }}\n",
    "    return {a};\n",
    "public static final String {a} = \"{b}\";\n",
    "    std::vector<std::string> {a}({b}.begin(), {b}.end());\n",
    "    err := {a}.{b}(ctx, {c})\n",
    "    if err != nil {{ return nil, fmt.Errorf(\"{a}: %w\", err) }}\n",
    "/* Copyright 2024 The {a} Authors. Licensed under the Apache License 2.0. */\n",
    "  - name: {a}\n    image: registry.example.net/{b}:1.2.3\n",
    "SELECT {a}, {b} FROM {c} WHERE id = ?;\n",
    "    self.{a} = {b}.{c}\n",
};

// Lines with the words the rules key on ("http", "auth", "token", "sentry",
// "bearer", "apiKey"): URLs, auth plumbing, Sentry set-up without a secret.
constexpr std::array<std::string_view, 8> kKeywordLines{
    "// {a}: see https://github.com/example/{b}/blob/main/README.md for {c}\n",
    "    {a}.headers['Authorization'] = 'Bearer ' + {b}.{c};\n",
    "    url = \"https://api.example.net/v2/{a}/{b}?page={c}\"\n",
    "    Sentry.init({{ dsn: process.env.SENTRY_DSN, tracesSampleRate: 0.2 }});\n",
    "    self.{a} = os.environ.get(\"SENTRY_AUTH_TOKEN\")\n",
    "    auth_token = get_token(\"{a}\")  # token from the {b} store\n",
    "    <a href=\"http://www.example.org/{a}\">{b}</a>\n",
    "    const apiKey = config.{a}.apiKey || {b};\n",
};
// Expands {a} {b} {c} with identifiers and "{{" "}}" with braces.
void expand(std::string& out, std::string_view line, Random& random) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '{' && i + 1 < line.size() && line[i + 1] == '{') {
      out.push_back('{');
      ++i;
    } else if (line[i] == '}' && i + 1 < line.size() && line[i + 1] == '}') {
      out.push_back('}');
      ++i;
    } else if (line[i] == '{' && i + 2 < line.size() && line[i + 2] == '}') {
      out += random.pick(kIdentifiers);
      i += 2;
    } else {
      out.push_back(line[i]);
    }
  }
}

}  // namespace

std::string typical_source(std::size_t bytes) {
  // One keyword line in 128 gives one rule keyword per ~1.2 KB: four times
  // the rate measured on /usr/include plus the Python standard library (one
  // per 4.7 KB), so the figure errs on the slow side.
  Random random(1);
  std::string out;
  out.reserve(bytes + 256);
  while (out.size() < bytes) {
    const bool keyword = random.below(128) == 0;
    expand(out, keyword ? random.pick(kKeywordLines) : random.pick(kPlainLines), random);
  }
  out.resize(bytes);
  return out;
}

std::string keyword_dense(std::size_t bytes) {
  Random random(6);
  std::string out;
  out.reserve(bytes + 256);
  while (out.size() < bytes) expand(out, random.pick(kKeywordLines), random);
  out.resize(bytes);
  return out;
}

std::string dense_hex(std::size_t bytes) {
  Random random(2);
  std::string out;
  out.reserve(bytes + 512);
  while (out.size() < bytes) {
    switch (random.below(5)) {
      case 0:  // Cargo.lock
        out += "[[package]]\nname = \"";
        out += random.pick(kIdentifiers);
        out += "\"\nversion = \"0.4.17\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"";
        random.hex(out, 64);
        out += "\"\n\n";
        break;
      case 1:  // sha256sum output
        random.hex(out, 64);
        out += "  dist/";
        out += random.pick(kIdentifiers);
        out += ".tar.gz\n";
        break;
      case 2:  // yarn.lock
        out += "  resolved \"https://registry.yarnpkg.com/";
        out += random.pick(kIdentifiers);
        out += "/-/x-1.2.3.tgz#";
        random.hex(out, 40);
        out += "\"\n  integrity sha512-";
        random.base64(out, 86);
        out += "==\n";
        break;
      case 3:  // hex dump of a key store or a firmware image
        for (int i = 0; i < 4; ++i) random.hex(out, 64);
        out += "\n";
        break;
      default:  // go.sum / lock entries keyed by token-ish names
        out += "auth_token_hash = \"";
        random.hex(out, 64);
        out += "\"\napi_key_digest = \"";
        random.hex(out, 32);
        out += "\"\n";
        break;
    }
  }
  out.resize(bytes);
  return out;
}

std::string minified_js(std::size_t bytes) {
  static constexpr std::array<std::string_view, 14> kPieces{
      "function(e,t){var n=e.apply(t,arguments);return n&&n.then?n:Promise.resolve(n)}",
      ";var r=\"https://cdn.example.net/assets/\"+o+\".js\"",
      ",i={auth:null,token:void 0,apiKey:\"\"}",
      ";if(!t.headers)t.headers={};t.headers.Authorization=\"Bearer \"+a",
      ",s=Object.assign({},u,{sentry:{enabled:!0,sampleRate:.25}})",
      ";for(var c=0;c<l.length;c++)l[c]=l[c]^255",
      ",d=\"0123456789abcdef\"",
      ";e.exports=function(e){return e&&e.__esModule?e:{default:e}}",
      ",f=new RegExp(\"^https?://\",\"i\")",
      ";window.__SENTRY_RELEASE__={id:\"",
      "\"}",
      ",p=[1,2,3,4,5,6,7,8,9].map(function(e){return e*2})",
      ";try{localStorage.setItem(\"auth_token\",g)}catch(e){}",
      ",h=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\"",
  };
  Random random(3);
  std::string out;
  out.reserve(bytes + 256);
  while (out.size() < bytes) {
    const std::string_view piece = random.pick(kPieces);
    out += piece;
    if (piece.ends_with("{id:\"")) random.hex(out, 40);  // a release id: 40 hex, like a commit
  }
  out.resize(bytes);
  return out;
}

std::string binary_data(std::size_t bytes) {
  Random random(4);
  std::string out(bytes, '\0');
  for (std::size_t i = 0; i + 8 <= bytes; i += 8) {
    const std::uint64_t word = random.next();
    for (int b = 0; b < 8; ++b) out[i + static_cast<std::size_t>(b)] = static_cast<char>(word >> (8 * b));
  }
  return out;
}

}  // namespace sentryscan::bench

#include "core/base64.h"

namespace sentryscan::bench {

std::string with_planted_credentials(std::string text, std::size_t count) {
  Random random(5);
  std::string out;
  out.reserve(text.size() + count * 300);
  const std::size_t stride = count ? text.size() / count : text.size();
  std::size_t copied = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t at = text.find('\n', std::max(copied, i * stride));
    if (at == std::string::npos) break;
    out.append(text, copied, at + 1 - copied);
    copied = at + 1;
    switch (i % 4) {
      case 0: {
        std::string raw;
        for (int b = 0; b < 32; ++b) raw.push_back(static_cast<char>(random.below(256)));
        std::string secret = base64_encode(raw);
        secret.pop_back();
        secret.back() = 'A';  // a 32-byte secret's last base64 digit carries 2 zero bits
        out += "SENTRY_AUTH_TOKEN=sntrys_" +
               base64_encode(R"({"iat":1714521600.0,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"bench"})") +
               "_" + secret + "\n";
        break;
      }
      case 1:
        out += "token = \"sntryu_";
        random.hex(out, 64);
        out += "\"\n";
        break;
      case 2:
        out += "dsn: \"https://";
        random.hex(out, 32);
        out += "@o4500000000000000.ingest.us.sentry.io/4500000000000001\"\n";
        break;
      default:
        out += "export SENTRY_AUTH_TOKEN=";
        random.hex(out, 64);
        out += "\n";
        break;
    }
  }
  out.append(text, copied);
  return out;
}

}  // namespace sentryscan::bench
