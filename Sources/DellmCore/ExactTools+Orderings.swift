import Foundation

// MARK: - Orderings

extension ExactTools {
    /// An order from comparisons: "Ann is taller than Bob, and Bob is taller than Cid. Who is the
    /// shortest?", "Mia is older than Leo but younger than Zoe", "Jo has more marbles than Kim", "The red
    /// car is faster than the blue car", "Tina arrived after Uli". A "who/which … -est" question gets the
    /// one entity at that end, when the comparisons fix it; a yes/no question ("Is Uma faster than Sam?")
    /// gets yes, no, or "cannot be known".
    enum Orderings {
        /// Comparatives with their superlatives, and the antonym that reverses them. Two scales with the
        /// same `more` are one ("fewer" and "less").
        static let scales: [(more: String, most: String, less: String, least: String)] = [
            ("taller", "tallest", "shorter", "shortest"), ("older", "oldest", "younger", "youngest"),
            ("faster", "fastest", "slower", "slowest"), ("heavier", "heaviest", "lighter", "lightest"),
            ("bigger", "biggest", "smaller", "smallest"), ("larger", "largest", "smaller", "smallest"),
            ("richer", "richest", "poorer", "poorest"), ("higher", "highest", "lower", "lowest"),
            ("longer", "longest", "shorter", "shortest"), ("stronger", "strongest", "weaker", "weakest"),
            ("before", "first", "after", "last"), ("ahead", "first", "behind", "last"), ("earlier", "earliest", "later", "latest"),
            ("warmer", "warmest", "colder", "coldest"), ("hotter", "hottest", "colder", "coldest"),
            ("better", "best", "worse", "worst"), ("wider", "widest", "narrower", "narrowest"),
            ("more", "most", "fewer", "fewest"), ("more", "most", "less", "least"),
        ]
        static let articles: Set<String> = ["a", "an", "the"]
        static let verbs: Set<String> = ["is", "are", "was", "were", "has", "have", "had", "ran", "runs", "run", "can", "could", "did", "does", "do",
                                         "got", "came", "grew", "swam", "will", "be", "looks", "feels", "stands", "lives", "woke", "left", "sat", "rode", "drove", "flew"]
        /// Words a comparison may be told with, beside the comparative ("much", "a bit").
        static let softeners: Set<String> = ["much", "a", "bit", "lot", "far", "even", "slightly", "little", "still"]

        struct Comparison { var higher: String; var lower: String; var scale: Int }

        static func solve(_ text: String) -> Solution? {
            var edges: [(String, String)] = [], scale: Int?
            var display: [String: String] = [:]
            var superlative: [String]?, yesNo: Comparison?
            var lastSubject: [String]?
            for clause in clauses(text) {
                let lw = clause.map { $0.lowercased() }
                guard let first = lw.first else { continue }
                if ["who", "which", "what"].contains(first) { superlative = lw; continue }
                let asks = ["is", "are", "was", "were", "did", "does", "do", "can", "has", "will"].contains(first)
                guard let c = comparison(Array(clause.dropFirst(asks ? 1 : 0)), elided: asks ? nil : lastSubject, display: &display) else {
                    // A comparison this grammar cannot read: no answer from the others alone.
                    if lw.contains(where: isComparative) && lw.contains(where: { ["than", "of", "before", "after", "behind"].contains($0) }) { return nil }
                    continue
                }
                if let known = scale, scales[known].more != scales[c.scale].more { return nil } // one scale per question
                scale = scale ?? c.scale
                if asks { yesNo = c; continue }
                edges.append((c.higher, c.lower))
                lastSubject = subject(of: clause)
            }
            guard let s = scale, !edges.isEmpty else { return nil }
            let nodes = Set(edges.flatMap { [$0.0, $0.1] })
            guard connected(nodes, edges) else { return nil }
            let chain = order(nodes, edges).map { display[$0] ?? $0 }
            let scaleName = scales[s].more == "more" ? "more" : scales[s].more
            if let q = yesNo, superlative == nil {
                let result = above(q.higher, q.lower, edges) ? "yes" : above(q.lower, q.higher, edges) ? "no" : "cannot be known"
                return Solution(tool: "ordering", result: result, working: "From the comparisons: \(chain.joined(separator: " > ")) (\(scaleName)); so \(display[q.higher] ?? q.higher) is \(result == "yes" ? "" : result == "no" ? "not " : "perhaps ")\(scaleName) than \(display[q.lower] ?? q.lower): \(result).")
            }
            guard let q = superlative else { return nil }
            let same = scales.filter { $0.more == scales[s].more }
            let wantsMost: Bool
            if same.contains(where: { q.contains($0.most) }) { wantsMost = true }
            else if same.contains(where: { q.contains($0.least) }) { wantsMost = false }
            else { return nil }
            let tops = nodes.filter { n in wantsMost ? !edges.contains { $0.1 == n } : !edges.contains { $0.0 == n } }
            guard tops.count == 1, let top = tops.first else { return nil }
            let name = display[top] ?? top
            let word = (same.first { q.contains(wantsMost ? $0.most : $0.least) }).map { wantsMost ? $0.most : $0.least } ?? ""
            return Solution(tool: "ordering", result: name, working: "From the comparisons: \(chain.joined(separator: " > ")) (\(scaleName)); the \(word) is \(name).")
        }

        /// Sentences, split further at "and", "but", "while", "whereas" (keeping the original case).
        static func clauses(_ text: String) -> [[String]] {
            var out: [[String]] = []
            for sentence in ExactTools.sentences(text) {
                var current: [String] = []
                for raw in sentence.split(separator: " ") {
                    let word = String(raw).trimmingCharacters(in: .punctuationCharacters)
                    if ["and", "but", "while", "whereas", "although", "if"].contains(word.lowercased()) { if !current.isEmpty { out.append(current) }; current = []; continue }
                    if !word.isEmpty { current.append(word) }
                    // A comma ends a clause ("Of the three boxes, the green one is …").
                    if raw.hasSuffix(","), !current.isEmpty { out.append(current); current = [] }
                }
                if !current.isEmpty { out.append(current) }
            }
            return out
        }

        /// Whether a word reads as the verb after a subject: a known verb, or a lower-case word ending in
        /// "s" or "ed" once the subject has a word ("X weighs", "Nina scored").
        static func isVerb(_ word: String, subjectSoFar: Int) -> Bool {
            let l = word.lowercased()
            if verbs.contains(l) { return true }
            guard subjectSoFar > 0, word == l, l.count > 3 else { return false }
            return (l.hasSuffix("s") && !l.hasSuffix("ss")) || l.hasSuffix("ed")
        }

        /// The subject: the words before the verb (a leading article dropped when a noun follows it).
        static func subject(of clause: [String]) -> [String]? {
            var words: [String] = []
            for (k, word) in clause.enumerated() {
                if k == 0, articles.contains(word.lowercased()), clause.count > 1, !isVerb(clause[1], subjectSoFar: 0) { continue }
                if isVerb(word, subjectSoFar: words.count) || isComparative(word.lowercased()) { break }
                words.append(word)
            }
            // A subject with a preposition or an article inside ("the girl in the red hat") is beyond this grammar.
            let inside: Set<String> = ["in", "with", "of", "at", "on", "from", "by", "for", "the", "a", "an", "who", "that"]
            guard (1...3).contains(words.count), !words.dropFirst().contains(where: { inside.contains($0.lowercased()) }) else { return nil }
            return words
        }

        static func isComparative(_ w: String) -> Bool { scales.contains { $0.more == w || $0.less == w } }

        /// "X [verb] <comparative> [noun] than Y", or a clause with the subject left out after "but"
        /// ("… but younger than Zoe"): which of the two is higher on the scale.
        static func comparison(_ clause: [String], elided: [String]?, display: inout [String: String]) -> Comparison? {
            let lw = clause.map { $0.lowercased() }
            guard let i = lw.firstIndex(where: isComparative), let s = scales.firstIndex(where: { $0.more == lw[i] || $0.less == lw[i] }) else { return nil }
            // "than" within two words ("more marbles than", "more expensive than"); before/after need none;
            // ahead/behind take "of".
            let than = (i + 1..<min(i + 4, lw.count)).first { lw[$0] == "than" || (["ahead", "behind"].contains(lw[i]) && lw[$0] == "of" && $0 == i + 1) }
            let temporal = ["before", "after", "behind"].contains(lw[i])
            guard than != nil || temporal else { return nil }
            // "… but younger than Zoe": only verbs and softeners (in lower case: "A" is a name) before it.
            let startsWithComparison = (0..<i).allSatisfy { verbs.contains(lw[$0]) || (softeners.contains(lw[$0]) && clause[$0] == lw[$0]) }
            let a: [String]
            if startsWithComparison { guard let e = elided else { return nil }; a = e } else { guard let e = subject(of: clause) else { return nil }; a = e }
            var k = (than ?? i) + 1
            while k < lw.count, articles.contains(lw[k]), k + 1 < lw.count { k += 1 }
            var b = Array(clause[k...])
            while let last = b.last, verbs.contains(last.lowercased()) { b.removeLast() }
            guard (1...3).contains(b.count) else { return nil }
            let keyA = a.joined(separator: " ").lowercased(), keyB = b.joined(separator: " ").lowercased()
            guard keyA != keyB else { return nil }
            display[keyA] = display[keyA] ?? a.joined(separator: " ")
            display[keyB] = display[keyB] ?? b.joined(separator: " ")
            return scales[s].more == lw[i] ? Comparison(higher: keyA, lower: keyB, scale: s) : Comparison(higher: keyB, lower: keyA, scale: s)
        }

        /// Whether `a` is above `b` by the edges (transitively).
        static func above(_ a: String, _ b: String, _ edges: [(String, String)]) -> Bool {
            var seen: Set<String> = [a], stack = [a]
            while let x = stack.popLast() {
                for (h, l) in edges where h == x && !seen.contains(l) { if l == b { return true }; seen.insert(l); stack.append(l) }
            }
            return false
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
            func below(_ n: String) -> Int { nodes.filter { above(n, $0, edges) }.count }
            return nodes.sorted { below($0) != below($1) ? below($0) > below($1) : $0 < $1 }
        }
    }
}
