# Code without examples in the prompt (stop 28): small functions of the kinds a user asks for, written
# before the code specialist's prompt was changed. DEV is tuned on; TEST is held out (run to report).
from evalsets import code, tests, write

DEV = [
    ("reverse_string(s)", "returns the string s reversed", "assert reverse_string('abc') == 'cba'\nassert reverse_string('') == ''"),
    ("max_of_list(nums)", "returns the largest number in the list nums", "assert max_of_list([3, 9, 2]) == 9\nassert max_of_list([-5, -2]) == -2"),
    ("is_palindrome(s)", "returns True if s reads the same forwards and backwards", "assert is_palindrome('level')\nassert not is_palindrome('hello')"),
    ("square_list(nums)", "returns a new list with the square of each number", "assert square_list([1, 2, 3]) == [1, 4, 9]\nassert square_list([]) == []"),
    ("average(nums)", "returns the average (mean) of a list of numbers", "assert average([2, 4, 6]) == 4\nassert average([1, 2]) == 1.5"),
    ("count_even(nums)", "returns how many even numbers the list contains", "assert count_even([1, 2, 3, 4, 6]) == 3\nassert count_even([1, 3]) == 0"),
    ("sum_digits(n)", "returns the sum of the digits of a non-negative integer n", "assert sum_digits(123) == 6\nassert sum_digits(0) == 0\nassert sum_digits(9045) == 18"),
    ("min_max_diff(nums)", "returns the difference between the largest and the smallest number in the list", "assert min_max_diff([4, 1, 9]) == 8\nassert min_max_diff([5]) == 0"),
    ("join_words(words)", "joins a list of words into one string with a single space between them", "assert join_words(['a', 'b', 'c']) == 'a b c'\nassert join_words(['hi']) == 'hi'"),
    ("power(base, exp)", "returns base raised to the power exp", "assert power(2, 10) == 1024\nassert power(5, 0) == 1"),
    ("count_words(text)", "returns how many words are in the sentence text", "assert count_words('I like green tea') == 4\nassert count_words('hello') == 1"),
    ("unique_items(items)", "returns a list of the items with duplicates removed, in the order they first appear", "assert unique_items([3, 1, 3, 2, 1]) == [3, 1, 2]\nassert unique_items([]) == []"),
]

TEST = [
    ("longest_word(text)", "returns the longest word in the string text (the first one if several are equally long)", "assert longest_word('a bb ccc dd') == 'ccc'\nassert longest_word('hi yo') == 'hi'"),
    ("count_uppercase(s)", "returns the number of uppercase letters in s", "assert count_uppercase('Hello World') == 2\nassert count_uppercase('abc') == 0"),
    ("filter_positive(nums)", "returns a list containing only the positive numbers of nums", "assert filter_positive([-1, 2, 0, 5]) == [2, 5]\nassert filter_positive([]) == []"),
    ("word_lengths(words)", "returns a list with the length of each word in the list words", "assert word_lengths(['hi', 'abc']) == [2, 3]\nassert word_lengths([]) == []"),
    ("is_even(n)", "returns True when the integer n is even and False when it is odd", "assert is_even(4)\nassert not is_even(7)\nassert is_even(0)"),
    ("product_list(nums)", "returns the product of all numbers in the list (1 for an empty list)", "assert product_list([2, 3, 4]) == 24\nassert product_list([]) == 1"),
    ("sort_descending(nums)", "returns the numbers sorted from largest to smallest", "assert sort_descending([3, 1, 2]) == [3, 2, 1]\nassert sort_descending([]) == []"),
    ("replace_spaces(s)", "returns s with every space replaced by an underscore", "assert replace_spaces('a b c') == 'a_b_c'\nassert replace_spaces('none') == 'none'"),
    ("digit_count(n)", "returns how many digits the positive integer n has", "assert digit_count(7) == 1\nassert digit_count(12345) == 5"),
    ("starts_with_vowel(word)", "returns True if word begins with a vowel (a, e, i, o or u, in either case)", "assert starts_with_vowel('apple')\nassert starts_with_vowel('Egg')\nassert not starts_with_vowel('tree')"),
    ("pair_up(keys, values)", "returns a dictionary that maps each key to the value at the same position", "assert pair_up(['a', 'b'], [1, 2]) == {'a': 1, 'b': 2}\nassert pair_up([], []) == {}"),
    ("cube(n)", "returns n multiplied by itself three times", "assert cube(3) == 27\nassert cube(-2) == -8"),
]

write("code2-dev", "c2dev", "code", [(None, code(sig, what), tests(t)) for sig, what, t in DEV])
write("code2-test", "c2test", "code", [(None, code(sig, what), tests(t)) for sig, what, t in TEST])
