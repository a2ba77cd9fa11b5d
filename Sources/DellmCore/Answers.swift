import Foundation

/// Working with what models write: code blocks, numbers, repetition, agreement between votes.
public enum Answers {
    static let fence = try! NSRegularExpression(pattern: "```[a-zA-Z0-9_+-]*[ \\t]*\\n(.*?)```", options: [.dotMatchesLineSeparators])

    /// The code in a model's reply: fenced blocks, else from the first `def`/`import` on.
    /// A later top-level redefinition of a function is dropped (`withoutRedefinitions`): whoever reads
    /// the code — the specialist choosing, the verifier checking, the answer shown — sees the same program.
    public static func code(in text: String) -> String? {
        extractedCode(text).map(withoutRedefinitions)
    }

    static func extractedCode(_ text: String) -> String? {
        let ns = text as NSString
        let blocks = fence.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
            ns.substring(with: $0.range(at: 1))
        }
        if !blocks.isEmpty { return blocks.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines) }
        // An unterminated fence (the model ran out of tokens): take what follows it.
        if let open = text.range(of: "```") {
            var rest = String(text[open.upperBound...])
            if let nl = rest.firstIndex(of: "\n") { rest = String(rest[rest.index(after: nl)...]) }
            return rest.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let lines = text.components(separatedBy: "\n")
        if let i = lines.firstIndex(where: { $0.hasPrefix("def ") || $0.hasPrefix("import ") || $0.hasPrefix("from ") }) {
            return lines[i...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }

    /// The code's definitions alone: imports, functions, classes (with their decorators and bodies) and
    /// top-level constants; the example calls and prints a model adds after its function ("print(f('x'))
    /// # Output: …", "if __name__ == …") go, with their indented lines. A wrong example call would
    /// otherwise crash the candidate before its function is judged. Code without a definition is
    /// returned as it is.
    public static func definitionsOnly(_ code: String) -> String {
        var out: [String] = [], keeping = true, kept = false
        let constant = try! NSRegularExpression(pattern: #"^[A-Za-z_][A-Za-z0-9_]*\s*(:[^=]*)?=[^=(]*$"#)
        for line in code.components(separatedBy: "\n") {
            guard let c = line.first, !c.isWhitespace else {
                if keeping { out.append(line) }
                continue
            }
            let ns = line as NSString
            keeping = ["def ", "async def ", "class ", "import ", "from ", "@"].contains { line.hasPrefix($0) }
                || constant.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) != nil
            if keeping { out.append(line); kept = kept || line.hasPrefix("def ") || line.hasPrefix("async def ") }
        }
        guard kept else { return code }
        return out.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Standard modules the code uses by name ("math.factorial(n)") but never imports, imported at its
    /// top: a small model often writes the call and forgets the import.
    public static let importable = ["math", "collections", "re", "itertools", "functools", "string", "statistics", "random", "datetime"]

    public static func withMissingImports(_ code: String) -> String {
        let ns = code as NSString
        let missing = importable.filter { m in
            let imported = try! NSRegularExpression(pattern: "^\\s*import ([A-Za-z_., ]*\\b)?\(m)\\b", options: .anchorsMatchLines)
            return code.range(of: "(?<![A-Za-z0-9_.])\(m)\\.", options: .regularExpression) != nil
                && imported.firstMatch(in: code, range: NSRange(location: 0, length: ns.length)) == nil
        }
        return missing.isEmpty ? code : missing.map { "import \($0)" }.joined(separator: "\n") + "\n" + code
    }

    /// Code that defines exactly one top-level function, under another name than the one asked for,
    /// with that function renamed (every whole-word use, so a recursive call follows): a small model told
    /// "min_max_diff" often writes "def max_min_diff". Other code is returned as it is.
    public static func renamingFunction(_ code: String, to name: String) -> String {
        let defs = code.components(separatedBy: "\n").compactMap { line -> String? in
            guard line.hasPrefix("def ") else { return nil }
            let n = String(line.dropFirst(4).prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            return n.isEmpty ? nil : n
        }
        guard !defs.contains(name), Set(defs).count == 1, let old = defs.first,
              let re = try? NSRegularExpression(pattern: "\\b\(NSRegularExpression.escapedPattern(for: old))\\b") else { return code }
        return re.stringByReplacingMatches(in: code, range: NSRange(location: 0, length: (code as NSString).length),
                                           withTemplate: NSRegularExpression.escapedTemplate(for: name))
    }

    /// Code without a later top-level redefinition of a function it already defines: a small model that
    /// repeats itself often writes the function a second time, worse, and Python would keep the last.
    /// The first definition stands; the repeat and its body go.
    public static func withoutRedefinitions(_ code: String) -> String {
        var seen = Set<String>()
        var out: [String] = []
        var skipping = false
        for line in code.components(separatedBy: "\n") {
            if let first = line.first, !first.isWhitespace {
                skipping = false
                if line.hasPrefix("def "), let name = line.dropFirst(4).split(separator: "(").first?.trimmingCharacters(in: .whitespaces) {
                    if seen.contains(name) {
                        skipping = true
                        continue
                    }
                    seen.insert(name)
                }
            }
            if !skipping { out.append(line) }
        }
        return out.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The function name a code request asks for: "function is_even(n)" → is_even.
    public static func requestedFunction(in text: String) -> String? {
        let re = try! NSRegularExpression(pattern: #"\b(?:function|def|method)\s+(?:called\s+|named\s+)?`?([A-Za-z_][A-Za-z0-9_]*)\s*\("#)
        let ns = text as NSString
        if let m = re.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) {
            return ns.substring(with: m.range(at: 1))
        }
        let any = try! NSRegularExpression(pattern: #"\b([a-z_][a-z0-9_]*)\(([a-z_][a-z0-9_, ]*)?\)"#)
        if let m = any.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) {
            return ns.substring(with: m.range(at: 1))
        }
        return nil
    }

    /// How many parameters the task gives the function: "add(a, b)" → 2; unknown → 1.
    public static func requestedArity(in text: String, function: String) -> Int {
        let re = try! NSRegularExpression(pattern: "\\b\(NSRegularExpression.escapedPattern(for: function))\\s*\\(([^()]*)\\)")
        let ns = text as NSString
        guard let m = re.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return 1 }
        let inside = ns.substring(with: m.range(at: 1)).trimmingCharacters(in: .whitespaces)
        return inside.isEmpty ? 0 : inside.split(separator: ",").count
    }

    /// Every number in `text`, as the scorer reads them: the matches of `-?\d[\d,]*(?:\.\d+)?`
    /// (`\d` any decimal digit, as in ICU), without their commas, that read as a Double.
    /// Scanned by hand: it runs on every vote and every check, and a regex pass costs ten times more.
    public static func numbers(in text: String) -> [Double] {
        let scalars = Array(text.unicodeScalars)
        func isDigit(_ k: Int) -> Bool {
            guard k < scalars.count else { return false }
            let v = scalars[k].value
            if v < 0x80 { return v >= 0x30 && v <= 0x39 }
            return scalars[k].properties.numericType == .decimal
        }
        var out: [Double] = []
        var i = 0
        while i < scalars.count {
            let start = i
            if scalars[i] == "-" && isDigit(i + 1) { i += 2 } else if isDigit(i) { i += 1 } else { i += 1; continue }
            while i < scalars.count && (isDigit(i) || scalars[i] == ",") { i += 1 }
            if i < scalars.count && scalars[i] == "." && isDigit(i + 1) {
                i += 2
                while isDigit(i) { i += 1 }
            }
            var literal = String.UnicodeScalarView()
            for k in start..<i where scalars[k] != "," { literal.append(scalars[k]) }
            if let d = Double(String(literal)) { out.append(d) }
        }
        return out
    }

    /// The answer text normalised for comparing votes: lowercased, numbers canonical, no punctuation.
    public static func normalized(_ text: String) -> String {
        if let last = numbers(in: text).last, text.count < 400 {
            return "#" + Calculator.format(last)
        }
        var kept = String.UnicodeScalarView()
        for u in text.lowercased().unicodeScalars { kept.append(alphanumerics.contains(u) ? u : " ") }
        return String(kept).split(separator: " ").filter { !dropped.contains($0) }.joined(separator: " ")
    }
    static let alphanumerics = CharacterSet.alphanumerics
    static let dropped: Set<Substring> = ["the", "a", "an", "is", "of"]

    /// Cuts a reply where it starts repeating itself (small models loop), and trims it.
    public static func cleaned(_ text: String, maxCharacters: Int = 1_200) -> String {
        var lines: [String] = []
        var seen = Set<String>()
        for piece in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(piece)
            let key = TextScan.trimmed(line, TextScan.whitespaces).lowercased()
            if !key.isEmpty && key.count > 12 && seen.contains(key) { break }
            seen.insert(key)
            lines.append(line)
        }
        var out = TextScan.trimmed(lines.joined(separator: "\n"), TextScan.whitespacesAndNewlines)
        if out.count > maxCharacters {
            out = String(out.prefix(maxCharacters))
            if let cut = out.lastIndex(where: { ".!?\n".contains($0) }), out.distance(from: out.startIndex, to: cut) > maxCharacters / 2 {
                out = String(out[...cut])
            }
        }
        return out
    }

    /// Whether a reply loops: some run of `words` words occurs twice (small models repeat themselves).
    public static func isLooping(_ text: String, words n: Int = 6) -> Bool {
        let w = text.lowercased().split(whereSeparator: { !TextScan.isLetter($0) && !TextScan.isNumber($0) }).map(String.init)
        guard w.count >= 2 * n else { return false }
        var seen = Set<String>()
        for i in 0...(w.count - n) {
            let key = w[i..<(i + n)].joined(separator: " ")
            if !seen.insert(key).inserted { return true }
        }
        return false
    }

    /// An example a code request states: "add(2, 3) returns 5", "is_even(4) → True". Both parts are the
    /// task's text as written; they are only ever read as Python literals inside the sandbox
    /// (`ast.literal_eval`) and compared as data, never pasted into code.
    public struct Example: Sendable, Equatable {
        public var arguments: String
        public var expected: String
    }

    /// The examples a code request states for `function`.
    public static func examples(in text: String, function: String) -> [Example] {
        let name = NSRegularExpression.escapedPattern(for: function)
        let re = try! NSRegularExpression(pattern:
            "\\b\(name)\\(([^()]*)\\)\\s*(?:should return|returns|return|==|->|→|gives|is|equals|=)\\s*(-?\\d+(?:\\.\\d+)?|True|False|None|'[^']*'|\"[^\"]*\"|\\[[^\\]]*\\])")
        let ns = text as NSString
        return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
            Example(arguments: ns.substring(with: $0.range(at: 1)), expected: ns.substring(with: $0.range(at: 2)))
        }
    }

    /// Whether two passed answers to one subtask say the same thing: the same final number for math;
    /// for facts and reasoning the same words after normalising, one inside the other, or the same new
    /// information — the words of the answers that are not already in the question (two answers that
    /// merely restate "the Red Planet" do not agree with "Mars"). Code that passed the tests and
    /// creative writing always agree (there is no one right text to compare).
    public static func agree(_ type: TaskType, _ a: String, _ b: String, question: String = "") -> Bool {
        switch type {
        case .code, .creative:
            return true
        case .math:
            guard let x = numbers(in: a).last, let y = numbers(in: b).last else { return normalized(a) == normalized(b) }
            return Swift.abs(x - y) <= 1e-6 * max(1, Swift.abs(x))
        case .factual, .reasoning:
            return wordsAgree(normalized(a), normalized(b), asked: contentWords(normalized(question)))
        }
    }

    /// `agree` for facts and reasoning, on normalised answers and the question's content words.
    static func wordsAgree(_ na: String, _ nb: String, asked: Set<Substring>) -> Bool {
        if na == nb || (!na.isEmpty && !nb.isEmpty && (na.contains(nb) || nb.contains(na))) { return true }
        let wa = contentWords(na).subtracting(asked), wb = contentWords(nb).subtracting(asked)
        if wa.isEmpty || wb.isEmpty { return wa.isEmpty && wb.isEmpty }
        // Short answers (a name, a number) agree when the shorter one's words all appear in the longer.
        let (small, large) = wa.count <= wb.count ? (wa, wb) : (wb, wa)
        if small.count <= 3 { return small.isSubset(of: large) }
        return Double(wa.intersection(wb).count) / Double(wa.union(wb).count) >= 0.5
    }

    /// The index of an answer that at least `quorum` of `answers` agree with (itself included),
    /// preferring the earliest; nil when none does.
    /// Of the answers that agree with it, the one that adds the most to the question is kept: "the
    /// planet in the solar system known as the Red Planet" agrees with "… known as Mars" (it says less,
    /// nothing against it), and the majority's answer is the one that names Mars.
    ///
    /// For facts, names decide first: when at least `quorum` answers name the same thing the question
    /// does not ("Mars"), the majority is among the answers that name it (see `namedConsensus`).
    public static func majority(_ type: TaskType, _ answers: [String], quorum: Int, question: String = "") -> Int? {
        if type == .factual, asksForNumber(question), answers.contains(where: { firstNumber(in: $0) != nil }) {
            return numericConsensus(answers, quorum: quorum)
        }
        if type == .factual, let i = namedConsensus(answers, quorum: quorum, question: question) { return i }
        let byWords = type == .factual || type == .reasoning
        // Each answer normalised once (agreement compares every pair).
        let norm = byWords ? answers.map(normalized) : []
        let asked = byWords ? contentWords(normalized(question)) : []
        for i in answers.indices {
            let group = answers.indices.filter {
                byWords ? wordsAgree(norm[i], norm[$0], asked: asked) : agree(type, answers[i], answers[$0], question: question)
            }
            guard group.count >= quorum else { continue }
            guard byWords else { return i }
            // max(by:) keeps the first of equals: ties go to the earliest.
            return group.max { contentWords(norm[$0]).subtracting(asked).count < contentWords(norm[$1]).subtracting(asked).count } ?? i
        }
        return nil
    }

    /// Whether a factual question asks for a number ("How many legs does a spider have?", "In what year
    /// …", "How old …"): its answers then agree on the number they give, not on their words.
    public static func asksForNumber(_ question: String) -> Bool {
        let q = question.lowercased()
        return ["how many", "how much", "how old", "how far", "how long", "how tall", "how high", "how deep", "what year", "which year",
                "in what year", "how fast"].contains { q.contains($0) }
    }

    /// The first answer giving the number most answers give first, when at least two give it and no other
    /// number is given as often (a plurality, for when no number has a majority); nil otherwise.
    public static func numericPlurality(_ answers: [String]) -> Int? {
        let firsts = answers.map(firstNumber(in:))
        var counts: [Double: Int] = [:]
        for v in firsts.compactMap({ $0 }) { counts[v, default: 0] += 1 }
        guard let top = counts.values.max(), top >= 2, counts.values.filter({ $0 == top }).count == 1,
              let value = counts.first(where: { $0.value == top })?.key else { return nil }
        return firsts.firstIndex { $0 == value }
    }

    /// The first number an answer gives, in digits or words ("eight legs" → 8).
    static func firstNumber(in text: String) -> Double? {
        ArithmeticGrammar.Lexer.tokens(String(text.prefix(400))).lazy.compactMap(\.number).first
    }

    /// The first answer whose first number at least `quorum` answers also give first; nil when no number
    /// has that support ("121.4 Earths" and "7 … 12 continents" do not agree, however alike their words).
    public static func numericConsensus(_ answers: [String], quorum: Int) -> Int? {
        let firsts = answers.map(firstNumber(in:))
        return answers.indices.first { i in
            guard let v = firsts[i] else { return false }
            return firsts.filter { $0.map { Swift.abs($0 - v) <= 1e-9 * max(1, Swift.abs(v)) } ?? false }.count >= quorum
        }
    }

    /// The answer that names what most of `answers` name, when at least `quorum` of them name it; nil
    /// when no name has that support (or no answer names anything).
    ///
    /// A small model's factual votes differ in their wording and their hallucinations ("designated by
    /// the International Space Observatory (ISA) as Perseverance"), but the right ones share the name
    /// they give ("Mars"). Names are the capitalised words an answer adds to the question. Of the
    /// answers naming a best-supported name, the one with the fewest names no other answer gives is
    /// kept, then the one with the fewest names, then the one that adds the fewest other words (the fewer
    /// claims beside the name, the fewer to be wrong), then the first.
    ///
    /// `evidence`, when given, is what counts the support instead of the answers themselves: every vote
    /// behind the answers, say, when no two answers agree.
    public static func namedConsensus(_ answers: [String], quorum: Int, question: String, evidence: [String]? = nil) -> Int? {
        let voters = evidence ?? answers
        let lowered = Set((answers + voters + [question]).flatMap { lowercaseWords($0) })
        let asked = Set(letterWords(question).map { $0.lowercased() })
        let named = answers.map { names(in: $0, asked: asked, common: lowered) }
        var support: [String: Int] = [:]
        for n in evidence.map({ $0.map { names(in: $0, asked: asked, common: lowered) } }) ?? named {
            for w in n { support[w, default: 0] += 1 }
        }
        guard let top = support.values.max(), top >= quorum else { return nil }
        let candidates = named.indices.filter { i in named[i].contains { support[$0] == top } }
        guard !candidates.isEmpty else { return nil }
        let askedWords = contentWords(normalized(question))
        let added = answers.map { contentWords(normalized($0)).subtracting(askedWords).count }
        return candidates.min { a, b in
            let ua = named[a].filter { support[$0] == 1 }.count, ub = named[b].filter { support[$0] == 1 }.count
            if ua != ub { return ua < ub }
            if named[a].count != named[b].count { return named[a].count < named[b].count }
            if added[a] != added[b] { return added[a] < added[b] }
            return a < b
        }
    }

    /// The names in an answer, lowercased: capitalised words that are not in the question, not filler,
    /// and not a common word capitalised at the start of a sentence (it is written in lower case
    /// elsewhere in the answers).
    static func names(in text: String, asked: Set<String>, common: Set<String>) -> Set<String> {
        var out = Set<String>()
        for w in letterWords(text) where w.count >= 2 && w.first!.isUppercase {
            let l = w.lowercased()
            if filler.contains(l) || asked.contains(l) || common.contains(l) { continue }
            out.insert(l)
        }
        return out
    }

    /// Words that start sentences capitalised without naming anything.
    static let filler: Set<String> = ["the", "a", "an", "it", "its", "this", "that", "these", "those", "there", "he", "she", "they",
                                      "we", "i", "you", "in", "on", "at", "of", "and", "but", "or", "so", "yes", "no", "as", "by",
                                      "for", "from", "with", "to", "is", "was", "answer", "however", "also", "actually"]

    static func letterWords(_ text: String) -> [Substring] {
        text.split(whereSeparator: { !TextScan.isLetter($0) })
    }

    static func lowercaseWords(_ text: String) -> [String] {
        letterWords(text).filter { $0.first!.isLowercase }.map(String.init)
    }

    /// Words of three letters or more that are not filler, as agreement compares them.
    static func contentWords(_ normalized: String) -> Set<Substring> {
        Set(normalized.split(separator: " ").filter { $0.count >= 3 && !stopWords.contains($0) })
    }
    static let stopWords: Set<Substring> = ["and", "are", "was", "were", "for", "with", "that", "this", "from", "its", "has", "have",
                                            "which", "not", "but", "because"]

    /// Whether a reply looks like a refusal or an empty non-answer.
    public static func isRefusal(_ text: String) -> Bool {
        let l = text.lowercased()
        return ["i'm sorry", "i am sorry", "i cannot", "i can't", "as an ai", "i don't have", "i do not have"].contains { l.hasPrefix($0) }
    }
}

/// A settled subtask as the synthesizer sees it.
public struct SettledPart: Sendable, Equatable {
    public var index: Int
    public var type: TaskType
    public var text: String
    public var answer: String?
    public var passed: Bool
    public var error: String?

    public init(index: Int, type: TaskType, text: String, answer: String?, passed: Bool, error: String?) {
        self.index = index
        self.type = type
        self.text = text
        self.answer = answer
        self.passed = passed
        self.error = error
    }
}

/// Assembles the final answer from the parts, in the query's order. A part with a result (a number)
/// is stated plainly; when the query's last part is arithmetic, the answer ends with its result.
public enum Synthesis {
    public static func compose(_ parts: [SettledPart]) -> String {
        let sorted = parts.sorted { $0.index < $1.index }
        var pieces: [String] = []
        for p in sorted {
            let body: String
            if let a = p.answer, !a.isEmpty {
                body = p.passed ? a : "(unverified: \(p.error ?? "the check did not pass"))\n" + a
            } else {
                let asked = p.text.count > 80 ? String(p.text.prefix(77)) + "…" : p.text
                body = "(could not answer “\(asked)”: \(p.error ?? "unknown error"))"
            }
            pieces.append(body)
        }
        if pieces.count == 1 { return pieces[0] }
        return pieces.joined(separator: "\n\n")
    }
}
