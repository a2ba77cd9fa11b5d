import Foundation

/// Word problems of two to four steps, by rule (`WordProblems` reads one step). The problem is read
/// clause by clause into quantities, each with its unit and, for a rate, the unit it is per; then one of
/// three readers composes them, or the rule declines (nil) and the problem goes to the programs:
/// - `averages`: a list of values and "average" asked;
/// - `Units`: rates and prices composed by their units, as dimensional analysis does ($15 an hour ×
///   6 hours a day × 5 days = $450; 3 packs of 12 pencils shared among 4 friends = 9 pencils each);
/// - `Story`: a start and its changes ("gave 12 … then bought 15 more"), quantities told by another
///   ("three times as many as Sam", "7 more than Ella"), and parts ("a quarter of them", "25% off").
/// Every number the problem states must be used, or the rule declines: a number left over is a step
/// the rule did not read.
public enum WordChains {
    public struct Solution: Sendable, Equatable {
        /// The working, a step a line: "4 notebook × 3 $/notebook = 12".
        public var steps: [String]
        public var value: Double
        /// Which reader answered: "units", "story", "average".
        public var rule: String
        public var answer: String { (steps + ["Answer: \(Calculator.format(value))"]).joined(separator: "\n") }
    }

    /// A word problem by either rule: one step (`WordProblems`) first, then a chain.
    public static func wordProblem(_ text: String) -> Solution? {
        if let w = WordProblems.solve(text) {
            return Solution(steps: ["\(w.expression) = \(Calculator.format(w.value)) (word problem: \(w.rule))"], value: w.value, rule: "word problem: " + w.rule)
        }
        return solve(text)
    }

    public static func solve(_ text: String) -> Solution? {
        guard text.utf8.count <= 1_200, var p = Problem(text) else { return nil }
        // "gives 3 pencils to each of his 5 friends" is 15 pencils given, whichever reader reads on.
        var told: [String] = []
        p.statement = p.statement.map { c in
            guard let (clause, step) = eachOfProduct(c) else { return c }
            told.append(step)
            return clause
        }
        // The readers in turn; one whose result is impossible (negative, infinite) misread and gives way to the next.
        let readers: [(Problem) -> Solution?] = [averages, Units.solve, Story.solve, Unknowns.solve]
        for read in readers {
            if var s = read(p), s.value.isFinite, s.value >= 0 {
                s.steps = told + s.steps
                return s
            }
        }
        return nil
    }

    /// A token of a problem: a word, a symbol, or a quantity read from one or more words.
    struct Tok: Equatable {
        enum Kind: Equatable { case word, symbol, number, percent, fraction, multiplier }
        var kind: Kind
        var text: String = ""
        var value: Double = 0
        /// "$" for dollars, "cent" for cents, nil otherwise.
        var money: String? = nil
        var isQuantity: Bool { kind != .word && kind != .symbol }
        static func word(_ w: String) -> Tok { Tok(kind: .word, text: w) }
    }

    /// A problem read into clauses: the statement's, then the question's (one or more clauses).
    struct Problem {
        var statement: [[Tok]]
        var question: [Tok]
        var questionWords: Set<String>
        /// Words written with a capital inside a sentence (names), and words written with "'s".
        var names: Set<String> = []
        var possessors: Set<String> = []

        init?(_ text: String) {
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard t.hasSuffix("?") else { return nil }
            let toks = WordChains.tokens(t)
            var sentences: [[Tok]] = [[]]
            for tok in toks {
                if tok.kind == .symbol, [".", "?", "!", ";"].contains(tok.text) { sentences.append([]) } else { sentences[sentences.count - 1].append(tok) }
            }
            sentences = sentences.filter { !$0.isEmpty }
            // One sentence may be the whole problem when it states two quantities or more ("How many portions of 200 ml …
            // from a 2-liter container?").
            guard let q = sentences.last, sentences.count >= 2 || q.filter(\.isQuantity).count >= 2 else { return nil }
            // A leading "If …," of the question is a statement of its own.
            var question = q
            var extra: [[Tok]] = []
            // A leading "If …," or "Knowing that …," with a quantity in it.
            if let ask = question.firstIndex(where: { $0.text == "how" || $0.text == "what" }),
               let comma = question[..<ask].lastIndex(where: { $0.text == "," }), question[..<comma].contains(where: \.isQuantity) {
                let lead = question.first?.text == "if" ? 1 : 0
                extra = [Array(question[lead..<comma])]
                question = Array(question[(comma + 1)...])
            }
            // A trailing "… if Raquel has $40" is a statement too.
            if let ask = question.firstIndex(where: { $0.text == "how" || $0.text == "what" }),
               let cond = question[ask...].firstIndex(where: { $0.text == "if" }), question[(cond + 1)...].contains(where: \.isQuantity) {
                extra.append(Array(question[(cond + 1)...]))
                question = Array(question[..<cond])
            }
            let words = Set(question.filter { $0.kind == .word }.map(\.text))
            guard words.contains("how") || words.contains("what") else { return nil }
            statement = (sentences.dropLast() + extra).flatMap(WordChains.clauses)
            self.question = question
            questionWords = words
            let raw = t.replacingOccurrences(of: "’", with: "'").split(whereSeparator: { $0 == " " || $0 == "\n" })
            for (k, w) in raw.enumerated() {
                let word = w.filter { $0.isLetter || $0 == "'" }
                let bare = word.hasSuffix("'s") ? String(word.dropLast(2)) : word
                if word.hasSuffix("'s") { possessors.insert(bare.lowercased()) }
                let startsSentence = k == 0 || raw[k - 1].last.map { ".?!".contains($0) } == true
                let lower = bare.lowercased()
                // A capital at a sentence's start is a name unless the word is one of those that start sentences.
                // (All capitals is an abbreviation or a unit: "MB", "TV".)
                if bare.first?.isUppercase == true, bare.count < 2 || bare.contains(where: \.isLowercase), !startsSentence || !sentenceStarts.contains(lower), ArithmeticGrammar.Lexer.small[lower] == nil {
                    names.insert(lower)
                }
            }
        }

        var all: [Tok] { statement.flatMap { $0 } + question }
        func asks(_ words: Set<String>) -> Bool { !questionWords.isDisjoint(with: words) }
        /// "in all", "altogether", "in total", "combined", "together", "both", "the two days".
        var asksTotal: Bool {
            asks(["altogether", "total", "combined", "together", "both", "sum"])
                || WordChains.contains(question, ["in", "all"]) || WordChains.contains(question, ["over", "the"])
        }
    }

    /// Words that start sentences without being names.
    static let sentenceStarts: Set<String> = [
        "the", "a", "an", "if", "in", "on", "at", "there", "it", "he", "she", "they", "his", "her", "their", "each", "every", "some",
        "after", "before", "during", "when", "what", "how", "this", "that", "these", "those", "for", "from", "with", "of", "by",
        "last", "next", "then", "so", "but", "and", "all", "both", "we", "i", "you", "my", "our", "its", "one", "today", "yesterday",
        "tomorrow", "while", "since", "because", "as", "to", "unfortunately", "however", "also", "later", "first", "finally",
    ]

    // MARK: Tokens and clauses

    /// The lexer's tokens, with money, percents, fractions ("a third", "two thirds", "half"),
    /// multipliers ("twice", "3 times as"), dozens ("2 dozen") read into quantities.
    static func tokens(_ text: String) -> [Tok] {
        let raw: [Tok] = ArithmeticGrammar.Lexer.tokens(text).map {
            switch $0 {
            case .number(let n): Tok(kind: .number, value: n)
            case .word(let w): .word(w)
            case .symbol(let c): Tok(kind: .symbol, text: String(c))
            }
        }
        var out: [Tok] = []
        var i = 0
        func next(_ k: Int) -> String { i + k < raw.count ? raw[i + k].text : "" }
        while i < raw.count {
            let t = raw[i]
            if t.kind == .number {
                if next(1) == "%" || next(1) == "percent" { out.append(Tok(kind: .percent, value: t.value)); i += 2; continue }
                if let d = denominators[next(1)], t.value < d || next(1).hasSuffix("s") {
                    out.append(Tok(kind: .fraction, value: t.value / d)); i += 2; continue
                }
                if next(1) == "dozen" { out.append(Tok(kind: .number, value: t.value * 12)); i += 2; continue }
                if next(1) == "times", ["as", "more", "that", "the", "what", "his", "her", "their", "its"].contains(next(2))
                    || next(1) == "times" && Story.comparing[next(2)] != nil {
                    out.append(Tok(kind: .multiplier, value: t.value)); i += 2; continue
                }
                if ["dollars", "dollar", "bucks"].contains(next(1)) { out.append(Tok(kind: .number, value: t.value, money: "$")); i += 2; continue }
                if ["cents", "cent"].contains(next(1)) { out.append(Tok(kind: .number, value: t.value, money: "cent")); i += 2; continue }
                if t.value == 1, let d = denominators[next(1)] { out.append(Tok(kind: .fraction, value: 1 / d)); i += 2; continue }
                out.append(t); i += 1; continue
            }
            if t.text == "a" || t.text == "an", let d = denominators[next(1)], d > 2 || next(1) == "half" {
                out.append(Tok(kind: .fraction, value: 1 / d)); i += 2; continue
            }
            if t.text == "a", next(1) == "dozen" { out.append(Tok(kind: .number, value: 12)); i += 2; continue }
            if t.text == "half" { out.append(Tok(kind: .fraction, value: 0.5)); i += 1; continue }
            if let m = ["twice": 2.0, "double": 2, "triple": 3, "thrice": 3, "once": 1][t.text] { out.append(Tok(kind: .multiplier, value: m)); i += 1; continue }
            out.append(t); i += 1
        }
        return out
    }

    static let denominators: [String: Double] = [
        "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
        "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10,
    ]

    /// A sentence's clauses: split at a comma, "and", "then" or "but", except inside a list of numbers
    /// ("80, 90 and 85") and where either side has no quantity ("a ticket and popcorn").
    static func clauses(_ sentence: [Tok]) -> [[Tok]] {
        var out: [[Tok]] = [[]]
        for (i, t) in sentence.enumerated() {
            let splitter = t.kind == .symbol && t.text == "," || t.kind == .word && ["and", "then", "but", "while"].contains(t.text)
            if splitter {
                let before = i > 0 ? sentence[i - 1] : nil
                let after = sentence[(i + 1)...].first { $0.text != "and" && $0.text != "then" && $0.text != "," }
                let list = before?.isQuantity == true && after?.isQuantity == true
                    || before?.isQuantity == true && after?.text == "$"
                let rest = sentence[(i + 1)...]
                if !list, out[out.count - 1].contains(where: \.isQuantity), rest.contains(where: \.isQuantity) {
                    out.append([])
                }
                if !list { continue }
            }
            out[out.count - 1].append(t)
        }
        return out.filter { !$0.isEmpty }
    }

    /// "N things to each of (his) M people" in one clause, read as their product: the clause with N × M
    /// things and without the sharers ("gives 3 pencils to each of his 5 friends" → "gives 15 pencils").
    static func eachOfProduct(_ c: [Tok]) -> (clause: [Tok], step: String)? {
        let qs = c.indices.filter { c[$0].isQuantity }
        guard qs.count == 2, qs.allSatisfy({ c[$0].kind == .number }) else { return nil }
        let (i, j) = (qs[0], qs[1])
        guard let each = c[(i + 1)..<j].firstIndex(where: { $0.text == "each" }), each > i + 1, ["to", "for"].contains(c[each - 1].text),
              each + 1 < j, c[each + 1].text == "of",
              c[(each + 2)..<j].allSatisfy({ Story.determiners.contains($0.text) || Story.pronouns.contains($0.text) }),
              let sharers = noun(after: j, in: c), c[j].money == nil else { return nil }
        let item = c[i].money ?? noun(after: i, in: c) ?? "?"
        guard item != sharers else { return nil }
        let end = phraseEnd(after: j, in: c)
        var product = c[i]
        product.value = c[i].value * c[j].value
        let clause = Array(c[..<i]) + [product] + Array(c[(i + 1)..<(each - 1)]) + Array(c[end...])
        let step = "\(Calculator.format(c[i].value)) \(item)/\(sharers) × \(Calculator.format(c[j].value)) \(sharers) = \(Calculator.format(product.value)) \(item)"
        return (clause, step)
    }

    /// Where the noun phrase after the quantity at `j` ends: the first stopper or non-word, at most three
    /// words on ("8 apples in each bag" → at "in").
    static func phraseEnd(after j: Int, in c: [Tok]) -> Int {
        var end = j + 1
        while end < c.count, c[end].kind == .word, !stoppers.contains(c[end].text), end <= j + 3 { end += 1 }
        return end
    }

    static func contains(_ toks: [Tok], _ words: [String]) -> Bool {
        guard toks.count >= words.count else { return false }
        return (0...(toks.count - words.count)).contains { i in words.indices.allSatisfy { toks[i + $0].text == words[$0] } }
    }

    // MARK: Nouns

    /// Words that end a noun phrase after a number.
    static let stoppers: Set<String> = [
        "a", "an", "the", "of", "at", "for", "in", "on", "to", "with", "each", "per", "every", "and", "or", "that", "which",
        "who", "than", "as", "from", "into", "by", "is", "are", "was", "were", "has", "have", "had", "it", "he", "she", "they",
        "his", "her", "their", "its", "more", "fewer", "less", "left", "if", "this", "these", "those", "then", "but", "so",
        "does", "do", "did", "will", "would", "can", "could", "how", "what", "there", "off", "out", "away", "on", "up", "all",
        "long", "old", "tall", "high", "wide", "deep", "heavy", "using", "over", "after", "before", "during", "about", "across",
    ]

    /// The head noun after a quantity at `i` (the last word before a stopper or a verb, at most three
    /// words on), singular; nil when none follows ("sold 28 in the afternoon").
    static func noun(after i: Int, in toks: [Tok]) -> String? {
        // A unit of measure names the quantity, whatever follows: "200 ml milk", "a 2-liter container".
        var k = i + 1
        if k + 1 < toks.count, toks[k].kind == .symbol, toks[k].text == "-" { k += 1 }
        if k < toks.count, toks[k].kind == .word, case let u = singular(toks[k].text),
           Units.measures[u] != nil || Units.timeSeconds[u] != nil || Units.timeMonths[u] != nil { return u }
        var last: String? = nil
        var j = i + 1
        // A word in -ed after a noun is a verb ("3 friends shared"). Right after the number a plural is the
        // noun, even one that is a verb too ("4 drinks", "3 plants").
        func plural(_ w: String) -> Bool { j == i + 1 && w.count > 3 && w.hasSuffix("s") && !w.hasSuffix("ss") }
        while j < toks.count, j <= i + 3, toks[j].kind == .word, !stoppers.contains(toks[j].text), !isVerb(toks[j].text) || plural(toks[j].text),
              !(toks[j].text.count > 4 && toks[j].text.hasSuffix("ed")) {
            last = toks[j].text
            j += 1
        }
        // "125 new ones" names no thing of its own: the one it stands for.
        return last.map(singular).flatMap { $0 == "one" ? nil : $0 }
    }

    /// The words before a clause's verb or first quantity, without determiners, as written: one reader for
    /// the story's subjects and the unknowns'. It ends at a known verb, at a word in -ed once it has begun
    /// ("On Tuesday she washed"), and after a subject pronoun ("she").
    static func subjectWords(_ c: [Tok]) -> [String] {
        var out: [String] = []
        for t in c {
            if t.isQuantity || t.kind == .symbol || isVerb(t.text) { break }
            if !out.isEmpty, t.text.count > 4, t.text.hasSuffix("ed") { break }
            if !Story.determiners.contains(t.text) { out.append(t.text) }
            if ["he", "she", "it", "they", "we", "i", "you"].contains(t.text) { break }
        }
        return out
    }

    static func isVerb(_ w: String) -> Bool {
        Story.losing.contains(w) || Story.gaining.contains(w) || Story.having.contains(w) || Units.costing.contains(w)
    }

    static func singular(_ w: String) -> String {
        if let s = irregularPlurals[w] { return s }
        if w.count <= 3 { return w }
        if w.hasSuffix("ies") { return w.count <= 4 ? String(w.dropLast()) : String(w.dropLast(3)) + "y" } // "pies", "cities"
        if ["shes", "ches", "xes", "sses", "oes"].contains(where: w.hasSuffix) { return String(w.dropLast(2)) }
        return w.hasSuffix("s") && !w.hasSuffix("ss") ? String(w.dropLast()) : w
    }

    static let irregularPlurals: [String: String] = [
        "children": "child", "people": "person", "men": "man", "women": "woman", "feet": "foot", "teeth": "tooth",
        "mice": "mouse", "geese": "goose", "sheep": "sheep", "fish": "fish", "deer": "deer", "loaves": "loaf",
        "knives": "knife", "leaves": "leaf", "shelves": "shelf", "wolves": "wolf", "halves": "half", "dollars": "$",
        "dollar": "$", "milliliters": "ml", "milliliter": "ml", "millilitres": "ml", "liters": "liter", "litres": "liter",
        "kilometers": "km", "kilometer": "km", "kilometres": "km", "kg": "kilogram", "kilograms": "kilogram", "times": "time",
        "grams": "gram", "g": "gram", "centimeters": "cm", "centimetres": "cm", "millimeters": "mm", "meters": "meter", "metres": "meter",
        "litre": "liter", "l": "liter", "lbs": "pound", "lb": "pound", "oz": "ounce",
        "buses": "bus", "minibuses": "minibus", "gases": "gas", "bonuses": "bonus", "campuses": "campus", "circuses": "circus",
    ]

    // MARK: Averages

    /// "Kai scored 80, 90 and 85 on three tests. What is his average score?": one list of two values or
    /// more, "average" or "mean" asked; any other number is the list's own count.
    static func averages(_ p: Problem) -> Solution? {
        guard p.asks(["average", "mean"]) else { return nil }
        var lists: [[Double]] = []
        for clause in p.statement {
            let values = clause.filter { $0.kind == .number }.map(\.value)
            if values.count >= 2 { lists.append(values) }
        }
        guard lists.count == 1, var values = lists.first else { return nil }
        // The list's own count, said before or after it: "Four boxes hold 6, 9, 7 and 10", "… and 85 on three tests".
        if values.count >= 3, values.first == Double(values.count - 1) { values.removeFirst() }
        else if values.count >= 3, values.last == Double(values.count - 1) { values.removeLast() }
        guard p.all.filter(\.isQuantity).count == lists[0].count else { return nil }
        let sum = values.reduce(0, +)
        let steps = ["(\(values.map(Calculator.format).joined(separator: " + "))) / \(values.count) = \(Calculator.format(sum / Double(values.count)))"]
        return Solution(steps: steps, value: sum / Double(values.count), rule: "average")
    }
}
