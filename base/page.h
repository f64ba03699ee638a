#pragma once

#include <cstdint>
#include <vector>

namespace base {

// One page of a longer list: the rows shown, how many there are in all, and where this page is.
template <typename T>
struct Page {
  std::vector<T> rows;
  std::int64_t total = 0;
  int page = 1;  // 1-based
  int page_size = 50;
  int pageCount() const {
    return total == 0 ? 1 : static_cast<int>((total + page_size - 1) / page_size);
  }
};

}  // namespace base
