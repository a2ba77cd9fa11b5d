# One-step word problems (most), multi-step problems and simple reasoning, phrased fresh in stop 32 after
# its word-chain changes (fresh34 seen), before any run on them.
from evalsets import kw, num, write

ROWS = [
    ("word", "Mateo picked 45 strawberries. His sister picked 28 strawberries. How many strawberries did they pick together?", num(73)),
    ("word", "A parking lot has 120 spaces. 87 of them are taken. How many spaces are free?", num(33)),
    ("word", "Each bag of rice weighs 5 kg. What is the weight of 14 bags?", num(70)),
    ("word", "A teacher has 96 stickers to give out equally to 8 students. How many stickers does each student get?", num(12)),
    ("word", "Hana paid $36 for 4 notebooks. How much did one notebook cost?", num(9)),
    ("word", "The temperature was 14 degrees in the morning and rose by 9 degrees by noon. What was the temperature at noon?", num(23)),
    ("word", "A book has 312 pages. Ali has read 178 pages. How many pages does he still have to read?", num(134)),
    ("word", "There are 7 days in a week. How many days are there in 12 weeks?", num(84)),
    ("word", "Zoe is 9 years old. Her brother is 4 years younger. How old is her brother?", num(5)),
    ("word", "A pencil costs 35 cents. How much do 6 pencils cost in cents?", num(210)),
    ("word", "A school bus can carry 40 students. How many buses are needed for 200 students?", num(5)),
    ("word", "Grace ran 3.5 km on Saturday and 4.2 km on Sunday. How many kilometers did she run over the weekend?", num(7.7)),
    ("word", "A farmer had 250 chickens and sold 75 of them. How many chickens does he have now?", num(175)),
    ("word", "Tickets for a concert cost $25 each. How much do 9 tickets cost?", num(225)),
    ("word", "A ribbon is 84 cm long. It is cut into 7 equal pieces. How long is each piece?", num(12)),
    ("word", "Kim had 18 pencils. Her friend gave her 15 more. How many pencils does Kim have now?", num(33)),
    ("multi", "A box holds 6 cupcakes. Lily bakes 4 boxes of cupcakes and gives away 9 cupcakes. How many cupcakes does she have left?", num(15)),
    ("multi", "Sam earns $8 per hour. He works 5 hours on Monday and 7 hours on Tuesday. How much does he earn in total?", num(96)),
    ("multi", "A store had 500 apples. It sold 180 apples in the morning and 150 apples in the afternoon. How many apples are left?", num(170)),
    ("multi", "Emma has 3 times as many stamps as Noah. Noah has 24 stamps. How many stamps do they have altogether?", num(96)),
    ("multi", "A pack of gum has 12 pieces. Ravi buys 5 packs and shares the pieces equally among 4 friends. How many pieces does each friend get?", num(15)),
    ("multi", "A shirt costs $20. It is on sale for 25% off. Tina buys 2 shirts. How much does she pay?", num(30)),
    ("reasoning", "What is the next number in the pattern 1, 4, 9, 16, 25, ...?", num(36)),
    ("reasoning", "If today is Wednesday, what day of the week was it 3 days ago?", kw("Sunday")),
    ("reasoning", "Mia is shorter than Leo. Leo is shorter than Ava. Who is the shortest?", kw("Mia")),
    ("reasoning", "All cats are mammals. Tom is a cat. Is Tom a mammal?", kw("yes")),
    ("reasoning", "What number comes next: 100, 90, 80, 70, ...?", num(60)),
    ("reasoning", "If March 3 is a Monday, what day of the week is March 10?", kw("Monday")),
]

if __name__ == "__main__":
    write("fresh35", "fresh35", None, ROWS)
