#include <gtest/gtest.h>

#include "report/report.h"

namespace sentryscan {
namespace {

TEST(ReportFormatName, ParsesEveryDocumentedFormatAndNothingElse) {
  EXPECT_EQ(parse_report_format("text"), ReportFormat::text);
  EXPECT_EQ(parse_report_format("json"), ReportFormat::json);
  EXPECT_EQ(parse_report_format("jsonl"), ReportFormat::jsonl);
  EXPECT_EQ(parse_report_format("sarif"), ReportFormat::sarif);
  EXPECT_EQ(parse_report_format("github"), ReportFormat::github);
  EXPECT_EQ(parse_report_format("JSON"), std::nullopt);
  EXPECT_EQ(parse_report_format(""), std::nullopt);
  EXPECT_EQ(parse_report_format("csv"), std::nullopt);
}

}  // namespace
}  // namespace sentryscan
