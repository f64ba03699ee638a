#include "search/detail/utf8.h"

namespace search::detail {

bool isCjk(char32_t p) {
  if (p < 0x2E80) return false;
  return (p >= 0x2E80 && p <= 0x2EFF) || (p >= 0x3000 && p <= 0x9FFF) ||
         (p >= 0xA700 && p <= 0xA71F) || (p >= 0xAC00 && p <= 0xD7AF) ||
         (p >= 0xF900 && p <= 0xFAFF) || (p >= 0xFE30 && p <= 0xFE4F) ||
         (p >= 0xFF00 && p <= 0xFFEF) || (p >= 0x20000 && p <= 0x2A6DF) ||
         (p >= 0x2F800 && p <= 0x2FA1F);
}

}  // namespace search::detail
