# Reasoning phrased fresh after the stop-28 change to the exact tools, never tuned on: report only.
from evalsets import kw, num, write
ROWS = [
    ("sequence", "Consider the numbers 12, 24, 48, 96. If the pattern continues, what is the next number?", num(192)),
    ("sequence", "In the sequence 7, 10, 13, 16, what is the 20th term?", num(64)),
    ("weekday", "Assume today is a Tuesday. What day of the week will it be exactly 30 days from today?", kw("Thursday")),
    ("weekday", "My birthday was 4 days ago, on a Saturday. What day is it today?", kw("Wednesday")),
    ("ordering", "Carl can lift more weight than Dana. Dana can lift more than Ed. Who can lift the least?", kw("Ed")),
    ("ordering", "Bella is shorter than Cara, and Cara is shorter than Dora. Is Bella shorter than Dora?", kw("yes")),
    ("syllogism", "All doctors went to college. Priya is a doctor. Did Priya go to college?", kw("yes")),
    ("syllogism", "No insects have eight legs. An ant is an insect. Does an ant have eight legs?", kw("no")),
    ("syllogism", "Every square has four sides. This shape is a square. Does this shape have four sides?", kw("yes")),
    ("weekday", "What is 3 weeks after Sunday, as a day of the week?", kw("Sunday")),
    ("date", "How many days are there between June 1 and June 30?", num(29)),
    ("sequence", "Find the next number in the pattern: 5, 11, 17, 23", num(29)),
]
write("fresh28", "fresh28", "reasoning", ROWS, report=False)
