// Package calendar turns wall-clock SLAs ("first touch within 1 business
// day") into instants, for sales teams in Latin America and North America.
//
// A Calendar is built once from a Config (which comes from the YAML lead
// definition) and is then read-only and safe for concurrent use; the engine
// calls it once per evaluated lead, so the hot paths do not allocate.
//
// # Business time
//
// Business time only runs during the working hours of working days that are
// not holidays, measured in the calendar's time zone. Each day's opening and
// closing instants are computed with time.Date in that zone, so a working day
// keeps its local hours across a DST change: in America/New_York,
// 09:00-17:00 is eight real hours on the day clocks spring forward too. (Hours
// that straddle the 02:00 change itself simply contain one hour less or more.)
//
// AddBusinessHours(start, d):
//   - d <= 0 returns start unchanged; an SLA of zero is "due now", not "due at
//     the next opening".
//   - If start is outside working time the clock starts at the next opening.
//   - d of working time is consumed; when it runs out exactly at a closing time
//     the closing time is returned, not the next opening, so "due by 17:00
//     today" stays on the day the rep expects.
//   - The result is in the calendar's location.
//
// AddBusinessDays(start, n) is AddBusinessHours(start, n × the length of one
// working day). So with 09:00-17:00 a lead arriving Monday 10:00 with one
// business day is due Tuesday 10:00, and a lead arriving on Saturday is due at
// Monday 17:00 (the clock starts Monday 09:00). Defining days through hours
// keeps the two functions and BusinessTime mutually consistent.
//
// BusinessTime(from, to) is the working time between two instants, the
// inverse of AddBusinessHours: BusinessTime(s, AddBusinessHours(s, d)) == d.
//
// # Holidays
//
// Public holidays are the national ones of Config.Country, on the date the law
// observes them (US "observed" Fridays and Mondays, Canada's Mondays), plus
// the company's own Config.Holidays. AR, ES, PT, US, CA, BR and forty more
// come from github.com/rickar/cal/v2; CO (Ley 51 de 1983, "Ley Emiliani"),
// MX (Ley Federal del Trabajo, art. 74), PE and the Latin American
// countries in latam.go (BO, CL, CR, DO, EC, GT, PA, PY, UY) are defined
// here from their labour laws, with the library's Easter feasts and
// substitution days, because its released version has no list for them.
// Holiday sets are computed per year on first use and cached.
//
// # Limits
//
// The calendar never searches more than ten years (maxSpanDays) ahead: a
// configuration whose every working day is a holiday cannot hang the engine.
// AddBusinessHours then returns the end of that horizon (a deadline that is
// effectively "never", rather than "now"), and BusinessTime counts only the
// first ten years of a longer span. Neither matters for real SLAs.
package calendar
