import Testing
@testable import DellmCore

@Suite struct CodeSelectionTests {
    /// What is joined is a string, whatever noun comes first ("returns the words … joined with '-'").
    @Test func joinedWordsAreAString() {
        #expect(CodeSelection.expectedKind(task: "Write a Python function j(words) that returns the words in words joined with '-'.") == .string)
        #expect(CodeSelection.expectedKind(task: "Write a Python function w(s) that returns the words of s. They are joined later.") == .list)
    }

    @Test func parametersAndInputsComeFromTheSignature() throws {
        let task = "Write a Python function count_char(s, c) that counts how often c occurs in s."
        #expect(CodeSelection.parameters(in: task, function: "count_char") == ["s", "c"])
        let inputs = try #require(CodeSelection.inputs(task: task, function: "count_char"))
        #expect(inputs.count == 8)
        #expect(inputs[2] == "'hello world', ' '")
        #expect(CodeSelection.inputs(task: "Write a function apply(f, x) that calls f on x.", function: "apply") == nil)
        #expect(try #require(CodeSelection.inputs(task: "Write a function total(nums).", function: "total")).contains("[1, 2, 3]"))
    }

    /// Seen on the public eval with the real model: a reply defining is_prime twice, the second one wrong;
    /// Python keeps the last. The first definition stands; helpers and other functions stay.
    @Test func aRepeatedDefinitionIsDropped() {
        let twice = """
            import math

            def is_prime(n):
                if n < 2:
                    return False
                return all(n % i for i in range(2, int(math.sqrt(n)) + 1))

            def is_prime(n):
                return n % 2 == 0

            def helper(x):
                return x
            print(is_prime(7))
            """
        let kept = Answers.withoutRedefinitions(twice)
        #expect(kept.components(separatedBy: "def is_prime").count == 2)
        #expect(!kept.contains("n % 2 == 0"))
        #expect(kept.contains("def helper(x):") && kept.contains("print(is_prime(7))") && kept.hasPrefix("import math"))
        let once = "def f(a):\n    def g(b):\n        return b\n    return g(a)\n"
        #expect(Answers.withoutRedefinitions(once) == once.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Every reader of code gets the first definition: the verifier checks what the specialist chose.
    @Test func codeInAReplyKeepsTheFirstDefinition() throws {
        let reply = "```python\ndef sq(x):\n    return x * x\n\ndef sq(x):\n    return x + x\n```"
        let code = try #require(Answers.code(in: reply))
        #expect(code == "def sq(x):\n    return x * x")
    }

    @Test func theBehaviourMostShareWins() {
        let a = ["1", "2", "3"], b = ["1", "2", "4"], broken = ["error:TypeError", "error:TypeError", "error:TypeError"]
        #expect(CodeSelection.choose([b, a, a])?.index == 1)
        #expect(CodeSelection.choose([b, a, a])?.agreeing == 2)
        #expect(CodeSelection.choose([broken, broken, a])?.index == 2)
        #expect(CodeSelection.choose([a, b])?.index == 0)
        #expect(CodeSelection.choose([broken]) == nil)
    }

    // Phrasings written for this test, not the code2 sets.
    @Test(arguments: [
        ("Write a function is_leap(year) that returns True if year is a leap year.", CodeSelection.ResultKind.bool),
        ("Write a function has_digit(s) that checks whether s contains a digit.", .bool),
        ("Write a function count_spaces(s) that returns how many spaces s has.", .number),
        ("Write a function total_price(prices) that returns the sum of the prices.", .number),
        ("Write a function evens(nums) that returns a list of the even numbers in nums.", .list),
        ("Write a function sorted_names(names) that returns the names sorted alphabetically.", .list),
        ("Write a function shortest(words) that returns the shortest word in words.", .string),
        ("Write a function letter_counts(s) that returns a dictionary of how often each letter occurs.", .dict),
    ] as [(String, CodeSelection.ResultKind)])
    func theTaskSaysWhatKindOfResult(_ task: String, _ kind: CodeSelection.ResultKind) {
        #expect(CodeSelection.expectedKind(task: task) == kind, "\(task)")
    }

    @Test func wordsThatSayNothingSetNoKind() {
        #expect(CodeSelection.expectedKind(task: "Write a function power(b, e) that returns b raised to the power e.") == nil)
        #expect(CodeSelection.expectedKind(task: "Write a function greet(name) that prints a greeting.") == nil)
    }

    @Test func aCandidateThatReturnsTheWrongKindIsNotChosenNorCounted() {
        // "returns the shortest word": two candidates return its length, one the word.
        let length = ["3", "1", "5"], word = ["'cat'", "'a'", "'hello'"]
        #expect(CodeSelection.choose([length, length, word], expected: .string)?.index == 2)
        #expect(CodeSelection.choose([length, length, word], expected: .string)?.agreeing == 1)
        #expect(CodeSelection.choose([length, length, word])?.index == 0) // without a kind, the majority
        #expect(CodeSelection.choose([length], expected: .string) == nil)
        // Failing on most inputs, or returning None (printing instead), is not plausible either.
        #expect(!CodeSelection.plausible(["error:TypeError", "error:TypeError", "1"], expected: nil))
        #expect(CodeSelection.plausible(["error:ValueError", "2", "1"], expected: .number))
        #expect(!CodeSelection.plausible(["None", "None"], expected: nil))
        #expect(!CodeSelection.plausible(["True", "1"], expected: .number))
    }

    @Test func candidatesThatIgnoreTheirInputAreNeitherChosenNorCounted() {
        // code2-test's replace_spaces: two candidates returned the string unchanged and outvoted the right one.
        let inputs = ["''", "'a'", "'hello world'", "'Mississippi'"]
        let right = ["''", "'a'", "'hello_world'", "'Mississippi'"], identity = inputs
        #expect(CodeSelection.choose([right, identity, identity], inputs: inputs)?.index == 0)
        #expect(CodeSelection.choose([right, identity, identity], inputs: inputs)?.agreeing == 1)
        // The same result for every input: filter_positive's "[]" twice.
        let lists = ["[]", "[1, 2, 3]", "[-1, 0, 7]"]
        #expect(CodeSelection.degenerate(["[]", "[]", "[]"], inputs: lists))
        #expect(!CodeSelection.degenerate(["[]", "[1, 2, 3]", "[7]"], inputs: lists))
        // Too few distinct inputs to say, and several arguments, never degenerate by identity.
        #expect(!CodeSelection.degenerate(["1", "1"], inputs: ["1", "2"]))
        #expect(!CodeSelection.degenerate(["1", "2", "3"], inputs: ["0, 1", "1, 2", "2, 3"]))
    }
}
