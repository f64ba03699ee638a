#include "portal/web/search_shortcuts.h"

#include <algorithm>
#include <array>

#include "base/percent_encoding.h"
#include "base/utf8.h"
#include "portal/disclosure/certificate.h"

namespace portal::web {
namespace {

enum class Page { Certificate, Track, Complain, Channels, Decisions, Disclosures, Statistics,
                  Lists, Changes, None };

// Most specific first: the order shortcuts are shown in.
constexpr std::array<Page, 9> kOrder = {Page::Certificate, Page::Track,     Page::Channels,
                                        Page::Decisions,   Page::Statistics, Page::Changes,
                                        Page::Lists,       Page::Disclosures, Page::Complain};

SearchShortcut shortcutOf(Page page) {
  switch (page) {
    case Page::Certificate: return {"查询执法证件是否有效", "/certificates/check"};
    case Page::Track: return {"查询投诉举报的办理进度", "/track"};
    case Page::Complain: return {"在线投诉举报", "/complaints/new"};
    case Page::Channels: return {"各部门投诉举报电话、信箱和地址", "/complaint-channels"};
    case Page::Decisions: return {"行政处罚决定公示", "/decisions"};
    case Page::Disclosures: return {"行政执法公示", "/disclosures"};
    case Page::Statistics: return {"行政执法统计", "/enforcement/statistics"};
    case Page::Lists: return {"各部门权力清单和责任清单", "/#departments"};
    case Page::Changes: return {"清单变更记录", "/changes"};
    case Page::None: break;
  }
  return {};
}

struct Cue {
  std::string_view word;
  Page page;  // None: a filler, allowed around the cues but naming nothing
};

// The words people type for the site's services (the wording of the site's own menus and of
// other portals' service names), and the fillers of a question about them. Matched longest
// first, so 处罚结果 is the decisions and 结果 alone the tracking page.
constexpr Cue kCues[] = {
    {"执法证件", Page::Certificate}, {"执法证号", Page::Certificate},
    {"执法证", Page::Certificate},   {"执法资格", Page::Certificate},
    {"执法人员", Page::Certificate}, {"证件号", Page::Certificate},
    {"证件", Page::Certificate},     {"工作证", Page::Certificate},
    {"办理进度", Page::Track},       {"处理进度", Page::Track},
    {"进度", Page::Track},           {"办理结果", Page::Track},
    {"处理结果", Page::Track},       {"结果", Page::Track},
    {"查询码", Page::Track},         {"登记编号", Page::Track},
    {"受理编号", Page::Track},       {"编号", Page::Track},
    {"回复", Page::Track},           {"答复", Page::Track},
    {"反馈", Page::Track},           {"跟踪", Page::Track},
    {"投诉举报", Page::Complain},    {"投诉", Page::Complain},
    {"匿名", Page::Complain},
    {"举报", Page::Complain},        {"检举", Page::Complain},
    {"控告", Page::Complain},        {"反映问题", Page::Complain},
    {"联系电话", Page::Channels},    {"联系方式", Page::Channels},
    {"电话", Page::Channels},        {"热线", Page::Channels},
    {"信箱", Page::Channels},        {"邮箱", Page::Channels},
    {"地址", Page::Channels},        {"12345", Page::Channels},
    // The national hotlines of single departments (12315 市场监管, 12369 生态环境, 12333 人社,
    // 12328 交通运输, 12319 城市管理, 12350 安全生产), now answered through 12345: whoever types
    // one wants that department's channel. data/synonyms.tsv widens the search to its items.
    {"12315", Page::Channels},       {"12369", Page::Channels},
    {"12333", Page::Channels},       {"12328", Page::Channels},
    {"12319", Page::Channels},       {"12350", Page::Channels},
    {"行政处罚决定书", Page::Decisions}, {"行政处罚决定", Page::Decisions},
    {"处罚决定书", Page::Decisions}, {"处罚决定", Page::Decisions},
    {"处罚结果", Page::Decisions},   {"处罚信息", Page::Decisions},
    {"处罚公示", Page::Decisions},   {"决定书", Page::Decisions},
    {"双公示", Page::Decisions},     {"行政执法公示", Page::Disclosures},
    {"执法公示", Page::Disclosures}, {"公示", Page::Disclosures},
    {"执法统计", Page::Statistics},  {"统计", Page::Statistics},
    {"权力清单", Page::Lists},       {"责任清单", Page::Lists},
    {"权责清单", Page::Lists},       {"清单", Page::Lists},
    {"清单变更", Page::Changes},     {"变更记录", Page::Changes},
    {"变更", Page::Changes},
    {"查询", Page::None}, {"查看", Page::None}, {"查", Page::None},   {"怎么", Page::None},
    {"怎样", Page::None}, {"如何", Page::None}, {"在哪里", Page::None}, {"在哪", Page::None},
    {"哪里", Page::None}, {"哪儿", Page::None}, {"网上", Page::None}, {"在线", Page::None},
    {"网站", Page::None}, {"入口", Page::None}, {"系统", Page::None}, {"平台", Page::None},
    {"办理", Page::None}, {"请问", Page::None}, {"我要", Page::None}, {"我想", Page::None},
    {"想", Page::None},   {"要", Page::None},   {"的", Page::None},   {"吗", Page::None},
    {"呢", Page::None},   {"了", Page::None},   {"一下", Page::None}, {"方式", Page::None},
    {"渠道", Page::None}, {"号码", Page::None}, {"我", Page::None},   {"可以", Page::None},
    {"是否", Page::None}, {"有效", Page::None}, {"真假", Page::None}, {"真伪", Page::None},
    {"验证", Page::None}, {"核实", Page::None}, {"信息", Page::None}, {"公开", Page::None},
    {"行政", Page::None}, {"部门", Page::None}, {"新区", Page::None}, {"去", Page::None},
    {"记录", Page::None}, {"情况", Page::None}, {"拨打", Page::None}, {"打", Page::None},
    {"多久", Page::None}, {"多长时间", Page::None}, {"几天", Page::None}, {"什么时候", Page::None},
    {"能", Page::None},   {"会", Page::None},   {"有", Page::None},   {"是多少", Page::None},
    {"多少", Page::None}, {"是什么", Page::None},
};

// Spaces and the punctuation of a typed question carry no word.
bool isSeparator(char32_t cp) {
  if (base::isBlank(cp)) return true;
  static constexpr std::u32string_view kMarks = U"?？!！,，.。、:：;；\"“”'‘’()（）-—_/";
  return kMarks.find(cp) != std::u32string_view::npos;
}

// The query without separators, full-width ASCII as ASCII.
std::string compact(std::string_view query) {
  std::string out;
  std::size_t i = 0;
  while (i < query.size()) {
    std::size_t next = i;
    char32_t cp = base::decodeUtf8(query, next);
    if (cp == base::kInvalidCodePoint) return "";
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    if (!isSeparator(cp)) base::appendUtf8(out, cp);
    i = next;
  }
  return out;
}

// The pages the query's cues name, or none when some of it is not a cue or a filler.
std::vector<Page> pagesNamedBy(std::string_view text) {
  std::vector<Page> named;
  std::size_t at = 0;
  while (at < text.size()) {
    const Cue* best = nullptr;
    for (const Cue& cue : kCues) {
      if (text.substr(at, cue.word.size()) == cue.word &&
          (!best || cue.word.size() > best->word.size())) {
        best = &cue;
      }
    }
    if (!best) return {};
    if (best->page != Page::None) named.push_back(best->page);
    at += best->word.size();
  }
  // 投诉进度, 举报电话: the complaint word says whose progress or telephone, not "file one".
  const auto has = [&named](Page p) { return std::find(named.begin(), named.end(), p) != named.end(); };
  if (has(Page::Track) || has(Page::Channels)) {
    named.erase(std::remove(named.begin(), named.end(), Page::Complain), named.end());
  }
  return named;
}

}  // namespace

std::vector<SearchShortcut> searchShortcuts(std::string_view query,
                                            const hotline::RegistrationNumberFormat& numbers) {
  std::vector<SearchShortcut> out;
  const std::string registration_no = hotline::normalizeRegistrationNo(query, numbers);
  if (!registration_no.empty() && numbers.matches(registration_no)) {
    out.push_back({"查询投诉举报 " + registration_no + " 的办理进度",
                   "/track?no=" + base::percentEncode(registration_no)});
    return out;
  }
  const std::string certificate_no = disclosure::normaliseCertificateNumber(query);
  // Eight or nine bare digits are likelier a date or an item's number than a certificate.
  const bool bare_short = certificate_no.size() < 10 &&
                          certificate_no.find_first_not_of("0123456789") == std::string::npos;
  if (!certificate_no.empty() && !bare_short &&
      !disclosure::certificateShapeProblem(certificate_no)) {
    out.push_back({"查询执法证件 " + certificate_no + " 是否有效",
                   "/certificates/check?number=" + base::percentEncode(certificate_no)});
    return out;
  }
  const std::vector<Page> named = pagesNamedBy(compact(query));
  for (Page page : kOrder) {
    if (std::find(named.begin(), named.end(), page) != named.end()) {
      out.push_back(shortcutOf(page));
    }
  }
  // Whoever asks how to complain may want the telephone as much as the form.
  if (out.size() == 1 && out[0].url == "/complaints/new") out.push_back(shortcutOf(Page::Channels));
  return out;
}

}  // namespace portal::web
