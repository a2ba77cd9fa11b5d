# Simple reasoning by kind (stop 28): sequences, weekdays, dates, orderings, syllogisms, in phrasings
# the exact tools were not built on. Both lists were written before the tools were changed.
# DEV was run once through `dellm plan` to see what the tools read (so it is tuned on); TEST is held
# out: run only to report. Checks are score.py's; "no" is a weak keyword (it also matches "not",
# "cannot", "know"), as the README says.
from evalsets import kw, num, write

DEV = [
    ("sequence", "Continue the sequence 2, 5, 8, 11, ...", num(14)),
    ("sequence", "What's the next term: 81, 27, 9, 3?", num(1)),
    ("sequence", "Find the missing number: 1, 4, 9, 16, ?", num(25)),
    ("sequence", "What is the 10th term of the sequence 3, 7, 11, 15?", num(39)),
    ("sequence", "Fill in the blank: 100, 90, 80, __, 60", num(70)),
    ("sequence", "What number should come next: 1, 1, 2, 3, 5, 8?", num(13)),
    ("sequence", "Next in the series: 64, 32, 16, 8, ...?", num(4)),
    ("weekday", "It's Saturday today. What day was it 3 days ago?", kw("Wednesday")),
    ("weekday", "What day of the week is 100 days after a Monday?", kw("Wednesday")),
    ("weekday", "If yesterday was Wednesday, what day is tomorrow?", kw("Friday")),
    ("weekday", "Two weeks and 3 days from Sunday is what day?", kw("Wednesday")),
    ("weekday", "The day before yesterday was Friday. What day will it be the day after tomorrow?", kw("Tuesday")),
    ("date", "What date is 10 days after March 25?", kw("April", "4")),
    ("date", "What day of the week was July 4, 1976?", kw("Sunday")),
    ("date", "What date comes 30 days after January 15, 2023?", kw("February", "14")),
    ("ordering", "Mia is older than Leo but younger than Zoe. Who is the oldest?", kw("Zoe")),
    ("ordering", "A is heavier than B, and C is lighter than B. Which is the heaviest?", kw("A")),
    ("ordering", "Sam runs faster than Tim. Tim runs faster than Uma. Is Uma faster than Sam?", kw("no")),
    ("ordering", "Red finished before Blue, and Green finished after Blue. Who finished last?", kw("Green")),
    ("ordering", "Jo has more marbles than Kim, and Kim has more than Lee. Who has the fewest marbles?", kw("Lee")),
    ("syllogism", "Every bird has feathers. A robin is a bird. Does a robin have feathers?", kw("yes")),
    ("syllogism", "No fish are mammals. A salmon is a fish. Is a salmon a mammal?", kw("no")),
    ("syllogism", "All squares are rectangles. Is every rectangle a square?", kw("no")),
    ("syllogism", "Some dogs are brown. Rex is a dog. Must Rex be brown?", kw("no")),
    ("syllogism", "If all roses are flowers and all flowers need water, do roses need water?", kw("yes")),
]

TEST = [
    ("sequence", "What number follows in the list 7, 14, 21, 28?", num(35)),
    ("sequence", "Look at this series: 3, 9, 27, 81. What comes next?", num(243)),
    ("sequence", "What is the missing value in 4, 8, ?, 16, 20?", num(12)),
    ("sequence", "What is the 12th term of the arithmetic sequence 5, 8, 11, 14, ...?", num(38)),
    ("sequence", "Which number comes next: 2, 3, 5, 8, 13, 21?", num(34)),
    ("sequence", "Complete the pattern: 50, 45, 40, 35, ___", num(30)),
    ("sequence", "What is the next number: 2, 6, 12, 20, 30?", num(42)),
    ("weekday", "Today is Thursday. What day of the week will it be 15 days from now?", kw("Friday")),
    ("weekday", "If the day after tomorrow is Monday, what day is today?", kw("Saturday")),
    ("weekday", "What day comes 4 days before Tuesday?", kw("Friday")),
    ("weekday", "If 3 days ago it was Sunday, what day is it today?", kw("Wednesday")),
    ("weekday", "Three weeks from a Wednesday is what day of the week?", kw("Wednesday")),
    ("weekday", "What day of the week was it 2 days before yesterday if today is Monday?", kw("Friday")),
    ("date", "What date is 2 weeks after June 20?", kw("July", "4")),
    ("date", "What is the date 5 days before March 2, 2024?", kw("February", "26")),
    ("date", "What day of the week was January 1, 2000?", kw("Saturday")),
    ("ordering", "Pam is shorter than Quin. Rob is shorter than Pam. Who is the tallest?", kw("Quin")),
    ("ordering", "The red car is faster than the blue car, and the blue car is faster than the green car. Which car is the slowest?", kw("green")),
    ("ordering", "Nina scored higher than Omar. Omar scored higher than Paul. Did Paul score higher than Nina?", kw("no")),
    ("ordering", "Lily is younger than Max but older than Ned. Who is the youngest?", kw("Ned")),
    ("ordering", "X weighs more than Y, and Z weighs less than Y. Which weighs the most?", kw("X")),
    ("ordering", "Tina arrived after Uli, and Vic arrived after Tina. Who arrived first?", kw("Uli")),
    ("syllogism", "All whales are mammals. All mammals breathe air. Does a whale breathe air?", kw("yes")),
    ("syllogism", "No reptiles have feathers. A lizard is a reptile. Does a lizard have feathers?", kw("no")),
    ("syllogism", "All poodles are dogs. Fido is a dog. Is Fido certainly a poodle?", kw("no")),
    ("syllogism", "Every teacher is an adult. Maria is a teacher. Is Maria an adult?", kw("yes")),
    ("syllogism", "If all metals conduct electricity and copper is a metal, does copper conduct electricity?", kw("yes")),
]

write("reason2-dev", "r2dev", "reasoning", DEV)
write("reason2-test", "r2test", "reasoning", TEST)
