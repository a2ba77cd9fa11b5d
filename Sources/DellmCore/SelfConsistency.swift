/// Self-consistency under a budget: when a small model's samples disagree, more samples are asked and
/// the answer most of them give wins — but only while the query's budget of completion tokens lasts,
/// so a disagreement costs a bounded number of tokens, never an open-ended loop.
///
/// Pure: the specialist records what each sample cost and asks `more` how many to ask next.
public enum SelfConsistency {
    /// Completion tokens one attempt may spend on its samples, and what it has spent.
    public struct Budget: Sendable, Equatable {
        /// Tokens the attempt may spend on all its samples, the first ones included.
        public let limit: Int
        public private(set) var spent = 0
        public private(set) var samples = 0

        public init(limit: Int) {
            self.limit = max(0, limit)
        }

        /// One sample answered, at this many completion tokens.
        public mutating func record(tokens: Int) {
            spent += max(0, tokens)
            samples += 1
        }

        /// How many more samples to ask now: at most `round`, never more than `cap` samples in all, and
        /// only as many as fit in what is left at the mean cost of the samples so far (`estimate` per
        /// sample before any). 0: stop.
        public func more(round: Int, cap: Int, estimate: Int) -> Int {
            let left = limit - spent
            guard left > 0, samples < cap, round > 0 else { return 0 }
            let mean = samples > 0 ? max(1, (spent + samples - 1) / samples) : max(1, estimate)
            return max(0, min(round, cap - samples, left / mean))
        }
    }

    /// Whether `support` samples of `samples` settle the answer: at least two, and more than half.
    public static func settled(support: Int, of samples: Int) -> Bool {
        support >= 2 && support * 2 > samples
    }

    /// Which answer `quorum` of them agree with: facts by what they name or say (their wording differs
    /// from sample to sample), other types by their normalised text (math: the final number); nil when
    /// none has that support.
    public static func agreeing(_ answers: [String], type: TaskType, question: String, quorum: Int) -> Int? {
        if type == .factual { return Answers.majority(.factual, answers, quorum: quorum, question: question) }
        let keys = answers.map(Answers.normalized)
        return keys.indices.first { i in keys.filter { $0 == keys[i] }.count >= quorum }
    }

    /// The support that settles `samples` samples: two of three (a tiebreak sided with one), else more
    /// than half.
    public static func quorum(of samples: Int) -> Int {
        samples <= 3 ? 2 : samples / 2 + 1
    }

    /// Most samples any one attempt asks, whatever its budget (the small model's samples stop adding
    /// evidence well before this).
    public static let cap = 9

    /// An attempt's share of its query's budget: split evenly among the query's parts.
    public static func share(of queryTokens: Int, parts: Int) -> Int? {
        guard queryTokens > 0 else { return nil }
        return queryTokens / max(1, parts)
    }
}
