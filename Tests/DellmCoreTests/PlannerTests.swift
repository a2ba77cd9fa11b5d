import Testing
@testable import DellmCore

/// Plans on phrasings written for these tests (not the dev or held-out questions).
@Suite struct PlannerTests {
    @Test func aStepCutOffBySplittingJoinsItsChain() throws {
        let plan = Planner.plan("Compute 9 times 3, then subtract 7 from the result.")
        #expect(plan.parts.count == 1)
        #expect(plan.parts[0].type == .math)
        #expect(ArithmeticGrammar.reading(plan.parts[0].text)?.values == [20])
    }

    @Test func aPartThatUsesACalculatedResultGetsItsValue() {
        let plan = Planner.plan("Work out 6 times 7, then tell me a fact about that number.")
        #expect(plan.parts.count == 2)
        #expect(plan.inputs == [[], [0]])
        #expect(plan.parts[1].text.hasPrefix("Use 42, the result of part 1:"), "\(plan.parts[1].text)")
        #expect(plan.problem == nil)
    }

    @Test func aReferenceToNothingCannotBePlanned() {
        #expect(Planner.plan("Double it, then add 3.").problem != nil)
        #expect(Planner.plan("Halve 40, then add 3.").problem == nil)
    }

    @Test(arguments: [
        ("Halve 50 and tell me the capital of Peru.", [TaskType.math, .factual]),
        ("Add 10 and 15; also, which ocean is the largest?", [.math, .factual]),
        ("Write a Python function triple(x) that returns 3*x, and compute 9 times 9.", [.code, .math]),
        ("Triple 11 and then take 3 away from that.", [.math]),
        ("Name a red fruit and compute 12 divided by 4.", [.factual, .math]),
    ])
    func nothingIsDropped(_ query: String, _ types: [TaskType]) {
        let plan = Planner.plan(query)
        #expect(plan.parts.map(\.type) == types, "\(plan.parts.map { "\($0.type): \($0.text)" })")
    }

    @Test func aMathPartIsGivenTheNumberOfItsInput() {
        #expect(Planner.inputValue("The prime number between 10 and 14 is 11.", type: .factual, for: .math) == "11")
        #expect(Planner.inputValue("Lima is the capital of Peru.\nIt is large.", type: .factual) == "Lima is the capital of Peru.")
        #expect(Planner.inputValue("no number here", type: .math) == nil)
    }

    /// A bare starting value is never a part of its own, even when what follows is more than the
    /// calculator reads: the part after it carries it.
    @Test func aBareStartingValueIsCarriedByTheNextPart() {
        let plan = Planner.plan("Begin with 12. Triple it. What number are you left holding?")
        #expect(plan.parts.first?.text.hasPrefix("Begin with 12, then") == true, "\(plan.parts.map(\.text))")
        #expect(!plan.parts.contains { $0.text.trimmingCharacters(in: .whitespaces) == "Begin with 12." })
        #expect(plan.problem == nil)
    }
}
