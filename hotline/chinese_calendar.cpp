#include "hotline/chinese_calendar.h"

#include <array>
#include <cmath>
#include <vector>

namespace hotline {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kJdUnixEpoch = 2440587.5;  // 1970-01-01 00:00 UT
constexpr double kMeanSynodicMonth = 29.530588861;
constexpr double kTropicalYear = 365.2422;
constexpr int kFirstYear = 1950;
constexpr int kLastYear = 2100;

double rad(double degrees) { return degrees * kPi / 180.0; }

double normalizeDegrees(double d) {
  d = std::fmod(d, 360.0);
  return d < 0 ? d + 360.0 : d;
}

// TT - UT in seconds (Espenak & Meeus polynomials); a minute off changes no date we compute.
double deltaTSeconds(double year) {
  if (year >= 2005) {
    const double t = year - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t * t;
  }
  if (year >= 1986) {
    const double t = year - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t +
           0.000651814 * t * t * t * t + 0.00002373599 * t * t * t * t * t;
  }
  const double t = year - 1975;
  return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
}

// The Beijing (UTC+8) calendar day of a Julian Ephemeris Day.
CivilDate beijingDate(double jde) {
  const double year = 2000.0 + (jde - 2451545.0) / 365.25;
  const double jd_ut = jde - deltaTSeconds(year) / 86400.0;
  const double days = std::floor(jd_ut - kJdUnixEpoch + 8.0 / 24.0);
  return CivilDate::fromDaysSinceEpoch(static_cast<std::int64_t>(days));
}

double julianDayAtNoon(const CivilDate& date) {
  return static_cast<double>(date.daysSinceEpoch()) + kJdUnixEpoch + 0.5;
}

// Meeus ch. 49: the true new moon of lunation k (k = 0 is 2000-01-06), as JDE.
double newMoonJde(int k) {
  const double kk = k;
  const double t = kk / 1236.85;
  const double t2 = t * t, t3 = t2 * t, t4 = t3 * t;
  double jde = 2451550.09766 + kMeanSynodicMonth * kk + 0.00015437 * t2 - 0.000000150 * t3 +
               0.00000000073 * t4;
  const double e = 1 - 0.002516 * t - 0.0000074 * t2;
  const double m = rad(2.5534 + 29.10535670 * kk - 0.0000014 * t2 - 0.00000011 * t3);
  const double mp =
      rad(201.5643 + 385.81693528 * kk + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4);
  const double f =
      rad(160.7108 + 390.67050284 * kk - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4);
  const double om = rad(124.7746 - 1.56375588 * kk + 0.0020672 * t2 + 0.00000215 * t3);

  jde += -0.40720 * std::sin(mp) + 0.17241 * e * std::sin(m) + 0.01608 * std::sin(2 * mp) +
         0.01039 * std::sin(2 * f) + 0.00739 * e * std::sin(mp - m) -
         0.00514 * e * std::sin(mp + m) + 0.00208 * e * e * std::sin(2 * m) -
         0.00111 * std::sin(mp - 2 * f) - 0.00057 * std::sin(mp + 2 * f) +
         0.00056 * e * std::sin(2 * mp + m) - 0.00042 * std::sin(3 * mp) +
         0.00042 * e * std::sin(m + 2 * f) + 0.00038 * e * std::sin(m - 2 * f) -
         0.00024 * e * std::sin(2 * mp - m) - 0.00017 * std::sin(om) -
         0.00007 * std::sin(mp + 2 * m) + 0.00004 * std::sin(2 * mp - 2 * f) +
         0.00004 * std::sin(3 * m) + 0.00003 * std::sin(mp + m - 2 * f) +
         0.00003 * std::sin(2 * mp + 2 * f) - 0.00003 * std::sin(mp + m + 2 * f) +
         0.00003 * std::sin(mp - m + 2 * f) - 0.00002 * std::sin(mp - m - 2 * f) -
         0.00002 * std::sin(3 * mp + m) + 0.00002 * std::sin(4 * mp);

  // The planetary arguments A1..A14 and their coefficients.
  static constexpr std::array<std::array<double, 3>, 14> kPlanetary{{
      {299.77, 0.107408, 0.000325},
      {251.88, 0.016321, 0.000165},
      {251.83, 26.651886, 0.000164},
      {349.42, 36.412478, 0.000126},
      {84.66, 18.206239, 0.000110},
      {141.74, 53.303771, 0.000062},
      {207.14, 2.453732, 0.000060},
      {154.84, 7.306860, 0.000056},
      {34.52, 27.261239, 0.000047},
      {207.19, 0.121824, 0.000042},
      {291.34, 1.844379, 0.000040},
      {161.72, 24.198154, 0.000037},
      {239.56, 25.513099, 0.000035},
      {331.55, 3.592518, 0.000023},
  }};
  for (std::size_t i = 0; i < kPlanetary.size(); ++i) {
    double arg = kPlanetary[i][0] + kPlanetary[i][1] * kk;
    if (i == 0) arg -= 0.009173 * t2;
    jde += kPlanetary[i][2] * std::sin(rad(arg));
  }
  return jde;
}

// Meeus ch. 25 (low accuracy): the Sun's apparent longitude in degrees at `jde`.
double apparentSolarLongitude(double jde) {
  const double t = (jde - 2451545.0) / 36525.0;
  const double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
  const double m = rad(357.52911 + 35999.05029 * t - 0.0001537 * t * t);
  const double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * std::sin(m) +
                   (0.019993 - 0.000101 * t) * std::sin(2 * m) + 0.000289 * std::sin(3 * m);
  const double omega = rad(125.04 - 1934.136 * t);
  return normalizeDegrees(l0 + c - 0.00569 - 0.00478 * std::sin(omega));
}

// The JDE at which the apparent longitude is `degrees`, starting from a guess within weeks.
double solarLongitudeJde(double degrees, double guess) {
  double jde = guess;
  for (int i = 0; i < 50; ++i) {
    double delta = degrees - apparentSolarLongitude(jde);
    delta = std::fmod(delta + 540.0, 360.0) - 180.0;  // into [-180, 180)
    jde += delta * kTropicalYear / 360.0;
    if (std::fabs(delta) < 1e-7) break;
  }
  return jde;
}

double solarTermJde(int year, int degrees) {
  // Longitude 0 (春分) is near March 20; 285-345 (小寒 ... 惊蛰) fall early in the year.
  const CivilDate march20 = *CivilDate::fromYmd(year, 3, 20);
  double guess = julianDayAtNoon(march20) + normalizeDegrees(degrees) * kTropicalYear / 360.0;
  if (normalizeDegrees(degrees) >= 285) guess -= kTropicalYear;
  return solarLongitudeJde(degrees, guess);
}

// The lunation whose new moon falls on the latest Beijing day not after `date`.
int lunationStartingOnOrBefore(const CivilDate& date) {
  int k = static_cast<int>(std::floor((julianDayAtNoon(date) - 2451550.09766) / kMeanSynodicMonth));
  while (beijingDate(newMoonJde(k)) > date) --k;
  while (beijingDate(newMoonJde(k + 1)) <= date) ++k;
  return k;
}

struct LunarMonth {
  CivilDate first_day;
  int number = 0;  // 1-12
  bool leap = false;
  int days = 0;
};

// The months of the 岁 from the eleventh month holding the winter solstice of `year - 1` up to,
// not including, the eleventh month holding that of `year`: 12 months, or 13 with one leap.
std::vector<LunarMonth> monthsOfSui(int year) {
  const CivilDate solstice_before = beijingDate(solarTermJde(year - 1, 270));
  const CivilDate solstice = beijingDate(solarTermJde(year, 270));
  const int k_begin = lunationStartingOnOrBefore(solstice_before);
  const int k_end = lunationStartingOnOrBefore(solstice);

  std::vector<CivilDate> starts;
  for (int k = k_begin; k <= k_end; ++k) starts.push_back(beijingDate(newMoonJde(k)));
  const std::size_t count = starts.size() - 1;

  // Principal terms (中气) of the 岁: longitudes 270 of year-1, then 300, 330, 0, ... 270.
  std::vector<CivilDate> principal_terms{solstice_before};
  for (int degrees = 300; degrees <= 630; degrees += 30) {
    principal_terms.push_back(beijingDate(solarTermJde(year, degrees % 360)));
  }

  std::size_t leap_index = count;  // none
  if (count == 13) {
    for (std::size_t i = 0; i < count; ++i) {
      bool has_principal_term = false;
      for (const CivilDate& term : principal_terms) {
        if (starts[i] <= term && term < starts[i + 1]) has_principal_term = true;
      }
      if (!has_principal_term) {
        leap_index = i;
        break;
      }
    }
  }

  std::vector<LunarMonth> months;
  int number = 11;
  for (std::size_t i = 0; i < count; ++i) {
    LunarMonth month;
    month.first_day = starts[i];
    month.days = static_cast<int>(daysBetween(starts[i], starts[i + 1]));
    if (i == leap_index) {
      month.leap = true;
      month.number = months.empty() ? 10 : months.back().number;
    } else {
      month.number = number;
      number = number % 12 + 1;
    }
    months.push_back(month);
  }
  return months;
}

}  // namespace

std::optional<CivilDate> lunarToGregorian(int year, int month, int day) {
  if (year < kFirstYear || year > kLastYear || month < 1 || month > 12 || day < 1 || day > 30) {
    return std::nullopt;
  }
  // Months 1-10 of the lunar year lie in the 岁 ending with this year's winter solstice; its
  // months 11 and 12 in the next one.
  const bool late = month >= 11;
  const std::vector<LunarMonth> months = monthsOfSui(late ? year + 1 : year);
  bool past_twelfth = late;
  for (const LunarMonth& m : months) {
    if (!past_twelfth) {
      if (m.number == 12 && !m.leap) past_twelfth = true;
      continue;
    }
    if (m.number == month && !m.leap) {
      if (day > m.days) return std::nullopt;
      return m.first_day.addDays(day - 1);
    }
  }
  return std::nullopt;
}

std::optional<CivilDate> solarTermDate(int year, int degrees) {
  if (year < kFirstYear || year > kLastYear || degrees % 15 != 0) return std::nullopt;
  return beijingDate(solarTermJde(year, degrees));
}

}  // namespace hotline
