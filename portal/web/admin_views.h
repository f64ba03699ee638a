#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "portal/accounts/account.h"
#include "portal/publishing/catalog.h"
#include "portal/web/handlers.h"

namespace portal::web {

// Shared by the staff pages: admin_pages.cpp defines the first four, draft_pages.cpp the rest.

using Form = std::vector<std::pair<std::string, std::string>>;

nlohmann::json staffJson(const accounts::Principal& p);
// A staff page: the template `name` with the layout, the staff bar (when `p`) and `view`.
Response renderAdmin(Context& ctx, const Request& req, const std::string& name,
                     const std::string& title, nlohmann::json view, const accounts::Principal* p,
                     int status = 200);
// The item form's fields as the item they describe (code only for a new item). `shown`: the
// version the form was filled from (its legal bases are kept where the person left them as
// shown, see parseLegalBases); nullptr for a blank form.
publishing::ListItem itemFromForm(const Form& form, const publishing::ListItem* shown = nullptr);
// The item form's view model; `change_kind` is the selected kind's code.
nlohmann::json formJson(const publishing::ListItem& item, const std::string& change_kind);

// True when an item form's submission must become a draft instead of a public version: the
// editor pressed "保存草稿" (op=draft), or the department requires the legal office's review.
bool formGoesToDraft(Context& ctx, const Form& form, const publishing::Department& d);
// Saves the item form as a new draft of `d`, and submits it for review unless "保存草稿" was
// pressed; base_version nullopt for a new item. Redirects to the draft, or re-renders the item
// form (posting to `form_action`) with the problems. The caller has checked login, CSRF and
// that `p` may edit the department.
Response saveFormAsDraft(Context& ctx, const Request& req, const accounts::Principal& p,
                         const publishing::Department& d, publishing::ListItem item,
                         std::optional<int> base_version, const Form& form,
                         const std::string& form_action);
// Adds the admin home's "我的草稿" (my_drafts) and, for reviewers, "待审核" (review_queue).
void addDraftLists(Context& ctx, const accounts::Principal& p, nlohmann::json& view);

}  // namespace portal::web
