import Foundation

extension WordChains {
    /// Rates and prices composed by their units. Every quantity is a count of a unit ("5 days",
    /// "$50") or a rate, a unit per another ("$15 an hour", "12 cans in each box", "3 packs of 12
    /// pencils", "$8 for adults"). Each count is carried through the rates whose units it cancels until
    /// it is in the unit asked ("how many minutes", "how much … earn" is dollars); a rate the other way
    /// round divides ("packed into bags of 8"). Units of time convert (a week is 7 days; a month has no
    /// fixed number of days, so it does not), and so do cents and dollars.
    /// The answer is the sum of the carried counts; with "change" or "left" asked, the money held less
    /// it; with "each" asked after sharing, divided by the sharers. A rate or count left unused declines.
    enum Units {
        struct Quantity: Equatable {
            var value: Double
            var unit: String?
            var per: String? = nil
            var perCount: Double = 1
            var clause: Int
            /// A second unit it is per, from its subject: "A bird eats 7 berries a day" is per day and per bird.
            var perSubject: String? = nil
            var label: String {
                Calculator.format(value) + " " + (unit ?? "?") + (per.map { "/" + (perCount == 1 ? "" : Calculator.format(perCount) + " ") + $0 } ?? "")
                    + (perSubject.map { "/" + $0 } ?? "")
            }
        }

        static let costing: Set<String> = ["cost", "costs", "costed", "priced", "charges", "charge", "sells", "sell", "sold", "is", "are"]

        static func solve(_ p: Problem) -> Solution? {
            guard let target = target(p) else { return nil }
            // A fraction is a part of the quantity before ("eats half the package"), never a comparison ("half as many").
            for c in p.statement + [p.question] {
                for (i, t) in c.enumerated() where t.kind == .fraction {
                    guard i + 1 < c.count, ["of", "the", "a", "his", "her", "their", "its"].contains(c[i + 1].text) else { return nil }
                }
            }
            // A multiplier is a count of times only before "a day", "every week": "twice a week".
            for c in p.statement + [p.question] {
                for (i, t) in c.enumerated() where t.kind == .multiplier {
                    guard i + 2 < c.count, ["a", "an", "per", "every", "each"].contains(c[i + 1].text) else { return nil }
                }
            }
            var qs: [Quantity] = []
            for (k, clause) in p.statement.enumerated() {
                guard read(clause, clause: k, into: &qs, inQuestion: false) else { return nil }
            }
            guard read(p.question, clause: p.statement.count, into: &qs, inQuestion: true) else { return nil }
            guard qs.allSatisfy({ $0.unit != nil }) else { return nil }
            // One quantity in another unit of its kind: "A flight lasts 4 hours. How many minutes is that?"
            if qs.count == 1, let u = qs[0].unit, qs[0].per == nil, u != target, let f = factor(u, target) {
                return Solution(steps: ["\(qs[0].label) = \(Calculator.format(qs[0].value * f)) \(target)"], value: qs[0].value * f, rule: "units")
            }
            guard qs.contains(where: { $0.per != nil }) || sharing(p) else { return nil }
            return compose(qs, target: target, p: p)
        }

        /// The unit the question asks for: "how many minutes" → minute; "how much … earn/spend/cost" or
        /// "how many dollars" → $.
        static func target(_ p: Problem) -> String? {
            let q = p.question
            if let i = q.firstIndex(where: { $0.text == "many" }), i + 1 < q.count, q[i + 1].kind == .word {
                let w = q[i + 1].text
                if WordProblems.comparatives.contains(w) { return nil }
                return singular(w)
            }
            guard q.contains(where: { $0.text == "much" }) || WordChains.contains(q, ["what", "is", "the", "total"]) else { return nil }
            let moneyWords: Set<String> = ["money", "earn", "earns", "earned", "spend", "spent", "spends", "pay", "paid", "pays", "cost",
                                           "costs", "make", "makes", "made", "save", "saves", "saved", "change", "charge", "price", "cents"]
            if p.asks(moneyWords) || p.all.contains(where: { $0.money != nil }) { return p.questionWords.contains("cents") ? "cent" : "$" }
            return nil
        }

        /// The quantities of one clause, appended to `out`; false when one cannot be read. A percent or a
        /// fraction scales the quantity before it.
        static func read(_ c: [Tok], clause k: Int, into out: inout [Quantity], inQuestion: Bool) -> Bool {
            let first = out.count
            var consumed = Set<Int>()
            // "Each box holds 12 cans", "knowing that each song has a size of 5 MB": per what "each" names before the first number.
            let firstNumber = c.firstIndex(where: \.isQuantity) ?? c.count
            let eachAt = c[..<firstNumber].firstIndex { ["each", "every"].contains($0.text) }
            let eachSubject: String? = eachAt.flatMap { e in e + 1 < firstNumber && c[e + 1].kind == .word && !stoppers.contains(c[e + 1].text) ? singular(c[e + 1].text) : nil }
            let lists = listUnits(c, consumed: &consumed)
            for (i, t) in c.enumerated() where !consumed.contains(i) {
                if t.kind == .percent || t.kind == .fraction {
                    guard scaleLast(&out, by: t, at: i, in: c) else { return false }
                } else if t.kind == .number || t.kind == .multiplier {
                    var q = quantity(at: i, in: c, clause: k, unit: lists[i], clauseCounts: Array(out[first...]), consumed: &consumed)
                    if q.per == nil, let e = eachSubject, q.unit != e { q.per = e }
                    if q.unit == nil { q.unit = out.last(where: { $0.unit != nil && $0.per == nil })?.unit ?? out.last?.unit }
                    out.append(q)
                }
            }
            // "swims twice a week for 40 minutes": the minutes are per time.
            if out[first...].contains(where: { $0.unit == "time" && $0.per != nil }) {
                for n in first..<out.count where out[n].per == nil && out[n].unit != "time" {
                    if let i = c.firstIndex(where: { $0.isQuantity && $0.value == out[n].value }), i > 0, c[i - 1].text == "for" { out[n].per = "time" }
                }
            }
            if inQuestion, let period = askedPeriod(c) { out.append(Quantity(value: 1, unit: period, clause: k)) }
            return true
        }

        /// "He saves 15% of it", "eats half the package": the quantity before, scaled; "25% off": reduced.
        /// False for a percent that is neither a part ("of") nor taken off: "20% more than" compares.
        static func scaleLast(_ out: inout [Quantity], by t: Tok, at i: Int, in c: [Tok]) -> Bool {
            let next = c.dropFirst(i + 1).prefix(2)
            let off = next.contains { $0.text == "off" || $0.text == "discount" }
            guard off || next.contains(where: { $0.text == "of" || $0.text == "the" }) || t.kind == .fraction, var last = out.popLast() else { return false }
            let share = t.kind == .percent ? t.value / 100 : t.value
            last.value *= off ? 1 - share : share
            out.append(last)
            return true
        }

        /// The number at `i` as a quantity: its unit (money, the list's, or the noun after it) and what it
        /// is per — the words after its noun phrase, "3 packs of 12", "teams of 4", or a price's subject.
        static func quantity(at i: Int, in c: [Tok], clause k: Int, unit: String?, clauseCounts: [Quantity], consumed: inout Set<Int>) -> Quantity {
            let t = c[i]
            var q = Quantity(value: t.value, unit: t.kind == .multiplier ? "time" : t.money ?? unit ?? noun(after: i, in: c), clause: k)
            var j = i + 1
            while j < c.count, j <= i + 3, c[j].kind == .word, !stoppers.contains(c[j].text), !isVerb(c[j].text) { j += 1 }
            if let (per, count, used) = perPhrase(c, from: j, clauseCounts: clauseCounts, money: t.money != nil) {
                q.per = per; q.perCount = count
                if let u = used { consumed.insert(u) }
            } else if i >= 3, c[i - 1].text == "of", c[i - 2].kind == .word, c[i - 3].kind == .number, !consumed.contains(i - 3) {
                q.per = singular(c[i - 2].text) // "3 packs of 12 pencils"
            } else if i >= 2, c[i - 1].text == "of", c[i - 2].kind == .word, noun(after: i, in: c).map({ measures[$0] != nil }) ?? true, unit == nil, t.money == nil {
                q.per = singular(c[i - 2].text) // "teams of 4", "bags of 8" (the unit is what is grouped), "pieces of 25 cm"
            } else if i == 3, c[i - 1].text == "of", c[i - 2].kind == .word, ["a", "an", "each", "every", "one"].contains(c[0].text),
                      !["total", "sum", "lot", "number", "couple", "group"].contains(c[i - 2].text), unit == nil, t.money == nil {
                q.per = singular(c[i - 2].text) // the subject "A pack of 6 juice boxes", "Each box of 12 pencils"
            } else if t.money != nil, let subject = pricedSubject(c, before: i) {
                q.per = subject
            } else if t.money == nil, c.filter(\.isQuantity).count == 1, q.unit.map({ measures[$0] == nil && timeSeconds[$0] == nil }) ?? false,
                      let holder = capacitySubject(c, before: i) {
                // Of counted things only, and alone in its clause: "A jug holds 3 liters" stays an amount, and "A box
                // of tea has 4 bags with 30 grams each" is read by its "each".
                q.per = holder // "A box holds 6 cupcakes", "A school bus can carry 40 students", "A pack of gum has 12 pieces"
            }
            // "A bird eats 7 berries a day": per bird as well.
            if q.per != nil, c.count >= 2, ["a", "an", "each", "every", "one"].contains(c[0].text), c[1].kind == .word, !isVerb(c[1].text),
               case let subject = singular(c[1].text), subject != q.per, subject != q.unit { q.perSubject = subject }
            return q
        }

        /// "in a week", "every day", "per month" in the question: the unit of time it asks one of.
        static func askedPeriod(_ c: [Tok]) -> String? {
            for i in c.indices.dropLast() {
                let unit = singular(c[i + 1].text)
                guard timeSeconds[unit] != nil || timeMonths[unit] != nil else { continue }
                if ["every", "each", "per"].contains(c[i].text) || ["a", "an"].contains(c[i].text) && i > 0 && c[i - 1].text == "in" { return unit }
            }
            return nil
        }

        /// "each" (per the clause's other count, or per what is priced), "each box", "per 100 km", "a day",
        /// "every week", "in each row", "for adults" after a price: the unit per, and how many of it.
        static func perPhrase(_ c: [Tok], from j: Int, clauseCounts: [Quantity], money: Bool) -> (String, Double, Int?)? {
            var j = j
            // "8 liters of fuel per 100 km": past the "of" phrase.
            if j < c.count, c[j].text == "of" {
                var k = j + 1
                while k < c.count, k <= j + 3, c[k].kind == .word, !stoppers.contains(c[k].text) { k += 1 }
                // "… of fuel per 100 km", "… of fuel for every 100 km".
                let forEvery = k + 1 < c.count && ["for", "in"].contains(c[k].text) && ["every", "each"].contains(c[k + 1].text)
                if k < c.count, ["per", "a", "an", "every", "each"].contains(c[k].text) || forEvery { j = k }
            }
            if j < c.count, ["in", "for"].contains(c[j].text), j + 1 < c.count, ["each", "every"].contains(c[j + 1].text) { j += 1 }
            // "7 days in a week", "60 minutes in an hour", "12 eggs in one carton": per one of them.
            if j + 2 < c.count, c[j].text == "in", ["a", "an", "one"].contains(c[j + 1].text), c[j + 2].kind == .word,
               !stoppers.contains(c[j + 2].text) { return (singular(c[j + 2].text), 1, nil) }
            guard j < c.count else { return nil }
            let w = c[j].text
            // "3 scarves using one yarn", "12 rings from one pineapple".
            if ["using", "from", "with", "per", "for", "in"].contains(w), j + 2 < c.count, c[j + 1].kind == .number, c[j + 1].value == 1,
               c[j + 2].kind == .word, !stoppers.contains(c[j + 2].text) { return (singular(c[j + 2].text), 1, j + 1) }
            if ["each", "apiece"].contains(w) {
                if j + 1 < c.count, c[j + 1].kind == .word, !stoppers.contains(c[j + 1].text), !isVerb(c[j + 1].text) { return (singular(c[j + 1].text), 1, nil) }
                if let u = clauseCounts.last(where: { $0.per == nil })?.unit { return (u, 1, nil) }
                if let o = pricedObject(c, before: j) { return (o, 1, nil) }
                return nil
            }
            if ["per", "a", "an", "every", "/"].contains(w), j + 1 < c.count {
                if c[j + 1].kind == .number, j + 2 < c.count, c[j + 2].kind == .word { return (singular(c[j + 2].text), c[j + 1].value, j + 1) }
                if c[j + 1].kind == .word, w == "per" || w == "every" || w == "/" || timeSeconds[singular(c[j + 1].text)] != nil || timeMonths[singular(c[j + 1].text)] != nil {
                    return (singular(c[j + 1].text), 1, nil)
                }
            }
            if money, w == "for", j + 1 < c.count, c[j + 1].kind == .word, !stoppers.contains(c[j + 1].text) { return (singular(c[j + 1].text), 1, nil) }
            return nil
        }

        /// Lists of numbers ("24 and 28 students", "6, 9, 7 and 10 toys"): each number's unit is the noun
        /// after the last; a count of the list before it ("two classes of 24 and 28") is the list's size,
        /// not a quantity (consumed).
        static func listUnits(_ c: [Tok], consumed: inout Set<Int>) -> [Int: String] {
            var out: [Int: String] = [:]
            var i = 0
            while i < c.count {
                guard c[i].kind == .number else { i += 1; continue }
                var run = [i], j = i + 1
                while j + 1 < c.count, c[j].text == "," || c[j].text == "and" {
                    var k = j + 1
                    if c[k].text == "and", k + 1 < c.count { k += 1 }
                    guard c[k].kind == .number else { break }
                    run.append(k); j = k + 1
                }
                if run.count >= 2, let last = run.last, let unit = c[last].money ?? noun(after: last, in: c) {
                    for r in run { out[r] = unit }
                    if i >= 3, c[i - 1].text == "of", c[i - 3].kind == .number, c[i - 3].value == Double(run.count) { consumed.insert(i - 3) }
                }
                i = j
            }
            return out
        }

        /// "A pencil costs 75 cents", "Tickets cost $8": what a price before a verb of costing is for.
        /// A subject that is a group ("A pack of 6 juice boxes costs $4", "A box of markers costs $5") is
        /// priced by the group.
        static func pricedSubject(_ c: [Tok], before i: Int) -> String? {
            guard let v = c[..<i].lastIndex(where: { costing.contains($0.text) }), v > 0, c[v - 1].kind == .word,
                  !stoppers.contains(c[v - 1].text) else { return nil }
            // Back over the noun phrase ("juice boxes", "6 juice boxes", "markers") to an "of" after a word.
            var k = v - 1
            while k > 0, v - k <= 4, c[k].kind == .word && !stoppers.contains(c[k].text) || c[k].kind == .number { k -= 1 }
            if c[k].text == "of", k >= 1, c[k - 1].kind == .word, !stoppers.contains(c[k - 1].text) { return singular(c[k - 1].text) }
            return singular(c[v - 1].text)
        }

        /// What one of holds, carries or has: "A box holds 6 cupcakes" → box; "A school bus can carry 40
        /// students" → bus; "A pack of gum has 12 pieces" → pack. The subject is one thing ("a", "an", "one",
        /// "each", "every") and the verb of holding comes right before the number.
        static func capacitySubject(_ c: [Tok], before i: Int) -> String? {
            let holding: Set<String> = ["holds", "hold", "contains", "contain", "has", "have", "fits", "fit", "carries", "carry", "seats", "seat"]
            guard i >= 3, ["a", "an", "one", "each", "every"].contains(c[0].text), holding.contains(c[i - 1].text) else { return nil }
            // "has" is capacity only for a container ("A pack of gum has 12 pieces"); "A farmer has 120 eggs" is what one owns.
            let owning = ["has", "have"].contains(c[i - 1].text)
            var end = i - 1 // the verb
            if ["can", "could", "will"].contains(c[end - 1].text) { end -= 1 }
            let subject = c[1..<end]
            guard !subject.isEmpty, subject.allSatisfy({ $0.kind == .word && !isVerb($0.text) }), subject.count <= 4 else { return nil }
            let head: String
            if let of = subject.firstIndex(where: { $0.text == "of" }) {
                guard of > 1 else { return nil }
                head = c[of - 1].text
            } else {
                guard let last = subject.last, !stoppers.contains(last.text) else { return nil }
                head = last.text
            }
            if owning, !WordProblems.groups.contains(head), !WordProblems.groups.contains(head + "s") { return nil }
            return singular(head)
        }

        /// "sells cupcakes for $3 each": the noun before "for" or "at".
        static func pricedObject(_ c: [Tok], before j: Int) -> String? {
            guard let f = c[..<j].lastIndex(where: { $0.text == "for" || $0.text == "at" }), f > 0, c[f - 1].kind == .word,
                  !stoppers.contains(c[f - 1].text), !isVerb(c[f - 1].text) else { return nil }
            return singular(c[f - 1].text)
        }

        /// "each" or "per" asked after "shared", "split", "divided", "equally" or "among".
        static func sharing(_ p: Problem) -> Bool {
            p.asks(["each", "per"]) && p.statement.joined().contains { ["shared", "share", "shares", "split", "divided", "equally", "among"].contains($0.text) }
        }

        /// Each count carried to the target; then summed, taken from the money held, or shared.
        static func compose(_ qs: [Quantity], target: String, p: Problem) -> Solution? {
            carried(qs, target: target, p: p) ?? product(qs, target: target)
        }

        /// Every quantity multiplied once, when their units cancel to the one asked: 7 berries a day a
        /// bird × 5 birds × 4 days = 140 berries. Units of time are reckoned in seconds (months in
        /// months), money in dollars.
        static func product(_ qs: [Quantity], target: String) -> Solution? {
            guard qs.count >= 2, qs.contains(where: { $0.perSubject != nil }) else { return nil }
            var exponents: [String: Int] = [:]
            var value = 1.0
            func add(_ unit: String, _ e: Int) {
                let (base, f) = baseUnit(unit)
                exponents[base, default: 0] += e
                value *= e > 0 ? f : 1 / f
            }
            for q in qs {
                guard let u = q.unit else { return nil }
                value *= q.value / q.perCount
                add(u, 1)
                if let per = q.per { add(per, -1) }
                if let s = q.perSubject { add(s, -1) }
            }
            let (tb, tf) = baseUnit(target)
            exponents = exponents.filter { $0.value != 0 }
            guard exponents == [tb: 1] else { return nil }
            value /= tf
            return Solution(steps: [qs.map(\.label).joined(separator: " × ") + " = \(Calculator.format(value)) \(target)"], value: value, rule: "units, one product")
        }

        static func baseUnit(_ u: String) -> (String, Double) {
            if let s = timeSeconds[u] { return ("second", s) }
            if let m = timeMonths[u] { return ("month", m) }
            if u == "cent" { return ("$", 0.01) }
            return (u, 1)
        }

        static func carried(_ qs: [Quantity], target: String, p: Problem) -> Solution? {
            let rates = qs.indices.filter { qs[$0].per != nil }
            var used = Set<Int>()
            var steps: [String] = []
            var carried: [Double] = [], held: [Double] = [], left: [Int] = [], heldAt: [Int] = []
            for c in qs.indices where qs[c].per == nil {
                guard let (v, path, divided) = carry(qs[c], to: target, rates: rates, qs: qs) else { left.append(c); continue }
                if path.isEmpty { held.append(v); heldAt.append(c); continue }
                used.formUnion(path)
                let working = zip(path, path.indices).map { (r, n) in (divided.contains(n) ? " ÷ " : " × ") + qs[r].label }.joined()
                carried.append(v)
                steps.append(qs[c].label + working + " = \(Calculator.format(v)) \(target)")
            }
            guard !carried.isEmpty || !held.isEmpty, used == Set(rates) else { return nil }
            let total = carried.reduce(0, +)
            if sharing(p), left.count == 1 {
                let n = qs[left[0]].value
                let sum = total + held.reduce(0, +)
                steps.append("\(Calculator.format(sum)) / \(Calculator.format(n)) = \(Calculator.format(sum / n))")
                return Solution(steps: steps, value: sum / n, rule: "units, shared")
            }
            guard left.isEmpty, !carried.isEmpty else { return nil }
            if p.asks(["change", "left", "remain", "remains", "rest"]) {
                guard held.count == 1 else { return nil }
                // What is held is the start ("Ines has $60", "pays with a $50 bill"), unless its clause takes it away
                // ("… and sells 70 bottles" after 5 crates of 24, "then spends $15" after a wage): then it comes off
                // what was carried. Money paid "with" a bill is always the start, though "pays" is a verb of losing.
                let k = qs[heldAt[0]].clause
                let paidWith = baseUnit(target).0 == "$" && k < p.statement.count && p.statement[k].contains { $0.text == "with" }
                if !paidWith, k < p.statement.count, Story.verb(p.statement[k]) == .losing {
                    steps.append("\(Calculator.format(total)) - \(Calculator.format(held[0])) = \(Calculator.format(total - held[0]))")
                    return Solution(steps: steps, value: total - held[0], rule: "units, what is left")
                }
                steps.append("\(Calculator.format(held[0])) - \(Calculator.format(total)) = \(Calculator.format(held[0] - total))")
                return Solution(steps: steps, value: held[0] - total, rule: "units, what is left")
            }
            // Money held besides what is bought is a cost of its own only when a total is asked ("plus a $150 fee").
            if !held.isEmpty, p.asksTotal {
                let sum = total + held.reduce(0, +)
                steps.append((carried + held).map(Calculator.format).joined(separator: " + ") + " = \(Calculator.format(sum))")
                return Solution(steps: steps, value: sum, rule: "units")
            }
            guard held.isEmpty else { return nil }
            if carried.count > 1 { steps.append(carried.map(Calculator.format).joined(separator: " + ") + " = \(Calculator.format(total))") }
            return Solution(steps: steps, value: total, rule: "units")
        }

        /// A count carried through rates (those of its own clause first) until it is in `target`: its
        /// value there, the rates it went through, and which of them (by position) it was divided by; or nil.
        static func carry(_ c: Quantity, to target: String, rates: [Int], qs: [Quantity]) -> (Double, [Int], Set<Int>)? {
            var unit = c.unit ?? "", value = c.value, path: [Int] = [], divided = Set<Int>()
            // One conversion a path at most: 2 hours into minutes for "20 pages a minute" is one; 5 minutes
            // into weeks for "5 days a week" and back into minutes is a misreading, not arithmetic.
            var conversions = 0
            func convert(_ from: String, _ to: String) -> Double? {
                guard let f = factor(from, to) else { return nil }
                if from != to { conversions += 1 }
                return f
            }
            for _ in 0..<5 {
                let open = rates.filter { !path.contains($0) }
                let ordered = open.filter { qs[$0].clause == c.clause } + open.filter { qs[$0].clause != c.clause }
                // A rate per this unit; else this unit converted to the one asked; else a rate the other way round.
                if let r = ordered.first(where: { qs[$0].per == unit }) ?? ordered.first(where: { factor(unit, qs[$0].per!) != nil }) {
                    value = value * convert(unit, qs[r].per!)! / qs[r].perCount * qs[r].value
                    unit = qs[r].unit ?? ""
                    path.append(r)
                } else if factor(unit, target) != nil {
                    break
                } else if let r = ordered.first(where: { qs[$0].unit.map { factor(unit, $0) != nil } ?? false }) {
                    // 80 apples in bags of 8 apples each is 10 bags.
                    value = value * convert(unit, qs[r].unit!)! / qs[r].value * qs[r].perCount
                    unit = qs[r].per!
                    divided.insert(path.count)
                    path.append(r)
                } else { return nil }
            }
            guard let f = convert(unit, target), conversions <= 1 else { return nil }
            return (value * f, path, divided)
        }

        /// How many of `to` one `from` is: 1 for the same unit, 60 for hour → minute, 0.01 for cent → $.
        static func factor(_ from: String, _ to: String) -> Double? {
            if from == to { return 1 }
            if let a = timeSeconds[from], let b = timeSeconds[to] { return a / b }
            if let a = timeMonths[from], let b = timeMonths[to] { return a / b }
            if from == "year", to == "week" { return 52 }
            if from == "year", to == "day" { return 365 }
            if from == "cent", to == "$" { return 0.01 }
            if from == "$", to == "cent" { return 100 }
            if let (k1, a) = measures[from], let (k2, b) = measures[to], k1 == k2 { return a / b }
            return nil
        }

        /// Units of one kind that convert exactly: volume in ml, mass in grams (metric) or ounces, length in
        /// cm (metric) or inches.
        static let measures: [String: (String, Double)] = [
            "ml": ("volume", 1), "liter": ("volume", 1_000),
            "gram": ("mass", 1), "kilogram": ("mass", 1_000), "ounce": ("weight", 1), "pound": ("weight", 16),
            "mm": ("length", 0.1), "cm": ("length", 1), "centimeter": ("length", 1), "meter": ("length", 100), "km": ("length", 100_000),
            "inch": ("imperial length", 1), "foot": ("imperial length", 12), "yard": ("imperial length", 36), "mile": ("imperial length", 63_360),
        ]

        static let timeSeconds: [String: Double] = ["second": 1, "minute": 60, "hour": 3_600, "day": 86_400, "week": 604_800]
        static let timeMonths: [String: Double] = ["month": 1, "year": 12]
    }
}
