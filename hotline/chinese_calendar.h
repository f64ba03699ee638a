#pragma once

#include <optional>

#include "hotline/civil_date.h"

namespace hotline {

// The traditional Chinese calendar (农历) as China fixes it (GB/T 33661-2017): months begin on
// the Beijing-time (UTC+8) day of the astronomical new moon; the month holding the winter
// solstice is the eleventh; in a year of 13 months between two eleventh months, the first month
// without a principal term (中气) is the leap month.
//
// Computed, not looked up: new moons from Meeus, "Astronomical Algorithms" ch. 49 (periodic
// terms, error well under a minute), the Sun's apparent longitude from ch. 25 (about 0.01°, a
// quarter of an hour in time). A term or new moon within minutes of Beijing midnight could land
// on the neighbouring day; the tests pin every festival from 2020 to 2035 against the published
// dates. Pure functions, safe from any number of threads. Valid for years 1950-2100.

// The Gregorian date of day `day` of lunar month `month` (1-12, the regular month, never a leap
// month) of the lunar year that begins in Gregorian year `year`. std::nullopt outside 1950-2100
// or for a day the month does not have (30 in a 29-day month).
std::optional<CivilDate> lunarToGregorian(int year, int month, int day);

// The Beijing date on which the Sun's apparent longitude reaches `degrees` (a multiple of 15)
// in Gregorian year `year`: 15 is 清明, 90 夏至, 270 冬至. std::nullopt outside 1950-2100.
std::optional<CivilDate> solarTermDate(int year, int degrees);

}  // namespace hotline
