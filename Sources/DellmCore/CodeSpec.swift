import Foundation

/// Code from the task's words, where they are exact: a small grammar of what a function returns —
/// aggregates (sum, product, count, average, largest, longest, …) over sequences (a list's elements, a
/// string's words or characters, a number's digits, the integers from 1 to n) filtered by adjectives and
/// clauses ("the even numbers", "the words of text that begin with letter") and mapped ("the squares
/// of", "each word in upper case"); predicates ("True if n is prime", "True when every number is
/// even"); string transformations ("s without its vowels", "s repeated n times"); formulas (factorial,
/// Fibonacci, gcd, a power, a unit conversion). A description is compiled only when every word of it
/// is read; anything else is left to the model. The compiled function is one candidate, run in the
/// sandbox like the model's; without an example in the task it stays unproven.
public enum CodeSpec {
    public struct Program: Sendable, Equatable {
        /// The function asked for.
        public var function: String
        /// Python source: the imports it needs and the function.
        public var code: String
        /// What was read, in words, for the trace ("sum of [_e ** 2 for _e in nums if _e % 2 == 0]").
        public var reading: String
        /// Eight argument tuples (Python literals) made from the kinds the words gave the parameters ("the
        /// list nums", "a number of weeks"), for the harness; the name alone can mislead ("weeks" is no list).
        public var inputs: [String] = []
    }

    /// The program the task's words describe, or nil when any of them is not read.
    public static func compile(_ task: String) -> Program? {
        // Code marks around names ("`count_vowels(s)`") are no words.
        let task = task.replacingOccurrences(of: "`", with: "")
        guard let function = Answers.requestedFunction(in: task) else { return nil }
        let names = CodeSelection.parameters(in: task, function: function)
        guard !names.isEmpty, names.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }),
              let description = description(of: task, function: function) else { return nil }
        let params = names.map { Param(name: $0, kind: Param.kind(of: $0, in: task)) }
        var parser = Parser(tokens: Token.scan(description, params: names), params: params)
        guard let body = parser.top() else { return nil }
        var lines = parser.lets.map { "    \($0.name) = \($0.code)" }
        lines.append("    return \(body.py)")
        let imports = ["math", "statistics", "functools", "itertools"].filter { lines.joined().contains("\($0).") }.map { "import \($0)\n" }.joined()
        let code = imports + "def \(function)(\(names.joined(separator: ", "))):\n" + lines.joined(separator: "\n")
        return Program(function: function, code: code, reading: (parser.lets.map { "\($0.name) = \($0.code); " }.joined()) + body.py,
                       inputs: inputs(for: params))
    }

    /// Inputs by the kinds read, as `CodeSelection.tuples` puts them together.
    static func inputs(for params: [Param]) -> [String] {
        CodeSelection.tuples(params.map { p in
            switch p.kind {
            case .list(.str): return CodeSelection.wordLists
            case .list: return CodeSelection.lists
            case .str: return CodeSelection.characterNames.contains(p.name.lowercased()) ? CodeSelection.characters : CodeSelection.strings
            default: return CodeSelection.integers
            }
        })
    }

    /// The words after the signature ("… count_odd(nums) that returns how many odd numbers …" → "that
    /// returns how many odd numbers …"), or, when the signature ends the task, nil.
    static func description(of task: String, function: String) -> String? {
        guard let r = task.range(of: "\(function)(") ?? task.range(of: "\(function) ("),
              let close = task[r.upperBound...].firstIndex(of: ")") else { return nil }
        var rest = task[task.index(after: close)...].trimmingCharacters(in: .whitespaces)
        // A last sentence that only asks for the code ("Write this Python function.") says nothing of it.
        if let r = rest.range(of: #"(?<=[.!?])\s+(please\s+)?(write|implement|define|create|code|make)\s+(this|the|that|it|a|such a)\s*(python\s+)?(function|method|in python)?\s*(in python)?[.!]?$"#,
                              options: [.regularExpression, .caseInsensitive]) {
            rest = String(rest[..<r.lowerBound])
        }
        if rest.trimmingCharacters(in: CharacterSet(charactersIn: ".!?:; ")).isEmpty {
            // Nothing after the signature: the sentence before it that says what to return ("Return the
            // number of vowels in a string. Call the Python function vowels(s).").
            let before = task[..<r.lowerBound]
            let sentences = before.split(whereSeparator: { ".!?".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
            if let said = sentences.last(where: { $0.range(of: #"^(return|returns|count|compute|calculate|find|give|check whether|check if|determine whether|convert)\b"#,
                                                                 options: [.regularExpression, .caseInsensitive]) != nil }) {
                return said + "."
            }
            return nil
        }
        return rest
    }

    /// A parameter and what it holds, from its name and the task's words ("the list nums", "the string s").
    struct Param: Equatable {
        var name: String
        var kind: Ty

        static func kind(of name: String, in task: String) -> Ty {
            let k = declaredKind(of: name, in: task)
            guard k == .list(.any) else { return k }
            // A list whose name or words say strings ("the list strings", "the strings in items"): of strings.
            let lower = task.lowercased(), n = NSRegularExpression.escapedPattern(for: name.lowercased())
            if CodeSelection.values(for: name, task: task) == CodeSelection.wordLists
                || lower.range(of: "\\b(strings|words|names)\\s+(in|of|from)\\s+(the\\s+list\\s+)?\(n)\\b", options: .regularExpression) != nil {
                return .list(.str)
            }
            return k
        }

        /// The kind the words or the name give a parameter, before a list's elements are refined.
        static func declaredKind(of name: String, in task: String) -> Ty {
            let lower = task.lowercased()
            let n = NSRegularExpression.escapedPattern(for: name.lowercased())
            func said(_ words: String) -> Bool {
                // "the list nums", "a list of strings words", "the non-negative integer number": a determiner, at
                // most one word, the kind, the name ("how many words line contains" says nothing of line).
                lower.range(of: "\\b(the|a|an|given|input|two|both)\\s+([a-z-]+\\s+)?(\(words))\\s+(of\\s+\\w+\\s+)?\(n)\\b",
                            options: .regularExpression) != nil
            }
            // "the lists a and b": the second name is of the kind the plural gives the first.
            func pair(_ words: String) -> Bool {
                lower.range(of: "\\b(\(words))\\s+\\w+\\s+and\\s+\(n)\\b", options: .regularExpression) != nil
            }
            // "a list of integers called numbers".
            func called(_ words: String) -> Bool {
                lower.range(of: "\\b(\(words))\\s+(called|named)\\s+\(n)\\b", options: .regularExpression) != nil
            }
            if called("list of strings|list of words|strings|words") { return .list(.str) }
            if called("list|list of integers|list of numbers|array|integers|numbers|values") { return .list(.any) }
            if called("string|text|sentence|word") { return .str }
            // "the three numbers a, b and c": each name listed after the kind.
            func listed(_ words: String) -> Bool {
                // A name in a list after the kind: first ("numbers a, b …") or later ("numbers a, b and c");
                // a name alone after it ("how many odd numbers nums contains") is not listed.
                let first = "\\b(\(words))\\s+\(n)\\s*(,|\\band\\b|\\bor\\b)"
                let later = "\\b(\(words))\\s+([a-z_]\\w*\\s*,\\s*)*[a-z_]\\w*\\s*(,|\\band\\b|\\bor\\b)\\s*\(n)\\b"
                return lower.range(of: first, options: .regularExpression) != nil || lower.range(of: later, options: .regularExpression) != nil
            }
            if listed("numbers|integers|values|floats") { return .num }
            // "a duration of s seconds", "in m minutes": a name before a unit is a number of it.
            let units = ArithmeticGrammar.Conversion.table.flatMap(\.names).filter { $0.count >= 3 && $0.allSatisfy(\.isLetter) }
            if lower.range(of: "\\b\(n)\\s+(\(units.joined(separator: "|")))\\b", options: .regularExpression) != nil { return .num }
            if pair("lists|arrays") { return .list(.any) }
            // "the elements of a", "each item in b": what has elements is a list.
            if lower.range(of: "\\b(elements|items|entries)\\s+(of|in|from)\\s+\(n)\\b", options: .regularExpression) != nil { return .list(.any) }
            // "the elements that are in both a and b": elements are in lists.
            if lower.range(of: "\\b(elements|items|values)\\b.*\\bin both\\s+(\\w+\\s+and\\s+)?\(n)\\b", options: .regularExpression) != nil { return .list(.any) }
            if pair("strings|words") { return .str }
            if said("list of strings|list of words|strings|words|names") { return .list(.str) }
            if said("list|lists|array|list of numbers|list of integers") { return .list(.any) }
            if said("string|strings|sentence|word|text|character|letter|suffix|prefix") { return .str }
            if said("integer|integers|number|numbers|int|year") { return .num }
            // "a number of weeks", "an amount of dollars": a number, whatever the name's plural says ("the count
            // of values" is not: it counts the list).
            if lower.range(of: "\\b(a|an|any|the given|a given)\\s+(number|amount|quantity) of \(n)\\b", options: .regularExpression) != nil { return .num }
            // "c": a character only when the task speaks of one ("average_of_three(a, b, c)"); "ch" is one.
            if name == "c", !lower.contains("character"), !lower.contains("letter"), !lower.contains("char ") { return .num }
            switch CodeSelection.values(for: name, task: task) {
            case nil: return .num // "f": a temperature, unless the words say a function (then nothing compiles)
            case let v? where v == CodeSelection.wordLists: return .list(.str)
            case let v? where v == CodeSelection.lists: return .list(.any)
            case let v? where v == CodeSelection.strings || v == CodeSelection.characters: return .str
            default: return .num
            }
        }
    }

    /// What a Python expression holds, as far as the grammar needs to know.
    indirect enum Ty: Equatable {
        case num, str, bool, any
        case list(Ty)

        var isList: Bool { if case .list = self { return true } else { return false } }
        var element: Ty { if case .list(let e) = self { return e } else { return self == .str ? .str : .any } }
    }

    /// A Python expression and its type.
    struct Expr {
        var py: String
        var ty: Ty
    }

    enum Token: Equatable {
        case word(String)        // lower-cased
        case param(String)       // a parameter's name, as written
        case number(String)      // a numeral, as Python writes it
        case literal(String)     // a quoted string, as a Python literal
        case symbol(String)      // , . : ; ( ) + * ** ... ! = - / ^

        /// The task's description as tokens: parameter names by name (whatever their case), quoted
        /// strings as literals, numerals as numbers, other words lower-cased, hyphenated words whole
        /// ("non-negative", "n-th").
        static func scan(_ text: String, params: [String]) -> [Token] {
            var out: [Token] = []
            let chars = Array(text)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if c.isWhitespace { i += 1; continue }
                if c == "'" || c == "\"" || c == "‘" || c == "’" || c == "“" || c == "”" {
                    // A quote closed on the same word run: 'a', "Fizz"; an apostrophe inside a word is not one.
                    let close: Set<Character> = c == "‘" || c == "’" ? ["’", "'"] : c == "“" || c == "”" ? ["”", "\""] : [c]
                    if let j = chars[(i + 1)...].firstIndex(where: { close.contains($0) }), j - i <= 40 {
                        let inner = String(chars[(i + 1)..<j]).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
                        out.append(.literal("'\(inner)'"))
                        i = j + 1
                        continue
                    }
                    i += 1
                    continue
                }
                if c.isNumber {
                    var j = i
                    while j < chars.count, chars[j].isNumber || (chars[j] == "." && j + 1 < chars.count && chars[j + 1].isNumber) { j += 1 }
                    // "1st", "2nd", "3rd", "4th": an ordinal is a word.
                    if j < chars.count, chars[j].isLetter {
                        var k = j
                        while k < chars.count, chars[k].isLetter { k += 1 }
                        out.append(.word(String(chars[i..<k]).lowercased()))
                        i = k
                        continue
                    }
                    out.append(.number(String(chars[i..<j])))
                    i = j
                    continue
                }
                if c.isLetter || c == "_" {
                    var j = i
                    while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_"
                            || (chars[j] == "-" && j + 1 < chars.count && chars[j + 1].isLetter && j > i) { j += 1 }
                    let w = String(chars[i..<j])
                    if let p = params.first(where: { $0 == w }) ?? params.first(where: { $0.lowercased() == w.lowercased() && w.count > 1 }) {
                        out.append(.param(p))
                    } else if w.hasSuffix("'s") {
                        out.append(.word(String(w.dropLast(2)).lowercased()))
                    } else {
                        out.append(.word(w.lowercased()))
                    }
                    i = j
                    // "word's": the possessive is dropped.
                    if i + 1 < chars.count, chars[i] == "'" || chars[i] == "’", chars[i + 1] == "s",
                       i + 2 >= chars.count || !chars[i + 2].isLetter { i += 2 }
                    continue
                }
                for s in ["**", "...", "…"] where String(chars[i..<min(chars.count, i + s.count)]) == s {
                    out.append(.symbol(s == "…" ? "..." : s))
                    i += s.count
                    break
                }
                if i < chars.count, chars[i] == c {
                    out.append(.symbol(String(c)))
                    i += 1
                }
            }
            // A parameter named "a" before a noun is the article ("returns a sorted list" in common(a, b)).
            let verbs: Set<String> = ["and", "or", "is", "are", "has", "have", "contains", "to", "by", "minus", "plus", "times", "divided",
                                      "multiplied", "equals", "in", "of", "with", "appears", "occurs", "does", "starts", "begins", "ends",
                                      "if", "when", "otherwise", "raised", "squared", "cubed", "itself", "reversed", "can", "was", "be",
                                      "followed", "preceded", "then", "concatenated", "joined", "but", "without", "with"]
            for i in out.indices {
                guard case .param(let n) = out[i], n == "a", i + 1 < out.count, case .word(let w) = out[i + 1], !verbs.contains(w) else { continue }
                out[i] = .word("a")
            }
            return out
        }
    }
}
