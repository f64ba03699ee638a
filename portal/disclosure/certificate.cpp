#include "portal/disclosure/certificate.h"

#include <array>

#include "base/utf8.h"

namespace portal::disclosure {

namespace {

// The one-character abbreviations of the provinces, autonomous regions, municipalities and
// special administrative regions, as printed before a certificate number.
constexpr std::array<std::string_view, 34> kProvinceAbbreviations = {
    "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁",
    "新", "苏", "浙", "赣", "鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽",
    "贵", "粤", "青", "藏", "川", "宁", "琼", "港", "澳", "台"};

// A raw number longer than this is refused without looking further.
constexpr std::size_t kMaxRawBytes = 64;
constexpr std::size_t kMinBodyLength = 8;
constexpr std::size_t kMaxBodyLength = 20;
constexpr std::size_t kMinDigits = 6;

}  // namespace

std::string normaliseCertificateNumber(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  const auto upper = [](char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  };
  for (std::size_t i = 0; i < raw.size();) {
    const std::size_t at = i;
    const char32_t cp = base::decodeUtf8(raw, i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
      // U+FF01..U+FF5E are the full-width forms of U+0021..U+007E.
      out += upper(static_cast<char>(cp - 0xFF01 + 0x21));
    } else if (cp == 0x3000) {
      out += ' ';
    } else {
      for (std::size_t k = at; k < i; ++k) out += upper(raw[k]);
    }
  }
  return base::trim(out);
}

std::optional<std::string> certificateShapeProblem(std::string_view number) {
  if (number.empty()) return "请输入执法证号。";
  if (number.size() > kMaxRawBytes) return "执法证号过长，请核对后重新输入。";
  std::string_view body = number;
  const auto lead = static_cast<unsigned char>(number[0]);
  if (lead >= 0x80) {
    const std::size_t n = base::utf8SequenceLength(lead);
    const std::string_view first = number.substr(0, n);
    bool province = false;
    for (const auto& p : kProvinceAbbreviations) province = province || p == first;
    if (!province) {
      return "执法证号开头只能是省份简称（如“吉”）或数字、字母，请核对后重新输入。";
    }
    body = number.substr(n);
  }
  std::size_t digits = 0;
  for (const char ch : body) {
    const bool digit = ch >= '0' && ch <= '9';
    const bool capital = ch >= 'A' && ch <= 'Z';
    if (!digit && !capital) {
      return "执法证号除开头的省份简称外，只能由数字和英文字母组成（不含空格、横线等符号）。";
    }
    if (digit) ++digits;
  }
  if (body.size() < kMinBodyLength || body.size() > kMaxBodyLength) {
    return "执法证号除省份简称外应为8至20位数字或字母，您输入的是" + std::to_string(body.size()) +
           "位。";
  }
  if (digits < kMinDigits) return "执法证号中至少应有6位数字，请核对后重新输入。";
  return std::nullopt;
}

hotline::CivilDate addYears(const hotline::CivilDate& date, int years) {
  const int year = date.year() + years;
  if (auto same = hotline::CivilDate::fromYmd(year, date.month(), date.day())) return *same;
  return *hotline::CivilDate::fromYmd(year, date.month(), 28);  // 29 February, common year
}

hotline::CivilDate validThrough(const hotline::CivilDate& issued_on,
                                const std::optional<hotline::CivilDate>& last_inspected_on) {
  return addYears(last_inspected_on.value_or(issued_on), kInspectionYears);
}

const char* certificateStateCode(CertificateState state) {
  switch (state) {
    case CertificateState::Active:
      return "active";
    case CertificateState::Replaced:
      return "replaced";
    case CertificateState::Revoked:
      return "revoked";
  }
  return "active";
}

std::optional<CertificateState> parseCertificateState(std::string_view code) {
  for (auto s : {CertificateState::Active, CertificateState::Replaced, CertificateState::Revoked}) {
    if (code == certificateStateCode(s)) return s;
  }
  return std::nullopt;
}

const char* standingCode(CertificateStanding standing) {
  switch (standing) {
    case CertificateStanding::Valid:
      return "valid";
    case CertificateStanding::ExpiringSoon:
      return "expiring";
    case CertificateStanding::Expired:
      return "expired";
    case CertificateStanding::Replaced:
      return "replaced";
    case CertificateStanding::Revoked:
      return "revoked";
  }
  return "valid";
}

std::optional<CertificateStanding> parseStanding(std::string_view code) {
  for (auto s :
       {CertificateStanding::Valid, CertificateStanding::ExpiringSoon, CertificateStanding::Expired,
        CertificateStanding::Replaced, CertificateStanding::Revoked}) {
    if (code == standingCode(s)) return s;
  }
  return std::nullopt;
}

const char* standingLabel(CertificateStanding standing) {
  switch (standing) {
    case CertificateStanding::Valid:
      return "有效";
    case CertificateStanding::ExpiringSoon:
      return "有效（即将到期，需检验）";
    case CertificateStanding::Expired:
      return "已过期（未按期检验）";
    case CertificateStanding::Replaced:
      return "已换发";
    case CertificateStanding::Revoked:
      return "已注销";
  }
  return "";
}

bool isValidStanding(CertificateStanding standing) {
  return standing == CertificateStanding::Valid || standing == CertificateStanding::ExpiringSoon;
}

CertificateValidity assessCertificate(CertificateState state, const hotline::CivilDate& issued_on,
                                      const std::optional<hotline::CivilDate>& last_inspected_on,
                                      const hotline::CivilDate& today, int warning_days) {
  CertificateValidity v;
  v.valid_through = validThrough(issued_on, last_inspected_on);
  v.days_left = hotline::daysBetween(today, v.valid_through);
  if (state == CertificateState::Replaced) {
    v.standing = CertificateStanding::Replaced;
  } else if (state == CertificateState::Revoked) {
    v.standing = CertificateStanding::Revoked;
  } else if (v.days_left < 0) {
    v.standing = CertificateStanding::Expired;
  } else if (v.days_left <= warning_days) {
    v.standing = CertificateStanding::ExpiringSoon;
  } else {
    v.standing = CertificateStanding::Valid;
  }
  return v;
}

}  // namespace portal::disclosure
