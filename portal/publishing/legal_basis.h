#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "portal/publishing/catalog.h"

namespace portal::publishing {

// Legal bases (设定依据) as published lists write them, read into title + article(s) +
// optional provision text. Pure functions, safe from any thread; they never refuse: what they
// cannot read is kept as written (LegalBasis::written) with whatever could be recognised.
//
// A cell holds one or many bases, separated by line breaks, "；" ";" "。" (when the next part
// starts a new title, a tag or a "第N条" continuation) or "、" "，" between titles. Each basis
// may carry a leading number ("1." "（二）"), a tag (【法律】), edition notes after the title
// (（2019年修订） （国务院令第X号）), one or several articles (第N条, 第N条第M款第K项,
// 第N条、第M条, 第48条), and the provision after "：" ":" or a space. A basis that starts with
// "第N条" continues the previous basis's law. The labelled form of provincial platforms
// (法律法规名称:…;依据文号:…;条款号:…;条款内容:…) is read field by field.
std::vector<LegalBasis> parseLegalBasisCell(std::string_view cell);

// A law's title in one form, so every item citing one law is found: inside 《》, without
// spaces, edition notes ((2019年修正) inside or after the brackets) or a tag.
// "《中华人民共和国食品安全法（2021年修正）》" -> "《中华人民共和国食品安全法》".
// Empty input gives "".
std::string normaliseLawTitle(std::string_view title);

// The key that matches citations of one law however it is written: the normalised title
// without 《》 and without a leading "中华人民共和国" ("行政处罚法").
std::string lawKey(std::string_view title);

// How the basis is shown: as written when the list wrote it, else 《法》第X条：条文.
std::string basisDisplay(const LegalBasis& basis);

// Whether a line opens with its own list number ("1." "1、" "(1)" "（一）" "一、" "①"), as a
// list's duties and accountability lines often do; blanks before it are no part of it.
bool startsWithListNumber(std::string_view line);

}  // namespace portal::publishing
