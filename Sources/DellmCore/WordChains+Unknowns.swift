import Foundation

extension WordChains {
    /// One unknown, found from a total: "Markus is twice the age of his son, and his son is twice the
    /// age of his grandson. If the sum of their ages is 140, how old is the grandson?" Each quantity is
    /// told as a multiple of another (`a·x + b` of the one never told, the unknown x), "some cats and
    /// twice as many dogs"; one clause gives the total of all of them. Then x = (total − Σb) / Σa, and
    /// the quantity asked is computed from it.
    /// Declines unless there is exactly one unknown, every quantity is told from it, one total is
    /// given, and the question names one of them.
    enum Unknowns {
        /// A quantity as `times · x + plus`.
        struct Form { var times: Double, plus: Double }

        static func solve(_ p: Problem) -> Solution? {
            var told: [String: (Form, String)] = [:]  // subject → its form over a reference
            var keys: [String] = []                    // every quantity, in the order first named
            var total: Double? = nil
            var known: (key: String, value: Double)? = nil
            func name(_ k: String) { if !keys.contains(k) { keys.append(k) } }
            for c in p.statement {
                let qs = c.indices.filter { c[$0].isQuantity }
                if c.contains(where: { ["total", "sum", "together", "combined", "altogether"].contains($0.text) }) || WordChains.contains(c, ["in", "all"]) {
                    // The total: the clause's one plain number.
                    guard qs.count == 1, c[qs[0]].kind == .number, total == nil else { return nil }
                    total = c[qs[0]].value
                    continue
                }
                if let s = c.firstIndex(where: { $0.text == "some" }), let n = noun(after: s, in: c) { name(n) } // "some cats"
                if qs.isEmpty { continue }
                // One of them told outright: "Raquel has $40".
                if qs.count == 1, c[qs[0]].kind == .number, !c.contains(where: { Story.comparing[$0.text] != nil }) {
                    guard known == nil, let k = head(subjectWords(c), p) else { return nil }
                    known = (k, c[qs[0]].value)
                    name(k)
                    continue
                }
                guard let (subject, form, ref) = relation(c, qs, p), let r = ref ?? keys.last, subject != r, told[subject] == nil else { return nil }
                name(r); name(subject)
                told[subject] = (form, r)
            }
            // A number in the question ("in 4 years") is a step this reader does not take.
            guard !p.question.contains(where: \.isQuantity) else { return nil }
            // The unknown: the one quantity never told from another.
            let unknowns = keys.filter { told[$0] == nil }
            guard total == nil || known == nil, unknowns.count == 1, let x0 = unknowns.first, keys.count >= 2 else { return nil }
            func form(_ k: String, depth: Int = 0) -> Form? {
                if k == x0 { return Form(times: 1, plus: 0) }
                guard depth < keys.count, let (f, r) = told[k], let rf = form(r, depth: depth + 1) else { return nil }
                return Form(times: f.times * rf.times, plus: f.times * rf.plus + f.plus)
            }
            var forms: [String: Form] = [:]
            for k in keys { guard let f = form(k) else { return nil }; forms[k] = f }
            let a = keys.map { forms[$0]!.times }.reduce(0, +), b = keys.map { forms[$0]!.plus }.reduce(0, +)
            var steps = keys.filter { $0 != x0 }.map { "\($0) = " + describe(forms[$0]!, x0) }
            let x: Double
            if let t = total {
                guard a != 0 else { return nil }
                x = (t - b) / a
                steps.append("\(keys.joined(separator: " + ")) = \(Calculator.format(t)), so \(x0) = (\(Calculator.format(t)) - \(Calculator.format(b))) / \(Calculator.format(a)) = \(Calculator.format(x))")
            } else if let (k, v) = known, let f = forms[k], f.times != 0 {
                x = (v - f.plus) / f.times
                steps.append(k == x0 ? "\(k) = \(Calculator.format(v))" : "\(k) = \(Calculator.format(v)), so \(x0) = \(Calculator.format(x))")
            } else { return nil }
            if total == nil, p.asksTotal {
                let sum = a * x + b
                steps.append(keys.map { Calculator.format(forms[$0]!.times * x + forms[$0]!.plus) }.joined(separator: " + ") + " = \(Calculator.format(sum))")
                return Solution(steps: steps, value: sum, rule: "one unknown")
            }
            let words = p.question.filter { $0.kind == .word }.flatMap { [$0.text, singular($0.text)] }
            // The one the question names; "Markus's grandson" names the grandson.
            var asked = keys.filter { words.contains($0) }
            if asked.count > 1 { asked = asked.filter { !p.possessors.contains($0) } }
            guard asked.count == 1, let key = asked.first, let f = forms[key] else { return nil }
            let v = f.times * x + f.plus
            if key != x0 { steps.append("\(key) = \(Calculator.format(v))") }
            return Solution(steps: steps, value: v, rule: "one unknown")
        }

        /// A phrase's head: a name alone when it is no one's ("Nancy steps on …" is Nancy), else the last
        /// word ("Markus's son" is the son).
        static func head(_ words: [String], _ p: Problem) -> String? {
            guard let first = words.first, let last = words.last else { return nil }
            if p.names.contains(first), !p.possessors.contains(first) || words.count == 1 { return first }
            return p.names.contains(last) ? last : singular(last)
        }

        static func describe(_ f: Form, _ x: String) -> String {
            var s = f.times == 1 ? x : "\(Calculator.format(f.times)) × \(x)"
            if f.plus != 0 { s += f.plus > 0 ? " + \(Calculator.format(f.plus))" : " - \(Calculator.format(-f.plus))" }
            return s
        }

        /// "Markus is twice the age of his son", "Nancy steps … 3 times as often as Jason", "twice as
        /// many dogs", "Ana has 4 more than Bo": the subject's key, its form over the reference, and the
        /// reference's key (nil: the quantity told before).
        static func relation(_ c: [Tok], _ qs: [Int], _ p: Problem) -> (String, Form, String?)? {
            var times = 1.0, plus = 0.0
            var last = qs[0]
            for i in qs {
                let t = c[i]
                switch t.kind {
                case .multiplier, .fraction: times = t.value
                case .number:
                    // "4 more than Bo"; "3 more apples" alone says more than what, not.
                    guard let k = c[(i + 1)...].prefix(4).firstIndex(where: { Story.comparing[$0.text] != nil }),
                          c[(k + 1)...].contains(where: { $0.text == "than" }) else { return nil }
                    plus = Story.comparing[c[k].text]! * t.value
                default: return nil
                }
                last = i
            }
            guard qs.count <= 2 else { return nil }
            // The reference: the head noun after the last "as", "than" or "of" past the quantities.
            let after = c[(last + 1)...]
            var ref: String? = nil
            // The reference follows the last "than", "of" or closing "as" ("as many dogs" opens, "as Sam" closes).
            let opening: Set<String> = ["many", "much", "often", "long", "old", "tall", "far", "fast", "big", "heavy", "high"]
            if let r = after.indices.last(where: { k in
                ["than", "of", "what"].contains(c[k].text) || c[k].text == "as" && (k + 1 >= c.count || !opening.contains(c[k + 1].text))
            }) {
                let phrase = c[(r + 1)...].prefix { !["which", "that", "who", "whom", ","].contains($0.text) }.prefix(4)
                ref = head(phrase.filter { $0.kind == .word && !Story.determiners.contains($0.text) && !Story.pronouns.contains($0.text) }.map(\.text), p)
            }
            // The subject: "as many dogs" with nothing after it; else the head of the words before the verb.
            var subject: String? = nil
            if ref == nil, let m = after.firstIndex(where: { $0.text == "many" || $0.text == "much" }) { subject = noun(after: m, in: c) }
            if subject == nil { subject = head(subjectWords(c), p) }
            guard let s = subject, !Story.pronouns.contains(s) else { return nil }
            return (s, Form(times: times, plus: plus), ref)
        }
    }
}
