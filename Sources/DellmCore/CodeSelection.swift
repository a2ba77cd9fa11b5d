import Foundation

/// Code chosen by execution (execution agreement, as in AlphaCode and MBR-exec): several candidate
/// programs are run in one sandbox run on inputs made from the function's signature and the task's
/// words, and the candidate whose behaviour most candidates share wins. Agreement is evidence, not
/// proof: the verifier still calls code that no example tests unproven.
public enum CodeSelection {
    /// The function's parameter names as the task writes them: "count_char(s, c)" → ["s", "c"].
    public static func parameters(in task: String, function: String) -> [String] {
        let re = try! NSRegularExpression(pattern: "\\b\(NSRegularExpression.escapedPattern(for: function))\\s*\\(([^()]*)\\)")
        let ns = task as NSString
        guard let m = re.firstMatch(in: task, range: NSRange(location: 0, length: ns.length)) else { return [] }
        return ns.substring(with: m.range(at: 1)).split(separator: ",").map {
            String($0.split(separator: "=").first ?? "").split(separator: ":").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        }.filter { !$0.isEmpty }
    }

    static let strings = ["''", "'a'", "'hello world'", "'Mississippi'", "'The quick brown fox'", "'racecar'", "'AbC dEf'", "'  two  spaces '"]
    static let characters = ["'s'", "'a'", "'o'", "' '", "'x'", "'i'", "'e'", "'T'"]
    /// Parameter names that hold one character.
    static let characterNames: Set<String> = ["c", "ch", "char", "letter", "character", "sep", "delimiter", "ch1", "ch2", "symbol"]
    static let integers = ["0", "1", "2", "5", "10", "17", "-3", "100"]
    static let lists = ["[]", "[1, 2, 3]", "[3, 1, 2, 2]", "[5]", "[-1, 0, 7, 7, 4]", "[10, 20]", "[2, 2, 2]", "[9, 8, 7, 6]"]
    static let wordLists = ["[]", "['a']", "['apple', 'Bob', 'kiwi']", "['x', 'y', 'x']", "['hello', 'world']", "['A', 'b', 'C']", "['same', 'same']", "['one']"]

    /// Values for one parameter, by its name and the task's words; nil when it cannot be guessed (a function).
    static func values(for parameter: String, task: String) -> [String]? {
        let p = parameter.lowercased()
        let lower = task.lowercased()
        if ["f", "func", "fn", "callback", "key", "predicate"].contains(p) { return nil }
        if characterNames.contains(p) { return characters }
        if ["words", "names", "strings", "tokens", "lines", "sentences", "titles", "labels", "tags", "parts", "pieces"].contains(p) { return wordLists }
        // Named as a count or a size: a number, though plural ("times", "steps").
        if ["times", "count", "width", "size", "length", "limit", "index", "position", "steps", "places", "decimals"].contains(p) { return integers }
        // Named as a piece of text: a string.
        if ["prefix", "suffix", "separator", "tag", "label", "title", "greeting", "ending", "pattern", "substring", "sub", "fill", "filler"].contains(p) {
            return strings
        }
        if ["s", "text", "string", "word", "sentence", "st", "str", "name", "phrase", "txt", "line", "message", "msg", "word1", "word2", "s1", "s2"].contains(p) { return strings }
        if ["lst", "nums", "numbers", "items", "arr", "array", "values", "l", "data", "seq", "xs", "list_", "elements", "ints", "scores", "a_list", "li", "lista", "nums1", "nums2"].contains(p) {
            return lower.contains("list of strings") || lower.contains("list of words") ? wordLists : lists
        }
        // A parameter named as a unit ("seconds", "num_days", "miles") is an amount of it, not a list.
        if let last = p.split(separator: "_").last, last.count >= 2, ArithmeticGrammar.Conversion.byName[String(last)] != nil { return integers }
        if p.hasSuffix("s") && p.count > 3 { return lists }
        return integers
    }

    /// Up to eight argument tuples (Python literals without the parentheses), the i-th value of each
    /// parameter together; nil when a parameter's values cannot be guessed.
    public static func inputs(task: String, function: String) -> [String]? {
        let params = parameters(in: task, function: function)
        guard !params.isEmpty else { return nil }
        var columns: [[String]] = []
        for p in params {
            guard let v = values(for: p, task: task) else { return nil }
            columns.append(v)
        }
        return tuples(columns)
    }

    /// Eight argument tuples from one list of values per parameter, the i-th of each together; later
    /// columns rotated so pairs differ ("add(a, b)": (0, 1), (1, 2), …).
    static func tuples(_ columns: [[String]]) -> [String] {
        let rotated = columns.enumerated().map { k, v in Array(v[(k % v.count)...] + v[..<(k % v.count)]) }
        return (0..<8).map { i in rotated.map { $0[i % $0.count] }.joined(separator: ", ") }
    }

    static let marker = "DELLM-OUTPUTS"

    /// A Python program that defines each candidate in a namespace of its own and prints, per candidate,
    /// the repr of its result (or the exception's name) on every input, each call bounded by an alarm (0.2 s; a candidate that times out once is not called again).
    /// Candidates and inputs travel base64-encoded: no character of them becomes code of the harness.
    public static func harness(candidates: [String], function: String, inputs: [String]) -> String {
        func encoded(_ items: [String]) -> String {
            Data(JSONValue.array(items.map { .string($0) }).serialized.utf8).base64EncodedString()
        }
        return """
            import ast as _ast, base64 as _b64, builtins as _bi, copy as _copy, json as _json, signal as _signal
            def _load(s):
                return _json.loads(_b64.b64decode(s).decode('utf-8'))
            _cands = _load('\(encoded(candidates))')
            _args = [_ast.literal_eval('(' + a + ',)') for a in _load('\(encoded(inputs))')]
            def _alarm(*_a):
                raise TimeoutError()
            _signal.signal(_signal.SIGALRM, _alarm)
            def _no_input(*_a):
                raise EOFError()
            _bi.input = _no_input
            _out = []
            for _c in _cands:
                _ns = {}
                _f = None
                try:
                    _signal.setitimer(_signal.ITIMER_REAL, 1.0)
                    exec(_c, _ns)
                    _f = _ns.get('\(function)')
                except BaseException:
                    pass
                finally:
                    _signal.setitimer(_signal.ITIMER_REAL, 0)
                _row = []
                for _a in _args:
                    # A candidate that timed out once is not called again: one endless loop costs 0.2 s.
                    if not callable(_f) or 'error:TimeoutError' in _row:
                        _row.append('error:undefined' if not callable(_f) else 'error:TimeoutError')
                        continue
                    try:
                        _signal.setitimer(_signal.ITIMER_REAL, 0.2)
                        _r = repr(_f(*_copy.deepcopy(_a)))[:200]
                    except BaseException as _e:
                        _r = 'error:' + type(_e).__name__
                    finally:
                        _signal.setitimer(_signal.ITIMER_REAL, 0)
                    _row.append(_r)
                _out.append(_row)
            print('\(marker) ' + _json.dumps(_out))
            """
    }

    /// The harness's results, per candidate, from its output.
    public static func outputs(from output: String) -> [[String]]? {
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix(marker + " ") }),
              case .array(let rows)? = JSONValue.parse(String(line.dropFirst(marker.count + 1))) else { return nil }
        return rows.map { row in
            if case .array(let cells) = row { return cells.map { if case .string(let s) = $0 { return s } else { return "" } } }
            return []
        }
    }

    /// The candidate whose results most candidates share, and how many share them (ties: the earlier);
    /// a candidate that is not `plausible` (it fails on most inputs, or returns what the task's words do
    /// not ask for) is never chosen, nor counted as agreeing.
    public static func choose(_ outputs: [[String]], expected: ResultKind? = nil, inputs: [String]? = nil) -> (index: Int, agreeing: Int)? {
        var best: (Int, Int)?
        let rows = outputs.map { plausible($0, expected: expected) && !degenerate($0, inputs: inputs) ? $0 : nil }
        for (i, row) in rows.enumerated() {
            guard let row else { continue }
            let n = rows.filter { $0 == row }.count
            if best == nil || n > best!.1 { best = (i, n) }
        }
        return best
    }

    /// Whether a candidate's results ignore what it is given: the same result for every input, or, for a
    /// function of one argument, the argument itself back ("return s.replace('[', '_')" on strings
    /// without "["). Such candidates agree with each other on any task, and were chosen over a right
    /// one; no task of this kind asks for them. Needs three or more distinct inputs to say.
    public static func degenerate(_ row: [String], inputs: [String]?) -> Bool {
        guard let inputs, Set(inputs).count >= 3, row.count == inputs.count else { return false }
        let results = row.filter { !$0.hasPrefix("error:") }
        guard results.count >= 3 else { return false }
        if Set(results).count == 1 { return true }
        // The argument back (a function of several arguments never matches: its input is "a, b").
        return zip(inputs, row).filter { !$0.1.hasPrefix("error:") }.allSatisfy { $0.0 == $0.1 }
    }

    /// What a function's result is, as far as the harness's reprs show it.
    public enum ResultKind: String, Sendable, Equatable {
        case bool, number, string, list, dict
    }

    /// The kind of result the task's words ask for, read from what follows "returns" (or "return",
    /// "that gives"): "returns True if …" → bool; "returns how many …", "the number of …", "the sum …" →
    /// number; "returns a list …", "the numbers sorted …" → list; "a dictionary" → dict; "the longest word",
    /// "the string … reversed" → string. Nil when the words do not say.
    public static func expectedKind(task: String) -> ResultKind? {
        let lower = task.lowercased()
        guard let r = lower.range(of: #"\b(returns?|gives?|outputs?)\b"#, options: .regularExpression) else {
            return lower.contains(" true if") || lower.contains("whether") ? .bool : nil
        }
        let after = lower[r.upperBound...].split(whereSeparator: { !$0.isLetter }).prefix(6).map(String.init)
        guard !after.isEmpty else { return nil }
        // "returns the words in words joined with '-'": whatever is joined is one string (seen in the fleet:
        // a right '-'.join(words) was refused as no list).
        let clause = lower[r.upperBound...].prefix { $0 != "." && $0 != ";" }
        if clause.range(of: #"\b(joined|concatenated|glued)\b|\bas (a|one) (single )?string\b"#, options: .regularExpression) != nil { return .string }
        if after.contains("true") || after.contains("false") || after.first == "whether" { return .bool }
        if after.starts(with: ["how", "many"]) || after.starts(with: ["how", "often"]) { return .number }
        let skip: Set<String> = ["the", "a", "an", "new", "its", "their", "one", "single", "resulting", "final", "python", "only",
                                 "largest", "smallest", "longest", "shortest", "biggest", "highest", "lowest", "first", "last", "second", "most", "least"]
        for word in after where !skip.contains(word) {
            switch word {
            case "number", "sum", "average", "mean", "product", "difference", "count", "total", "maximum", "minimum", "median", "factorial",
                 "integer", "int", "float", "length", "size", "amount", "area", "perimeter", "remainder", "quotient", "square", "cube", "value":
                // "the number of …", "the sum …"; "the numbers …" is a list.
                return .number
            case "list", "numbers", "items", "elements", "values", "words", "letters", "characters", "strings", "lengths", "squares", "pairs":
                return .list
            case "dictionary", "dict", "mapping":
                return .dict
            case "string", "word", "text", "sentence", "character", "letter", "name", "reversed", "uppercase", "lowercase":
                return .string
            case "true", "false", "boolean", "bool":
                return .bool
            default:
                // Another plural ("the names sorted") is a list; any other word decides nothing ("returns
                // base raised to …").
                return word.count > 3 && word.hasSuffix("s") && !word.hasSuffix("ss") ? .list : nil
            }
        }
        return nil
    }

    /// The kind of a result by its repr; nil for anything else (None, tuples, objects).
    public static func kind(ofRepr r: String) -> ResultKind? {
        if r == "True" || r == "False" { return .bool }
        guard let c = r.first else { return nil }
        if c == "'" || c == "\"" { return .string }
        if c == "[" { return .list }
        if c == "{" { return r == "{}" || r.contains(":") ? .dict : nil }
        if c.isNumber || c == "-" || c == "." { return Double(r) != nil || Int(r) != nil ? .number : nil }
        return nil
    }

    /// Whether a candidate's results can be the function asked for: it fails (or times out) on at most
    /// half of the inputs, it does not answer None to all of them, and every result is of the kind the
    /// task's words ask for, when they say.
    public static func plausible(_ row: [String], expected: ResultKind?) -> Bool {
        guard !row.isEmpty else { return false }
        let results = row.filter { !$0.hasPrefix("error:") }
        guard results.count * 2 >= row.count, !results.allSatisfy({ $0 == "None" }) else { return false }
        guard let expected else { return true }
        return results.allSatisfy { kind(ofRepr: $0) == expected }
    }
}
