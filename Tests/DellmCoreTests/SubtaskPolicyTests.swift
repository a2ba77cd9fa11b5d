import DellmCore
import Testing

/// The verifier's decision rules, without a database: each mode's steps from recorded attempts.
struct SubtaskPolicyTests {
    static let limits = SubtaskPolicy.Limits(maxAttempts: 3, spotRate: 0.1)

    func situation(_ mode: SubtaskMode, _ attempts: [AttemptOutcome], issued: Int, attempt: Int, passed: Bool,
                   decisive: Bool = true, new: Bool = true, unsure: Bool = false, draw: Double = 0.5,
                   type: TaskType = .math, question: String = "What is 6 times 7?") -> SubtaskPolicy.Situation {
        .init(type: type, question: question, mode: mode, attempts: attempts, issued: issued, attempt: attempt, passed: passed,
              decisive: decisive, reason: passed ? "ok" : "wrong: 6 × 7 = 42", newVerdict: new, unsure: unsure, spotDraw: draw)
    }

    func outcome(_ n: Int, _ answer: String?, passed: Bool?, genome: String? = nil, votes: [String] = []) -> AttemptOutcome {
        AttemptOutcome(attempt: n, answer: answer, genome: genome ?? "g\(n)", passed: passed, votes: votes)
    }

    @Test func normalModeSettlesOnTheFirstPassAndRetriesFailuresUpToTheLimit() {
        let pass = situation(.normal, [outcome(1, "42", passed: true)], issued: 1, attempt: 1, passed: true)
        #expect(SubtaskPolicy.decide(pass, Self.limits) == .verify(attempt: 1, answer: "42", note: nil, outvoted: []))
        let fail = situation(.normal, [outcome(1, "41", passed: false)], issued: 1, attempt: 1, passed: false)
        #expect(SubtaskPolicy.decide(fail, Self.limits) == .ask(count: 1, mode: nil))
        let last = situation(.normal, (1...3).map { outcome($0, "41", passed: false) }, issued: 3, attempt: 3, passed: false)
        #expect(SubtaskPolicy.decide(last, Self.limits) == .fail(reason: "wrong: 6 × 7 = 42"))
    }

    /// A pass no check decides is re-checked by a second genome when its draw is under the spot rate,
    /// or when its own votes never agreed; a decisive pass never is. Seeded draws, as `Router` is tested.
    @Test func undecidedPassesAreSpotCheckedAtTheRate() {
        var rng = SplitMix(state: 7)
        var spotted = 0
        for _ in 0..<1_000 {
            let s = situation(.normal, [outcome(1, "Paris", passed: true)], issued: 1, attempt: 1, passed: true, decisive: false,
                              draw: Double(rng.next() % 1_000_000) / 1_000_000, type: .factual, question: "Capital of France?")
            if SubtaskPolicy.decide(s, Self.limits) == .ask(count: 1, mode: .spot) { spotted += 1 }
        }
        #expect((70...130).contains(spotted), "\(spotted) of 1000 at a rate of 0.1")
        let unsure = situation(.normal, [outcome(1, "Paris", passed: true)], issued: 1, attempt: 1, passed: true, decisive: false, unsure: true, draw: 0.99)
        #expect(SubtaskPolicy.decide(unsure, Self.limits) == .ask(count: 1, mode: .spot))
        let decisive = situation(.normal, [outcome(1, "42", passed: true)], issued: 1, attempt: 1, passed: true, draw: 0)
        #expect(SubtaskPolicy.decide(decisive, Self.limits) == .verify(attempt: 1, answer: "42", note: nil, outvoted: []))
        // A redelivered verdict draws nothing again: the first decision stands.
        let again = situation(.normal, [outcome(1, "Paris", passed: true)], issued: 2, attempt: 1, passed: true, decisive: false, new: false, draw: 0)
        #expect(SubtaskPolicy.decide(again, Self.limits) == .verify(attempt: 1, answer: "Paris", note: nil, outvoted: []))
    }

    @Test func aSpotCheckThatDisagreesAsksAThirdAndTheMajorityOutvotesTheOther() {
        let two = [outcome(1, "42", passed: true), outcome(2, "48", passed: true)]
        #expect(SubtaskPolicy.decide(situation(.spot, two, issued: 2, attempt: 2, passed: true), Self.limits) == .ask(count: 1, mode: nil))
        let three = two + [outcome(3, "42", passed: true)]
        #expect(SubtaskPolicy.decide(situation(.spot, three, issued: 3, attempt: 3, passed: true), Self.limits)
                == .verify(attempt: 1, answer: "42", note: nil, outvoted: [2]))
        // Still waiting for the second opinion: nothing, or on a redelivery, the unanswered attempt again.
        let waiting = [outcome(1, "42", passed: true)]
        #expect(SubtaskPolicy.decide(situation(.spot, waiting, issued: 2, attempt: 1, passed: true), Self.limits) == .wait)
        #expect(SubtaskPolicy.decide(situation(.spot, waiting, issued: 2, attempt: 1, passed: true, new: false), Self.limits) == .resend([2]))
    }

    @Test func whenNoTwoFactsAgreeTheOneNamingWhatMostVotesNameIsKept() {
        let q = "What planet is known as the Red Planet?"
        let three = [outcome(1, "It is Jupiter.", passed: true, votes: ["Jupiter.", "Mars."]),
                     outcome(2, "It is Mars.", passed: true, votes: ["Mars.", "Mars."]),
                     outcome(3, "It is Venus.", passed: true, votes: ["Venus.", "Mars."])]
        guard case .verify(let attempt, _, let note, _) = SubtaskPolicy.decide(situation(.spot, three, issued: 3, attempt: 3, passed: true,
                                                                                        type: .factual, question: q), Self.limits) else {
            Issue.record("not verified"); return
        }
        #expect(attempt == 2)
        #expect(note?.hasPrefix("spot check: no two of 3 answers agree; kept the one naming") == true)
    }

    @Test func aCriticalSubtaskTakesTheMajorityOrFailsKeepingAnAnswer() {
        let split = [outcome(1, "42", passed: true), outcome(2, "48", passed: true), outcome(3, "40", passed: true)]
        // No majority of three: up to maxAttempts - 1 more answers, then failed with the first kept.
        #expect(SubtaskPolicy.decide(situation(.critical, split, issued: 3, attempt: 3, passed: true), Self.limits) == .ask(count: 1, mode: nil))
        let five = split + [outcome(4, "45", passed: true), outcome(5, "44", passed: true)]
        #expect(SubtaskPolicy.decide(situation(.critical, five, issued: 5, attempt: 5, passed: true), Self.limits)
                == .failKeeping(answer: "42", reason: "no majority among 5 answers from 5 genomes"))
        let agreed = [outcome(1, "42", passed: true), outcome(2, "40", passed: true), outcome(3, "42", passed: true)]
        #expect(SubtaskPolicy.decide(situation(.critical, agreed, issued: 3, attempt: 3, passed: true), Self.limits)
                == .verify(attempt: 1, answer: "42", note: nil, outvoted: [2]))
        let none = (1...5).map { outcome($0, "41", passed: false) }
        #expect(SubtaskPolicy.decide(situation(.critical, none, issued: 5, attempt: 5, passed: false), Self.limits)
                == .fail(reason: "wrong: 6 × 7 = 42"))
    }

    @Test func theSpotDrawIsFixedPerSubtaskAndAttempt() {
        let a = SubtaskPolicy.spotDraw(subtaskID: "q.0", attempt: 1)
        #expect(a == SubtaskPolicy.spotDraw(subtaskID: "q.0", attempt: 1))
        #expect(a != SubtaskPolicy.spotDraw(subtaskID: "q.0", attempt: 2))
        #expect((0..<1).contains(a))
    }
}
