import Testing
@testable import DellmCore

/// How a candidate's code is made ready to judge: a lone function the model named otherwise renamed,
/// example calls after it dropped, forgotten imports added (code written for these tests).
@Suite struct CandidateCodeTests {
    @Test func aLoneFunctionUnderAnotherNameIsRenamed() {
        let code = "def max_min_diff(nums):\n    if not nums:\n        return 0\n    return max_min_diff(nums[1:]) if False else max(nums) - min(nums)"
        let renamed = Answers.renamingFunction(code, to: "min_max_diff")
        #expect(renamed.hasPrefix("def min_max_diff(nums):"))
        #expect(renamed.contains("return min_max_diff(nums[1:])"))
        #expect(!renamed.contains("max_min_diff"))
        // The asked-for name defined, or two functions: left as they are.
        #expect(Answers.renamingFunction("def f(x):\n    return x", to: "f") == "def f(x):\n    return x")
        let two = "def helper(x):\n    return x\ndef other(x):\n    return helper(x)"
        #expect(Answers.renamingFunction(two, to: "f") == two)
    }

    @Test func exampleCallsAfterTheFunctionGo() {
        let reply = """
            import math
            LIMIT = 10
            def area(r):
                return math.pi * r ** 2

            print(area(2))  # Output: 12.56
            result = area(undefined_name)
            if __name__ == "__main__":
                print(area(3))
            """
        #expect(Answers.definitionsOnly(reply) == "import math\nLIMIT = 10\ndef area(r):\n    return math.pi * r ** 2")
        #expect(Answers.definitionsOnly("print(1 + 1)") == "print(1 + 1)") // no definition: as it is
    }

    @Test func aModuleUsedButNotImportedIsImported() {
        #expect(Answers.withMissingImports("def f(n):\n    return math.factorial(n)") == "import math\ndef f(n):\n    return math.factorial(n)")
        let imported = "import math\ndef f(n):\n    return math.sqrt(n)"
        #expect(Answers.withMissingImports(imported) == imported)
        // "from collections import Counter" does not bind "collections".
        #expect(Answers.withMissingImports("from collections import Counter\ndef f(s):\n    return collections.Counter(s)") ==
                "import collections\nfrom collections import Counter\ndef f(s):\n    return collections.Counter(s)")
        #expect(Answers.withMissingImports("import os, re\ndef f(s):\n    return re.sub('a', '', s)") == "import os, re\ndef f(s):\n    return re.sub('a', '', s)")
        #expect(Answers.withMissingImports("def f(x):\n    return x.mathematics") == "def f(x):\n    return x.mathematics")
    }
}
