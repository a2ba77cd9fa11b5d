import Foundation

/// One-step word problems, by rule: a problem with exactly two quantities and one question, whose
/// words say which operation joins them. A small model writes the wrong program for these about half
/// the time; the rule is exact when it applies and declines (nil) when it is unsure, leaving the
/// problem to the programs (`ProgramAided`).
///
/// Cues, in order of precedence (the first that applies decides):
/// 1. a comparison question — "how many more/fewer … than", "difference": the larger minus the smaller;
/// 2. division — the question asks per part ("each", "per", "in every") while both numbers are in the
///    statement; sharing words ("equally", "split", "shared", "divided", "among", "equal parts/rows");
///    grouping ("boxes of 6" and the question counts boxes): the larger over the smaller, whole when the
///    question counts;
/// 3. multiplication — "each", "every", "per", "a day", "at N … each" in the statement; rows/length ×
///    width (an area); a unit value in the statement and a count in the question ("A book costs 14
///    dollars. How much do 3 books cost?");
/// 4. subtraction — taking away ("sold", "gave", "ate", "lost", "left", "drained", "away", "empty",
///    "absent", "injured"…): the larger minus the smaller;
/// 5. addition — putting together ("more", "in total", "altogether", "in all", "together", "older",
///    "and … and"): the sum.
/// Units of time ("3 hours. How many minutes") are the calculator's, not this rule's.
public enum WordProblems {
    public struct Solution: Sendable, Equatable {
        public var expression: String
        public var value: Double
        /// Which cue decided.
        public var rule: String
    }

    public static func solve(_ text: String) -> Solution? {
        guard let (statement, question) = split(text), !hidesAStep(statement + " " + question) else { return nil }
        let numbers = quantities(in: statement) + quantities(in: question)
        guard numbers.count == 2 else { return nil }
        let inQuestion = quantities(in: question).count
        let s = words(statement), q = words(question)
        let (a, b) = (numbers[0], numbers[1])
        let (big, small) = (max(a, b), min(a, b))
        let counts = q.contains("many")
        if comparison(q) { return .init(expression: "\(f(big)) - \(f(small))", value: big - small, rule: "comparison") }
        if division(s, q, inQuestion: inQuestion) {
            guard small != 0, !counts || (big / small).rounded() == big / small else { return nil }
            return .init(expression: "\(f(big)) / \(f(small))", value: big / small, rule: "sharing or grouping")
        }
        if multiplication(s, q, inQuestion: inQuestion, rate: rate(statement)) { return .init(expression: "\(f(a)) * \(f(b))", value: a * b, rule: "each or per") }
        // The statement's verbs first ("finds 12 more … how many now" adds); the question's words only
        // when the statement has neither kind.
        let subtract = Solution(expression: "\(f(big)) - \(f(small))", value: big - small, rule: "taking away")
        let add = Solution(expression: "\(f(a)) + \(f(b))", value: a + b, rule: "putting together")
        if !s.isDisjoint(with: takingAway) { return subtract }
        if !s.isDisjoint(with: puttingTogether) { return add }
        if !q.isDisjoint(with: takingAwayInQuestion) { return subtract }
        if !q.isDisjoint(with: puttingTogether) { return add }
        return nil
    }

    static let takingAway: Set<String> = [
        "sold", "sells", "sell", "gave", "gives", "give", "ate", "eats", "eaten", "lost", "loses", "lose", "spent", "spends",
        "used", "uses", "broke", "broken", "left", "leaves", "away", "drained", "leaked", "fell", "popped", "removed", "removes",
        "absent", "injured", "sick", "missing", "empty", "lent", "donated", "donates", "traded", "paid", "pays", "took", "takes",
        "fewer", "less", "younger", "shorter", "lighter", "minus", "subtract", "melted", "burst", "escaped", "died", "off",
    ]
    /// Words of the question that ask what remains.
    static let takingAwayInQuestion: Set<String> = ["left", "remain", "remains", "remaining", "stayed", "still", "present", "now"]
    static let puttingTogether: Set<String> = [
        "more", "total", "altogether", "all", "together", "combined", "older", "taller", "longer", "heavier", "finds", "found",
        "gets", "got", "receives", "received", "adds", "added", "plus", "joined", "joins", "arrived", "came", "earned", "sum",
        "another", "extra", "bought", "buys", "collected", "caught", "picked", "saved", "scored",
    ]

    /// What makes a problem with two written numbers more than one step, so the rule declines: a percent;
    /// "times as"/"times that" (a comparison to compute first); two units of time (a conversion); a
    /// span of weekdays or months ("from Sunday to Thursday": days to count); a number fused to a word ("12-slice"); more than two
    /// sentences before the question, or more than 40 words (one-step problems are short).
    static func hidesAStep(_ text: String) -> Bool {
        let w = words(text), lower = text.lowercased()
        if lower.contains("%") || w.contains("percent") || w.contains("times") || w.contains("once") { return true }
        let times = Set(w.compactMap { timeUnits[$0] })
        if times.count > 1 || !w.isDisjoint(with: calendarWords) && !w.isDisjoint(with: ["from", "to", "through", "until", "till", "between"]) { return true }
        if lower.range(of: #"[0-9]-[a-z]"#, options: .regularExpression) != nil { return true }
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

    /// "How many more … than", "how much less", "difference".
    static func comparison(_ q: Set<String>) -> Bool {
        (q.contains("than") && (q.contains("more") || q.contains("fewer") || q.contains("less"))) || q.contains("difference")
    }

    static func division(_ s: Set<String>, _ q: Set<String>, inQuestion: Int) -> Bool {
        if !s.isDisjoint(with: ["equally", "split", "splits", "shared", "shares", "divided", "divides", "divide", "among", "equal"]) { return true }
        // Both numbers stated, and the question asks about one part.
        if inQuestion == 0, !q.isDisjoint(with: ["each", "per", "every"]) { return true }
        // "in boxes of 6 … how many boxes": the statement names groups of a size, the question counts the groups.
        if inQuestion == 0, s.contains("of"), q.contains("many"), !q.isDisjoint(with: groups), !s.isDisjoint(with: groups),
           s.isDisjoint(with: ["each", "every", "per"]) { return true }
        return false
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
        let spelled = words(text).intersection(spelledNumbers)
        return spelled.isEmpty ? out : out + [.nan, .nan]
    }

    static let spelledNumbers: Set<String> = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty",
        "hundred", "dozen", "half", "twice", "double", "triple", "third", "quarter", "fifty",
    ]

    static func words(_ text: String) -> Set<String> {
        Set(text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
    }

    static func f(_ v: Double) -> String { Calculator.format(v) }
}
