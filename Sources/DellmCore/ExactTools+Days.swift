import Foundation

// MARK: - Weekdays

extension ExactTools {
    /// Weekday arithmetic by a small grammar of days: "today", "tomorrow", "the day before yesterday",
    /// "Monday", "3 days ago", "in 2 weeks", "two weeks and 3 days from Sunday", "the day after X",
    /// "N days before X". A clause that equates a day relative to today with a weekday ("yesterday was
    /// Wednesday", "it's Saturday today") fixes today; the question's clause names the day asked for.
    enum Weekdays {
        static let names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

        /// A day: `offset` days after today (anchor nil) or after the weekday `anchor`.
        struct Day: Equatable {
            var anchor: Int?
            var offset: Int
            func shifted(_ n: Int) -> Day { Day(anchor: anchor, offset: offset + n) }
        }

        static func solve(_ text: String) -> Solution? {
            let w = words(text)
            guard !Dates.mentionsDate(w), w.contains(where: { ["day", "days", "weekday"].contains($0) || names.contains($0) }) else { return nil }
            var today: Int?, asked: Day?, said: String?
            var events: [Day] = [], asksEvent = false
            for clause in clauses(w) where !clause.isEmpty {
                let days = expressions(clause)
                let isQuestion = clause.contains { ["what", "which"].contains($0) }
                if isQuestion {
                    // "What day …", "which weekday …": the word "day" outside the day asked for. A question
                    // without a day ("On which day is my exam?") asks for the event another sentence dates.
                    let outside = clause.indices.filter { k in !days.contains { $0.range.contains(k) } }
                    guard asked == nil, !asksEvent, days.count <= 1, outside.contains(where: { ["day", "weekday"].contains(clause[$0]) }) else { return nil }
                    if let d = days.first { asked = d.day } else { asksEvent = true }
                    continue
                }
                // A fact: a day relative to today that is a named weekday ("yesterday was Wednesday"), or a
                // weekday alone in "it is Friday".
                let named = days.filter { $0.day.anchor != nil && $0.day.offset == 0 }
                let relative = days.filter { $0.day.anchor == nil }
                let fact: Int?
                if named.count == 1, relative.count == 1, days.count == 2 { fact = named[0].day.anchor! - relative[0].day.offset }
                else if named.count == 1, days.count == 1, clause.contains(where: { ["it", "it's", "is"].contains($0) }) { fact = named[0].day.anchor! }
                else if days.isEmpty { continue }
                else if days.count == 1 { events.append(days[0].day); continue } // "my exam is in 9 days"
                else { return nil }
                guard today == nil || today.map({ mod7($0) }) == fact.map({ mod7($0) }) else { return nil }
                today = fact
                said = relative.first.map { $0.day.offset == 0 } ?? true ? nil : clause.map { names.contains($0) ? $0.capitalized : $0 }.joined(separator: " ")
            }
            if asksEvent, events.count == 1 { asked = events[0] }
            guard let day = asked else { return nil }
            if let anchor = day.anchor {
                let result = name(anchor + day.offset)
                return Solution(tool: "weekday", result: result, working: "\(name(anchor)) \(signed(day.offset)) is \(result).")
            }
            guard let t = today else { return nil }
            let result = name(t + day.offset)
            return Solution(tool: "weekday", result: result,
                            working: "\(said.map { $0.prefix(1).uppercased() + $0.dropFirst() + ", so t" } ?? "T")oday is \(name(t)); the day asked for is today \(signed(day.offset)): \(result).")
        }

        static func signed(_ n: Int) -> String { n == 0 ? "+ 0 days" : "\(n > 0 ? "+" : "−") \(Swift.abs(n)) day\(Swift.abs(n) == 1 ? "" : "s")" }
        static func mod7(_ i: Int) -> Int { ((i % 7) + 7) % 7 }
        static func name(_ i: Int) -> String { names[mod7(i)].capitalized }

        /// Lower-case words, numbers as "#n", punctuation as itself.
        static func words(_ text: String) -> [String] {
            ArithmeticGrammar.Lexer.tokens(text).map { t in
                switch t {
                case .number(let n): return "#\(Calculator.format(n))"
                case .word(let w): return w
                case .symbol(let c): return String(c)
                }
            }
        }

        /// Clauses: split at punctuation and at "if" / "then".
        static func clauses(_ w: [String]) -> [[String]] {
            var out: [[String]] = [[]]
            for x in w {
                if [",", ".", "?", "!", ";", ":", "if", "then"].contains(x) { out.append([]) } else { out[out.count - 1].append(x) }
            }
            return out
        }

        /// Every day expression of a clause, left to right, none overlapping.
        static func expressions(_ w: [String]) -> [(day: Day, range: Range<Int>)] {
            var found: [(Day, Range<Int>)] = []
            var i = 0
            while i < w.count {
                if let (d, end) = day(w, i) { found.append((d, i..<end)); i = end } else { i += 1 }
            }
            return found
        }

        static func count(_ word: String) -> Int? {
            guard word.hasPrefix("#"), let v = Double(word.dropFirst()), v == v.rounded(), Swift.abs(v) < 100_000 else { return nil }
            return Int(v)
        }

        /// "3 days", "2 weeks and 1 day", "a week": the days, and the index after.
        static func duration(_ w: [String], _ i: Int) -> (Int, Int)? {
            func unit(_ k: Int) -> Int? { k < w.count ? ["day": 1, "days": 1, "week": 7, "weeks": 7, "fortnight": 14, "fortnights": 14][w[k]] : nil }
            var total = 0, k = i, any = false
            while k < w.count {
                if let n = count(w[k]), let u = unit(k + 1) { total += n * u; k += 2 }
                else if ["a", "one"].contains(w[k]), let u = unit(k + 1) { total += u; k += 2 }
                else { break }
                any = true
                if k + 1 < w.count, w[k] == "and", count(w[k + 1]) != nil || w[k + 1] == "a" { k += 1 } else { break }
            }
            return any ? (total, k) : nil
        }

        /// The day expression starting at `i`, and the index after it.
        static func day(_ w: [String], _ i: Int) -> (Day, Int)? {
            func at(_ k: Int, _ words: [String]) -> Bool { k + words.count <= w.count && Array(w[k..<k + words.count]) == words }
            if at(i, ["the", "day", "after"]) || at(i, ["the", "day", "before"]) || at(i, ["day", "after"]) || at(i, ["day", "before"]) {
                let k = w[i] == "the" ? i + 2 : i + 1
                guard let (d, end) = day(w, k + 1) else { return nil }
                return (d.shifted(w[k] == "after" ? 1 : -1), end)
            }
            if let n = names.firstIndex(of: w[i]) { return (Day(anchor: n, offset: 0), i + 1) }
            if ["a", "an", "on"].contains(w[i]), i + 1 < w.count, let n = names.firstIndex(of: w[i + 1]) { return (Day(anchor: n, offset: 0), i + 2) }
            switch w[i] {
            case "today", "now": return (Day(anchor: nil, offset: 0), i + 1)
            case "tomorrow": return (Day(anchor: nil, offset: 1), i + 1)
            case "yesterday": return (Day(anchor: nil, offset: -1), i + 1)
            case "in", "within":
                guard let (n, end) = duration(w, i + 1) else { return nil }
                return (Day(anchor: nil, offset: n), end + (at(end, ["time"]) || at(end, ["'", "time"]) ? 1 : 0))
            default: break
            }
            guard let (n, k) = duration(w, i), k < w.count else { return nil }
            switch w[k] {
            case "ago", "earlier", "back", "previously": return (Day(anchor: nil, offset: -n), k + 1)
            case "later", "hence": return (Day(anchor: nil, offset: n), k + 1)
            case "after", "from", "past", "following":
                if at(k + 1, ["now"]) || at(k + 1, ["today"]) { return (Day(anchor: nil, offset: n), k + 2) }
                guard let (d, end) = day(w, k + 1) else { return nil }
                return (d.shifted(n), end)
            case "before", "prior":
                let from = at(k, ["prior", "to"]) ? k + 2 : k + 1
                guard let (d, end) = day(w, from) else { return nil }
                return (d.shifted(-n), end)
            default: return nil
            }
        }
    }
}

// MARK: - Dates

extension ExactTools {
    /// Calendar dates by the Gregorian calendar: the weekday of a date with its year ("What day of the
    /// week was July 4, 1976?"), a date some days, weeks, months or years after or before another
    /// ("What date is 10 days after March 25?"), and the days between two dates. Without a year, an
    /// answer that would differ in a leap year is declined.
    enum Dates {
        static let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        static let short = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

        struct Mention { var month: Int; var day: Int; var year: Int?; var range: Range<Int> }

        static func month(_ word: String) -> Int? { months.firstIndex(of: word) ?? (word == "sept" ? 8 : short.firstIndex(of: word)) }

        /// Whether the words name a calendar date ("March 25", "25 March", "the 4th of July").
        static func mentionsDate(_ w: [String]) -> Bool { !mentions(w).isEmpty }

        static func mentions(_ w: [String]) -> [Mention] {
            var out: [Mention] = []
            var i = 0
            while i < w.count {
                guard let m = month(w[i]) else { i += 1; continue }
                // "March 25[, 2024]"
                if i + 1 < w.count, let d = Weekdays.count(w[i + 1]), (1...31).contains(d) {
                    var end = i + 2, year: Int?
                    if end + 1 < w.count, w[end] == ",", let y = Weekdays.count(w[end + 1]), y >= 1000 { year = y; end += 2 }
                    else if end < w.count, let y = Weekdays.count(w[end]), y >= 1000 { year = y; end += 1 }
                    out.append(Mention(month: m, day: d, year: year, range: i..<end)); i = end; continue
                }
                // "25 March[ 2024]", "the 4th of July"
                var k = i - 1
                if k >= 0, w[k] == "of" { k -= 1 }
                if k >= 0, let d = Weekdays.count(w[k]), (1...31).contains(d), out.last.map({ $0.range.upperBound <= k }) ?? true {
                    var end = i + 1, year: Int?
                    if end < w.count, let y = Weekdays.count(w[end]), y >= 1000 { year = y; end += 1 }
                    out.append(Mention(month: m, day: d, year: year, range: k..<end)); i = end; continue
                }
                i += 1
            }
            return out
        }

        static var calendar: Calendar {
            var c = Calendar(identifier: .gregorian)
            c.timeZone = TimeZone(identifier: "UTC")!
            return c
        }

        static func date(_ m: Mention, year: Int) -> Date? {
            let c = calendar
            guard let d = c.date(from: DateComponents(year: year, month: m.month + 1, day: m.day)),
                  c.component(.day, from: d) == m.day else { return nil } // no February 30
            return d
        }

        static func describe(_ d: Date, withYear: Bool) -> String {
            let c = calendar
            let s = "\(months[c.component(.month, from: d) - 1].capitalized) \(c.component(.day, from: d))"
            return withYear ? "\(s), \(c.component(.year, from: d))" : s
        }

        static func weekday(_ d: Date) -> String { Weekdays.names[(calendar.component(.weekday, from: d) + 5) % 7].capitalized }

        static func solve(_ text: String) -> Solution? {
            let w = Weekdays.words(text)
            let dates = mentions(w)
            guard !dates.isEmpty, dates.count <= 2 else { return nil }
            let words = Set(w)
            // "If March 3 is a Monday, what day of the week is March 10?": the weekday told of one date carried to the other.
            if dates.count == 2, let r = carriedWeekday(w, dates) { return r }
            // The days between two dates.
            if dates.count == 2 {
                guard words.contains("days"), words.contains("how") || words.contains("many") else { return nil }
                let years = dates[0].year.map { [$0] } ?? [2023, 2024]
                let spans = years.compactMap { y -> Int? in
                    guard let a = date(dates[0], year: y), let b = date(dates[1], year: dates[1].year ?? y) else { return nil }
                    return calendar.dateComponents([.day], from: a, to: b).day
                }
                guard spans.count == years.count, Set(spans).count == 1, let n = spans.first, n >= 0 else { return nil }
                let inclusive = words.contains("inclusive") || words.contains("including")
                let result = String(n + (inclusive ? 1 : 0))
                return Solution(tool: "date", result: result, working: "From \(describe(date(dates[0], year: years[0])!, withYear: dates[0].year != nil)) to \(describe(date(dates[1], year: dates[1].year ?? years[0])!, withYear: dates[1].year != nil)) is \(n) days\(inclusive ? ", \(n + 1) counting both" : ""): \(result).")
            }
            let m = dates[0]
            if let r = relative(w, date: m) { return r }
            // A date some time after or before the named one: the shift is read in front of the date.
            let before = Array(w[..<m.range.lowerBound])
            if let (amount, unit, sign) = shift(before) {
                let years = m.year.map { [$0] } ?? [2023, 2024]
                let results = years.compactMap { y in date(m, year: y).flatMap { calendar.date(byAdding: unit, value: sign * amount, to: $0) } }
                guard results.count == years.count else { return nil }
                let shown = results.map { describe($0, withYear: m.year != nil) }
                guard Set(shown).count == 1 else { return nil } // a leap day decides it, and no year is given
                let asksWeekday = words.contains("week") && (words.contains("day") || words.contains("weekday")) && m.year != nil
                let result = asksWeekday ? weekday(results[0]) : shown[0]
                return Solution(tool: "date", result: result, working: "\(describe(date(m, year: years[0])!, withYear: m.year != nil)) \(sign > 0 ? "+" : "−") \(amount) \(unitName(unit, amount)) is \(shown[0])\(m.year != nil ? ", a \(weekday(results[0]))" : ""): \(result).")
            }
            // The weekday of a date with its year.
            guard words.contains("day") || words.contains("weekday"), let y = m.year, let d = date(m, year: y),
                  m.range.upperBound == w.count || !w[m.range.upperBound...].contains(where: { Weekdays.count($0) != nil }) else { return nil }
            let result = weekday(d)
            return Solution(tool: "date", result: result, working: "\(describe(d, withYear: true)) falls on a \(result) (Gregorian calendar): \(result).")
        }

        /// One weekday named, right after one of two dates ("March 3 is a Monday", "March 3 was a Friday"), and
        /// the weekday of the other asked: carried by the days between (the same in every year when no year is
        /// given, or the tool declines).
        static func carriedWeekday(_ w: [String], _ dates: [Mention]) -> Solution? {
            let named = w.indices.filter { Weekdays.names.contains(w[$0]) }
            guard named.count == 1, w.contains(where: { ["what", "which"].contains($0) }), w.contains("day") || w.contains("weekday") else { return nil }
            let k = named[0]
            // The date it is told of: the one whose words end just before it ("is a", "was a", "falls on a").
            guard let told = dates.firstIndex(where: { $0.range.upperBound <= k && k - $0.range.upperBound <= 4 }) else { return nil }
            let between = w[dates[told].range.upperBound..<k]
            guard between.allSatisfy({ ["is", "was", "a", "an", "falls", "fell", "on", "will", "be", "it"].contains($0) }) else { return nil }
            let (a, b) = (dates[told], dates[1 - told])
            let years = a.year.map { [$0] } ?? b.year.map { [$0] } ?? [2023, 2024]
            let spans = years.compactMap { y -> Int? in
                guard let x = date(a, year: a.year ?? y), let z = date(b, year: b.year ?? y) else { return nil }
                return calendar.dateComponents([.day], from: x, to: z).day
            }
            guard spans.count == years.count, Set(spans).count == 1, let n = spans.first, let anchor = Weekdays.names.firstIndex(of: w[k]) else { return nil }
            let result = Weekdays.name(anchor + n)
            return Solution(tool: "date", result: result, working: "\(describe(date(a, year: years[0])!, withYear: a.year != nil)) is a \(w[k].capitalized); \(describe(date(b, year: years[0])!, withYear: b.year != nil)) is \(Weekdays.signed(n)) from it: \(result).")
        }

        /// "If today is May 10, what is the date 3 weeks from today?": a clause that dates a day relative to
        /// today ("today is May 10", "yesterday was June 1, 2025"), and a question about another day
        /// relative to today (the weekdays' grammar of days).
        static func relative(_ w: [String], date m: Mention) -> Solution? {
            var fact: Int?, asked: Int?
            var start = 0
            for clause in Weekdays.clauses(w) {
                defer { start += clause.count + 1 }
                let days = Weekdays.expressions(clause).filter { $0.day.anchor == nil }
                let holdsDate = (start..<(start + clause.count)).contains(m.range.lowerBound)
                if holdsDate {
                    guard days.count == 1, fact == nil else { return nil }
                    fact = days[0].day.offset
                } else if clause.contains(where: { ["what", "which", "when"].contains($0) }) {
                    guard days.count == 1, asked == nil else { return nil }
                    asked = days[0].day.offset
                }
            }
            guard let f = fact, let a = asked else { return nil }
            let years = m.year.map { [$0] } ?? [2023, 2024]
            let results = years.compactMap { y in date(m, year: y).flatMap { calendar.date(byAdding: .day, value: a - f, to: $0) } }
            guard results.count == years.count else { return nil }
            let shown = results.map { describe($0, withYear: m.year != nil) }
            guard Set(shown).count == 1 else { return nil }
            let words = Set(w)
            let asksWeekday = words.contains("week") || words.contains("weekday")
            let result = asksWeekday && m.year != nil ? weekday(results[0]) : shown[0]
            return Solution(tool: "date", result: result, working: "\(describe(date(m, year: years[0])!, withYear: m.year != nil)) is today \(Weekdays.signed(f)); the day asked for is today \(Weekdays.signed(a)), \(shown[0]): \(result).")
        }

        static func unitName(_ u: Calendar.Component, _ n: Int) -> String {
            let s: String = switch u { case .day: "day"; case .weekOfYear: "week"; case .month: "month"; default: "year" }
            return n == 1 ? s : s + "s"
        }

        /// "10 days after", "2 weeks before", "3 months from", "a year after": the shift right before a date.
        static func shift(_ w: [String]) -> (Int, Calendar.Component, Int)? {
            guard w.count >= 3 else { return nil }
            let dir = w[w.count - 1] == "of" && w.count >= 4 ? w[w.count - 2] : w[w.count - 1]
            guard let sign = ["after": 1, "from": 1, "following": 1, "past": 1, "before": -1, "prior": -1, "to": -1][dir] else { return nil }
            var k = w.count - (w[w.count - 1] == dir ? 1 : 2)
            if dir == "prior" || (dir == "to" && k >= 1 && w[k - 1] == "prior") { k = w.count - (w.last == "to" ? 2 : 1) } else if dir == "to" { return nil }
            let unitWord = w[k - 1]
            let units: [String: Calendar.Component] = ["day": .day, "days": .day, "week": .weekOfYear, "weeks": .weekOfYear,
                                                        "month": .month, "months": .month, "year": .year, "years": .year]
            guard let unit = units[unitWord], k >= 2 else { return nil }
            let n = Weekdays.count(w[k - 2]) ?? (["a", "one"].contains(w[k - 2]) ? 1 : nil)
            guard let amount = n, amount <= 100_000 else { return nil }
            return (amount, unit, sign)
        }
    }
}
