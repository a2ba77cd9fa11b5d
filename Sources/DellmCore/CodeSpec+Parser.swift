import Foundation

extension CodeSpec {
    /// A recursive-descent reader of a description (ordered choice with backtracking, as a PEG): each
    /// rule consumes tokens and returns the Python it means, or nil with nothing consumed.
    struct Parser {
        var tokens: [Token]
        var pos = 0
        var params: [Param]
        /// Values bound before the return ("_l = [...]"), so a list used twice is built once.
        var lets: [(name: String, code: String)] = []
        /// The last sequence read ("the largest value in values minus the smallest one").
        var lastSeq: Seq?
        /// The last subject of a predicate ("… is even and False when it is odd").
        var lastSubject: Expr?

        init(tokens: [Token], params: [Param]) {
            self.tokens = tokens
            self.params = params
        }

        // MARK: tokens

        var peek: Token? { pos < tokens.count ? tokens[pos] : nil }
        func peek(_ k: Int) -> Token? { pos + k < tokens.count ? tokens[pos + k] : nil }
        var atEnd: Bool {
            tokens[pos...].allSatisfy { $0 == .symbol(".") || $0 == .symbol("?") || $0 == .symbol("!") }
        }

        /// Runs a rule; when it fails, nothing it consumed or bound stays.
        mutating func attempt<T>(_ rule: (inout Parser) -> T?) -> T? {
            let (p, l, s, subject) = (pos, lets.count, lastSeq, lastSubject)
            if let v = rule(&self) { return v }
            pos = p
            lets.removeLast(lets.count - l)
            lastSeq = s
            lastSubject = subject
            return nil
        }

        /// Consumes one of `words` (a word or a symbol), and says which.
        @discardableResult
        mutating func word(_ words: String...) -> String? { oneOf(words) }

        @discardableResult
        mutating func oneOf(_ words: [String]) -> String? {
            guard let t = peek else { return nil }
            switch t {
            case .word(let w) where words.contains(w), .symbol(let w) where words.contains(w):
                pos += 1
                return w
            default:
                return nil
            }
        }

        /// Consumes a phrase, word by word ("greater than", "in upper case"), or nothing.
        mutating func phrase(_ p: String) -> Bool {
            let parts = p.split(separator: " ").map(String.init)
            let save = pos
            for part in parts where oneOf([part]) == nil {
                // In a phrase of several words, a parameter named like one of them is that word ("a leap year"
                // with a parameter year).
                if parts.count > 1, case .param(let n)? = peek, n.lowercased() == part { pos += 1; continue }
                pos = save
                return false
            }
            return true
        }

        /// The first of `phrases` that is next, consumed.
        @discardableResult
        mutating func anyPhrase(_ phrases: [String]) -> String? {
            // Longest first: "upper case" before "upper".
            for p in phrases.sorted(by: { $0.count > $1.count }) where phrase(p) { return p }
            return nil
        }

        mutating func skip(_ words: Set<String>) {
            while let t = peek, case .word(let w) = t, words.contains(w) { pos += 1 }
        }

        mutating func param() -> Param? {
            guard case .param(let n)? = peek, let p = params.first(where: { $0.name == n }) else { return nil }
            pos += 1
            return p
        }

        /// A name for a value bound before the return.
        mutating func bind(_ code: String) -> String {
            if let same = lets.first(where: { $0.code == code }) { return same.name }
            let name = "_l\(lets.count == 0 ? "" : String(lets.count + 1))"
            lets.append((name, code))
            return name
        }

        // MARK: the description

        /// The whole description: a clause, then nothing but a full stop.
        mutating func top() -> Expr? {
            // "f(n). It should return …", "f(n). The function returns …": the next sentence says it.
            if word(".", ":") != nil { skip(["it", "the", "this", "function", "your", "should", "will", "must", "has", "to"]) }
            // "f(n) to return …", "f(n) in order to compute …".
            if phrase("in order to") || word("to") != nil, peek.map({ t -> Bool in
                if case .word(let w) = t { return ["return", "compute", "calculate", "find", "count", "check", "determine", "convert", "give"].contains(w) }
                return false
            }) != true { return nil }
            skip(["that", "which", "it", "in", "python", "should", "will", "must", "please", "and", "so"])
            while word(",", ":", ";", "-") != nil { skip(["that", "which", "it", "and", "should", "will", "must"]) }
            guard let e = clause() else { return nil }
            _ = conventions(for: e)
            precondition()
            return atEnd ? e : nil
        }

        /// What the task assumes of its input, which the code need not check: "for a non-negative integer
        /// n", "(n >= 0)" is not read.
        mutating func precondition() {
            _ = attempt { p -> Bool? in
                p.word(",")
                guard p.word("for", "where", "given") != nil else { return nil }
                let allowed: Set<String> = ["a", "an", "any", "every", "the", "given", "non-negative", "nonnegative", "positive", "whole",
                                            "natural", "integer", "integers", "number", "numbers", "string", "strings", "list", "lists",
                                            "input", "value", "values", "is", "are", "non-empty", "nonempty"]
                var sawParam = false
                while let t = p.peek, !p.atEnd {
                    switch t {
                    case .word(let w) where allowed.contains(w): p.pos += 1
                    case .param: p.pos += 1; sawParam = true
                    default: return nil
                    }
                }
                return sawParam ? true : nil
            }
        }

        /// A parenthesis or clause after the description that states what the code already does: ties
        /// go to the first ("the first one if several are equally long"), an empty list's product is 1.
        /// Anything else in parentheses is not read (so nothing compiles).
        mutating func conventions(for e: Expr) -> Bool {
            var any = false
            while let close = attempt({ p -> Bool? in
                let paren = p.word("(") != nil
                if !paren, p.word(",", ";") == nil { return nil }
                let start = p.pos
                var depth = 0
                while let t = p.peek, !(paren && t == .symbol(")") && depth == 0) {
                    if t == .symbol("(") { depth += 1 }
                    if t == .symbol(")") { depth -= 1 }
                    if !paren, t == .symbol(".") { break }
                    p.pos += 1
                }
                let inner = p.tokens[start..<p.pos]
                if paren { guard p.word(")") != nil else { return nil } }
                return CodeSpec.Parser.isConvention(Array(inner), for: e) ? true : nil
            }) { any = any || close }
            return any
        }

        static func isConvention(_ inner: [Token], for e: Expr) -> Bool {
            let words = inner.compactMap { if case .word(let w) = $0 { return w } else { return nil } }
            let text = words.joined(separator: " ")
            // Ties: max, min and index give the first.
            if ["tie", "ties", "several", "equally", "first one", "earliest"].contains(where: { text.contains($0) }),
               e.py.contains("max(") || e.py.contains("min(") || e.py.contains(".index(") { return true }
            // An empty list: the product of none is 1, the sum of none 0 (as Python gives them).
            if text.contains("empty") || text.contains("none") || text.contains("no ") {
                let numbers = inner.compactMap { if case .number(let n) = $0 { return n } else { return nil } }
                if numbers == ["1"], e.py.contains("math.prod(") { return true }
                if numbers == ["0"], e.py.hasPrefix("sum(") || e.py.hasPrefix("len(") { return true }
                if numbers.isEmpty, text.contains("empty list") || text.contains("empty string"),
                   words.contains("an") || words.contains("the"), e.py.hasPrefix("[") || e.py.hasPrefix("''") { return true }
            }
            // What the middle element assumes of its list: an odd length.
            if e.py.contains("// 2]"), ["which has an odd length", "which has odd length", "of odd length", "whose length is odd",
                                         "which has an odd number of elements", "which has an odd number of items",
                                         "which has an odd number of characters", "an odd length"].contains(text) { return true }
            // Duplicates dropped: dict.fromkeys keeps the first of each.
            if e.py.contains("dict.fromkeys("), ["keeping the first of each", "keeping the first one", "keeping the first occurrence",
                                                  "keeping the first occurrences", "keeping first occurrences", "keeping the first appearance",
                                                  "the first of each kept", "the first occurrence kept", "keeping the first of each one",
                                                  "keeping only the first of each", "keeping only the first one"].contains(text) { return true }
            // Both ends of a range in: what range(a, b + 1) does.
            if e.py.contains(" + 1)"), ["both included", "both inclusive", "inclusive", "including both", "including both ends",
                                         "both ends included", "including a and b", "ends included"].contains(text) { return true }
            // Spaces not counted: letters are what is counted.
            if ["not counting spaces", "ignoring spaces", "excluding spaces", "without counting spaces", "spaces not counted",
                "not counting the spaces"].contains(text), e.py.contains("isalpha()") { return true }
            // Order kept: what a comprehension does.
            if text == "in order" || text == "in the same order" || text == "keeping the order" || text == "in their original order"
                || text == "keeping their order" || text == "preserving their order" || text == "preserving the order"
                || text == "preserving order" || text == "keeping order" || text == "keeping the original order of the elements"
                || text == "keeping the first occurrence order" || text == "keeping the order of first occurrence"
                || text == "in order of first appearance" || text == "keeping the original order"
                || text == "in the order they appear" || text == "in the order they first appear" || text == "as a list" { return true }
            return false
        }

        /// What the function does: "returns …", "counts …", "converts …", "checks whether …".
        mutating func clause() -> Expr? {
            if let e = attempt({ p -> Expr? in
                guard p.anyPhrase(["returns", "return", "gives back", "give back", "compute", "calculate", "find", "gives", "outputs", "computes", "calculates", "finds",
                                   "produces", "returning", "yields", "computes and returns", "calculates and returns",
                                   "tells", "tells you", "tells me", "says", "reports", "works out", "gives me", "hands back", "sends back",
                                   "provides", "delivers", "should return", "will return", "must return",
                                   "finds and returns", "builds and returns", "is to return"]) != nil else { return nil }
                return p.result()
            }) { return e }
            if let e = attempt({ p -> Expr? in
                guard p.word("counts", "count", "count up") != nil else { return nil }
                return p.attempt({ q in q.count() }) ?? p.countBody()
            }) { return e }
            if let e = attempt({ p in p.conversion() }) { return e }
            if let e = attempt({ p -> Expr? in
                guard p.word("checks", "tells", "determines", "decides", "tests", "check", "determine", "decide", "test") != nil,
                      p.word("whether", "if") != nil,
                      let c = p.predicate() else { return nil }
                return Expr(py: c, ty: .bool)
            }) { return e }
            return attempt { p in p.doingClause() }
        }

        /// A transformation told as what the function does to its argument ("capitalizes the first letter
        /// of each word in sentence and returns the result", "joins words into one string with a single
        /// space between them").
        mutating func doingClause() -> Expr? {
            func andReturns(_ p: inout Parser) -> Bool {
                if p.word(",") != nil || p.word("and") != nil {
                    p.word("and")
                    guard p.word("returns", "return") != nil else { return false }
                    p.skip(["the", "a", "new", "resulting"])
                    return p.word("result", "it", "string", "list", "value", "sentence", "text", "sum", "total", "product", "answer",
                                  "difference", "quotient") != nil
                }
                return true
            }
            if let e = attempt({ p -> Expr? in
                // "multiplies a by b and returns the result", "adds a to b", "subtracts b from a", "divides a by b"
                guard let v = p.word("multiplies", "divides", "adds", "subtracts"), let a = p.operandValue(),
                      p.word(v == "adds" ? "to" : v == "subtracts" ? "from" : "by") != nil, let b = p.operandValue() else { return nil }
                guard andReturns(&p) else { return nil }
                let py = ["multiplies": "\(a) * \(b)", "divides": "\(a) / \(b)", "adds": "\(a) + \(b)", "subtracts": "\(b) - \(a)"][v]!
                return Expr(py: py, ty: .num)
            }) { return e }
            if let e = attempt({ p -> Expr? in
                guard let v = p.anyPhrase(["adds up", "adds together", "sums up", "sums", "totals", "multiplies together", "multiplies"]) else { return nil }
                guard let seq = p.seqPhrase() ?? p.source().flatMap({ s in s.ty.isList ? Seq(source: s.py, elem: s.ty.element, sourceIsList: true) : nil })
                else { return nil }
                p.word("together")
                guard andReturns(&p) else { return nil }
                return Expr(py: v.hasPrefix("multiplies") ? "math.prod(\(seq.list))" : "sum(\(seq.list))", ty: .num)
            }) { return e }
            if let e = attempt({ p -> Expr? in
                guard p.word("capitalizes", "capitalises", "capitalize", "capitalise") != nil, let s = p.titled() else { return nil }
                return andReturns(&p) ? s : nil
            }) { return e }
            if let e = attempt({ p in p.verbClause() }) { return e }
            return attempt { p -> Expr? in
                guard p.word("joins", "join") != nil,
                      let seq = p.seqPhrase() ?? p.source().flatMap({ s in s.ty.isList ? Seq(source: s.py, elem: s.ty.element, sourceIsList: true) : nil }),
                      seq.outElem == .str || seq.outElem == .any,
                      let sep = p.attempt({ q -> String? in
                          q.anyPhrase(["into one string", "into a single string", "into a string", "together"])
                          return q.separator()
                      }) else { return nil }
                return Expr(py: "\(sep).join(\(seq.list))", ty: .str)
            }
        }

        /// What the function does to its argument, then what it returns of it: "removes every space from
        /// phrase and returns what is left", "keeps only the odd values of nums and returns them as a list",
        /// "squares every number in values and returns the sum".
        mutating func verbClause() -> Expr? {
            let removing = ["removes", "deletes", "strips", "drops", "takes out", "filters out", "gets rid of", "strips out", "removes all"]
            let keeping = ["keeps", "selects", "filters", "picks", "picks out", "extracts", "collects", "finds", "gets", "filters for"]
            let mapping = ["squares": ("_e ** 2", CodeSpec.Ty.num), "doubles": ("_e * 2", .num), "triples": ("_e * 3", .num),
                           "halves": ("_e / 2", .num), "negates": ("-_e", .num), "cubes": ("_e ** 3", .num), "reverses": ("_e[::-1]", .str),
                           "capitalizes": ("_e.capitalize()", .str), "uppercases": ("_e.upper()", .str), "lowercases": ("_e.lower()", .str),
                           "increments": ("_e + 1", .num)]
            guard let verb = anyPhrase(removing + keeping + Array(mapping.keys)) else { return nil }
            var value: Expr
            var list: String?
            if removing.contains(verb) {
                skip(["every", "each", "all", "the", "any"])
                guard let cond = removed(), word("from", "in", "out") != nil else { return nil }
                word("of")
                guard let s = source() else { return nil }
                if s.ty == .str { value = Expr(py: "''.join(_e for _e in \(s.py) if not (\(cond)))", ty: .str) }
                else { value = Expr(py: "[_e for _e in \(s.py) if not (\(cond))]", ty: s.ty); list = value.py }
            } else if keeping.contains(verb) {
                skip(["only", "just"])
                guard let s = seqPhrase() else { return nil }
                value = Expr(py: s.list, ty: .list(s.outElem))
                list = s.list
            } else {
                let (f, ty) = mapping[verb]!
                skip(["every", "each", "all", "the"])
                if verb == "reverses", let s = attempt({ p -> Src? in
                    guard let s = p.source(), s.ty == .str || s.ty.isList else { return nil }
                    return s
                }) {
                    value = Expr(py: "\(s.py)[::-1]", ty: s.ty)
                } else {
                    guard var s = seqPhrase() else { return nil }
                    s.mapped(f, ty)
                    value = Expr(py: s.list, ty: .list(ty))
                    list = s.list
                }
            }
            // What it returns: the value, or an aggregate of it.
            guard let rest = attempt({ p -> Expr? in
                p.word(",")
                guard p.word("and") != nil || p.peek == .word("then") else { return nil }
                p.word("then")
                guard p.anyPhrase(["returns", "return", "gives back", "outputs"]) != nil else { return nil }
                if p.anyPhrase(["what is left", "what remains", "the rest", "it", "them", "the result", "the remaining string",
                                "the remaining characters", "the remaining list", "the new list", "the new string", "the list", "the string",
                                "the resulting list", "the resulting string", "those", "the remaining elements", "the remaining numbers"]) != nil {
                    _ = CodeSpec.Parser.orderKept(&p)
                    return value
                }
                guard let list else { return nil }
                p.skip(["the", "their"])
                let agg = ["sum": "sum", "total": "sum", "product": "math.prod", "count": "len", "number": "len", "average": "statistics.mean",
                           "mean": "statistics.mean", "maximum": "max", "largest": "max", "minimum": "min", "smallest": "min"]
                guard case .word(let w)? = p.peek, let f = agg[w] else { return nil }
                p.pos += 1
                p.anyPhrase(["of them", "of the results", "of those"])
                return Expr(py: "\(f)(\(list))", ty: .num)
            }) else { return atEnd ? value : nil }
            return rest
        }

        /// "the first letter of each word in s" (as the object of "capitalizes"): s with each word's first
        /// letter in upper case.
        mutating func titled() -> Expr? {
            attempt { p -> Expr? in
                p.skip(["the"])
                guard p.word("first") != nil, p.word("letter", "character") != nil, p.word("of", "in") != nil,
                      p.word("each", "every", "all") != nil, p.word("word", "words") != nil, p.word("in", "of") != nil,
                      let s = p.source(), s.ty == .str else { return nil }
                return Expr(py: "' '.join(_w[:1].upper() + _w[1:] for _w in \(s.py).split(' '))", ty: .str)
            }
        }

        /// The separator of a join: "with a single space between them", "separated by commas", "joined by '-'".
        mutating func separator() -> String? {
            attempt { p -> String? in
                guard p.word("with", "separated", "joined") != nil else { return nil }
                p.word("by", "with")
                p.skip(["a", "single", "one", "an"])
                guard let c = p.character() else { return nil }
                p.anyPhrase(["between them", "between each", "between the words", "between each pair", "in between", "between"])
                return c
            }
        }

        /// What a function returns: True/False on a condition, a value chosen by a condition, or a value.
        mutating func result() -> Expr? {
            if let e = attempt({ p in p.booleanResult() }) { return e }
            if let e = attempt({ p -> Expr? in
                guard p.word("whether", "if") != nil, let c = p.predicate() else { return nil }
                return Expr(py: c, ty: .bool)
            }) { return e }
            if let e = attempt({ p in p.conditional() }) { return e }
            guard let v = value() else { return nil }
            // "…, or -1 if x is not in items": the other value when the condition holds.
            if let alt = attempt({ p -> Expr? in
                p.word(",", ";")
                guard p.word("or", "and") != nil, let b = p.term(), p.word("if", "when") != nil, let c = p.predicate() else { return nil }
                return Expr(py: "\(b.py) if \(c) else \(v.py)", ty: v.ty == b.ty ? v.ty : .any)
            }) { return alt }
            return v
        }

        /// "True if n is even (and False otherwise)", "False when …".
        mutating func booleanResult() -> Expr? {
            guard let first = word("true", "false") else { return nil }
            guard anyPhrase(["if and only if", "exactly when", "only when", "only if", "precisely when", "when", "whenever", "if", "for"]) != nil,
                  var c = predicate() else { return nil }
            if first == "false" { c = "not (\(c))" }
            // "and False otherwise", ", False if not", "and False when it is odd" (the other case).
            _ = attempt { p -> Bool? in
                p.word(",", ";")
                p.word("and", "or")
                guard p.word(first == "true" ? "false" : "true") != nil else { return nil }
                if p.anyPhrase(["otherwise", "if not", "else", "in all other cases", "in every other case", "for anything else"]) != nil { return true }
                guard p.word("when", "if", "for") != nil, p.predicate() != nil else { return nil }
                return true
            }
            return Expr(py: c, ty: .bool)
        }

        /// "'Fizz' when n is divisible by 3 and str(n) otherwise", "'Buzz' if …, otherwise n".
        mutating func conditional() -> Expr? {
            guard let a = term(), word("if", "when", "whenever") != nil, let c = predicate() else { return nil }
            // "1 if n is positive, -1 if n is negative and 0 if n is zero": cases in turn; with no "otherwise",
            // None when none holds (the words say nothing of it).
            var cases = [(a, c)]
            while let next = attempt({ p -> (Expr, String)? in
                p.word(",", ";")
                p.word("and", "or")
                guard let v = p.term(), p.word("if", "when") != nil, let c = p.predicate() else { return nil }
                return (v, c)
            }) { cases.append(next) }
            if cases.count > 1 {
                var other = "None"
                if let b = attempt({ p -> Expr? in
                    p.word(",", ";")
                    p.word("and", "or")
                    if p.word("otherwise", "else") != nil { p.word(","); return p.term() }
                    guard let b = p.term(), p.anyPhrase(["otherwise", "in all other cases", "else"]) != nil else { return nil }
                    return b
                }) { other = b.py }
                let py = cases.reversed().reduce(other) { "\($1.0.py) if \($1.1) else (\($0))" }
                return Expr(py: py, ty: cases.allSatisfy({ $0.0.ty == a.ty }) ? a.ty : .any)
            }
            word(",", ";")
            word("and", "but", "or")
            if word("otherwise", "else") != nil {
                word(",")
                guard let b = term() else { return nil }
                return Expr(py: "\(a.py) if \(c) else \(b.py)", ty: a.ty == b.ty ? a.ty : .any)
            }
            guard let b = term(), anyPhrase(["otherwise", "in all other cases", "else", "if not"]) != nil else { return nil }
            return Expr(py: "\(a.py) if \(c) else \(b.py)", ty: a.ty == b.ty ? a.ty : .any)
        }
    }
}
