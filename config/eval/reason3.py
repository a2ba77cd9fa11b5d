# Reasoning, second round (stop 28): phrasings unlike reason2's — facts and questions in separate
# sentences, events ("the meeting is 5 days after Thursday"), "ahead of", "costs more than", bare
# plurals, past tense, "one of the students". Both lists were written before the tools were changed
# again; DEV is tuned on, TEST held out. Checks as in reason2.py ("no" is a weak keyword).
from evalsets import kw, num, write

DEV = [
    ("sequence", "Here is a number pattern: 9, 18, 27, 36. Which number would be fifth?", num(45)),
    ("sequence", "If the pattern 1, 3, 9, 27 keeps going, what number is after 27?", num(81)),
    ("sequence", "What is the sixth number in the sequence that starts 4, 9, 14, 19?", num(29)),
    ("weekday", "My exam is in 9 days. Today is Monday. On which day of the week is my exam?", kw("Wednesday")),
    ("weekday", "Yesterday was Friday. What will the day be in two days?", kw("Monday")),
    ("weekday", "If it was Tuesday four days ago, what day is it now?", kw("Saturday")),
    ("date", "What day of the week will December 31, 2030 be?", kw("Tuesday")),
    ("date", "If today is May 10, what is the date 3 weeks from today?", kw("May", "31")),
    ("ordering", "Of the three boxes, the green one is heavier than the red one, and the red one is heavier than the blue one. Which box is lightest?", kw("blue")),
    ("ordering", "Dan finished the race ahead of Eli, and Eli finished ahead of Fred. Who came in last?", kw("Fred")),
    ("ordering", "Greg is 5 years older than Hana, and Hana is 2 years older than Ivan. Who is the youngest?", kw("Ivan")),
    ("ordering", "Which is the tallest: the lamp, the chair or the table, if the chair is taller than the table and the lamp is taller than the chair?", kw("lamp")),
    ("syllogism", "All of the students passed the test. Lena is one of the students. Did Lena pass the test?", kw("yes")),
    ("syllogism", "Cats are mammals. Mammals have fur. Does a cat have fur?", kw("yes")),
]

TEST = [
    ("sequence", "Starting at 2, each number in a list is 5 more than the one before: 2, 7, 12, 17. What is the 8th number?", num(37)),
    ("sequence", "What number is missing from this series: 30, 25, __, 15, 10?", num(20)),
    ("weekday", "Today is Sunday. What day of the week was it 15 days ago?", kw("Saturday")),
    ("weekday", "If it was Friday two days ago, what day will it be tomorrow?", kw("Monday")),
    ("weekday", "The meeting is 5 days after Thursday. On what day of the week is the meeting?", kw("Tuesday")),
    ("date", "If today is March 28, what will the date be in 5 days?", kw("April", "2")),
    ("date", "What day of the week was February 29, 2024?", kw("Thursday")),
    ("ordering", "At the race, Kim finished ahead of Lou, and Lou finished ahead of Max. Who finished first?", kw("Kim")),
    ("ordering", "The sofa costs more than the table, and the lamp costs less than the table. Which item costs the most?", kw("sofa")),
    ("ordering", "Nora is older than Owen. Owen is older than Pia. Is Pia older than Nora?", kw("no")),
    ("syllogism", "Dogs are animals. Animals need food. Does a dog need food?", kw("yes")),
    ("syllogism", "All of the players wore helmets. Sam is one of the players. Did Sam wear a helmet?", kw("yes")),
    ("syllogism", "No vegetables are sweets. A carrot is a vegetable. Is a carrot a sweet?", kw("no")),
    ("ordering", "Ava is taller than Ben. Cal is shorter than Ben. Who is the tallest of Ava, Ben and Cal?", kw("Ava")),
]

write("reason3-dev", "r3dev", "reasoning", DEV)
write("reason3-test", "r3test", "reasoning", TEST)
