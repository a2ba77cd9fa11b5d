import Foundation

extension ArithmeticGrammar {
    /// Conversions between units of one dimension — time, length, mass, volume, money, temperature —
    /// and counts (a dozen, a score, a pair, a gross) of any one thing: "How many minutes are in 3.5
    /// hours?", "Convert 5,000 meters into kilometers", "How many eggs are in 4 dozen?". A clause is a
    /// conversion when it names one unit without a number (the target), one or more quantities with
    /// one (the source: "3 hours and 20 minutes"), and no other word but a question's.
    enum Conversion {
        struct Unit: Sendable, Equatable {
            var name: String
            var dimension: String
            /// How many of the dimension's base unit one of this is.
            var factor: Double
        }

        static let table: [(dimension: String, factor: Double, names: [String])] = [
            ("time", 0.001, ["millisecond", "milliseconds", "ms"]),
            ("time", 1, ["second", "seconds", "sec", "secs"]),
            ("time", 60, ["minute", "minutes", "min", "mins"]),
            ("time", 3_600, ["hour", "hours", "hr", "hrs"]),
            ("time", 86_400, ["day", "days"]),
            ("time", 604_800, ["week", "weeks"]),
            ("time", 1_209_600, ["fortnight", "fortnights"]),
            ("time", 31_536_000, ["year", "years"]),
            ("time", 2_628_000, ["month", "months"]),
            ("time", 31_622_400, ["leap-year", "leap-years"]),
            ("time", 315_360_000, ["decade", "decades"]),
            ("time", 3_153_600_000, ["century", "centuries"]),
            ("time", 31_536_000_000, ["millennium", "millennia"]),
            ("length", 0.001, ["millimeter", "millimeters", "millimetre", "millimetres", "mm"]),
            ("length", 0.01, ["centimeter", "centimeters", "centimetre", "centimetres", "cm"]),
            ("length", 1, ["meter", "meters", "metre", "metres", "m"]),
            ("length", 1_000, ["kilometer", "kilometers", "kilometre", "kilometres", "km"]),
            ("length", 0.0254, ["inch", "inches", "in."]),
            ("length", 0.3048, ["foot", "feet", "ft"]),
            ("length", 0.9144, ["yard", "yards", "yd"]),
            ("length", 1_609.344, ["mile", "miles", "mi"]),
            ("mass", 0.001, ["milligram", "milligrams", "mg"]),
            ("mass", 1, ["gram", "grams", "g"]),
            ("mass", 1_000, ["kilogram", "kilograms", "kg", "kilo", "kilos"]),
            ("mass", 1_000_000, ["tonne", "tonnes", "metric-ton", "metric-tons"]),
            ("mass", 28.349523125, ["ounce", "ounces", "oz"]),
            ("mass", 453.59237, ["pound", "pounds", "lb", "lbs"]),
            ("volume", 0.001, ["milliliter", "milliliters", "millilitre", "millilitres", "ml"]),
            ("volume", 0.01, ["centiliter", "centiliters", "centilitre", "centilitres", "cl"]),
            ("volume", 1, ["liter", "liters", "litre", "litres", "l"]),
            ("volume", 3.785411784, ["gallon", "gallons"]),
            ("money", 1, ["cent", "cents", "penny", "pennies", "pence"]),
            ("money", 100, ["dollar", "dollars", "euro", "euros", "pound", "pounds"]),
            ("temperature", 1, ["celsius", "centigrade", "c"]),
            ("temperature", 1, ["fahrenheit", "f"]),
            ("temperature", 1, ["kelvin", "k"]),
        ]

        static let byName: [String: [Unit]] = {
            var out: [String: [Unit]] = [:]
            for row in table {
                for n in row.names { out[n, default: []].append(Unit(name: row.names[0], dimension: row.dimension, factor: row.factor)) }
            }
            return out
        }()

        static func units(named w: String) -> [Unit] { byName[w] ?? [] }

        /// A unit written after a number in arithmetic ("15 dollars"); single letters are not units there.
        static func unit(named w: String) -> Unit? { w.count > 2 ? units(named: w).first : nil }

        /// Words a conversion question may hold besides its quantities and units.
        static let questionWords: Set<String> = [
            "how", "many", "much", "are", "is", "in", "to", "into", "there", "make", "makes", "convert", "what", "as",
            "a", "an", "equal", "equals", "does", "do", "it", "that", "the", "of", "please", "express", "expressed",
            "change", "turn", "would", "be", "exactly", "contain", "contains", "has", "have", "total", "all", "degrees",
            "degree", "and", "you", "can", "tell", "me", "calculate", "compute", "find", "give", "whats", "one", "go",
            "fit", "get", "if", "i", "we", "make", "up", "=", "quick", "just", "there's", "'s", "long", "far", "heavy", "big", "old", "equivalent",
        ]

        struct Mention {
            var index: Int
            var word: String
            var units: [Unit]
            var amount: Double?
        }

        /// The conversion `clause` asks for, nil when it is none; declined when its units do not convert.
        static func read(_ clause: [Token]) throws(Declined) -> Expr? {
            let t = joined(clause)
            let (mentions, nouns, numbersUsed) = quantities(t)
            guard !mentions.isEmpty else { return nil }
            // Every number is a quantity's (but one counted in dozens or pairs); every symbol is punctuation.
            let countTarget = mentions.contains { $0.amount == nil && $0.units.contains { $0.dimension == "count" } }
            for (k, tok) in t.enumerated() {
                if tok.number != nil, !numbersUsed.contains(k), !countTarget { return nil }
                if case .symbol(let c) = tok, c != "," && c != "?" { return nil }
            }
            let sources = mentions.filter { $0.amount != nil }
            let targets = mentions.filter { $0.amount == nil }
            // "How many dozen is 60?", "How many pairs are in 18 shoes?": a number of things in counts.
            if sources.isEmpty, targets.count == 1, let k = targets[0].units.first(where: { $0.dimension == "count" })?.factor, nouns.count <= 1 {
                let unused = t.indices.filter { t[$0].number != nil && !numbersUsed.contains($0) }
                if unused.count == 1, let n = t[unused[0]].number { return .binary("/", .number(n), .number(k)) }
            }
            guard !sources.isEmpty else { return nil }
            // Counts of a thing: "how many eggs are in 4 dozen", "how many years are three score".
            if sources.count == 1, let k = sources[0].units.first(where: { $0.dimension == "count" })?.factor {
                guard targets.count + nouns.count <= 1 else { return nil }
                return .binary("*", .number(sources[0].amount!), .number(k))
            }
            guard nouns.isEmpty, targets.count == 1 else { return nil }
            return try convert(sources, to: targets[0])
        }

        /// The unit words of a clause with their amounts (a number, a fraction, "a"), the other words
        /// (nouns the conversion cannot place), and the indices of the numbers the amounts use.
        static func quantities(_ t: [Token]) -> (mentions: [Mention], nouns: [(index: Int, word: String)], numbersUsed: Set<Int>) {
            var mentions: [Mention] = []
            var nouns: [(index: Int, word: String)] = []
            var numbersUsed = Set<Int>()
            var consumed = Set<Int>() // fraction words of an amount ("half a kilogram")
            for (k, tok) in t.enumerated() {
                guard let w = tok.word else { continue }
                let us = units(named: w) + (counts[w].map { [Unit(name: "dozen-like", dimension: "count", factor: $0)] } ?? [])
                guard !us.isEmpty else { continue }
                // "100 degrees Celsius"
                let before = k > 1 && (t[k - 1] == .word("degrees") || t[k - 1] == .word("degree")) ? k - 2 : k - 1
                var amount: Double?
                if let (value, used) = fractionalAmount(t, before: k) {
                    amount = value
                    for u in used { if t[u].number != nil { numbersUsed.insert(u) } else { consumed.insert(u) } }
                } else if before >= 0, let n = t[before].number { amount = n; numbersUsed.insert(before) } else if k > 0, ["a", "an", "one"].contains(t[k - 1].word ?? "") { amount = 1 }
                mentions.append(Mention(index: k, word: w, units: us, amount: amount))
            }
            for (k, tok) in t.enumerated() where !consumed.contains(k) && !mentions.contains(where: { $0.index == k }) {
                if let w = tok.word, !questionWords.contains(w), !fillers.contains(w) { nouns.append((k, w)) }
            }
            return (mentions, nouns, numbersUsed)
        }

        /// Quantities with amounts converted to the one unit asked for, summed ("1 hour and 30 minutes in minutes").
        static func convert(_ sources: [Mention], to target: Mention) throws(Declined) -> Expr? {
            // The dimension every quantity shares with the target ("pounds" is money beside "pence").
            let dims = Set(target.units.map(\.dimension)).filter { d in sources.allSatisfy { $0.units.contains { $0.dimension == d } } }
            guard let dim = dims.sorted().first else {
                throw Declined(reason: "cannot convert \(sources.map(\.word).joined(separator: " and ")) to \(target.word)")
            }
            let to = target.units.first { $0.dimension == dim }!
            if dim == "temperature" {
                guard sources.count == 1 else { return nil }
                return temperature(sources[0].amount!, from: sources[0].units.first { $0.dimension == dim }!.name, to: to.name)
            }
            // A month is a twelfth of a year, but no fixed number of days or weeks.
            let names = Set(sources.map { $0.units.first { $0.dimension == dim }!.name } + [to.name])
            if names.contains("month"), !names.isSubset(of: ["month", "year", "decade", "century", "millennium"]) {
                throw Declined(reason: "a month has no fixed number of days")
            }
            let terms: [Expr] = sources.map { s in
                let from = s.units.first { $0.dimension == dim }!
                return scaled(s.amount!, from: from.factor, to: to.factor)
            }
            return terms.dropFirst().reduce(terms[0]) { .binary("+", $0, $1) }
        }

        /// An amount with a fraction before the unit at `k`: "half a kilogram" (0.5), "a quarter of an hour"
        /// (0.25), "three quarters of an hour" (0.75), "2 and a half hours" (2.5); with the indices it uses.
        static func fractionalAmount(_ t: [Token], before k: Int) -> (Double, [Int])? {
            var j = k - 1
            var used: [Int] = []
            if j >= 0, ["a", "an"].contains(t[j].word ?? "") { used.append(j); j -= 1 }
            if j >= 0, t[j] == .word("of") { used.append(j); j -= 1 }
            guard j >= 0, let w = t[j].word, let d = fractions[w] else { return nil }
            used.append(j)
            j -= 1
            var numerator = 1.0
            if j >= 0, let n = t[j].number, !(j >= 1 && t[j - 1] == .word("and")) , w.hasSuffix("s") || n == 1 { numerator = n; used.append(j); j -= 1 }
            else if j >= 0, ["a", "an", "one"].contains(t[j].word ?? "") { used.append(j); j -= 1 }
            let part = numerator / d
            // "2 and a half"
            if j >= 1, t[j] == .word("and"), let whole = t[j - 1].number { return (whole + part, used + [j, j - 1]) }
            return (part, used)
        }

        /// `n` units of `from` in units of `to`, written the simple way: 3.5 × 60, 5000 ÷ 1000.
        static func scaled(_ n: Double, from: Double, to: Double) -> Expr {
            if from == to { return .number(n) }
            let up = from / to, down = to / from
            if up >= 1, Swift.abs(up - up.rounded()) < 1e-9 { return .binary("*", .number(n), .number(up.rounded())) }
            if down >= 1, Swift.abs(down - down.rounded()) < 1e-9 { return .binary("/", .number(n), .number(down.rounded())) }
            return .binary("/", .binary("*", .number(n), .number(from)), .number(to))
        }

        static func temperature(_ n: Double, from: String, to: String) -> Expr? {
            switch (from, to) {
            case ("celsius", "fahrenheit"): return .binary("+", .binary("/", .binary("*", .number(n), .number(9)), .number(5)), .number(32))
            case ("fahrenheit", "celsius"): return .binary("/", .binary("*", .binary("-", .number(n), .number(32)), .number(5)), .number(9))
            case ("celsius", "kelvin"): return .binary("+", .number(n), .number(273.15))
            case ("kelvin", "celsius"): return .binary("-", .number(n), .number(273.15))
            default: return nil
            }
        }

        /// Two-word units as one: "leap year", "metric ton".
        static func joined(_ t: [Token]) -> [Token] {
            var out: [Token] = []
            var k = 0
            while k < t.count {
                if k + 1 < t.count, let a = t[k].word, let b = t[k + 1].word, ["leap", "metric"].contains(a), let j = byName["\(a)-\(b)"], !j.isEmpty {
                    out.append(.word("\(a)-\(b)"))
                    k += 2
                    continue
                }
                out.append(t[k])
                k += 1
            }
            return out
        }
    }
}
