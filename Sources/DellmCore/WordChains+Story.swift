import Foundation

extension WordChains {
    /// A story of quantities, a clause at a time, each clause with one quantity:
    /// - a start: "Maya had 40 stickers", "There were 64 people on a train" (a new quantity);
    /// - a change to the quantity in focus, or the subject's: "gave 12", "15 got off", "bought 15 more";
    ///   a clause without a verb takes the one before ("sold 75 in the morning and 28 in the afternoon");
    /// - a quantity told by another: "three times as many books as Sam", "half as many pages", "7 more
    ///   points than Ella", "5 fewer goats than cows" (another, by its name, or the one in focus);
    /// - a part: "a quarter of them" given away, "25% off", or a part that stays ("two thirds of them are
    ///   girls", "45% walk to school").
    /// The question asks for the one in focus or named ("left", "now", "the sale price"), the total of
    /// all ("in all", "together", "over the two days"), the rest of a whole ("how many boys", "do not
    /// walk"), or an age later or earlier ("in 5 years").
    /// Rates ("each", "per", "every") are not a story's: the rule declines.
    enum Story {
        struct Entity {
            var names: Set<String>
            var value: Double
            var money: Bool
            var part: Int? = nil
            /// The quantities this one was computed from.
            var uses: Set<Int> = []
        }

        enum Verb { case losing, gaining, having }

        static let losing: Set<String> = [
            "gave", "give", "gives", "sold", "sell", "sells", "lost", "lose", "loses", "ate", "eat", "eats", "used", "use", "uses",
            "spent", "spend", "spends", "leaked", "broke", "breaks", "donated", "donates", "paid", "pays", "threw", "throws",
            "removed", "removes", "drank", "drinks", "sent", "sends", "mailed", "off", "away", "out", "lent", "lends", "returned",
            "burned", "popped", "fell", "spilled", "wasted", "missed",
        ]
        static let gaining: Set<String> = [
            "bought", "buys", "buy", "found", "finds", "find", "won", "wins", "win", "received", "receives", "receive", "added",
            "adds", "earned", "earns", "gained", "gains", "got", "gets", "on", "joined", "join", "joins", "arrived",
        ]
        static let having: Set<String> = [
            "has", "have", "had", "is", "are", "was", "were", "made", "makes", "make", "picked", "picks", "collected", "collects",
            "baked", "bakes", "held", "holds", "contains", "contained", "read", "reads", "scored", "scores", "grew", "grows",
            "caught", "catches", "planted", "plants", "wrote", "writes", "ran", "runs", "walked", "walks", "saw", "sees", "cut",
        ]
        static let purchasing: Set<String> = ["bought", "buys", "buy", "purchased", "purchases", "purchase", "ordered", "orders", "order"]
        static let rising: Set<String> = ["increase", "increases", "increased", "rose", "rises", "rise", "raised", "raises", "grew", "grows", "up"]
        static let falling: Set<String> = ["decrease", "decreases", "decreased", "fell", "falls", "dropped", "drops", "reduced", "reduces", "down", "shrank", "shrinks"]
        static let determiners: Set<String> = ["a", "an", "the", "there", "of", "at", "in", "on", "his", "her", "their", "its", "my", "our"]
        static let pronouns: Set<String> = ["he", "she", "it", "they", "him", "them", "her", "his", "their", "its", "we", "i", "you"]
        static let comparing: [String: Double] = [
            "more": 1, "fewer": -1, "less": -1, "older": 1, "younger": -1, "longer": 1, "shorter": -1, "taller": 1, "heavier": 1,
            "lighter": -1, "bigger": 1, "smaller": -1, "cheaper": -1, "higher": 1, "lower": -1, "farther": 1, "further": 1,
        ]

        static func solve(_ p: Problem) -> Solution? {
            var p = p
            // Equal groups are their product: "7 rows of 9 tulips" is 63 tulips, which the story then changes.
            var groupSteps: [String] = []
            p.statement = p.statement.map { c in
                guard let (clause, step) = groupProduct(c) else { return c }
                groupSteps.append(step)
                return clause
            }
            // The last clause may share everything out: "give the same number to each of her 5 students".
            var sharers: Double? = nil
            if let last = p.statement.last, let n = sharedAmong(last), p.asks(["each", "per"]) {
                sharers = n
                p.statement.removeLast()
                p.question = p.question.filter { $0.text != "each" && $0.text != "per" }
            }
            let rateWords: Set<String> = ["each", "per", "every", "apiece", "average"]
            // One clause may price or measure what the story counts: "he charges $2 per kilo", "each song has a size of 5 MB".
            var rate: Units.Quantity? = nil
            let rated = p.statement.indices.filter { k in p.statement[k].contains { rateWords.contains($0.text) || $0.text == "/" } }
            if rated.count == 1, sharers == nil {
                var qs: [Units.Quantity] = []
                guard Units.read(p.statement[rated[0]], clause: 0, into: &qs, inQuestion: false), qs.count == 1, qs[0].per != nil else { return nil }
                rate = qs[0]
                p.statement.remove(at: rated[0])
            }
            guard !p.all.contains(where: { rateWords.contains($0.text) }) else { return nil }
            // An amount left unknown ("some pens"), or a total told rather than asked: equations, not a story.
            // ("a total of 5 kilos" is a quantity; "some new music" counts nothing the problem counts).
            let totals: Set<String> = ["total", "sum", "together", "combined", "altogether"]
            let counted = Set(p.all.indices.compactMap { i in p.all[i].isQuantity ? noun(after: i, in: p.all) : nil })
            func someCounted(_ c: [Tok]) -> Bool {
                c.indices.contains { c[$0].text == "some" && (noun(after: $0, in: c).map { counted.contains($0) || p.questionWords.contains($0) } ?? true) }
            }
            func totalTold(_ c: [Tok]) -> Bool {
                c.contains(where: \.isQuantity) && c.indices.contains { totals.contains(c[$0].text) && !($0 + 1 < c.count && c[$0 + 1].text == "of") }
            }
            if p.statement.contains(where: { someCounted($0) || totalTold($0) }) { return nil }
            var s = State()
            s.steps = groupSteps
            for clause in relativeClausesFirst(p.statement) {
                guard s.read(clause) else { return nil }
            }
            guard s.focus != nil else { return nil }
            // A comparison asked ("how many more"), or a start told after its changes ("at first").
            if p.question.contains(where: { comparing[$0.text] != nil }) || p.asks(["difference", "times", "percent", "percentage", "fraction"]) { return nil }
            if p.statement.dropFirst().contains(where: { WordChains.contains($0, ["at", "first"]) || $0.contains { ["originally", "initially"].contains($0.text) } }) { return nil }
            guard let whole = s.answer(p, shared: sharers != nil || rate != nil) else { return nil }
            if let r = rate {
                // The rate is per what the story counts (kilos, songs), and its unit is what is asked.
                // No quantity the story counts is in the rate's unit already: 5 crates and 70 bottles sold are no
                // total of crates to carry into bottles.
                guard let per = r.per, s.entities.contains(where: { $0.names.contains(per) }), !s.entities.contains(where: \.money),
                      !s.entities.contains(where: { e in r.unit.map { e.names.contains($0) } ?? false }) else { return nil }
                let v = whole.value * r.value / r.perCount
                return Solution(steps: whole.steps + ["\(Calculator.format(whole.value)) \(per) × \(r.label) = \(Calculator.format(v))"], value: v, rule: "story, then a rate")
            }
            guard let n = sharers else { return whole }
            let each = whole.value / n
            guard each.rounded() == each || !p.questionWords.contains("many") else { return nil }
            return Solution(steps: whole.steps + ["\(Calculator.format(whole.value)) / \(Calculator.format(n)) = \(Calculator.format(each))"],
                            value: each, rule: "story, shared")
        }

        /// Equal groups in one clause, read as their product, and the clause without them: "7 rows of 9 tulips",
        /// "3 bags of apples with 8 apples in each bag", "5 shelves with 24 cans each", "4 boxes that each hold
        /// 12 crayons" → 63 tulips, 24 apples, 120 cans, 48 crayons. The groups are a plural that is not a
        /// measure or a time ("3 hours of 20 minutes" is no group), and what each holds is another thing.
        /// Money is not read here: a price is a rate, and `Units` reads it (as it reads equal groups, through
        /// its rates; a story needs them as one count). "N to each of M" is read before every reader
        /// (`WordChains.eachOfProduct`).
        static func groupProduct(_ c: [Tok]) -> (clause: [Tok], step: String)? {
            let qs = c.indices.filter { c[$0].isQuantity }
            guard qs.count == 2, qs.allSatisfy({ c[$0].kind == .number && c[$0].money == nil }) else { return nil }
            let (i, j) = (qs[0], qs[1])

            guard i + 1 < j, c[i + 1].kind == .word, WordChains.singular(c[i + 1].text) != c[i + 1].text,
                  let groups = noun(after: i, in: c), Units.measures[groups] == nil, Units.timeSeconds[groups] == nil, Units.timeMonths[groups] == nil,
                  let item = noun(after: j, in: c), item != groups, Units.measures[item] == nil, Units.timeSeconds[item] == nil else { return nil }
            let end = phraseEnd(after: j, in: c)
            let between = c[(i + 1)..<j].map(\.text), after = c[end...].map(\.text)
            let ofGroups = between.last == "of" && !between.dropLast().contains(where: { stoppers.contains($0) })
            // "each", "in each bag", "on every shelf", "per box" names the groups; "each" alone (after the
            // item, or "that each hold" before it) is each group.
            func eachOfGroups(_ words: [String]) -> Bool {
                guard let e = words.firstIndex(where: { ["each", "every", "per"].contains($0) }) else { return false }
                return e + 1 >= words.count || stoppers.contains(words[e + 1]) || WordChains.singular(words[e + 1]) == groups
                    || e > 0 && ["that", "which"].contains(words[e - 1])
            }
            let linked = between.contains { ["with", "containing", "holding", "that", "which", "of"].contains($0) }
            guard ofGroups || linked && (eachOfGroups(after) || eachOfGroups(between)) else { return nil }
            // The clause keeps its words before the groups and after the each-phrase, with the product and the item.
            var rest = Array(c[end...])
            if let e = rest.firstIndex(where: { ["each", "every", "per"].contains($0.text) }) {
                var from = e, to = e + 1
                if from > 0, ["in", "on", "for", "inside"].contains(rest[from - 1].text) { from -= 1 }
                if to < rest.count, rest[to].kind == .word, WordChains.singular(rest[to].text) == groups { to += 1 }
                rest.removeSubrange(from..<to)
            }
            let product = Tok(kind: .number, value: c[i].value * c[j].value)
            let clause = Array(c[..<i]) + [product] + Array(c[(j + 1)..<end]) + rest
            let step = "\(Calculator.format(c[i].value)) \(groups) × \(Calculator.format(c[j].value)) \(item)/\(groups) = \(Calculator.format(product.value)) \(item)"
            return (clause, step)
        }

        /// A clause that shares out among a number: "each of her 5 students", "equally among 4 friends",
        /// "split between 2 charities". The number, or nil.
        static func sharedAmong(_ c: [Tok]) -> Double? {
            let qs = c.indices.filter { c[$0].isQuantity }
            guard qs.count == 1, c[qs[0]].kind == .number, qs[0] > 0 else { return nil }
            // The words before the number, without "the", "his", "her" …: "each of her 5" → "each of".
            var before = c[..<qs[0]].map(\.text)
            while let w = before.last, ["a", "an", "the", "his", "her", "their", "its", "my", "our", "your"].contains(w) { before.removeLast() }
            let sharing = c.contains { ["equally", "evenly", "same", "split", "shared", "shares", "divided", "divides"].contains($0.text) }
            if before.suffix(2) == ["each", "of"] || sharing && (before.last == "among" || before.last == "between" || before.suffix(2).first == "among") { return c[qs[0]].value }
            return nil
        }

        struct State {
            var entities: [Entity] = []
            var focus: Int? = nil
            var verb: Verb? = nil
            var steps: [String] = []
            /// The kinds of verb that changed a quantity ("sold", "bought").
            var changedBy: Set<Verb> = []
            /// The verb in force is a purchase ("bought a book for $18 and a lunch for $9"): the money it
            /// names after "for" is paid, so it is taken from the money held; it is no change to anything else.
            var buying = false

            /// One clause read into the story; false when it cannot be.
            mutating func read(_ c: [Tok]) -> Bool {
                let quantities = c.indices.filter { c[$0].isQuantity }
                var verbHere = Story.verb(c)
                // "15 tulips were picked" after the tulips were counted: taken from them. (Told first, "45 apples
                // were picked" is how many there are.)
                if verbHere == .having, let q = quantities.first, let n = noun(after: q, in: c), Story.takenAway(c, after: q),
                   entities.contains(where: { $0.names.contains(n) }) { verbHere = .losing }
                if let v = verbHere { verb = v; buying = c.contains { Story.purchasing.contains($0.text) } }
                guard !quantities.isEmpty else { return true }
                if quantities.count == 2, compound(c, quantities) { return true }
                guard quantities.count == 1 else { return false }
                let i = quantities[0], t = c[i]
                let subject = Story.subject(c)
                let own = noun(after: i, in: c)
                // What a change applies to: the quantity of the noun it names, the subject's, the money, the one in focus.
                let target = own.flatMap { n in entities.indices.last { entities[$0].names.contains(n) } }
                    ?? subject.flatMap { resolve($0, money: t.money != nil) } ?? moneyEntity(t.money != nil) ?? focus
                switch t.kind {
                case .multiplier:
                    return relate(c, at: i, subject: subject) { $0 * t.value } label: { "\(Calculator.format(t.value)) × \($0)" }
                case .fraction where i + 1 < c.count && c[i + 1].text == "as":
                    return relate(c, at: i, subject: subject) { $0 * t.value } label: { "\(Calculator.format(t.value)) × \($0)" }
                case .percent where c[(i + 1)...].prefix(2).contains(where: { Story.comparing[$0.text] != nil }) && c[(i + 1)...].contains(where: { $0.text == "than" }):
                    // "earns 20% more than Bo": a multiple of another.
                    let sign = Story.comparing[c[(i + 1)...].prefix(2).first { Story.comparing[$0.text] != nil }!.text]!
                    let m = 1 + sign * t.value / 100
                    return relate(c, at: i, subject: subject) { $0 * m } label: { "\(Calculator.format(m)) × \($0)" }
                case .fraction, .percent:
                    return part(c, at: i, share: t.kind == .percent ? t.value / 100 : t.value, subject: subject)
                case .number:
                    // "pencils come in boxes of 12", "in rows of 6": the size of each group, a rate, not an
                    // amount the story has.
                    if i >= 2, c[i - 1].text == "of", c[i - 2].kind == .word, WordChains.singular(c[i - 2].text) != c[i - 2].text { return false }
                    if t.money != nil, buying, verb == .gaining, i > 0, c[i - 1].text == "for" {
                        // A price paid comes off the money held: the buyer's ("she bought"), else the story's
                        // ("a lunch for $9" names what was bought, not who paid).
                        guard let e = target.flatMap({ entities[$0].money ? $0 : nil }) ?? moneyEntity(true) else { return false }
                        change(e, by: -t.value)
                        changedBy.insert(.losing)
                        return true
                    }
                    if let k = c[(i + 1)...].prefix(4).firstIndex(where: { Story.comparing[$0.text] != nil }),
                       c[(k + 1)...].contains(where: { $0.text == "than" }) {
                        let sign = Story.comparing[c[k].text]!
                        return relate(c, at: i, subject: subject) { $0 + sign * t.value } label: { "\($0) \(sign > 0 ? "+" : "-") \(Calculator.format(t.value))" }
                    }
                    var more = i + 1 < c.count && c[i + 1].text == "more"
                    // "Bo has 3 more apples" after Ann's: more than someone, half-said: not a change to Ann's.
                    if more, let sub = subject?.filter({ !Story.pronouns.contains($0) }), !sub.isEmpty, let e = target ?? focus,
                       entities[e].names.isDisjoint(with: sub) { more = false; if verbHere == .having { return false } }
                    // Taking away from nothing yet: the start is told later ("sold 34 … It had 80 at first").
                    if !more, verb == .losing, focus == nil { return false }
                    // A change to a quantity of the same thing: 3 books bought are no change to 50 dollars.
                    if more || verb == .gaining || verb == .losing, more || verbHere != nil || subject == nil, let e = target ?? focus,
                       own == nil || entities[e].names.contains(own!) || t.money != nil && entities[e].money {
                        let sign: Double = more || verb == .gaining ? 1 : -1
                        change(e, by: sign * t.value)
                        changedBy.insert(sign > 0 ? .gaining : .losing)
                        return true
                    }
                    if verbHere == nil, subject == nil, verb == .having, let f = focus, own == nil || entities[f].names.contains(own!) {
                        change(f, by: t.value) // "picked 38 on Monday and 27 on Tuesday"
                        return true
                    }
                    // A quantity told again of one already told ("It had 80 hats"): a restart the rule does not read.
                    if let e = target, subject.map({ resolve($0, money: false) != nil }) == true, own == nil || entities[e].names.contains(own!) { return false }
                    var names = Set(subject ?? [])
                    if let n = own { names.insert(n) }
                    entities.append(Entity(names: names, value: t.value, money: t.money != nil))
                    focus = entities.count - 1
                    steps.append("\(Story.label(subject, own)) = \(Calculator.format(t.value))")
                    return true
                default:
                    return false
                }
            }

            /// "5 more than twice as many goats as Adam": a multiple of another, and then more or fewer.
            mutating func compound(_ c: [Tok], _ qs: [Int]) -> Bool {
                let (n, m) = (qs[0], qs[1])
                guard c[n].kind == .number, c[m].kind == .multiplier || c[m].kind == .fraction,
                      let k = c[(n + 1)..<m].firstIndex(where: { Story.comparing[$0.text] != nil }), c[(k + 1)..<m].contains(where: { $0.text == "than" }),
                      m + 1 < c.count, c[m + 1].text == "as" else { return false }
                let sign = Story.comparing[c[k].text]!, times = c[m].value, plus = c[n].value
                return relate(c, at: m, subject: Story.subject(c)) { $0 * times + sign * plus } label: {
                    "\(Calculator.format(times)) × \($0) \(sign > 0 ? "+" : "-") \(Calculator.format(plus))"
                }
            }

            mutating func change(_ e: Int, by d: Double) {
                let before = entities[e].value
                entities[e].value += d
                focus = e
                steps.append("\(Calculator.format(before)) \(d < 0 ? "-" : "+") \(Calculator.format(Swift.abs(d))) = \(Calculator.format(entities[e].value))")
            }

            /// A quantity told by another: the one named after "as" or "than", else the one in focus.
            mutating func relate(_ c: [Tok], at i: Int, subject: [String]?, _ f: (Double) -> Double, label: (String) -> String) -> Bool {
                let after = c[(i + 1)...]
                let refStart = after.lastIndex { $0.text == "than" } ?? after.dropFirst().lastIndex { $0.text == "as" }
                var ref = focus
                if let r = refStart {
                    let words = c[(r + 1)...].prefix(4).filter { $0.kind == .word }.map { singular($0.text) }
                    if let named = resolve(words, money: false) { ref = named }
                    else if c[(r + 1)...].prefix(4).contains(where: { ["previous", "before", "that", "earlier"].contains($0.text) }) { ref = focus } // "than the previous day"
                    else if words.contains(where: { !Story.determiners.contains($0) && !Story.pronouns.contains($0) && $0 != "one" }) { return false }
                }
                guard let r = ref else { return false }
                // "A pen and pencil cost $6 … the pen costs twice as much as the pencil": parts of one total, equations to solve.
                if let sub = subject, !entities[r].names.isDisjoint(with: sub.filter { !Story.pronouns.contains($0) }) { return false }
                var names = Set((subject ?? []).filter { !Story.pronouns.contains($0) })
                if let m = after.firstIndex(where: { $0.text == "many" || $0.text == "much" }), let n = noun(after: m, in: c) { names.insert(n) }
                else if let n = noun(after: i, in: c) { names.insert(n) }
                let v = f(entities[r].value)
                entities.append(Entity(names: names, value: v, money: entities[r].money, uses: entities[r].uses.union([r])))
                focus = entities.count - 1
                steps.append("\(Story.label(subject, names.subtracting(subject ?? []).sorted().first)) = \(label(Calculator.format(entities[r].value))) = \(Calculator.format(v))")
                return true
            }

            /// A part of a whole: taken away, taken off a price, added, or kept as a part of its own.
            mutating func part(_ c: [Tok], at i: Int, share: Double, subject: [String]?) -> Bool {
                var whole = focus
                if let of = c[(i + 1)...].prefix(2).firstIndex(where: { $0.text == "of" }) {
                    let words = c[(of + 1)...].prefix(3).filter { $0.kind == .word }.map { singular($0.text) }
                    if let named = resolve(words, money: false) { whole = named }
                }
                guard let w = whole else { return false }
                let amount = entities[w].value * share
                // "rose by 20%", "was cut by a third": the whole itself changes.
                let rising = c.contains { Story.rising.contains($0.text) }, falling = c.contains { Story.falling.contains($0.text) }
                if rising != falling {
                    change(w, by: (rising ? 1 : -1) * amount)
                    return true
                }
                if c.contains(where: { $0.text == "off" || $0.text == "discount" }) || verb == .losing || verb == .gaining {
                    change(w, by: (verb == .gaining ? 1 : -1) * amount)
                    return true
                }
                var names = Set(c.filter { $0.kind == .word && !Story.determiners.contains($0.text) && !Story.pronouns.contains($0.text)
                    && !Story.having.contains($0.text) && !WordChains.stoppers.contains($0.text) }.map { singular($0.text) })
                names.subtract(entities[w].names)
                entities.append(Entity(names: names, value: amount, money: entities[w].money, part: w, uses: entities[w].uses.union([w])))
                steps.append("\(Calculator.format(share)) × \(Calculator.format(entities[w].value)) = \(Calculator.format(amount))")
                return true
            }

            /// The latest quantity one of these words names; a pronoun is the one in focus.
            func resolve(_ words: [String], money: Bool) -> Int? {
                if let w = words.first, Story.pronouns.contains(w) { return moneyEntity(money) ?? focus }
                let wanted = Set(words).subtracting(Story.determiners)
                return entities.indices.last { !entities[$0].names.isDisjoint(with: wanted) && (!money || entities[$0].money) }
            }

            func moneyEntity(_ money: Bool) -> Int? { money ? entities.indices.last { entities[$0].money } : nil }

            func answer(_ p: Problem, shared: Bool = false) -> Solution? {
                // A question about someone the story does not count ("How many did Bo get?"), or about the
                // changes rather than what they leave ("How many did he sell?").
                let counted = entities.reduce(into: Set<String>()) { $0.formUnion($1.names) }
                let subjects = Set(p.statement.compactMap { $0.first?.text })
                if p.questionWords.contains(where: { p.names.contains($0) && !counted.contains($0) && !subjects.contains($0) }) { return nil }
                if let v = Story.verb(p.question), changedBy.contains(v) { return nil }
                let asked = p.question.indices.filter { p.question[$0].isQuantity }
                let noun = p.question.firstIndex { $0.text == "many" }.flatMap { WordChains.noun(after: $0, in: p.question) }
                let whole = entities.indices.filter { entities[$0].part == nil }
                // A unit asked that no quantity has ("how many minutes" of hours): a conversion, not a story.
                if let n = noun, Units.factor(n, "second") != nil || Units.factor(n, "month") != nil || Units.measures[n] != nil || n == "$" || n == "cent",
                   !entities.contains(where: { $0.names.contains(n) }) { return nil }
                // An age later or earlier: "How old will his father be in 5 years?"
                if p.questionWords.contains("old"), asked.count == 1, let e = resolve(p.question.filter { $0.kind == .word }.map(\.text).filter { !Story.pronouns.contains($0) }, money: false) {
                    let n = p.question[asked[0]].value, ago = p.questionWords.contains("ago")
                    guard covers([e]) else { return nil }
                    return solution(entities[e].value + (ago ? -n : n), "\(Calculator.format(entities[e].value)) \(ago ? "-" : "+") \(Calculator.format(n))")
                }
                if p.asksTotal || shared, whole.count >= 2 {
                    guard asked.isEmpty || asked.count == 1 && p.question[asked[0]].value == Double(whole.count) else { return nil }
                    guard covers(whole) else { return nil }
                    let sum = whole.map { entities[$0].value }.reduce(0, +)
                    return solution(sum, whole.map { Calculator.format(entities[$0].value) }.joined(separator: " + "))
                }
                guard asked.isEmpty else { return nil }
                let parts = entities.indices.filter { entities[$0].part != nil }
                let unnamed = noun.map { n in !entities.contains { $0.names.contains(n) } } ?? false
                if parts.count == 1, p.questionWords.contains("not") || unnamed, let w = entities[parts[0]].part, covers(parts) {
                    let rest = entities[w].value - entities[parts[0]].value
                    return solution(rest, "\(Calculator.format(entities[w].value)) - \(Calculator.format(entities[parts[0]].value))")
                }
                guard parts.isEmpty || !unnamed else { return nil }
                let named = p.question.filter { $0.kind == .word && !Story.pronouns.contains($0.text) }.map { singular($0.text) }
                if parts.isEmpty {
                    // The question names another quantity than the one in focus ("How many miles did Roger ride" after
                    // "5 times that amount in the evening"): which it asks is unclear.
                    guard let f = focus, covers([f]), resolve(named, money: false).map({ $0 == f }) ?? true else { return nil }
                    return solution(entities[f].value, nil)
                }
                // With a part, the question must name it ("how many are girls"); "how many liters are in it"
                // could be the whole or the part: declined.
                guard let e = resolve(named, money: false), entities[e].part != nil, covers([e]) else { return nil }
                return solution(entities[e].value, nil)
            }

            /// Whether these quantities, with those they were computed from, are all the story told: a
            /// quantity the answer does not use is a step the rule did not read.
            func covers(_ answered: [Int]) -> Bool {
                let used = answered.reduce(into: Set(answered)) { $0.formUnion(entities[$1].uses) }
                return used.count == entities.count
            }

            func solution(_ v: Double, _ last: String?) -> Solution {
                Solution(steps: steps + (last.map { ["\($0) = \(Calculator.format(v))"] } ?? []), value: v, rule: "story")
            }
        }

        /// A quantity's name in the working: its subject's words and its noun ("walter sticker"), or "it".
        static func label(_ subject: [String]?, _ noun: String?) -> String {
            let words = (subject ?? []).filter { !pronouns.contains($0) } + (noun.map { [$0] } ?? [])
            return words.isEmpty ? "it" : words.joined(separator: " ")
        }

        /// "Mark is 7 years older than Amy, who is 15": the relative clause is read first, as "Amy is 15".
        static func relativeClausesFirst(_ clauses: [[Tok]]) -> [[Tok]] {
            var out = clauses
            var k = 1
            while k < out.count {
                if ["who", "which"].contains(out[k].first?.text), let name = out[k - 1].last(where: { $0.kind == .word }) {
                    var told = out[k]
                    told[0] = name
                    out.remove(at: k)
                    out.insert(told, at: k - 1)
                }
                k += 1
            }
            return out
        }

        /// The clause's verb: a verb of losing or gaining anywhere in it ("were added", "got off"), else
        /// one of having; nil when it has none.
        static func verb(_ c: [Tok]) -> Verb? {
            for (i, t) in c.enumerated() where t.kind == .word {
                if ["moved", "moves", "came", "comes", "walked", "ran"].contains(t.text), i + 1 < c.count, ["in", "into", "on", "aboard"].contains(c[i + 1].text) {
                    return .gaining // "300 people moved in"
                }
                if t.text == "got" || t.text == "gets" {
                    let next = i + 1 < c.count ? c[i + 1].text : ""
                    return ["off", "out", "away"].contains(next) ? .losing : .gaining
                }
                if losing.contains(t.text) {
                    // "Her mom gave her 12": given to the one the story follows.
                    if i + 2 < c.count, ["her", "him", "them", "me", "us"].contains(c[i + 1].text), c[i + 2].isQuantity { return .gaining }
                    return .losing
                }
                if gaining.contains(t.text), t.text != "on" || i > 0 && ["got", "get", "climbed", "hopped"].contains(c[i - 1].text) { return .gaining }
            }
            return c.contains { having.contains($0.text) } ? .having : nil
        }

        /// A passive of taking after the quantity: "were picked", "are eaten", "have been sold", "was taken away".
        static func takenAway(_ c: [Tok], after q: Int) -> Bool {
            let taking: Set<String> = ["picked", "taken", "eaten", "cut", "caught", "collected", "harvested", "removed", "stolen", "given",
                                       "sold", "used", "spent", "lost", "broken", "borrowed", "rented", "delivered", "shipped", "moved", "drunk"]
            let words = c[(q + 1)...].filter { $0.kind == .word }.map(\.text)
            guard let aux = words.firstIndex(where: { ["was", "were", "is", "are", "been", "get", "got"].contains($0) }), aux + 1 < words.count else { return false }
            let next = words[aux + 1] == "been" && aux + 2 < words.count ? words[aux + 2] : words[aux + 1]
            return taking.contains(next)
        }

        /// The clause's subject (`WordChains.subjectWords`), singular; nil when there is none ("27 on Tuesday").
        static func subject(_ c: [Tok]) -> [String]? {
            let words = subjectWords(c).map(singular)
            return words.isEmpty ? nil : words
        }
    }
}
