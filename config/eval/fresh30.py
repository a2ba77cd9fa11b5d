# Questions of every kind of issue 17, phrased fresh at the start of stop 30, before any change of that
# stop: report only, never tuned on. One file; a row's type is its kind.
from evalsets import kw, num, tests, write

WORD = [
    ("A baker made 48 muffins and sold 29 of them before noon. How many muffins were left?", num(19)),
    ("Each ticket to the fair costs $7. How much do 9 tickets cost?", num(63)),
    ("Omar split 56 stickers evenly among 8 friends. How many stickers did each friend get?", num(7)),
    ("There were 23 birds on a wire. Then 14 more birds landed. How many birds are on the wire now?", num(37)),
    ("Lena is 11 years older than her cousin, who is 19. How old is Lena?", num(30)),
    ("A rope 90 meters long is cut into pieces of 15 meters each. How many pieces are there?", num(6)),
    ("Tom had some marbles and gave away 12. Now he has 30. How many marbles did he start with?", num(42)),
    ("A farmer plants 7 rows of corn with 13 plants in each row. How many corn plants are there?", num(91)),
]
MULTI = [
    ("A notebook costs $3 and a pen costs $2. Mia buys 4 notebooks and 5 pens. How much does she spend?", num(22)),
    ("Sam reads 12 pages a day for 6 days, then 20 pages on the seventh day. How many pages did he read in total?", num(92)),
    ("Each of 4 buses carries 35 students on a trip, and 9 teachers come too. How many people go on the trip?", num(149)),
    ("Nora earns $12 an hour and works 7 hours a day. How much does she earn in 4 days?", num(336)),
    ("A pack of 6 juice boxes costs $4. How much do 42 juice boxes cost?", num(28)),
    ("Ava had $50. She bought a book for $18 and a lunch for $9. How much money does she have left?", num(23)),
]
CODE = [
    ("Implement a Python function second_largest(nums) that returns the second largest distinct value in the list nums.",
     "assert second_largest([4, 1, 7, 7, 3]) == 4\nassert second_largest([2, 9]) == 2"),
    ("I need a Python function capitalize_words(text) that returns text with the first letter of every word in upper case.",
     "assert capitalize_words('hello big world') == 'Hello Big World'\nassert capitalize_words('a') == 'A'"),
    ("Write sum_of_squares(n) in Python: it returns 1*1 + 2*2 + ... + n*n.",
     "assert sum_of_squares(3) == 14\nassert sum_of_squares(1) == 1"),
    ("Can you write a Python function remove_vowels(s) that returns s without its lower-case vowels a, e, i, o and u?",
     "assert remove_vowels('banana') == 'bnn'\nassert remove_vowels('sky') == 'sky'"),
    ("Python: define is_sorted(nums), which returns True when the list nums is in non-decreasing order and False otherwise.",
     "assert is_sorted([1, 2, 2, 5])\nassert not is_sorted([3, 1])\nassert is_sorted([])"),
    ("Write a Python function celsius_to_fahrenheit(c) that converts a temperature from degrees Celsius to degrees Fahrenheit.",
     "assert celsius_to_fahrenheit(100) == 212\nassert celsius_to_fahrenheit(0) == 32"),
]
REASON = [
    ("What comes next: 81, 27, 9, 3, ...?", num(1)),
    ("If the day after tomorrow is Friday, what day is today?", kw("Wednesday")),
    ("Ivy finished the race before Jack, and Jack finished before Kim. Who finished last?", kw("Kim")),
    ("All roses are flowers. This plant is a rose. Is this plant a flower?", kw("yes")),
    ("What is the 10th term of the sequence 4, 9, 14, 19, ...?", num(49)),
    ("Mike is older than Nina. Nina is older than Omar. Is Omar older than Mike?", kw("no")),
]
FACT = [
    ("What is the capital of Japan?", kw("Tokyo")),
    ("How many legs does a spider have?", num(8)),
    ("Which planet is known as the Red Planet?", kw("Mars")),
    ("Which gas do plants take in from the air to make their food?", kw("carbon dioxide")),
    ("Who wrote the play Romeo and Juliet?", kw("Shakespeare")),
    ("What is the largest ocean on Earth?", kw("Pacific")),
]

if __name__ == "__main__":
    write("fresh30", "fresh30", None, [("word", q, c) for q, c in WORD] + [("multi", q, c) for q, c in MULTI]
          + [("code", q, tests(t)) for q, t in CODE] + [("reasoning", q, c) for q, c in REASON] + [("fact", q, c) for q, c in FACT])
