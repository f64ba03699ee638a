#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/complaint.h"

namespace hotline {

// Evidence files a complainant attaches: photos (JPEG, PNG, HEIC from phones) and PDF
// documents. Each is checked by what its bytes are, never by its name; images are decoded and
// re-encoded (libvips), which drops EXIF, GPS, XMP and every other metadata block and applies
// the EXIF orientation first; PDFs are checked by magic bytes and structure and kept as sent.
// Stored in MariaDB with the complaint (table complaint_evidence_files), shown to staff only.

// What the form says before anyone chooses a file. Change these and the text follows.
inline constexpr std::size_t kMaxEvidenceFiles = 5;
inline constexpr std::size_t kMaxEvidenceFileBytes = 10u * 1024 * 1024;  // "10MB" each
inline constexpr std::size_t kMaxEvidenceNameChars = 100;
// Header dimensions are checked before anything is decoded: a "bomb" (a few KB declaring
// 60,000 x 60,000 pixels) is refused without allocating its pixels. 50 million pixels holds
// every phone camera's full resolution (48 MP included).
inline constexpr std::int64_t kMaxEvidencePixels = 50'000'000;
// Stored images are at most this many pixels on their long side (a 12 MP phone photo,
// 4032 x 3024, is kept as it is); larger ones are scaled down while re-encoding.
inline constexpr int kMaxEvidenceEdge = 4096;
// After re-encoding; a stored row stays below MariaDB's default max_allowed_packet (16 MiB).
inline constexpr std::size_t kMaxStoredEvidenceBytes = 12u * 1024 * 1024;

enum class EvidenceType { Jpeg, Png, Heic, Pdf };

// "jpeg" "png" "heic" "pdf"
std::string_view evidenceTypeCode(EvidenceType type);

// One file as it came in the form, unchecked.
struct EvidenceUpload {
  std::string file_name;  // as the browser sent it
  std::string content;
};

// One checked file, ready to store (content re-encoded for images).
struct EvidenceFile {
  int ordinal = 0;                // 1-5, in the order chosen
  std::string original_name;      // trimmed, valid UTF-8, no path, <= kMaxEvidenceNameChars
  EvidenceType original_type = EvidenceType::Jpeg;
  std::string media_type;         // of `content`: image/jpeg, image/png, application/pdf
  std::string content;
  int width = 0;                  // images, as stored
  int height = 0;
  std::string digest;             // hex BLAKE2b of the bytes received (intake fingerprint)
};

// What staff see of a stored file without its bytes.
struct EvidenceInfo {
  int ordinal = 0;
  std::string original_name;
  EvidenceType original_type = EvidenceType::Jpeg;
  std::string media_type;
  std::int64_t byte_size = 0;
  int width = 0;
  int height = 0;
};

// The stored bytes, for the staff download.
struct EvidenceContent {
  EvidenceInfo info;
  std::string registration_no;
  std::string content;
};

// The type the bytes are, by their magic numbers; false when none of the accepted ones.
bool sniffEvidenceType(std::string_view bytes, EvidenceType* type);

// Checks and prepares every upload (uploads with an empty name and no bytes are unused inputs
// and skipped). Problems are appended to `errors` under the field "evidence", one Chinese
// message per problem naming the file; when any is found the result must not be stored.
// CPU-heavy (decoding): call it before borrowing a database connection. Thread safe; each
// decode runs on the calling thread with bounded memory (see the limits above).
std::vector<EvidenceFile> prepareEvidence(const std::vector<EvidenceUpload>& uploads,
                                          std::vector<FieldError>& errors);

// The text the forms show before upload, built from the limits above.
std::string evidenceLimitsText();

}  // namespace hotline
