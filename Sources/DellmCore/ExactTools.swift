import Foundation

/// Small exact tools for questions where a rule is exact and a tiny model is not: the next number of
/// a sequence, weekday arithmetic, an ordering from comparisons, and yes/no syllogisms. Each reads the
/// whole question by its own small grammar or declines (nil); what no tool reads goes to the model.
/// An answer ends with "Answer: …", so the verifier can recompute and compare it.
public enum ExactTools {
    /// Tools that answer exactly and need no model (the calculator and these): their answers say
    /// nothing about a genome and earn nothing (the verifier recomputes them).
    /// Tools that answer without a model (the word-problem rule among them: no model call, no earning,
    /// nothing said about a genome; its answers are not proven, so spot checks still reach them).
    public static let names: Set<String> = ["calculator", "sequence", "weekday", "date", "ordering", "syllogism", "word-problem"]

    /// Whether an attempt's tool is one of them.
    public static func isExact(_ tool: String?) -> Bool { tool.map(names.contains) ?? false }

    public struct Solution: Sendable, Equatable {
        /// The tool's name, as the trace shows it: "sequence", "weekday", "ordering", "syllogism".
        public var tool: String
        /// The result alone: "25", "Thursday", "Mia", "yes".
        public var result: String
        /// How it was found, one line.
        public var working: String
        public var answer: String { "\(working)\nAnswer: \(result)" }
    }

    /// The first tool that reads `text`, or nil.
    public static func solve(_ text: String) -> Solution? {
        guard text.utf8.count <= 2_000 else { return nil }
        return Sequences.solve(text) ?? Dates.solve(text) ?? Weekdays.solve(text) ?? Orderings.solve(text) ?? Syllogisms.solve(text)
    }

    /// Whether an answer gives the tool's result: its last number for a number, else the result as a
    /// word of the answer's last line that names one (case-insensitive).
    public static func answerGives(_ answer: String, _ s: Solution) -> Bool {
        if let want = Double(s.result) {
            return Answers.numbers(in: answer).last.map { Swift.abs($0 - want) < 1e-9 } ?? false
        }
        let words = Classifier.words(answer)
        let result = s.result.lowercased()
        if result == "yes" || result == "no" {
            // The first yes or no the answer says.
            return words.first { $0 == "yes" || $0 == "no" } == result
        }
        let resultWords = Classifier.words(result)
        return words.indices.contains { i in i + resultWords.count <= words.count && Array(words[i..<i + resultWords.count]) == resultWords }
    }

    static func sentences(_ text: String) -> [String] {
        text.split(whereSeparator: { ".?!;".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

// MARK: - Orderings

extension ExactTools {
    /// "Ann is taller than Bob, and Bob is taller than Cid. Who is the shortest?", "Mia finished before
    /// Leo …; who finished first?", "A box is heavier than a bag …; which is the heaviest?": the order the
    /// comparisons fix, when it fixes the one asked for.
    enum Orderings {
        /// Comparatives with their superlatives, and the antonym that reverses them.
        static let scales: [(more: String, most: String, less: String, least: String)] = [
            ("taller", "tallest", "shorter", "shortest"), ("older", "oldest", "younger", "youngest"),
            ("faster", "fastest", "slower", "slowest"), ("heavier", "heaviest", "lighter", "lightest"),
            ("bigger", "biggest", "smaller", "smallest"), ("larger", "largest", "smaller", "smallest"),
            ("richer", "richest", "poorer", "poorest"), ("higher", "highest", "lower", "lowest"),
            ("longer", "longest", "shorter", "shortest"), ("stronger", "strongest", "weaker", "weakest"),
            ("before", "first", "after", "last"), ("earlier", "earliest", "later", "latest"),
            ("warmer", "warmest", "colder", "coldest"), ("hotter", "hottest", "colder", "coldest"),
            ("more", "most", "fewer", "fewest"),
        ]
        static let articles: Set<String> = ["a", "an", "the"]

        static func solve(_ text: String) -> Solution? {
            let parts = ExactTools.sentences(text).flatMap { $0.components(separatedBy: ", and ") }.flatMap { $0.components(separatedBy: " and ") }
            var edges: [(String, String)] = [] // (higher, lower) on the scale
            var scale: Int?
            var question: [String]?
            var display: [String: String] = [:]
            for p in parts {
                let w = p.split(separator: " ").map { String($0).trimmingCharacters(in: .punctuationCharacters) }.filter { !$0.isEmpty }
                let lw = w.map { $0.lowercased() }
                if let first = lw.first, ["who", "which", "what"].contains(first) { question = lw; continue }
                // X … <comparative> [than] Y
                guard let i = lw.firstIndex(where: { c in scales.contains { $0.more == c || $0.less == c } }) else { continue }
                let c = lw[i]
                guard let s = scales.firstIndex(where: { $0.more == c || $0.less == c }) else { return nil }
                let j = i + 1 < lw.count && lw[i + 1] == "than" ? i + 2 : i + 1
                guard let a = entity(lw, w, upTo: i), let b = entity(lw, w, from: j), a != b else { return nil }
                display[a.lowercased()] = display[a.lowercased()] ?? a
                display[b.lowercased()] = display[b.lowercased()] ?? b
                // One scale per question ("taller" and "shorter" are one).
                if let known = scale, scales[known].more != scales[s].more { return nil }
                scale = scale ?? s
                edges.append(scales[s].more == c ? (a.lowercased(), b.lowercased()) : (b.lowercased(), a.lowercased()))
            }
            guard let s = scale, let q = question, !edges.isEmpty else { return nil }
            // The superlative asked for.
            let wantsMost: Bool
            if q.contains(scales[s].most) || (scales[s].more == "more" && q.contains("most")) { wantsMost = true }
            else if q.contains(scales[s].least) { wantsMost = false }
            else if let other = scales.first(where: { q.contains($0.most) || q.contains($0.least) }), other.more == scales[s].more || other.less == scales[s].less {
                wantsMost = q.contains(other.most)
            } else { return nil }
            let nodes = Set(edges.flatMap { [$0.0, $0.1] })
            let tops = nodes.filter { n in wantsMost ? !edges.contains { $0.1 == n } : !edges.contains { $0.0 == n } }
            guard tops.count == 1, let top = tops.first, connected(nodes, edges) else { return nil }
            let name = display[top] ?? top
            let chain = order(nodes, edges).map { display[$0] ?? $0 }
            return Solution(tool: "ordering", result: name, working: "From the comparisons: \(chain.joined(separator: " > ")) (\(scales[s].more)); the \(wantsMost ? scales[s].most : scales[s].least) is \(name).")
        }

        /// The entity before index `i` (the sentence's subject, without articles) or after index `j`.
        static func entity(_ lw: [String], _ w: [String], upTo i: Int) -> String? {
            var k = i - 1
            while k >= 0, ["is", "are", "was", "were", "finished", "arrived", "came", "ran", "runs", "lives", "left", "woke", "got", "much", "a", "bit", "lot", "far", "even"].contains(lw[k]) { k -= 1 }
            guard k >= 0, !articles.contains(lw[k]) else { return nil }
            return w[k]
        }

        static func entity(_ lw: [String], _ w: [String], from j: Int) -> String? {
            var k = j
            while k < lw.count, articles.contains(lw[k]) || lw[k] == "did" { k += 1 }
            guard k < lw.count else { return nil }
            return w[k]
        }

        static func connected(_ nodes: Set<String>, _ edges: [(String, String)]) -> Bool {
            guard let start = nodes.first else { return false }
            var seen: Set<String> = [start], stack = [start]
            while let n = stack.popLast() {
                for (a, b) in edges where a == n || b == n {
                    for m in [a, b] where !seen.contains(m) { seen.insert(m); stack.append(m) }
                }
            }
            return seen == nodes
        }

        /// The nodes highest first (by how many are below each), for the working line.
        static func order(_ nodes: Set<String>, _ edges: [(String, String)]) -> [String] {
            func below(_ n: String) -> Int {
                var seen: Set<String> = [], stack = [n]
                while let x = stack.popLast() { for (a, b) in edges where a == x && !seen.contains(b) { seen.insert(b); stack.append(b) } }
                return seen.count
            }
            return nodes.sorted { below($0) != below($1) ? below($0) > below($1) : $0 < $1 }
        }
    }
}

// MARK: - Syllogisms

extension ExactTools {
    /// "All cats are animals. Tom is a cat. Is Tom an animal?" → yes; "No fish can fly. A salmon is a
    /// fish. Can a salmon fly?" → no; "Some birds are black. Kiki is a bird. Is Kiki black?" → "cannot
    /// be known". Classes chain ("All A are B. All B are C."); plurals are read as their singulars.
    enum Syllogisms {
        static func singular(_ w: String) -> String {
            if w.hasSuffix("ies"), w.count > 4 { return String(w.dropLast(3)) + "y" }
            if w.hasSuffix("sses") || w.hasSuffix("xes") || w.hasSuffix("ches") || w.hasSuffix("shes") { return String(w.dropLast(2)) }
            if w.hasSuffix("s"), !w.hasSuffix("ss"), w.count > 3 { return String(w.dropLast()) }
            return w
        }

        static func words(_ s: String) -> [String] {
            s.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "'" }).map(String.init).filter { !["a", "an", "the"].contains($0) }
        }

        static func solve(_ text: String) -> Solution? {
            var isA: [String: Set<String>] = [:]     // class → wider classes (all A are B)
            var never: [String: Set<String>] = [:]   // class → properties none of it has (no A are/can B)
            var some: Set<String> = []
            var members: [String: String] = [:]      // individual → class
            var question: (subject: String, property: String)?
            for sentence in ExactTools.sentences(text) {
                let w = words(sentence)
                guard !w.isEmpty else { continue }
                if (w.first == "is" || w.first == "can" || w.first == "are" || w.first == "does") && w.count >= 3 {
                    // "Is Tom an animal", "Can a salmon fly"
                    // "Does a gecko have fur": the property without its verb, as the statements keep it.
                    let rest = w[2...].drop { ["have", "has", "be"].contains($0) }
                    question = (w[1], rest.map(singular).joined(separator: " "))
                    continue
                }
                if w.first == "answer" { continue }
                if (w.first == "all" || w.first == "every" || w.first == "each"), let v = w.firstIndex(where: { ["are", "is", "can", "have", "has"].contains($0) }), v > 1, v + 1 < w.count {
                    let a = singular(w[1..<v].joined(separator: " ")), b = w[(v + 1)...].map(singular).joined(separator: " ")
                    isA[a, default: []].insert(b)
                    continue
                }
                if w.first == "no", let v = w.firstIndex(where: { ["are", "is", "can", "have", "has"].contains($0) }), v > 1, v + 1 < w.count {
                    let a = singular(w[1..<v].joined(separator: " ")), b = w[(v + 1)...].map(singular).joined(separator: " ")
                    never[a, default: []].insert(b)
                    continue
                }
                if w.first == "some", let v = w.firstIndex(where: { ["are", "is", "can", "have", "has"].contains($0) }), v > 1 {
                    some.insert(singular(w[1..<v].joined(separator: " ")))
                    continue
                }
                if w.count >= 3, w[1] == "is" {
                    members[w[0]] = w[2...].map(singular).joined(separator: " ")
                    continue
                }
                return nil // a sentence of another shape: not a syllogism this tool reads
            }
            guard let q = question, let cls = members[q.subject] else { return nil }
            // Every class the individual belongs to, following "all A are B".
            var classes: Set<String> = [cls], stack = [cls]
            while let c = stack.popLast() { for b in isA[c] ?? [] where !classes.contains(b) { classes.insert(b); stack.append(b) } }
            let name = q.subject.capitalized
            func a(_ noun: String) -> String { ("aeiou".contains(noun.first ?? "x") ? "an " : "a ") + noun }
            if classes.contains(q.property) {
                return Solution(tool: "syllogism", result: "yes", working: "\(name) is \(a(cls)), and every \(cls) is \(a(q.property)): yes.")
            }
            if let c = classes.first(where: { never[$0]?.contains(q.property) == true }) {
                return Solution(tool: "syllogism", result: "no", working: "\(name) is \(a(c)), and no \(c) is or can \(q.property): no.")
            }
            if classes.contains(where: { some.contains($0) }) || !isA.isEmpty || !never.isEmpty {
                return Solution(tool: "syllogism", result: "cannot be known", working: "The statements do not settle whether \(name) is \(q.property): it cannot be known.")
            }
            return nil
        }
    }
}
