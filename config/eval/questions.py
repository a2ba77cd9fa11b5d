#!/usr/bin/env python3
"""The project's own answer-quality questions, written before the code they judge (issues 16 and 17).

Each question is written out by hand, as different people would ask it; its check is computed here
(an expression, not a number typed in), in score.py's format. Questions alternate between the dev set
(tune on it) and the held-out test set (run it only to report, never to tune):

    python3 config/eval/questions.py          # writes config/eval/dev.jsonl and config/eval/test.jsonl
    python3 ../shared/eval/score.py config/eval/dev.jsonl answers.jsonl --verbose

None of these phrasings comes from ../shared/eval or the tests.
"""
import json
import os

def clean(v):
    """A computed value as people write it: 63 for 62.99999999999999, 4.5 stays."""
    v = round(v, 9)
    return int(v) if v == int(v) else v

def num(v):
    return {"kind": "final_number", "value": clean(v)}

def nums(*vs):
    return {"kind": "numbers", "values": [clean(v) for v in vs]}

def kw(*words):
    return {"kind": "keywords", "all": list(words)}

def py(tests):
    return {"kind": "python_tests", "tests": tests}

def both(*checks):
    return {"kind": "all", "of": list(checks)}

Q = []
def q(kind, text, check):
    Q.append((kind, text, check))

# Arithmetic in everyday words: operations, lists, numbers written as words.
q("words", "What's the sum of 18, 27 and 45?", num(18 + 27 + 45))
q("words", "Take 17 away from 93.", num(93 - 17))
q("words", "what do you get if you multiply 14 by 12", num(14 * 12))
q("words", "What is the product of 9 and 11?", num(9 * 11))
q("words", "Double 38, please.", num(2 * 38))
q("words", "Could you triple 41 for me?", num(3 * 41))
q("words", "What's a quarter of 360?", num(360 / 4))
q("words", "How much is 15 percent of 240?", num(0.15 * 240))
q("words", "If I increase 80 by 25 percent, what do I get?", num(80 * 1.25))
q("words", "Decrease 150 by 20%.", num(150 * 0.8))
q("words", "What is 7 cubed?", num(7 ** 3))
q("words", "square root of 169?", num(13))
q("words", "What is the remainder when 47 is divided by 5?", num(47 % 5))
q("words", "Find the average of 12, 18 and 30.", num((12 + 18 + 30) / 3))
q("words", "The mean of 4, 8, 15 and 17 is what?", num((4 + 8 + 15 + 17) / 4))
q("words", "Split 96 equally between 8 people. How much does each person get?", num(96 / 8))
q("words", "What's the difference between 305 and 178?", num(305 - 178))
q("words", "What is 3 to the 5th power?", num(3 ** 5))
q("words", "How much is two dozen plus 5?", num(24 + 5))
q("words", "What's seventeen plus twenty-six?", num(17 + 26))
q("words", "one hundred minus thirty-seven equals?", num(100 - 37))
q("words", "Add up 125, 250 and 375.", num(125 + 250 + 375))
q("words", "How much is 64 divided by 4?", num(64 / 4))
q("words", "What is 12 squared?", num(144))
q("words", "What's half of 3,500?", num(1750))
q("words", "Work out 8 times 7 times 2.", num(8 * 7 * 2))
q("words", "What do 45 and 55 add up to?", num(100))
q("words", "What is 30% off a price of 90?", num(90 * 0.7))
q("words", "What is the total of 6, 7, 8 and 9?", num(30))
q("words", "Subtract 2,019 from 5,000.", num(5000 - 2019))

# Results that feed the next step.
q("chain", "Compute 12 times 4, then add 9 to the result.", num(12 * 4 + 9))
q("chain", "Start with 100, halve it, then subtract 15.", num(100 / 2 - 15))
q("chain", "Multiply 6 by 7 and then divide that by 3.", num(6 * 7 / 3))
q("chain", "Take 45, add 15, and double the total.", num((45 + 15) * 2))
q("chain", "First find 20% of 150, then add 12 to it.", num(0.2 * 150 + 12))
q("chain", "Add 250 and 150, then divide the answer by 8.", num((250 + 150) / 8))
q("chain", "Begin with 9. Square it, then take away 1.", num(9 ** 2 - 1))
q("chain", "What is 81 divided by 9, and then multiplied by 11?", num(81 / 9 * 11))
q("chain", "Triple 14 and then subtract 12 from that number.", num(3 * 14 - 12))
q("chain", "Compute 1000 minus 387; then halve the result.", num((1000 - 387) / 2))
q("chain", "Take 64, divide it by 4, then add 10.", num(64 / 4 + 10))
q("chain", "Add 17 to 33. Then multiply the sum by 3.", num((17 + 33) * 3))
q("chain", "Start from 500, take off 10 percent, then take off 50 more.", num(500 * 0.9 - 50))
q("chain", "Find 7 times 8, then subtract 6, then divide by 10.", num((7 * 8 - 6) / 10))
q("chain", "Double 125, and then add 75 to it.", num(2 * 125 + 75))
q("chain", "Subtract 30 from 90 and take a third of what is left.", num((90 - 30) / 3))
q("chain", "What do you get if you add 5 to 20 and multiply the answer by 4?", num((5 + 20) * 4))
q("chain", "Compute 2 to the power 6, then subtract 14.", num(2 ** 6 - 14))
q("chain", "Halve 88, then halve it again.", num(88 / 4))
q("chain", "Take 300, subtract 120, and then divide by 6.", num((300 - 120) / 6))
q("chain", "Multiply 15 by 3, add 5, then double it.", num((15 * 3 + 5) * 2))
q("chain", "Start with 40. Increase it by 50%. What do you have?", num(60))
q("chain", "Add 3 and 4, square the result, and subtract 9.", num((3 + 4) ** 2 - 9))
q("chain", "Divide 144 by 12 and then multiply that by 5.", num(144 / 12 * 5))
q("chain", "Take 1,200, split it equally into 4, then add 25 to one share.", num(1200 / 4 + 25))

# Units and counts.
q("units", "How many minutes are there in 3.5 hours?", num(3.5 * 60))
q("units", "Convert 2.5 kilometers to meters.", num(2500))
q("units", "How many grams are in 4.2 kilograms?", num(4200))
q("units", "How many seconds are in 2 hours?", num(7200))
q("units", "How many centimeters is 1.75 meters?", num(175))
q("units", "How many milliliters are in 3 liters?", num(3000))
q("units", "How many eggs are in 4 dozen?", num(48))
q("units", "How many days are in 6 weeks?", num(42))
q("units", "Convert 5,000 meters into kilometers.", num(5))
q("units", "270 minutes is how many hours?", num(4.5))
q("units", "How many years are three score?", num(60))
q("units", "How many socks are in 7 pairs?", num(14))
q("units", "How many cents make 4.25 dollars?", num(425))
q("units", "How many inches are in 3 feet?", num(36))
q("units", "How many ounces are in 2 pounds?", num(32))
q("units", "How many hours are in 3 days?", num(72))
q("units", "Convert 90 seconds to minutes.", num(1.5))
q("units", "How many millimeters are in 12 centimeters?", num(120))
q("units", "A recipe needs 750 grams of flour. How many kilograms is that?", num(0.75))
q("units", "How many months are in 4 years?", num(48))
q("units", "How many weeks are 84 days?", num(12))
q("units", "Convert 3 liters and 250 milliliters to milliliters.", num(3250))
q("units", "How many minutes are in a day?", num(1440))
q("units", "How many pieces are in half a dozen?", num(6))
q("units", "How many meters are 45 centimeters?", num(0.45))

# Several requests in one question: every part must be right.
q("mixed", "What is 15 times 4, and what is the capital of Italy?", both(nums(60), kw("Rome")))
q("mixed", "Tell me the capital of Japan, then compute 81 divided by 9.", both(nums(9), kw("Tokyo")))
q("mixed", "Add 120 and 35; also, which planet is known as the Red Planet?", both(nums(155), kw("Mars")))
q("mixed", "What is 9 times 9, and who wrote Romeo and Juliet?", both(nums(81), kw("Shakespeare")))
q("mixed", "Compute 1000 minus 1; what is the capital of Germany?", both(nums(999), kw("Berlin")))
q("mixed", "How many days are in 3 weeks, and what is 7 plus 8?", nums(21, 15))
q("mixed", "What's 25 percent of 80? And what is 13 times 3?", nums(20, 39))
q("mixed", "Write a Python function double(x) that returns twice x; also, what is 12 times 11?",
  both(py("assert double(4) == 8\nassert double(-3) == -6"), nums(132)))
q("mixed", "Name the largest ocean on Earth and compute 50 divided by 2.", both(nums(25), kw("Pacific")))
q("mixed", "What is 6 squared, and what is the square root of 49?", nums(36, 7))
q("mixed", "Multiply 11 by 11, add 5 to 10, and tell me the capital of Spain.", both(nums(121, 15), kw("Madrid")))
q("mixed", "What is the capital of Egypt? Also subtract 45 from 200.", both(nums(155), kw("Cairo")))
q("mixed", "Compute 14 plus 28, then tell me who painted the Mona Lisa.", both(nums(42), kw("Leonardo")))
q("mixed", "How many hours are in 2 days; and what is 100 divided by 4?", nums(48, 25))
q("mixed", "What is 8 times 12? What is the capital of Canada?", both(nums(96), kw("Ottawa")))
q("mixed", "Give me 3 cubed and the sum of 10, 20 and 30.", nums(27, 60))
q("mixed", "Write a Python function is_even(n) that returns True when n is even, and compute 17 times 3.",
  both(py("assert is_even(4)\nassert not is_even(7)"), nums(51)))
q("mixed", "What is 90 minus 45, and which gas do plants take in from the air?", both(nums(45), kw("carbon dioxide")))
q("mixed", "Halve 70 and tell me the capital of France.", both(nums(35), kw("Paris")))
q("mixed", "What is 7 times 6? Who was the first person to walk on the Moon?", both(nums(42), kw("Armstrong")))

# One-step word problems.
q("word", "Maria has 23 apples and gives away 8. How many apples does she have now?", num(15))
q("word", "A book costs 12 dollars. How much do 7 of these books cost?", num(84))
q("word", "36 cookies are shared equally among 4 kids. How many cookies does each kid get?", num(9))
q("word", "Tom had 50 marbles and bought 17 more. How many marbles does he have now?", num(67))
q("word", "A bus carries 45 people. How many people can 6 such buses carry?", num(270))
q("word", "Lena read 120 pages on Monday and 85 on Tuesday. How many pages did she read in total?", num(205))
q("word", "A farmer has 96 eggs and packs them in boxes of 12. How many boxes does he fill?", num(8))
q("word", "A shirt costs 40 dollars and is on sale for 25 percent off. What is the sale price?", num(30))
q("word", "Sam saves 15 dollars a week. How much has he saved after 9 weeks?", num(135))
q("word", "There were 250 people at a concert and 73 left early. How many stayed?", num(177))
q("word", "A pizza is cut into 8 slices and 3 friends eat 2 slices each. How many slices are left?", num(2))
q("word", "Each pack has 6 pencils. How many pencils are in 14 packs?", num(84))
q("word", "A train travels 80 kilometers per hour. How far does it go in 3 hours?", num(240))
q("word", "Anna is 12 years old and her mother is 3 times as old. How old is her mother?", num(36))
q("word", "A garden is 15 meters long and 8 meters wide. What is its area in square meters?", num(120))
q("word", "Ben had 200 dollars and spent 65 on shoes. How much money does he have left?", num(135))
q("word", "A class of 28 students splits into teams of 4. How many teams are there?", num(7))
q("word", "A box holds 24 chocolates. If 9 are eaten, how many remain?", num(15))
q("word", "Tickets cost 8 dollars each. How much do 5 tickets cost?", num(40))
q("word", "A tank holds 500 liters and is 40 percent full. How many liters are in it?", num(200))

# Code without examples: the tests are the checker's, not the question's.
q("code", "Write a Python function count_vowels(s) that returns how many vowels (a, e, i, o, u) are in the string s.",
  py("assert count_vowels('banana') == 3\nassert count_vowels('sky') == 0\nassert count_vowels('AEIOU'.lower()) == 5"))
q("code", "Write a Python function is_palindrome(s) that tells whether the string s reads the same backwards.",
  py("assert is_palindrome('racecar')\nassert not is_palindrome('python')\nassert is_palindrome('')"))
q("code", "Write a Python function word_count(text) that returns the number of words in text.",
  py("assert word_count('the quick brown fox') == 4\nassert word_count('one') == 1"))
q("code", "Write a Python function max_of_list(nums) returning the largest number in a list.",
  py("assert max_of_list([3, 9, 2]) == 9\nassert max_of_list([-5, -2, -9]) == -2"))
q("code", "Write a Python function factorial(n) that computes n factorial.",
  py("assert factorial(0) == 1\nassert factorial(5) == 120\nassert factorial(7) == 5040"))
q("code", "Write a Python function reverse_string(s) that gives back s reversed.",
  py("assert reverse_string('abc') == 'cba'\nassert reverse_string('') == ''"))
q("code", "Write a Python function sum_list(nums) that adds up all the numbers in a list.",
  py("assert sum_list([1, 2, 3]) == 6\nassert sum_list([]) == 0"))
q("code", "Write a Python function celsius_to_fahrenheit(c) that converts a temperature from Celsius to Fahrenheit.",
  py("assert celsius_to_fahrenheit(0) == 32\nassert celsius_to_fahrenheit(100) == 212"))
q("code", "Write a Python function is_prime(n) that returns True if n is a prime number and False otherwise.",
  py("assert is_prime(2) and is_prime(13)\nassert not is_prime(1) and not is_prime(15)"))
q("code", "Write a Python function fibonacci(n) returning the n-th Fibonacci number, with fibonacci(0) = 0 and fibonacci(1) = 1.",
  py("assert fibonacci(0) == 0\nassert fibonacci(1) == 1\nassert fibonacci(10) == 55"))
q("code", "Write a Python function count_char(s, c) that counts how often the character c occurs in s.",
  py("assert count_char('mississippi', 's') == 4\nassert count_char('abc', 'z') == 0"))
q("code", "Write a Python function average(nums) that returns the mean of a non-empty list of numbers.",
  py("assert average([2, 4, 6]) == 4\nassert average([5]) == 5"))
q("code", "Write a Python function remove_duplicates(items) that returns the list without repeated items, keeping the first occurrence order.",
  py("assert remove_duplicates([1, 2, 1, 3, 2]) == [1, 2, 3]\nassert remove_duplicates([]) == []"))
q("code", "Write a Python function capitalize_words(text) that makes the first letter of every word upper case.",
  py("assert capitalize_words('hello world') == 'Hello World'"))
q("code", "Write a Python function gcd(a, b) returning the greatest common divisor of two positive integers.",
  py("assert gcd(12, 18) == 6\nassert gcd(7, 5) == 1"))
q("code", "Write a Python function square_all(nums) that returns a new list with every number squared.",
  py("assert square_all([1, 2, 3]) == [1, 4, 9]\nassert square_all([]) == []"))

# Simple reasoning.
q("reasoning", "All cats are animals. Tom is a cat. Is Tom an animal? Answer yes or no.", kw("yes"))
q("reasoning", "What number comes next: 2, 4, 8, 16, ...?", num(32))
q("reasoning", "If today is Monday, what day of the week will it be in 3 days?", kw("Thursday"))
q("reasoning", "Ann is taller than Bob, and Bob is taller than Cid. Who is the shortest of the three?", kw("Cid"))
q("reasoning", "What comes next in the sequence 5, 10, 15, 20?", num(25))
q("reasoning", "If it is Friday today, what day was it two days ago?", kw("Wednesday"))
q("reasoning", "No fish can fly. A salmon is a fish. Can a salmon fly? Answer yes or no.", kw("no"))
q("reasoning", "Continue the pattern: 1, 4, 9, 16, 25, ... What is the next number?", num(36))
q("reasoning", "Mia finished before Leo, and Leo finished before Zoe. Who finished first?", kw("Mia"))
q("reasoning", "If yesterday was Sunday, what day is tomorrow?", kw("Tuesday"))
q("reasoning", "What is the next number: 100, 90, 80, 70, ...?", num(60))
q("reasoning", "A box is heavier than a bag. The bag is heavier than a cup. Which is the heaviest?", kw("box"))

# Facts.
q("fact", "What is the capital of Canada?", kw("Ottawa"))
q("fact", "Which planet is the largest in our solar system?", kw("Jupiter"))
q("fact", "Who painted the Mona Lisa?", kw("Leonardo"))
q("fact", "How many continents are there on Earth?", num(7))
q("fact", "At what temperature in degrees Celsius does water freeze?", num(0))
q("fact", "Who wrote the play Hamlet?", kw("Shakespeare"))
q("fact", "What is the capital city of Australia?", kw("Canberra"))
q("fact", "How many legs does a spider have?", num(8))
q("fact", "Which element has the atomic number 1?", kw("hydrogen"))
q("fact", "What is the longest river in Africa?", kw("Nile"))
q("fact", "Which ocean lies between Africa and Australia?", kw("Indian"))
q("fact", "What is the capital of Kenya?", kw("Nairobi"))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    sets = {"dev": [], "test": []}
    seen = {}
    for kind, text, check in Q:
        n = seen.get(kind, 0)
        seen[kind] = n + 1
        # Alternate within each kind, so both sets hold every kind.
        name = "dev" if n % 2 == 0 else "test"
        sets[name].append({"id": f"{name}-{kind}-{n // 2 + 1:02d}", "query": text, "type": kind, "check": check})
    for name, rows in sets.items():
        with open(os.path.join(here, f"{name}.jsonl"), "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
        print(f"{name}: {len(rows)} questions")


if __name__ == "__main__":
    main()
