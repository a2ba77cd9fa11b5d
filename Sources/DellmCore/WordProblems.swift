import Foundation

/// One-step word problems, by rule: a problem with exactly two quantities and one question, whose
/// words say which operation joins them. A small model writes the wrong program for these about half
/// the time; the rule is exact when it applies and declines (nil) when it is unsure, leaving the
/// problem to the programs (`ProgramAided`).
///
/// What the question asks decides first (`asked`), whatever verbs the statement uses:
/// 1. the start before a change — "at first", "to begin with", "before", or "how many did … have" after
///    a statement in the present: a loss is added back, a gain taken off (no verb of either: decline);
/// 2. a comparison — "how many more/fewer", "how much taller/older/cheaper …" (with or without "than"),
///    "difference": the larger minus the smaller;
/// 3. how many a sum of money buys — "how many … can … buy/afford", money in the statement: whole times;
/// 4. a total — "in all", "altogether", "combined", "over the weekend", or the statement's own action
///    asked again ("sold 245 … and 198 … How many did it sell?"): the sum.
/// Otherwise the statement's words name the operation (`joined`):
/// 5. division — sharing words ("equally", "split", "among"), the question asks per part, groups of a
///    size ("boxes of 6") or a group the statement fills ("12 in each bag … how many bags");
/// 6. multiplication — "each", "every", "per", "a day", rows, an area, a unit value and a count;
/// 7. "N more" adds, whoever gave them; then taking away (verbs in all their forms: "spend", "spent",
///    "spending") or putting together.
/// Numbers written as words ("four friends") count; "one" is not read, and words that hide a step
/// ("half", "twice", "a dozen", "twenty-five") make the rule decline.
/// Units of time ("3 hours. How many minutes") are the calculator's, not this rule's.
public enum WordProblems {
    public struct Solution: Sendable, Equatable {
        public var expression: String
        public var value: Double
        /// Which cue decided.
        public var rule: String

        func rule(_ name: String) -> Solution { Solution(expression: expression, value: value, rule: name) }
    }

    public static func solve(_ text: String) -> Solution? {
        guard let (statement, question) = split(text) ?? buyingAlone(text), !hidesAStep(statement + " " + question) else { return nil }
        let numbers = quantities(in: statement) + quantities(in: question)
        guard numbers.count == 2, !numbers.contains(where: \.isNaN) else { return nil }
        let p = Problem(s: words(statement), q: words(question), statement: statement.lowercased(), question: question.lowercased(),
                        a: numbers[0], b: numbers[1], inQuestion: quantities(in: question).count)
        let s = asked(p) ?? joined(p)
        return s?.value.isNaN == true ? nil : s
    }

    /// What a cue returns to make the rule decline, not pass the problem to the next cue.
    static let declined = Solution(expression: "", value: .nan, rule: "declined")

    /// One problem's parts: the statement's and the question's words, the two quantities and how many
    /// of them the question holds.
    struct Problem {
        var s: Set<String>, q: Set<String>, statement: String, question: String
        var a: Double, b: Double, inQuestion: Int
        var big: Double { max(a, b) }
        var small: Double { min(a, b) }
        var counts: Bool { q.contains("many") }
        var difference: Solution { .init(expression: "\(f(big)) - \(f(small))", value: big - small, rule: "") }
        var sum: Solution { .init(expression: "\(f(a)) + \(f(b))", value: a + b, rule: "") }
        var product: Solution { .init(expression: "\(f(a)) * \(f(b))", value: a * b, rule: "") }
    }

    /// What the question asks decides first, whatever the statement's verbs: the start before a change
    /// ("at first"), a comparison ("how much taller", "how many more … than"), how many a sum of money
    /// buys, or a total ("in all", "over the weekend", or the statement's own action asked again:
    /// "sold 245 … and 198 … How many did it sell?").
    static func asked(_ p: Problem) -> Solution? {
        if startUnknown(p) {
            // Undo the change: a loss is added back, a gain taken off; without a verb of either, decline.
            if gains(p) { return p.difference.rule("the start, before a gain") }
            if loses(p) { return p.sum.rule("the start, before a loss") }
            return nil
        }
        if comparison(p.q) { return p.difference.rule("comparison") }
        if countsARateUnit(p) { return quotative(p) ?? declined }
        if buying(p), p.small > 0 {
            let n = (p.big / p.small).rounded(.down)
            return .init(expression: "floor(\(f(p.big)) / \(f(p.small)))", value: n, rule: "how many a sum buys")
        }
        if total(p) { return p.sum.rule("a total") }
        return nil
    }

    /// The operation the statement's words name: sharing or grouping, each or per, taking away,
    /// putting together.
    static func joined(_ p: Problem) -> Solution? {
        // "37 points, which is 12 more than Jae": a comparison the question does not ask as one is no
        // operation of the statement's verbs (the sum of 37 and 12 is Omar's plus 12, not Jae's).
        if p.statement.range(of: #"\b[0-9][0-9.,]*( [a-z]+)? (more|fewer|less|taller|shorter|older|younger|longer|heavier|lighter|bigger|smaller)( [a-z]+)? than\b"#, options: [.regularExpression, .caseInsensitive]) != nil {
            return nil
        }
        if division(p) {
            guard p.small != 0, !p.counts || (p.big / p.small).rounded() == p.big / p.small else { return nil }
            return .init(expression: "\(f(p.big)) / \(f(p.small))", value: p.big / p.small, rule: "sharing or grouping")
        }
        if let unit = sharedMeasure(p.statement + " " + p.question), p.q.isDisjoint(with: ["area", "square"]) {
            // "A rope 90 meters long is cut into pieces of 15 meters": how many pieces is a quotient, and
            // meters times meters is nothing but an area, so without one asked the product is never taken.
            if let counted = counted(p.question), counted != unit, p.small != 0, (p.big / p.small).rounded() == p.big / p.small {
                return .init(expression: "\(f(p.big)) / \(f(p.small))", value: p.big / p.small, rule: "pieces of a measure")
            }
        } else if multiplication(p.s, p.q, inQuestion: p.inQuestion, rate: rate(p.statement)) { return p.product.rule("each or per") }
        // The statement's verbs first ("finds 12 more … how many now" adds); the question's words only
        // when the statement has neither kind. "18 more" adds whoever gave them.
        // ("12 more than Jae" is a comparison, not 12 added: "Omar scored 37, which is 12 more than Jae".)
        if p.statement.range(of: #"\b[0-9][0-9.,]* more\b(?! than)"#, options: .regularExpression) != nil { return p.sum.rule("putting together") }
        // "A jacket costs $58 and Ivy has $100. How much money will she have after buying the jacket?": buying
        // spends the money asked about (was 58 + 100: "buying" gains what is bought, not money).
        if spendsMoneyAsked(p) { return p.difference.rule("money left after buying") }
        if loses(p) { return p.difference.rule("taking away") }
        if !p.s.isDisjoint(with: puttingTogether) { return p.sum.rule("putting together") }
        if !p.q.isDisjoint(with: takingAwayInQuestion) { return p.difference.rule("taking away") }
        if !p.q.isDisjoint(with: puttingTogether) { return p.sum.rule("putting together") }
        return nil
    }

    /// The unit both numbers are told in, when it is a measure or a unit of time ("90 meters … 15
    /// meters", "a 40-minute show … 8 minutes"); nil otherwise.
    static func sharedMeasure(_ text: String) -> String? {
        let lower = text.lowercased()
        let re = try! NSRegularExpression(pattern: #"\b[0-9][0-9.,]*(?:-| )([a-z]+)"#)
        let units = re.matches(in: lower, range: NSRange(lower.startIndex..., in: lower)).compactMap { m -> String? in
            Range(m.range(at: 1), in: lower).map { WordChains.singular(String(lower[$0])) }
        }
        guard units.count == 2, units[0] == units[1],
              WordChains.Units.measures[units[0]] != nil || WordChains.Units.timeSeconds[units[0]] != nil else { return nil }
        return units[0]
    }

    static func loses(_ p: Problem) -> Bool { !p.s.isDisjoint(with: takingAway) }

    /// Both amounts money, a purchase named, and the money held afterwards asked ("how much money … left /
    /// after buying / now").
    static func spendsMoneyAsked(_ p: Problem) -> Bool {
        let words = p.s.union(p.q)
        let purchase = !words.isDisjoint(with: forms(of: ["buy", "purchase"]))
        let moneyBoth = p.statement.filter { $0 == "$" }.count + p.question.filter { $0 == "$" }.count >= 2
            || (p.statement + " " + p.question).components(separatedBy: "dollar").count - 1 >= 2
        let asksMoneyAfter = (p.q.contains("money") || p.q.contains("dollars")) && !p.q.isDisjoint(with: ["left", "after", "remain", "remains", "now", "have", "has"])
        return purchase && moneyBoth && asksMoneyAfter && p.inQuestion == 0
    }
    static func gains(_ p: Problem) -> Bool {
        !p.s.isDisjoint(with: puttingTogether.subtracting(["all", "total", "altogether", "together", "combined", "sum"]))
            && !loses(p) || p.statement.range(of: #"\b[0-9][0-9.,]* more\b"#, options: .regularExpression) != nil
    }

    /// "How many … at first / to begin with / before / originally / at the start".
    /// Or the earlier state asked in the past of a statement in the present: "… has 19 left. How many
    /// did the shop have this morning?"
    static func startUnknown(_ p: Problem) -> Bool {
        p.question.range(of: #"\b(at first|to begin with|to start with|start(ed)? with|at the (start|beginning)|originally|initially|before)\b"#,
                         options: .regularExpression) != nil
            || p.q.contains("did") && p.q.contains("have") && !p.s.isDisjoint(with: ["has", "have", "now", "left", "remain", "remaining"])
    }

    /// "How many … can/could … buy/afford/purchase/get", with money in the statement, or named in the
    /// question with its amount ("… with 20 dollars").
    static func buying(_ p: Problem) -> Bool {
        func hasMoney(_ words: Set<String>, _ text: String) -> Bool {
            !words.isDisjoint(with: money) || text.contains("$") || text.contains("€") || text.contains("£")
        }
        return p.counts && !p.q.isDisjoint(with: ["can", "could"]) && !p.q.isDisjoint(with: ["buy", "afford", "purchase", "get", "pay"])
            && (p.inQuestion == 0 && hasMoney(p.s, p.statement) || p.inQuestion >= 1 && hasMoney(p.q, p.question))
    }

    /// Quotative division, decided by what the question counts: a unit the statement gives a rate per
    /// ("12 pages a day … how many days", "each bag holds 8 … how many bags", "a notebook costs $6 …
    /// how many notebooks"), while the question's own number, if any, is not a count of that unit (then
    /// the rate runs forward: "how many apples do 7 bags hold" multiplies). The larger by the smaller:
    /// rounded up when the question asks what is needed or how long it takes, down when it asks what
    /// can be bought or made, and declined when it asks neither and the division is not whole.
    static func countsARateUnit(_ p: Problem) -> Bool {
        guard p.counts, let unit = counted(p.question), unit.count > 1 else { return false }
        let u = NSRegularExpression.escapedPattern(for: unit)
        return p.statement.range(of: #"\b(a|an|per|each|every|one)( [a-z]+)? "# + u + #"(s|es)?\b"#, options: .regularExpression) != nil
            && p.question.range(of: #"\b[0-9][0-9.,]*( [a-z]+)? "# + u, options: .regularExpression) == nil
    }

    static func quotative(_ p: Problem) -> Solution? {
        guard p.small > 0 else { return nil }
        let exact = p.big / p.small
        if !p.q.isDisjoint(with: ["need", "needs", "needed", "take", "takes", "until", "enough", "required"]) {
            return .init(expression: "ceil(\(f(p.big)) / \(f(p.small)))", value: exact.rounded(.up), rule: "how many of a unit are needed")
        }
        if !p.q.isDisjoint(with: ["can", "could"]) {
            return .init(expression: "floor(\(f(p.big)) / \(f(p.small)))", value: exact.rounded(.down), rule: "how many of a unit can be had")
        }
        guard exact.rounded() == exact else { return nil }
        return .init(expression: "\(f(p.big)) / \(f(p.small))", value: exact, rule: "how many of a unit")
    }

    static let money: Set<String> = ["dollar", "dollars", "cent", "cents", "euro", "euros", "pound", "pounds", "rupees", "yen", "pesos", "coins", "money"]

    /// A total: "in all", "altogether", "in total", "combined", "both", "over the weekend"; or the
    /// statement's action asked again with "did" ("sold … How many did it sell?"), when the statement
    /// holds no state before and after ("had", "left").
    static func total(_ p: Problem) -> Bool {
        guard p.q.isDisjoint(with: takingAwayInQuestion), p.inQuestion == 0 else { return false }
        if !p.q.isDisjoint(with: ["altogether", "total", "combined", "both", "together"]) || p.question.contains("in all")
            || p.question.range(of: #"\bover the (weekend|week|two|three|holidays?)\b|\bthat day\b"#, options: .regularExpression) != nil { return true }
        guard p.q.contains("did"), p.s.isDisjoint(with: ["had", "has", "have", "left", "was", "were", "is", "are"]) else { return false }
        // The action asked again, and no other verb of taking away ("owned 940 and discarded 85 … did it own" is not a total).
        for w in p.q where w.count > 2 && !stateVerbs.contains(w) {
            let past = Set(pastForms(w) + (["read", "put", "cut", "hit", "set", "spread"].contains(w) ? [w] : []))
            guard !past.isDisjoint(with: p.s) else { continue }
            return p.s.subtracting(past).isDisjoint(with: takingAway)
        }
        return false
    }

    static let stateVerbs: Set<String> = ["own", "have", "hold", "contain", "weigh", "cost", "need", "want", "keep"]

    /// The past forms of a verb: regular ("plant" → "planted", "carry" → "carried") and the common irregular ones.
    static func pastForms(_ verb: String) -> [String] {
        var out = [verb + "ed", verb + "d"]
        if verb.hasSuffix("y") { out.append(String(verb.dropLast()) + "ied") }
        if let irregular = irregularPast[verb] { out.append(irregular) }
        return out
    }

    static let irregularPast: [String: String] = [
        "sell": "sold", "buy": "bought", "spend": "spent", "lend": "lent", "give": "gave", "eat": "ate", "run": "ran", "swim": "swam",
        "make": "made", "catch": "caught", "take": "took", "write": "wrote", "drive": "drove", "find": "found", "grow": "grew",
        "win": "won", "pay": "paid", "ride": "rode", "throw": "threw", "build": "built", "send": "sent", "draw": "drew",
        "fly": "flew", "feed": "fed", "keep": "kept", "bake": "baked", "sing": "sang", "drink": "drank", "bring": "brought",
        "teach": "taught", "sew": "sewed", "knit": "knitted", "sweep": "swept", "lose": "lost", "get": "got", "see": "saw",
        "break": "broke", "fall": "fell", "go": "went", "leave": "left", "come": "came", "drop": "dropped",
        "pop": "popped", "plant": "planted", "put": "put", "read": "read", "die": "died", "rise": "rose", "sink": "sank",
        "shrink": "shrank",
    ]

    /// Verbs and words of taking away, in all their forms ("spend", "spends", "spent", "spending").
    static let takingAway: Set<String> = forms(of: [
        "sell", "give", "eat", "lose", "spend", "use", "break", "drain", "leak", "fall", "pop", "remove", "lend", "donate",
        "trade", "pay", "take", "melt", "burst", "escape", "die", "discard", "drop", "waste", "throw", "go", "leave",
        "decrease", "shrink", "sink",
    ]).union([
        "broken", "left", "away", "absent", "injured", "sick", "missing", "empty", "fewer", "less", "younger", "shorter",
        "lighter", "minus", "subtract", "off", "eaten", "taken", "gone", "given",
    ])
    /// Words of the question that ask what remains.
    static let takingAwayInQuestion: Set<String> = ["left", "remain", "remains", "remaining", "stayed", "still", "present", "now"]
    static let puttingTogether: Set<String> = forms(of: [
        "find", "get", "receive", "add", "join", "arrive", "come", "earn", "buy", "collect", "catch", "pick", "save", "score",
        "plant", "hatch", "win", "gain", "grow", "deposit", "gather", "increase", "rise", "climb",
    ]).union([
        "more", "total", "altogether", "all", "together", "combined", "older", "taller", "longer", "heavier", "plus", "sum",
        "another", "extra", "new",
    ])

    /// A verb's forms: itself, -s, -ed, -ing and the irregular past ("come", "comes", "came", "coming").
    static func forms(of lemmas: [String]) -> Set<String> {
        var out = Set<String>()
        for v in lemmas {
            let stem = v.hasSuffix("e") ? String(v.dropLast()) : v
            out.formUnion([v, v + "s", v + "es", stem + "ed", stem + "ing", v + "ing"] + pastForms(v))
            if v.hasSuffix("y") { out.insert(String(v.dropLast()) + "ies") }
        }
        return out
    }

    /// What makes a problem with two written numbers more than one step, so the rule declines: a percent;
    /// "times as"/"times that" (a comparison to compute first); two units of time (a conversion); a
    /// span of weekdays or months ("from Sunday to Thursday": days to count); a number fused to a word ("12-slice"); more than two
    /// sentences before the question, or more than 40 words (one-step problems are short).
    static func hidesAStep(_ text: String) -> Bool {
        let w = words(text), lower = text.lowercased()
        if lower.contains("%") || w.contains("percent") || w.contains("times") || w.contains("once") { return true }
        // Cents and dollars: a conversion.
        if w.contains("cents") || w.contains("cent"), !w.isDisjoint(with: ["dollars", "dollar"]) || lower.contains("$") { return true }
        // A quantity told by another ("Max scored 7 more points than Ella") and a total asked: two steps.
        if lower.range(of: #"\b[0-9][0-9.,]* ([a-z]+ ){0,2}(more|fewer|less|older|younger|longer|shorter|taller|heavier)\b[^.?!]*\bthan\b"#, options: .regularExpression) != nil,
           !w.isDisjoint(with: ["all", "altogether", "together", "total", "combined", "both"]) { return true }
        // Two units of one measure ("3 liters … 250 ml"): a conversion first.
        let measured = Set(w.compactMap { WordChains.Units.measures[WordChains.singular($0)] }.map(\.0))
        if measured.count < Set(w.compactMap { WordChains.Units.measures[WordChains.singular($0)] != nil ? WordChains.singular($0) : nil }).count { return true }
        let times = Set(w.compactMap { timeUnits[$0] })
        if times.count > 1 || !w.isDisjoint(with: calendarWords) && !w.isDisjoint(with: ["from", "to", "through", "until", "till", "between"]) { return true }
        // "a 3-pack", "a 2-liter bottle" hide a step; a price ("7-dollar tickets") does not.
        if lower.range(of: #"[0-9]-(?!(dollar|cent|euro|pound)s?\b)[a-z]"#, options: .regularExpression) != nil { return true }
        let sentences = text.split(whereSeparator: { ".!?".contains($0) }).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return sentences.count > 3 || text.split(separator: " ").count > 40
    }

    static let timeUnits: [String: String] = [
        "second": "s", "seconds": "s", "minute": "min", "minutes": "min", "hour": "h", "hours": "h", "day": "d", "days": "d",
        "week": "w", "weeks": "w", "month": "mo", "months": "mo", "year": "y", "years": "y",
    ]
    static let calendarWords: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend", "weekday", "weekdays",
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december",
    ]

    /// A comparison asked: "how many more … (than)", "how much taller", "by how many … longer",
    /// "difference".
    static func comparison(_ q: Set<String>) -> Bool {
        q.contains("difference") || !q.isDisjoint(with: comparatives) && (q.contains("how") || q.contains("than"))
    }

    static let comparatives: Set<String> = [
        "more", "fewer", "less", "taller", "shorter", "older", "younger", "longer", "heavier", "lighter", "cheaper", "bigger",
        "smaller", "larger", "faster", "slower", "farther", "further", "higher", "lower", "wider", "narrower", "deeper", "warmer",
        "colder", "hotter", "richer", "thicker", "thinner",
    ]

    static func division(_ p: Problem) -> Bool {
        let (s, q, inQuestion) = (p.s, p.q, p.inQuestion)
        if !s.isDisjoint(with: ["equally", "split", "splits", "shared", "shares", "share", "divided", "divides", "divide", "among", "equal"]) { return true }
        // Both numbers stated, and the question asks about one part.
        if inQuestion == 0, !q.isDisjoint(with: ["each", "per", "every"]) { return true }
        // "paid $36 for 4 notebooks. How much did one notebook cost?": one of the things the statement counts.
        if inQuestion == 0, let r = p.question.range(of: #"\bone ([a-z]+)"#, options: .regularExpression),
           case let noun = singular(String(p.question[r].dropFirst(4))), noun.count > 2,
           p.statement.range(of: #"\b[0-9][0-9.,]*( [a-z]+)? "# + NSRegularExpression.escapedPattern(for: noun) + #"(s|es)?\b"#, options: .regularExpression) != nil {
            return true
        }
        // "in boxes of 6 … how many boxes": the statement names groups of a size, the question counts the groups.
        if inQuestion == 0, s.contains("of"), q.contains("many"), !q.isDisjoint(with: groups), !s.isDisjoint(with: groups),
           s.isDisjoint(with: ["each", "every", "per"]) { return true }
        // "12 rolls in each bag … how many bags": what the question counts is the group the statement fills.
        if inQuestion == 0, let counted = counted(p.question),
           p.statement.range(of: #"\b(each|every|per|a|one) "# + NSRegularExpression.escapedPattern(for: counted) + #"\b"#, options: .regularExpression) != nil {
            return true
        }
        return false
    }

    /// What "how many …" counts, in the singular: "How many bags does she fill?" → "bag".
    static func counted(_ question: String) -> String? {
        guard let r = question.range(of: #"how many ([a-z]+)"#, options: .regularExpression) else { return nil }
        let word = String(question[r].split(separator: " ").last ?? "")
        return singular(word)
    }

    /// The chain rule's singular, with money words kept as written ("dollars", not "$": the question counts them).
    static func singular(_ w: String) -> String {
        let s = WordChains.singular(w)
        return s == "$" ? w : s
    }

    static let groups: Set<String> = [
        "box", "boxes", "bag", "bags", "pack", "packs", "crate", "crates", "carton", "cartons", "group", "groups", "team", "teams",
        "row", "rows", "basket", "baskets", "jar", "jars", "bundle", "bundles", "tray", "trays", "shelf", "shelves", "bus", "buses",
        "car", "cars", "table", "tables", "plate", "plates", "stack", "stacks", "piles", "pile",
    ]

    static func multiplication(_ s: Set<String>, _ q: Set<String>, inQuestion: Int, rate: Bool) -> Bool {
        if !s.isDisjoint(with: ["each", "every", "per", "rows"]) || rate || q.contains("area") { return true }
        // A value in the statement ("costs 14 dollars", "weighs 5 kilograms", "carries 45 people") and a
        // count in the question ("How much do 3 books cost?"), unless the question adds or takes away.
        if inQuestion == 1, s.isDisjoint(with: takingAway) {
            return q.isDisjoint(with: puttingTogether) && q.isDisjoint(with: takingAway) || q.contains("cost") || q.contains("weigh")
        }
        return false
    }

    /// A rate in time: "15 dollars a week", "3 kilometers per day", "every hour".
    static func rate(_ text: String) -> Bool {
        text.lowercased().range(of: #"\b(a|an|per|each|every) (second|minute|hour|day|week|month|year)\b"#, options: .regularExpression) != nil
    }

    /// A question with no statement before it, only when it asks what a sum buys ("With 50 dollars, how
    /// many 7-dollar tickets can Mia buy?"): everything else of one sentence is the calculator's or the model's.
    static func buyingAlone(_ text: String) -> (String, String)? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.hasSuffix("?"), !t.dropLast().contains(where: { ".!?".contains($0) }) else { return nil }
        let q = words(t)
        guard q.contains("many"), !q.isDisjoint(with: ["can", "could"]), !q.isDisjoint(with: ["buy", "afford", "purchase"]) else { return nil }
        return ("", String(t.dropLast()))
    }

    /// The statement (everything before the last question) and the question.
    static func split(_ text: String) -> (String, String)? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.hasSuffix("?") else { return nil }
        let body = t.dropLast()
        guard let end = body.lastIndex(where: { ".!?".contains($0) }) else { return nil }
        let statement = String(body[...end]), question = String(body[body.index(after: end)...])
        let q = question.lowercased()
        guard q.contains("how") || q.contains("what") else { return nil }
        return (statement, question)
    }

    /// The numbers written as digits (a decimal point, thousands commas), in order. Numbers inside words
    /// ("2nd", "x2") are not quantities; a spelled-out number makes the rule decline (it would miss it).
    static func quantities(in text: String) -> [Double] {
        var out: [Double] = []
        var current = ""
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            if c.isASCII && c.isNumber || (c == "." || c == ",") && !current.isEmpty && i + 1 < chars.count && chars[i + 1].isNumber {
                current.append(c)
            } else {
                if !current.isEmpty, !c.isLetter, let v = Double(current.replacingOccurrences(of: ",", with: "")) { out.append(v) }
                if !current.isEmpty, c.isLetter { out.append(.nan) } // "2nd": not a plain quantity
                current = ""
            }
        }
        if !current.isEmpty, let v = Double(current.replacingOccurrences(of: ",", with: "")) { out.append(v) }
        if out.contains(where: \.isNaN) { return [.nan, .nan, .nan] }
        return out + spelled(in: text)
    }

    /// Numbers written as words: "four friends" is 4. "One" is not read (it is as often "one of them");
    /// a word that hides a step or a compound ("half", "twice", "a dozen", "twenty-five", "two hundred")
    /// makes the rule decline.
    static func spelled(in text: String) -> [Double] {
        let lower = text.lowercased()
        if lower.range(of: #"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-[a-z]"#, options: .regularExpression) != nil { return [.nan] }
        var out: [Double] = []
        for w in lower.split(whereSeparator: { !$0.isLetter }).map(String.init) {
            if let v = spelledNumbers[w] { out.append(v) } else if stepWords.contains(w) { out.append(.nan) }
        }
        return out
    }

    static let spelledNumbers: [String: Double] = [
        "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
        "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
        "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]
    static let stepWords: Set<String> = [
        "hundred", "thousand", "million", "dozen", "dozens", "half", "twice", "double", "triple", "third", "quarter", "thrice",
        "doubled", "doubles", "tripled", "triples", "halved", "halves",
    ]

    static func words(_ text: String) -> Set<String> {
        Set(text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
    }

    static func f(_ v: Double) -> String { Calculator.format(v) }
}
