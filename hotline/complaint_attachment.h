#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

// Attachment metadata: evidence a complainant says they hold (photos, recordings, documents),
// described so the handler can ask for it. The portal accepts no uploads: no file is received or
// stored, only these descriptions (table complaint_attachments, written with the complaint).

// At most this many per complaint; the public form offers this many rows.
inline constexpr std::size_t kMaxAttachments = 5;
// Limits in characters (Unicode code points), not bytes.
inline constexpr std::size_t kMaxAttachmentNameChars = 100;
inline constexpr std::size_t kMaxAttachmentDescriptionChars = 200;

enum class AttachmentKind { Photo, Video, Audio, Document, Other };

inline const std::vector<AttachmentKind>& allAttachmentKinds() {
  static const std::vector<AttachmentKind> kinds = {AttachmentKind::Photo, AttachmentKind::Video,
                                                    AttachmentKind::Audio, AttachmentKind::Document,
                                                    AttachmentKind::Other};
  return kinds;
}

// photo video audio document other: what the table, forms and Open311 use.
inline std::string_view attachmentKindCode(AttachmentKind kind) {
  switch (kind) {
    case AttachmentKind::Photo:
      return "photo";
    case AttachmentKind::Video:
      return "video";
    case AttachmentKind::Audio:
      return "audio";
    case AttachmentKind::Document:
      return "document";
    case AttachmentKind::Other:
      return "other";
  }
  return "other";
}

// 照片 视频 录音 文档 其他
inline std::string_view attachmentKindName(AttachmentKind kind) {
  switch (kind) {
    case AttachmentKind::Photo:
      return "照片";
    case AttachmentKind::Video:
      return "视频";
    case AttachmentKind::Audio:
      return "录音";
    case AttachmentKind::Document:
      return "文档";
    case AttachmentKind::Other:
      return "其他";
  }
  return "其他";
}

// Accepts the code ("photo") or the Chinese name ("照片"), so an API client may send either.
inline std::optional<AttachmentKind> parseAttachmentKind(std::string_view text) {
  for (AttachmentKind k : allAttachmentKinds()) {
    if (text == attachmentKindCode(k) || text == attachmentKindName(k)) return k;
  }
  return std::nullopt;
}

// One entry as a person typed it, before validation (see ComplaintService::submit). An entry
// whose file name and description are both blank is an unused form row and is ignored.
struct AttachmentEntry {
  std::string file_name;
  std::string kind;  // a code or a Chinese name, see parseAttachmentKind()
  std::string description;
};

// One validated entry, as stored: file_name non-empty, both texts trimmed and within limits.
struct ComplaintAttachment {
  AttachmentKind kind = AttachmentKind::Other;
  std::string file_name;
  std::string description;  // "" when none given
};

}  // namespace hotline
