# Code without examples, written after the stop-28 code changes and never tuned on: report only.
from evalsets import code, tests, write
ROWS = [
    ("count_consonants(word)", "returns how many consonant letters (letters that are not a, e, i, o, u) the lowercase string word has",
     "assert count_consonants('hello') == 3\nassert count_consonants('aei') == 0"),
    ("first_word(sentence)", "returns the first word of the sentence", "assert first_word('good morning all') == 'good'\nassert first_word('hi') == 'hi'"),
    ("double_all(nums)", "returns a list in which every number of nums is doubled", "assert double_all([1, 5]) == [2, 10]\nassert double_all([]) == []"),
    ("is_positive(n)", "returns True if n is greater than zero", "assert is_positive(3)\nassert not is_positive(0)\nassert not is_positive(-2)"),
    ("smallest(nums)", "returns the smallest number in the list nums", "assert smallest([4, 2, 8]) == 2\nassert smallest([-1, 5]) == -1"),
    ("to_lower(s)", "returns the string s in lower case", "assert to_lower('HeLLo') == 'hello'"),
    ("sum_of_squares(nums)", "returns the sum of the squares of the numbers", "assert sum_of_squares([1, 2, 3]) == 14\nassert sum_of_squares([]) == 0"),
    ("last_item(items)", "returns the last element of the list items", "assert last_item([1, 2, 3]) == 3\nassert last_item(['a']) == 'a'"),
]
write("freshcode28", "freshcode28", "code", [(None, code(sig, what), tests(t)) for sig, what, t in ROWS], report=False)
