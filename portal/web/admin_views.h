#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "portal/accounts/account.h"
#include "portal/publishing/catalog.h"
#include "portal/publishing/item_fields.h"
#include "portal/web/handlers.h"

namespace portal::web {

// Shared by the staff pages: admin_pages.cpp defines the first three, draft_pages.cpp the rest.

using Form = std::vector<std::pair<std::string, std::string>>;

nlohmann::json staffJson(const accounts::Principal& p);
// A staff page: the template `name` with the layout, the staff bar (when `p`) and `view`.
Response renderAdmin(Context& ctx, const Request& req, const std::string& name,
                     const std::string& title, nlohmann::json view, const accounts::Principal* p,
                     int status = 200);
// The item form's fields as the item they describe: publishing::itemFromForm (item_fields.h).
using publishing::itemFromForm;
// The item form's view model; `change_kind` is the selected kind's code.
nlohmann::json formJson(const publishing::ListItem& item, const std::string& change_kind);

// Adds the admin home's "我的草稿" (my_drafts) and, for reviewers, "待审核" (review_queue).
void addDraftLists(Context& ctx, const accounts::Principal& p, nlohmann::json& view);

}  // namespace portal::web
