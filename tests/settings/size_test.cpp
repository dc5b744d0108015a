// parse_size: what --max-file-size and `max_file_size` accept. Units are
// binary multiples (1k = 1024 bytes).
#include <gtest/gtest.h>

#include "settings/config_file.h"
#include "settings/size.h"

namespace sentryscan {
namespace {

TEST(ParseSize, PlainBytes) {
  EXPECT_EQ(parse_size("1024"), 1024u);
  EXPECT_EQ(parse_size("1"), 1u);
  EXPECT_EQ(parse_size("100b"), 100u);
  EXPECT_EQ(parse_size("100B"), 100u);
}

TEST(ParseSize, BinaryUnitsInEverySpelling) {
  for (const auto* s : {"512k", "512K", "512KB", "512kb", "512KiB", "512kib"}) EXPECT_EQ(parse_size(s), 512u * 1024) << s;
  for (const auto* s : {"10M", "10m", "10MB", "10MiB"}) EXPECT_EQ(parse_size(s), 10u * 1024 * 1024) << s;
  for (const auto* s : {"1G", "1GB", "1GiB", "1g"}) EXPECT_EQ(parse_size(s), 1024u * 1024 * 1024) << s;
  EXPECT_EQ(parse_size("2TiB"), 2ull << 40);
  EXPECT_EQ(parse_size("50MiB"), 50ull * 1024 * 1024);
}

TEST(ParseSize, WhitespaceIsTolerated) {
  EXPECT_EQ(parse_size("  50MiB "), 50ull << 20);
  EXPECT_EQ(parse_size("50 MiB"), 50ull << 20);
  EXPECT_EQ(parse_size("\t4096\n"), 4096u);
}

TEST(ParseSize, ZeroIsRefused) {
  // A zero limit would skip every file: a scan that looks at nothing.
  EXPECT_EQ(parse_size("0"), std::nullopt);
  EXPECT_EQ(parse_size("0MiB"), std::nullopt);
}

TEST(ParseSize, JunkIsRefused) {
  for (const auto* s : {"", " ", "MiB", "-1", "+5", "1.5M", "10 M B", "10MiBs", "10Mi", "10X", "1e6", "0x10", "5 5",
                        "10MiB!", "ten"})
    EXPECT_EQ(parse_size(s), std::nullopt) << s;
}

TEST(ParseSize, OverflowIsRefused) {
  EXPECT_EQ(parse_size("18446744073709551615"), 18446744073709551615ull);
  EXPECT_EQ(parse_size("18446744073709551616"), std::nullopt);
  EXPECT_EQ(parse_size("99999999999999999999999"), std::nullopt);
  EXPECT_EQ(parse_size("16777216TiB"), std::nullopt);  // 2^24 * 2^40 = 2^64
  EXPECT_EQ(parse_size("16777215TiB"), 16777215ull << 40);
}

}  // namespace
}  // namespace sentryscan
