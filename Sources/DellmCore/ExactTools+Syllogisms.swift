import Foundation

// MARK: - Syllogisms

extension ExactTools {
    /// Yes/no questions settled by statements about classes: "All cats are animals. Tom is a cat. Is Tom
    /// an animal?" → yes; "No reptiles have feathers. A lizard is a reptile. Does a lizard have feathers?"
    /// → no; "If all metals conduct electricity and copper is a metal, does copper conduct electricity?" →
    /// yes; "Some dogs are brown. Rex is a dog. Is Rex brown?" → "cannot be known" ("Must Rex be brown?",
    /// "Is every rectangle a square?" when only the converse is given → no, not necessarily).
    /// A predicate is kept as its verb and object ("have feather", "need water", "can fly"); "is a Y" as
    /// the class Y. Classes chain; plurals are read as their singulars.
    enum Syllogisms {
        static let copulas: Set<String> = ["is", "are", "be"]
        static let auxiliaries: Set<String> = ["is", "are", "can", "does", "do", "did", "must", "will", "would", "could", "should"]
        static let modal: Set<String> = ["certainly", "necessarily", "definitely", "always", "surely", "must"]
        static let quantifiers: Set<String> = ["all", "every", "each", "no", "some", "any"]

        static func singular(_ w: String) -> String {
            if ["is", "has", "was", "does", "bus", "gas", "glass", "grass", "class", "always", "this", "its"].contains(w) { return w }
            if w.hasSuffix("ies"), w.count > 4 { return String(w.dropLast(3)) + "y" }
            if w.hasSuffix("sses") || w.hasSuffix("xes") || w.hasSuffix("ches") || w.hasSuffix("shes") { return String(w.dropLast(2)) }
            if w.hasSuffix("s"), !w.hasSuffix("ss"), !w.hasSuffix("us"), w.count > 3 { return String(w.dropLast()) }
            return w
        }

        static func words(_ s: String) -> [String] {
            let w = s.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "'" }).map(String.init).filter { !["a", "an", "the"].contains($0) }
            // "This plant", "my dog": one individual, as a name is ("This plant is a rose. Is this plant a flower?").
            var out: [String] = []
            var i = 0
            while i < w.count {
                if determiners.contains(w[i]), i + 1 < w.count, !copulas.contains(w[i + 1]), !auxiliaries.contains(w[i + 1]),
                   !quantifiers.contains(w[i + 1]), !determiners.contains(w[i + 1]) {
                    out.append(w[i] + " " + w[i + 1])
                    i += 2
                } else {
                    out.append(w[i])
                    i += 1
                }
            }
            return out
        }

        static let determiners: Set<String> = ["this", "that", "my", "your", "his", "her", "our", "their"]

        /// A predicate, normalized: "is a mammal" / "are mammals" → "mammal"; "has feathers" / "have
        /// feathers" → "have feather"; "needs water" → "need water"; "can fly" → "can fly".
        static func predicate(_ w: ArraySlice<String>) -> String? {
            guard let verb = w.first else { return nil }
            let rest = w.dropFirst().filter { !modal.contains($0) && $0 != "also" }
            if copulas.contains(verb) { return rest.isEmpty ? nil : rest.map(singular).joined(separator: " ") }
            return ([stem(verb)] + rest.map(singular)).joined(separator: " ")
        }

        /// A verb as one key for all its forms: "passed", "passes", "pass" → "pass"; "wore" → "wear";
        /// "has" → "have" (irregular past forms by a table, the rest by their endings).
        static func stem(_ verb: String) -> String {
            var v = verb
            if let base = irregular[verb] { v = base }
            else if v.hasSuffix("ied"), v.count > 4 { v = String(v.dropLast(3)) + "y" }
            else if v.hasSuffix("ed"), v.count > 4 { v = String(v.dropLast(2)) }
            else if v.hasSuffix("ies"), v.count > 4 { v = String(v.dropLast(3)) + "y" }
            else if v.hasSuffix("sses") || v.hasSuffix("shes") || v.hasSuffix("ches") || v.hasSuffix("xes") { v = String(v.dropLast(2)) }
            else if v.hasSuffix("s"), !v.hasSuffix("ss"), v.count > 3 { v = String(v.dropLast()) }
            // "liked" and "like" both end up "lik"; "breathes" and "breathe" both "breath".
            if v.hasSuffix("e"), v.count > 3 { v = String(v.dropLast()) }
            return v
        }

        /// Words ending in "s" that are no plural subject ("this shape is …").
        static let notPlurals: Set<String> = ["this", "thus", "always", "perhaps", "has", "was", "does", "is", "its", "his", "hers", "yes", "yours", "ours", "theirs", "unless"]

        static let irregular: [String: String] = [
            "has": "have", "had": "have", "does": "do", "did": "do", "went": "go", "goes": "go", "wore": "wear", "worn": "wear",
            "ate": "eat", "eaten": "eat", "ran": "run", "made": "mak", "took": "tak", "taken": "tak", "saw": "see", "seen": "see",
            "gave": "giv", "given": "giv", "got": "get", "came": "com", "wrote": "writ", "written": "writ", "flew": "fly", "flies": "fly",
            "swam": "swim", "grew": "grow", "knew": "know", "drove": "driv", "rode": "rid", "sang": "sing", "won": "win", "lost": "los",
            "bought": "buy", "brought": "bring", "caught": "catch", "taught": "teach", "thought": "think", "sold": "sell", "told": "tell",
            "found": "find", "left": "leav", "felt": "feel", "kept": "keep", "slept": "sleep", "met": "meet", "paid": "pay", "said": "say",
            "sat": "sit", "stood": "stand", "spoke": "speak", "broke": "break", "chose": "choos", "drank": "drink", "read": "read",
            "passed": "pass", "needed": "need",
        ]

        /// Statements and the question, with a leading "if" dropped and "… and all …" split.
        static func clauses(_ text: String) -> [[String]] {
            var out: [[String]] = []
            for part in text.split(whereSeparator: { ".?!;,".contains($0) }) {
                var current: [String] = []
                let w = words(String(part))
                for (k, x) in w.enumerated() {
                    if k == 0, ["if", "so", "then", "therefore", "given"].contains(x) { continue }
                    // "and" starts a new statement when a quantifier or "<name> is" follows.
                    if x == "and", k + 1 < w.count, quantifiers.contains(w[k + 1]) || (k + 2 < w.count && w[k + 2] == "is") {
                        if !current.isEmpty { out.append(current) }
                        current = []
                        continue
                    }
                    current.append(x)
                }
                if !current.isEmpty { out.append(current) }
            }
            return out
        }

        /// What the statements say: classes and their predicates, and the individuals.
        struct Knowledge {
            var isA: [String: Set<String>] = [:]     // class → its predicates (all A are B / all A need water)
            var never: [String: Set<String>] = [:]   // class → predicates none of it has
            var some: Set<String> = []
            var members: [String: String] = [:]      // individual → class
            var isEmpty: Bool { isA.isEmpty && never.isEmpty && some.isEmpty }
        }

        struct Question { var subject: String; var property: String; var universal: Bool; var modal: Bool }

        static func solve(_ text: String) -> Solution? {
            var known = Knowledge(), question: Question?
            for w in clauses(text) {
                guard let first = w.first, first != "answer" else { continue }
                if auxiliaries.contains(first), w.count >= 3, question == nil {
                    guard let q = readQuestion(w) else { return nil }
                    question = q
                } else if !read(statement: w, into: &known) {
                    return nil // a sentence of another shape: not a syllogism this tool reads
                }
            }
            guard let q = question, !known.isEmpty else { return nil }
            return judge(q, known)
        }

        /// "Is Tom an animal", "Does a gecko have fur", "Can a salmon fly", "Is every rectangle a square",
        /// "Must Rex be brown", "Is Fido certainly a poodle".
        static func readQuestion(_ w: [String]) -> Question? {
            let first = w[0]
            var rest = Array(w.dropFirst()).filter { !modal.contains($0) }
            let universal = rest.first.map { ["all", "every", "each", "any"].contains($0) } ?? false
            if universal { rest.removeFirst() }
            guard rest.count >= 2 else { return nil }
            let verb: [String] = copulas.contains(first) || first == "must" && rest[1] == "be" ? [] : first == "can" ? ["can"] : []
            let tail = rest.dropFirst().drop { $0 == "be" }
            let body = verb.isEmpty && ["does", "do", "did"].contains(first) ? ArraySlice(tail) : ArraySlice(["is"] + verb + tail)
            guard let p = predicate(body) else { return nil }
            return Question(subject: rest[0], property: p, universal: universal, modal: modal.contains(first) || w.contains { modal.contains($0) })
        }

        /// One statement into what is known; false when it has no shape this tool reads.
        static func read(statement w: [String], into k: inout Knowledge) -> Bool {
            if quantifiers.contains(w[0]) {
                // "All of the students passed": "of" (the article is gone already) goes.
                guard let (subject, p) = split(Array(w.dropFirst().drop { $0 == "of" })) else { return false }
                switch w[0] {
                case "no": k.never[subject, default: []].insert(p)
                case "some": k.some.insert(subject)
                default: k.isA[subject, default: []].insert(p)
                }
                return true
            }
            // "Tom is a cat", "copper is a metal", "Lena is one of the students"; "whales are mammals" and
            // "mammals have fur" (a class, as "all").
            if w.count > 4, w[1] == "is", w[2] == "one", w[3] == "of" { k.members[w[0]] = singular(w[4...].joined(separator: " ")); return true }
            if w.count >= 3, w[1] == "is", let p = predicate(w[1...]) { k.members[w[0]] = p; return true }
            if w.count >= 3, w[1] == "are", let p = predicate(w[1...]) { k.isA[singular(w[0]), default: []].insert(p); return true }
            if w.count >= 2, w[0].count > 3, w[0].hasSuffix("s"), !w[0].hasSuffix("ss"), !notPlurals.contains(w[0]), let p = predicate(w[1...]) {
                k.isA[singular(w[0]), default: []].insert(p); return true
            }
            return false
        }

        /// The answer the knowledge gives: yes when the property follows, no when a class of the subject
        /// excludes it, "no, not necessarily" for a universal or "must" question, else "cannot be known".
        static func judge(_ q: Question, _ k: Knowledge) -> Solution? {
            let member = k.members[q.subject] != nil
            let start = q.universal ? singular(q.subject) : k.members[q.subject] ?? singular(q.subject)
            guard q.universal || member || k.isA[start] != nil || k.never[start] != nil || k.some.contains(start) else { return nil }
            // Every class and predicate that follows from "all A are B".
            var classes: Set<String> = [start], stack = [start]
            while let c = stack.popLast() { for b in k.isA[c] ?? [] where !classes.contains(b) { classes.insert(b); stack.append(b) } }
            let name = q.universal ? "every \(start)" : member ? q.subject.prefix(1).uppercased() + q.subject.dropFirst() : "a \(start)"
            let lead = member ? "\(name) is a \(start); " : ""
            if classes.contains(q.property) {
                return Solution(tool: "syllogism", result: "yes", working: "\(lead)\(chain(start, to: q.property, k.isA)): yes.")
            }
            if let c = classes.first(where: { k.never[$0]?.contains(q.property) == true || k.never[q.property]?.contains($0) == true }) {
                return Solution(tool: "syllogism", result: "no", working: "\(lead)no \(c) is \"\(q.property)\" (or no \"\(q.property)\" is a \(c)): no.")
            }
            if q.universal || q.modal {
                return Solution(tool: "syllogism", result: "no", working: "The statements do not make \(name) \(q.property): no, not necessarily.")
            }
            return Solution(tool: "syllogism", result: "cannot be known", working: "The statements do not settle whether \(name) is \(q.property): it cannot be known.")
        }

        /// "cats are mammals", "mammals breathe air", "red apples are sweet": the class and its predicate.
        static func split(_ w: [String]) -> (String, String)? {
            if let v = w.firstIndex(where: { copulas.contains($0) || ["can", "have", "has"].contains($0) }), v >= 1, v <= 2, v + 1 < w.count {
                guard let p = predicate(w[v...]) else { return nil }
                return (singular(w[..<v].joined(separator: " ")).split(separator: " ").map { singular(String($0)) }.joined(separator: " "), p)
            }
            // No copula: a one-word class and a verb ("mammals breathe air").
            guard w.count >= 2, let p = predicate(w[1...]) else { return nil }
            return (singular(w[0]), p)
        }

        /// "robin → bird → have feather", for the working line.
        static func chain(_ start: String, to goal: String, _ isA: [String: Set<String>]) -> String {
            var previous: [String: String] = [:], queue = [start], seen: Set<String> = [start]
            while !queue.isEmpty {
                let c = queue.removeFirst()
                if c == goal { break }
                for b in (isA[c] ?? []).sorted() where !seen.contains(b) { seen.insert(b); previous[b] = c; queue.append(b) }
            }
            var path = [goal]
            while let p = previous[path[0]] { path.insert(p, at: 0) }
            return path.joined(separator: " → ")
        }
    }
}
