#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hotline/registration_number.h"

namespace portal::web {

// A page of this site that a search names, shown above the results (您可能要找).
struct SearchShortcut {
  std::string label;  // what the link says, in Chinese
  std::string url;    // a path of this site
};

// The pages a citizen names when typing into the search box the name of a service rather
// than the words of an item: 执法证查询, 投诉进度, 举报电话, 处罚决定, 权责清单… (people type
// a portal's services into its search box as often as they follow its menus). A query made
// only of such words (and fillers such as 查询, 怎么, 在哪里) gets their pages, the most
// specific first; a query with any other word gets none, so 饭店油烟扰民的投诉 stays a search.
// A query that has the shape of a registration number (`numbers`) gets the tracking page with
// it filled in; one with the shape of a certificate number, the certificate check with it.
// Pure; thread safe.
std::vector<SearchShortcut> searchShortcuts(std::string_view query,
                                            const hotline::RegistrationNumberFormat& numbers);

}  // namespace portal::web
