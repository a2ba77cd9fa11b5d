import Testing
@testable import DellmCore

@Suite struct CalculatorTests {
    @Test(arguments: [
        ("1 + 2 * 3", 7.0), ("(12 + 8) * 3", 60), ("2^10 - 24", 1000), ("2 ** 3", 8), ("(100 - 25) / 5", 15),
        ("3 * (4 + 5) - 7", 20), ("-3 + 5", 2), ("2^3^2", 512), ("12.5% * 96", 12), ("sqrt(16) + 1", 5),
        ("2(3 + 4)", 14), ("10 / 4", 2.5), ("-2^2", -4),
    ])
    func evaluates(_ expression: String, _ expected: Double) throws {
        #expect(try Calculator.evaluate(expression) == expected)
    }

    @Test(arguments: ["1 +", "(1 + 2", "1 / 0", "import os", "2 3", "", "sqrt(-1)"])
    func refuses(_ expression: String) {
        #expect(throws: Calculator.Failure.self) { try Calculator.evaluate(expression) }
    }

    @Test func formatsLikePeopleWrite() {
        #expect(Calculator.format(345) == "345")
        #expect(Calculator.format(2.5) == "2.5")
        #expect(Calculator.format(1.0 / 3.0) == "0.3333333333")
        #expect(Calculator.format(-0.0) == "0")
    }
}

@Suite struct MathExtractorTests {
    @Test(arguments: [
        ("Compute 15 * 23.", 345.0), ("What is 127 plus 49?", 176), ("Subtract 387 from 1000.", 613),
        ("What is 156 divided by 12?", 13), ("What is 37 times 41?", 1517), ("Multiply 7 by 8.", 56),
        ("Calculate 10% of 1000.", 100), ("Calculate 12.5% of 96.", 12), ("Evaluate 2^10 - 24.", 1000),
        ("Evaluate 3 * (4 + 5) - 7.", 20), ("What is 15 × 23?", 345), ("Add 250 and 175", 425),
        ("What is the square root of 144?", 12), ("What is 1,234 plus 4,321?", 5555), ("what's 9 squared", 81),
        ("What is 2 to the power of 8?", 256), ("What is 20 percent of 50?", 10), ("What is 6 x 7?", 42),
        ("Take 45 away from 300.", 255), ("What is 7 less than 50?", 43), ("Increase 200 by 15%.", 230), ("What is half of 86?", 43),
        ("What is the average of 10 and 20?", 15),
    ])
    func computes(_ text: String, _ expected: Double) throws {
        let c = try #require(MathExtractor.calculation(in: text))
        #expect(c.value == expected)
    }

    @Test(arguments: ["What is the capital of France?", "How many moons does Mars have?", "Write a poem", "Route 66"])
    func findsNothingWhereThereIsNoArithmetic(_ text: String) {
        #expect(MathExtractor.calculation(in: text) == nil)
    }

    @Test func statesTheResultLast() throws {
        let c = try #require(MathExtractor.calculation(in: "Compute 15 * 23."))
        #expect(c.statement == "15 × 23 = 345")
        #expect(Answers.numbers(in: c.statement).last == 345)
    }
}

@Suite struct DisplayTests {
    @Test func dropsOuterParentheses() throws {
        #expect(try #require(MathExtractor.calculation(in: "Add 250 and 175")).statement == "250 + 175 = 425")
        #expect(try #require(MathExtractor.calculation(in: "Evaluate (12 + 8) * 3.")).statement == "(12 + 8) × 3 = 60")
        #expect(try #require(MathExtractor.calculation(in: "Evaluate (1 + 2) * (3 + 4)")).statement == "(1 + 2) × (3 + 4) = 21")
    }
}

@Suite struct UnitsAndExamplesTests {
    @Test(arguments: [
        ("How many seconds are in 3 hours?", 10800.0), ("How many minutes in 2 days?", 2880),
        ("Convert 90 minutes to hours.", 1.5), ("How many minutes are in 3 hours and 20 minutes?", 200),
        ("What is 2 weeks in days?", 14), ("How many hours in a week?", 168), ("How many days are in a leap year?", 366),
    ])
    func convertsUnitsOfTime(_ text: String, _ expected: Double) throws {
        let c = try #require(MathExtractor.calculation(in: text), "\(text)")
        #expect(c.value == expected)
    }

    @Test func derivesTestsFromExamplesInTheTask() {
        let t = "Write a Python function add(a, b) that returns the sum; add(2, 3) returns 5 and add(-1, 1) == 0."
        #expect(Answers.examples(in: t, function: "add") == [.init(arguments: "2, 3", expected: "5"), .init(arguments: "-1, 1", expected: "0")])
        #expect(Answers.examples(in: "is_even(4) → True", function: "is_even") == [.init(arguments: "4", expected: "True")])
        #expect(Answers.examples(in: "Write is_even(n).", function: "is_even").isEmpty)
    }

    @Test func detectsLoops() {
        #expect(Answers.isLooping("The Red Planet is the planet designated by the Union as the planet designated by the Union as the planet"))
        #expect(!Answers.isLooping("Mars is known as the Red Planet because of iron oxide on its surface."))
    }
}

/// Issue 16's "check what an answer claims": every "expression = number" is recomputed.
struct ArithmeticClaimsTests {
    @Test func findsAndRecomputesEveryStatement() {
        let c = ArithmeticClaims.claims(in: "First, 12 × 4 = 48. Then 48 + 9 = 57, so the answer is 57.")
        #expect(c.map(\.expression) == ["12 × 4", "48 + 9"])
        #expect(c.allSatisfy { $0.holds })
        let wrong = ArithmeticClaims.claims(in: "7 * 8 - 6 = 52")
        #expect(wrong.count == 1 && !wrong[0].holds && wrong[0].actual == 50)
        #expect(ArithmeticClaims.claims(in: "1,000 + 2,500 = 3,500").first?.holds == true)
        #expect(ArithmeticClaims.claims(in: "(3 + 4)^2 - 9 = 40").first?.holds == true)
        #expect(ArithmeticClaims.claims(in: "2 - 5 = -3").first?.holds == true)
    }

    @Test(arguments: ["x = 5", "Let n = 10.", "The total = 57", "a == b", "It costs 12 dollars; 12 = twelve", "x >= 3 + 4", ""])
    func findsNothingToRecompute(_ text: String) {
        #expect(ArithmeticClaims.claims(in: text).isEmpty)
    }
}
