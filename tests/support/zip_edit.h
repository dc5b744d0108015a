// Edits of a zip made by make_zip (support/archive.h) that libarchive's
// writer cannot do itself: the comments `zip -z` and `zip -c` add.
#pragma once

#include <string>

namespace sentryscan::testing {

// The same zip (without a comment yet) with an archive comment, as `zip -z` writes it.
std::string with_zip_archive_comment(std::string zip, const std::string& comment);

// The same one-entry zip with an entry comment, as `zip -c` writes it: at the
// end of the entry's central directory header, just before the EOCD record.
std::string with_zip_entry_comment(std::string zip, const std::string& comment);

}  // namespace sentryscan::testing
